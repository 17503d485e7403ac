"""The transparency page: the public key that checks Guichet's signatures, and the head log to keep."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.audit.selectors import head_log_lines, latest_signed_head
from guichet.audit.signing import current_key, public_pem
from guichet.files import download_response


def transparency(request: HttpRequest) -> HttpResponse:
    """Public: the key is what every reader checks a receipt's signed head with."""
    key = current_key()
    return render(
        request,
        "audit/transparency.html",
        {"key": key, "public_key": public_pem(key.public), "chain_head": latest_signed_head()},
    )


@login_required
def head_log(request: HttpRequest) -> HttpResponse:
    """The head log (JSON Lines), for an authority or the board to keep and check against later."""
    body = "".join(line + "\n" for line in head_log_lines())
    response = download_response(
        body.encode("utf-8"), content_type="application/jsonl", filename="heads.jsonl"
    )
    response["Cache-Control"] = "private, no-store"
    return response
