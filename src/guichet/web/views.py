"""Project-wide views: sign-in with a rate limit, and the answer to a client over its limit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit


@method_decorator(ratelimit(key="ip", rate=settings.LOGIN_RATE_LIMIT, method="POST", block=True), name="post")
@method_decorator(
    ratelimit(key="post:username", rate=settings.LOGIN_RATE_LIMIT, method="POST", block=True), name="post"
)
class RateLimitedLoginView(auth_views.LoginView):
    """Django's login, refused for a while after too many attempts from one address or on one username."""


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "rate_limited.html", status=429)
