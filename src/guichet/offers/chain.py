"""Sealed proposal versions in the audit chain (docs/audit.md): each version is an entry, written in the
transaction that seals it, and the head is signed right after it, so its receipt carries a signed head
whose digest is the version's own entry.

The audit app knows nothing of offers: this module registers the versions as a `ChainSource` (read by
`guichet audit verify` and the first chaining) and connects the append to the version's creation, whatever
creates it (the proposal services, the demo, the tests). A backup's restore loads rows raw and skips it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models.signals import post_save

from guichet.audit.chain import (
    ChainSource,
    among,
    chain_append,
    chain_sign,
    entry_statement,
    head_document,
    register_source,
)
from guichet.audit.models import ChainEntry, HeadReason, SignedHead
from guichet.offers.models import ProposalVersion

SEALED_VERSION = "offers.proposalversion"


def _content_digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _on_sealed(
    sender: Any, instance: ProposalVersion, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not created or raw:
        return
    chain_append(
        record_type=SEALED_VERSION,
        record_id=str(instance.public_id),
        content_sha256=_content_digest(instance.canonical),
    )
    chain_sign(reason=HeadReason.RECEIPT)


def _uuids(ids: list[str]) -> list[uuid.UUID]:
    parsed = []
    for value in ids:
        try:
            parsed.append(uuid.UUID(value))
        except ValueError:
            continue
    return parsed


def _contents(ids: list[str]) -> dict[str, tuple[str, str]]:
    """Each version's digest recomputed from its sealed text; a stored receipt that differs is a problem
    too (`guichet receipt verify --stored` reports the same)."""
    from django.db import connection

    found = {}
    rows: Any
    if connection.vendor == "postgresql":
        # The database hashes the sealed texts itself (sha256() of their UTF-8 bytes): the same digest,
        # without sending 100,000 texts to Python.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT public_id, encode(sha256(convert_to(canonical, 'UTF8')), 'hex'), sha256 "
                "FROM offers_proposalversion WHERE public_id = ANY(%s)",
                [_uuids(ids)],
            )
            rows = cursor.fetchall()
    else:
        rows = [
            (public_id, _content_digest(canonical), stored)
            for public_id, canonical, stored in among(
                ProposalVersion.objects.all(), "public_id", _uuids(ids)
            ).values_list("public_id", "canonical", "sha256")
        ]
    for public_id, digest, stored in rows:
        problem = "" if digest == stored else "its stored receipt is not the digest of its sealed text"
        found[str(public_id)] = (digest, problem)
    return found


def _chained_ids() -> set[str]:
    # In Python: a UUID is text of another spelling on each database (hex on SQLite, dashed on PostgreSQL).
    return set(
        ChainEntry.objects.filter(record_type=SEALED_VERSION).values_list("record_id", flat=True).iterator()
    )


def _first_unchained() -> str | None:
    chained = _chained_ids()
    for public_id in ProposalVersion.objects.order_by("pk").values_list("public_id", flat=True).iterator():
        if str(public_id) not in chained:
            return str(public_id)
    return None


def _to_chain() -> Iterator[tuple[dt.datetime, str, str]]:
    chained = _chained_ids()
    rows = ProposalVersion.objects.order_by("sealed_at", "pk").values_list(
        "sealed_at", "public_id", "canonical"
    )
    for sealed_at, public_id, canonical in rows.iterator(chunk_size=2000):
        if str(public_id) not in chained:
            yield sealed_at, str(public_id), _content_digest(canonical)


def receipt_head(version: ProposalVersion) -> tuple[ChainEntry, SignedHead] | None:
    """The version's chain entry and the first signed head that covers it (signed with the receipt)."""
    entry = ChainEntry.objects.filter(record_type=SEALED_VERSION, record_id=str(version.public_id)).first()
    if entry is None:
        return None
    head = SignedHead.objects.filter(length__gte=entry.position).order_by("length", "id").first()
    return None if head is None else (entry, head)


def receipt_chain(version: ProposalVersion) -> dict[str, Any] | None:
    """What a receipt prints of the chain: the version's entry (whose `content_sha256` is the receipt),
    the signed head that covers it and the public key that checks the signature (docs/receipts.md)."""
    from guichet.audit.signing import current_key, public_pem

    found = receipt_head(version)
    if found is None:
        return None
    entry, head = found
    key = current_key()
    return {
        "entry": {
            **entry_statement(
                position=entry.position,
                previous_sha256=entry.previous_sha256,
                record_type=entry.record_type,
                record_id=entry.record_id,
                content_sha256=entry.content_sha256,
            ),
            "sha256": entry.sha256,
        },
        "head": head_document(head),
        "public_key": public_pem(key.public) if key.key_id == head.key_id else None,
    }


def receipt_chain_text(version: ProposalVersion) -> str:
    """The receipt e-mail's paragraph on the signed head that covers the version (empty if none is signed)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from guichet.notifications.letters import site_url

    found = receipt_head(version)
    if found is None:
        return ""
    entry, head = found
    return _(
        "Your version is entry %(position)s of Guichet's append-only record. Its head was signed when it "
        "was sealed: length %(length)s, SHA-256 %(head)s, Ed25519 key %(key)s, signature %(signature)s. "
        "Keep this message: with it, anyone can later show that nothing up to your proposal was rewritten. "
        "How, and the public key: %(page)s"
    ) % {
        "position": entry.position,
        "length": head.length,
        "head": head.sha256,
        "key": head.key_id,
        "signature": head.signature,
        "page": site_url(reverse("audit:transparency")),
    }


def connect() -> None:
    register_source(
        ChainSource(
            record_type=SEALED_VERSION,
            contents=_contents,
            count=lambda: ProposalVersion.objects.count(),
            first_unchained=_first_unchained,
            unchained=_to_chain,
            label="sealed proposal version",
        )
    )
    post_save.connect(_on_sealed, sender=ProposalVersion, dispatch_uid="guichet.offers.chain")
