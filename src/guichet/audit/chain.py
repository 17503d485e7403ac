"""The append-only chain that proves the audit trail and the sealed proposals (docs/audit.md).

Every audit event and every sealed proposal version is an entry: the SHA-256 of the record's canonical
content, tied to the previous entry's digest, in the spirit of Certificate Transparency's log. An entry is
written in the same transaction as its record, under the lock of the one `ChainHead` row, so positions
have no gap and no two transactions interleave. From time to time (a receipt, an investor's signature, a
backup, on request) the head, its length and last digest, is signed with the platform's Ed25519 key and
kept in the head log; anyone holding a signed head can later tell whether the chain up to it was changed.

Apps above `audit` make their records provable by registering a `ChainSource` (the offers app does for
sealed versions, in its AppConfig.ready): the audit app never imports them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from guichet.audit import canonical
from guichet.audit.models import GENESIS_SHA256, AuditEvent, ChainEntry, ChainHead, HeadReason, SignedHead
from guichet.audit.signing import ALGORITHM, current_key, sign

ENTRY_FORMAT = "guichet.chain-entry/1"
HEAD_FORMAT = "guichet.chain-head/1"
EVENT_FORMAT = "guichet.audit-event/1"
AUDIT_EVENT = "audit.auditevent"


def entry_digest(
    *, position: int, previous_sha256: str, record_type: str, record_id: str, content_sha256: str
) -> str:
    """SHA-256 of the entry's canonical JSON (RFC 8785): keys sorted, no spaces. Written out by hand
    because it runs a million times in `guichet audit verify`; `entry_statement` is the same text."""
    text = (
        f'{{"content_sha256":"{content_sha256}","format":"{ENTRY_FORMAT}","position":{int(position)},'
        f'"previous_sha256":"{previous_sha256}","record_id":{_quoted(record_id)},'
        f'"record_type":{_quoted(record_type)}}}'
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:")


def _quoted(text: str) -> str:
    """A JSON string: ids and type names need no escape (the common case, a million times a check)."""
    if _PLAIN.issuperset(text):
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def entry_statement(
    *, position: int, previous_sha256: str, record_type: str, record_id: str, content_sha256: str
) -> dict[str, Any]:
    """The entry as a JSON object: what `entry_digest` digests, for a receipt and for docs."""
    return {
        "content_sha256": content_sha256,
        "format": ENTRY_FORMAT,
        "position": position,
        "previous_sha256": previous_sha256,
        "record_id": record_id,
        "record_type": record_type,
    }


def moment(at: dt.datetime) -> str:
    """An event's time as chained: UTC, to the millisecond (what a backup keeps of it)."""
    return at.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def event_content_digest(
    *,
    id: int,
    at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    details: Any,
) -> str:
    """SHA-256 of an audit event's canonical JSON (docs/audit.md lists its keys)."""
    content = {
        "action": action,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "at": moment(at),
        "details": details,
        "format": EVENT_FORMAT,
        "id": id,
        "object_id": object_id,
        "object_type": object_type,
        "summary": summary,
    }
    # Only the details can hold a float: the other fields are text, integers and null.
    text = canonical.dumps(content) if canonical.has_float(details) else canonical.plain_dumps(content)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _stored_details(details: Any) -> Any:
    """The details as the database gives them back (tuples as lists, keys as strings)."""
    return json.loads(json.dumps(details or {}))


# --- appending -------------------------------------------------------------------------------------------


def _locked_head() -> ChainHead:
    """The head row, locked until the transaction ends (created at the first append)."""
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def chain_append(*, record_type: str, record_id: str, content_sha256: str) -> ChainEntry:
    """Append one record's entry, inside the caller's transaction (or one of its own)."""
    with transaction.atomic():
        head = _locked_head()
        position = head.length + 1
        entry = ChainEntry(
            position=position,
            record_type=record_type,
            record_id=record_id,
            content_sha256=content_sha256,
            previous_sha256=head.sha256,
            sha256=entry_digest(
                position=position,
                previous_sha256=head.sha256,
                record_type=record_type,
                record_id=record_id,
                content_sha256=content_sha256,
            ),
        )
        entry.save(force_insert=True)
        ChainHead.objects.filter(pk=1).update(length=position, sha256=entry.sha256, backfilled=True)
    return entry


def chain_on_event_saved(
    sender: type[AuditEvent], instance: AuditEvent, created: bool, raw: bool, **_: Any
) -> None:
    """post_save of an audit event: its entry, in the event's own transaction (a restore's raw load is
    checked against the chain it brings instead)."""
    if created and not raw:
        chain_append_event(instance)


def chain_append_event(event: AuditEvent) -> ChainEntry:
    return chain_append(
        record_type=AUDIT_EVENT,
        record_id=str(event.pk),
        content_sha256=event_content_digest(
            id=event.pk,
            at=event.at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            summary=event.summary,
            details=_stored_details(event.details),
        ),
    )


def bulk_append(records: Iterable[tuple[str, str, str]], *, batch: int = 5000) -> int:
    """Append many (record type, record id, content digest) at once, in the given order, under the head's
    lock: chaining the records that existed before the chain, and the benchmark's million events."""
    appended = 0
    with transaction.atomic():
        head = _locked_head()
        position, previous = head.length, head.sha256
        pending: list[ChainEntry] = []
        for record_type, record_id, content_sha256 in records:
            position += 1
            digest = entry_digest(
                position=position,
                previous_sha256=previous,
                record_type=record_type,
                record_id=record_id,
                content_sha256=content_sha256,
            )
            pending.append(
                ChainEntry(
                    position=position,
                    record_type=record_type,
                    record_id=record_id,
                    content_sha256=content_sha256,
                    previous_sha256=previous,
                    sha256=digest,
                )
            )
            previous = digest
            if len(pending) >= batch:
                ChainEntry.objects.bulk_create(pending)
                appended += len(pending)
                pending = []
        ChainEntry.objects.bulk_create(pending)
        appended += len(pending)
        ChainHead.objects.filter(pk=1).update(length=position, sha256=previous, backfilled=True)
    return appended


# --- signed heads ----------------------------------------------------------------------------------------


def head_statement(*, length: int, sha256: str, key_id: str, signed_at: dt.datetime) -> str:
    return canonical.dumps(
        {
            "format": HEAD_FORMAT,
            "key_id": key_id,
            "length": length,
            "sha256": sha256,
            "signed_at": signed_at.astimezone(dt.UTC)
            .isoformat(timespec="microseconds")
            .replace("+00:00", "Z"),
        }
    )


def chain_sign(*, reason: str = HeadReason.MANUAL, unless_signed: bool = False) -> SignedHead | None:
    """Sign the head as it stands in this transaction and add it to the head log (None: empty chain, or,
    with `unless_signed`, a head already signed at this length)."""
    with transaction.atomic():
        head = _locked_head()
        if head.length == 0:
            return None
        if unless_signed and SignedHead.objects.filter(length=head.length).exists():
            return None
        signed_at = timezone.now()
        statement = head_statement(
            length=head.length, sha256=head.sha256, key_id=current_key().key_id, signed_at=signed_at
        )
        key_id, signature = sign(statement.encode("utf-8"))
        return SignedHead.objects.create(
            length=head.length,
            sha256=head.sha256,
            signed_at=signed_at,
            key_id=key_id,
            statement=statement,
            signature=signature,
            reason=reason,
        )


def head_document(head: SignedHead) -> dict[str, Any]:
    """A signed head as published: in the head log (one JSON object a line), on receipts and e-mails."""
    return {
        "length": head.length,
        "sha256": head.sha256,
        "signed_at": json.loads(head.statement).get("signed_at"),
        "key_id": head.key_id,
        "algorithm": ALGORITHM,
        "statement": head.statement,
        "signature": head.signature,
        "reason": head.reason,
    }


# --- sources of records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainSource:
    """How the chain reads one kind of record, for `guichet audit verify` and for the first chaining."""

    record_type: str
    # record ids -> {id: (content digest recomputed from the record, a problem with the record or "")}
    contents: Callable[[list[str]], dict[str, tuple[str, str]]]
    count: Callable[[], int]
    # a record with no entry, or None
    first_unchained: Callable[[], str | None]
    # the records with no entry yet, oldest first: (time, record id, content digest)
    unchained: Callable[[], Iterator[tuple[dt.datetime, str, str]]]
    label: str


SOURCES: dict[str, ChainSource] = {}


def register_source(source: ChainSource) -> None:
    SOURCES[source.record_type] = source


EVENT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "summary",
    "details",
)


_STRING = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
_DETAILS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False).encode


def _event_digest(row: tuple[Any, ...]) -> str:
    """`event_content_digest` of a row of EVENT_FIELDS, the canonical text written out directly: the same
    bytes (tests/audit/test_chain.py compares them), in two thirds of the time, for `audit verify`."""
    id_, at, actor_id, actor_label, action, object_type, object_id, summary, details = row
    if canonical.has_float(details):
        return _event_digest_plain(row)
    text = (
        f'{{"action":{_STRING(action)},"actor_id":{"null" if actor_id is None else int(actor_id)},'
        f'"actor_label":{_STRING(actor_label)},"at":"{at if type(at) is str else moment(at)}",'
        f'"details":{_DETAILS(details)},'
        f'"format":"{EVENT_FORMAT}","id":{int(id_)},"object_id":{_STRING(object_id)},'
        f'"object_type":{_STRING(object_type)},"summary":{_STRING(summary)}}}'
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _event_digest_plain(row: tuple[Any, ...]) -> str:
    values = dict(zip(EVENT_FIELDS, row, strict=True))
    if isinstance(values["at"], str):  # spelt by the database already
        values["at"] = dt.datetime.fromisoformat(values["at"].replace("Z", "+00:00"))
    return event_content_digest(**values)


def among(queryset: Any, column: str, values: list[Any]) -> Any:
    """The rows whose `column` is one of `values`: one array parameter on PostgreSQL (thousands of
    placeholders cost more to send than the rows), `IN (...)` elsewhere."""
    from django.db import connection

    if connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        return queryset.extra(where=[f'"{table}"."{column}" = ANY(%s)'], params=[values])
    return queryset.filter(**{f"{column}__in": values})


def _event_contents(ids: list[str]) -> dict[str, tuple[str, str]]:
    from django.db import connection

    wanted = [int(value) for value in ids if value.isdigit()]
    if connection.vendor == "postgresql" and wanted:
        return _event_contents_postgresql(wanted)
    rows = among(AuditEvent.objects.all(), "id", wanted).values_list(*EVENT_FIELDS)
    return {str(row[0]): (_event_digest(row), "") for row in rows}


def _event_contents_postgresql(wanted: list[int]) -> dict[str, tuple[str, str]]:
    """The same, read with a plain cursor (the ORM's per-row work doubles the time of a million rows), by
    id range when the ids are close together, as a chain's consecutive entries mostly are."""
    from django.db import connection

    low, high = min(wanted), max(wanted)
    # The time as chained, spelt by the database (UTC, milliseconds truncated as `moment` does).
    at = """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"""
    columns = f"id, {at}, actor_id, actor_label, action, object_type, object_id, summary, details::text"
    with connection.cursor() as cursor:
        if high - low < 4 * len(wanted):
            cursor.execute(f"SELECT {columns} FROM audit_auditevent WHERE id BETWEEN %s AND %s", [low, high])
        else:
            cursor.execute(f"SELECT {columns} FROM audit_auditevent WHERE id = ANY(%s)", [wanted])
        rows = cursor.fetchall()
    keep = set(wanted)
    found = {}
    for row in rows:
        if row[0] in keep:
            found[str(row[0])] = (_event_digest((*row[:8], json.loads(row[8]))), "")
    return found


def _chained(record_type: str) -> Any:
    return ChainEntry.objects.filter(record_type=record_type).values("record_id")


def _events_unchained() -> Any:
    # record_id is text: compare it with the event's id as text, on SQLite and PostgreSQL alike.
    from django.db.models.functions import Cast

    return (
        AuditEvent.objects.annotate(id_text=Cast("id", output_field=ChainEntry._meta.get_field("record_id")))
        .exclude(id_text__in=_chained(AUDIT_EVENT))
        .order_by("at", "id")
    )


def _events_first_unchained() -> str | None:
    first = _events_unchained().values_list("id", flat=True).first()
    return None if first is None else str(first)


def _events_to_chain() -> Iterator[tuple[dt.datetime, str, str]]:
    for row in _events_unchained().values_list(*EVENT_FIELDS).iterator(chunk_size=5000):
        yield row[1], str(row[0]), _event_digest(row)


register_source(
    ChainSource(
        record_type=AUDIT_EVENT,
        contents=_event_contents,
        count=lambda: AuditEvent.objects.count(),
        first_unchained=_events_first_unchained,
        unchained=_events_to_chain,
        label="audit event",
    )
)


def _tagged(record_type: str, source: ChainSource) -> Iterator[tuple[dt.datetime, str, str, str]]:
    for when, record_id, digest in source.unchained():
        yield when, record_type, record_id, digest


def chain_backfill(*, force: bool = False) -> int:
    """Chain the records that existed before the chain, in time order (all sources merged), once: when
    the chain has never been started. `force` (a restore of a backup older than the chain) chains what
    has no entry even then. Returns how many entries were appended."""
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.length or head.backfilled) and not force:
        return 0
    if not any(source.first_unchained() for source in SOURCES.values()):
        return 0
    streams = [_tagged(record_type, source) for record_type, source in SOURCES.items()]
    merged = heapq.merge(*streams, key=lambda item: (item[0], item[1], item[2]))
    return bulk_append((record_type, record_id, digest) for _when, record_type, record_id, digest in merged)


__all__ = [
    "AUDIT_EVENT",
    "GENESIS_SHA256",
    "SOURCES",
    "ChainSource",
    "bulk_append",
    "chain_append",
    "chain_backfill",
    "chain_sign",
    "entry_digest",
    "head_document",
    "head_statement",
    "register_source",
]
