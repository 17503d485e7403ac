"""Requests carrying NUL characters are refused before any view sees them.

PostgreSQL cannot store a NUL in text, so such a value would end in a database error (a 500) on
PostgreSQL while SQLite stores it. Django's form fields already refuse NUL; this covers query strings
and JSON bodies, which reach the API without a form. File uploads are checked by their importers.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from guichet.api.errors import body_too_big_detail, problem_response


def _has_nul(request: HttpRequest) -> bool:
    if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    if request.content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    return False


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith("/api/")
        try:
            refused = _has_nul(request)
        except RequestDataTooBig:
            if not api:
                raise  # the site's own 400 page
            return problem_response(request, 413, body_too_big_detail())
        if refused:
            detail = "NUL characters (U+0000) are not allowed in a request."
            if api:
                return problem_response(request, 400, detail)
            return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
