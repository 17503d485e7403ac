"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API returns has ``type``, ``title``, ``status``, ``detail`` and ``instance``; validation
errors add ``errors``, a list of ``{"location", "field", "message"}`` naming each wrong field by its path
(``forecast.3.calls``). How exceptions map to statuses:

- request body or parameters that do not match the schema, a Django ``ValidationError`` that names fields,
  an engine input error (staffing, scoring weights): 422;
- a Django ``ValidationError`` without fields (the resource's state forbids the action: call already sent,
  deadline passed, proposals sealed) and a stale ``expected_version``: 409;
- no or bad token: 401 (with ``WWW-Authenticate: Bearer``); the wrong role, or ``PermissionDenied`` from a
  service: 403; an object the user may not see, or that does not exist: 404 (the same answer, so that
  existence does not leak); a body that is not JSON: 400; a body above DATA_UPLOAD_MAX_MEMORY_SIZE (or too
  many fields or files): 413; too many requests: 429; anything else: 500. Answers from outside an operation
  (a method a path does not have, 405) become problems in ``guichet.api.middleware``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django_ratelimit.exceptions import Ratelimited
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from guichet.engine.scoring import ScoringInputError
from guichet.engine.staffing import StaffingInputError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Problem types (RFC 9457 section 3.1.1): URNs described in docs/api.md; "about:blank": see the status.
VALIDATION = "urn:guichet:problem:validation"
CONFLICT = "urn:guichet:problem:conflict"
RATE_LIMITED = "urn:guichet:problem:rate-limited"
BLANK = "about:blank"

_PARAM_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


class ApiProblem(Exception):
    """Raised by a handler to answer with a problem of its own choosing."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        type_: str = BLANK,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type_
        self.errors = errors
        self.headers = headers or {}


def body_too_big_detail() -> str:
    return (
        f"The request body is larger than the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes accepted "
        "(DATA_UPLOAD_MAX_MEMORY_SIZE)."
    )


def field_error(field: str, message: str, *, location: str = "body") -> dict[str, str]:
    return {"location": location, "field": field, "message": message}


def invalid(field: str, message: str, *, location: str = "body") -> ApiProblem:
    """A 422 naming one field."""
    return ApiProblem(
        422,
        message,
        type_=VALIDATION,
        errors=[field_error(field, message, location=location)],
    )


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str = "",
    *,
    type_: str = BLANK,
    title: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _ninja_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Ninja's pydantic errors -> field paths: ``("body", "payload", "forecast", 3, "calls")`` ->
    location ``body``, field ``forecast.3.calls``."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc and loc[0] in _PARAM_SOURCES else "body"
        path = loc[1:] if loc and loc[0] in _PARAM_SOURCES else loc
        # The body's parameter name (the handler's argument) is not part of the document the client sent.
        if location == "body" and path and path[0] == "payload":
            path = path[1:]
        result.append(field_error(".".join(path), str(error.get("msg", "invalid")), location=location))
    return result


def django_validation_errors(error: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            field_error("" if field == NON_FIELD_ERRORS else field, message)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [field_error("", message) for message in error.messages]


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every exception into a problem."""

    def on_api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem_response(
            request, exc.status, exc.detail, type_=exc.type, errors=exc.errors, headers=exc.headers
        )

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = _ninja_errors(exc.errors)
        return problem_response(
            request,
            422,
            "The request does not match the schema: " + "; ".join(e["field"] or "(document)" for e in errors),
            type_=VALIDATION,
            errors=errors,
        )

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(
            request,
            401,
            "Send a valid API token: 'Authorization: Bearer <token>' (POST /api/tokens gives one).",
            headers={"WWW-Authenticate": 'Bearer realm="guichet"'},
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(request, exc.status_code, str(exc))

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = django_validation_errors(exc)
        detail = " ".join(e["message"] for e in errors)
        is_conflict = getattr(exc, "code", None) == "conflict" or any(
            getattr(e, "code", None) == "conflict" for e in getattr(exc, "error_list", [])
        )
        if is_conflict or not hasattr(exc, "error_dict"):
            # Well-formed, but the resource's current state forbids it.
            return problem_response(request, 409, detail, type_=CONFLICT)
        return problem_response(request, 422, detail, type_=VALIDATION, errors=errors)

    def on_engine_input(request: HttpRequest, exc: StaffingInputError | ScoringInputError) -> HttpResponse:
        detail = str(exc)
        if isinstance(exc, ScoringInputError):
            from guichet.phrasing.scoring import scoring_input_message  # phrased in the request's language

            detail = scoring_input_message(exc)
        return problem_response(
            request, 422, detail, type_=VALIDATION, errors=[field_error(exc.field, exc.message)]
        )

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(request, 403, str(exc) or "You may not do this.")

    def on_rate_limited(request: HttpRequest, exc: Ratelimited) -> HttpResponse:
        return problem_response(
            request,
            429,
            "Too many attempts; wait a minute and try again.",
            type_=RATE_LIMITED,
            headers={"Retry-After": "60"},
        )

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        if isinstance(exc, RequestDataTooBig):
            return problem_response(request, 413, body_too_big_detail())
        if isinstance(exc, TooManyFilesSent | TooManyFieldsSent):
            return problem_response(request, 413, "The request sends more fields or files than accepted.")
        logger.warning("suspicious request on %s: %s", request.path, exc)
        return problem_response(request, 400, "The request was refused.")

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem_response(request, 404, "No such object, or not one you may see.")

    def on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        logger.warning("integrity error on %s: %s", request.path, exc)
        return problem_response(request, 409, "The change conflicts with stored data.", type_=CONFLICT)

    def on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return problem_response(request, 500, "An unexpected error occurred; it has been logged.")

    handlers: list[tuple[type[Exception], Any]] = [
        (ApiProblem, on_api_problem),
        (NinjaValidationError, on_ninja_validation),
        (AuthenticationError, on_authentication),
        (HttpError, on_http_error),
        (DjangoValidationError, on_django_validation),
        (StaffingInputError, on_engine_input),
        (ScoringInputError, on_engine_input),
        (PermissionDenied, on_permission_denied),
        (SuspiciousOperation, on_suspicious),
        (Ratelimited, on_rate_limited),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (IntegrityError, on_integrity),
        (Exception, on_exception),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
