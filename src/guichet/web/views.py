"""Project-wide views: sign-in with a rate limit, the answer to a client over its limit, and the site's own
error pages (a refused form, a server error) in the reader's language with the agency's contact."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from guichet.accounts.throttle import sign_in_attempt_limited
from guichet.web.context import agency_contact_from_settings


class RateLimitedLoginView(auth_views.LoginView):
    """Django's login, refused for a while after too many attempts on one username or from one client;
    the API token endpoint counts in the same buckets (guichet.accounts.throttle)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if sign_in_attempt_limited(request, request.POST.get("username")):
            return rate_limited(request, None)
        return super().post(request, *args, **kwargs)


def rate_limited(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    return render(request, "rate_limited.html", status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check, as a page of the site's own (Django's renders its template without
    the request, so without the reader's session or the agency's contact)."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page without the request's context processors: the error may come from the database or the
    session, which they would touch again. If even the site's template fails, a line of plain text."""
    html: str
    try:
        html = loader.render_to_string("500.html", {"agency": agency_contact_from_settings()})
    except Exception:
        html = _("Server error: the page could not be produced. Please try again in a few minutes.")
    return HttpResponseServerError(html)
