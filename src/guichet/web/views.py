"""Project-wide views: sign-in with a rate limit, and the answer to a client over its limit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.accounts.throttle import sign_in_attempt_limited


class RateLimitedLoginView(auth_views.LoginView):
    """Django's login, refused for a while after too many attempts on one username or from one client;
    the API token endpoint counts in the same buckets (guichet.accounts.throttle)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if sign_in_attempt_limited(request, request.POST.get("username")):
            return rate_limited(request, None)
        return super().post(request, *args, **kwargs)


def rate_limited(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    return render(request, "rate_limited.html", status=429)
