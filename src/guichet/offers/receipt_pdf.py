"""The one-page PDF of a proposal's receipt: what was sealed, when, and its SHA-256."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from guichet.offers.chain import receipt_chain
from guichet.offers.models import ProposalVersion
from guichet.offers.sealing import parse_sealed


def receipt_pdf(*, version: ProposalVersion) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "offers/receipt_print.html",
        {
            "version": version,
            "sealed": parse_sealed(version.canonical),
            "printed_at": timezone.now(),
            "chain": receipt_chain(version),
        },
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
