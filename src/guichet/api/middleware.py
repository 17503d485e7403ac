"""Every error under /api/ is a problem (RFC 9457), whoever answers it.

The API's handlers turn the exceptions of its operations into problems (``errors.install``); but some
answers come from outside an operation: Django's 405 for a method a path does not have, a 400 for a
disallowed host, a 413 for a body above DATA_UPLOAD_MAX_MEMORY_SIZE read by a middleware, the site's 500
page. This middleware, the outermost, rewrites any error answer under /api/ that is not a problem yet into
one with the same status (and the headers that matter: Allow, Retry-After, WWW-Authenticate).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from guichet.api.errors import PROBLEM_CONTENT_TYPE, problem_response

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiProblemsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        ):
            return response
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        return problem_response(request, response.status_code, headers=headers)
