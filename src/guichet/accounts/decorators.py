"""Role checks for views, decided by `accounts.selectors` like every other permission."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from guichet.accounts.selectors import user_is_agency

View = TypeVar("View", bound=Callable[..., HttpResponse])


def agency_required(view: View) -> View:
    """Agency staff only: anonymous visitors go to the sign-in page, anybody else gets 403."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_is_agency(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)  # type: ignore[return-value]
