"""`guichet audit verify`: recompute the whole chain, every record's digest and every signed head.

The chain is read in position order, a chunk at a time (keyset pagination: constant memory, one query per
chunk and per kind of record), so a million entries take seconds, not memory. The first entry that does
not hold ends the check and is named: a record changed (its content no longer has the digest chained), an
entry missing or rewritten, a record with no entry, a signed head whose signature fails or whose digest is
not the chain's at its length, a head from a list kept elsewhere (`--heads FILE`) that disagrees.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from guichet.audit.chain import HEAD_FORMAT, SOURCES, entry_digest
from guichet.audit.models import GENESIS_SHA256, ChainEntry, ChainHead, SignedHead
from guichet.audit.signing import signature_holds, trusted_keys

PARALLEL_FROM = 100_000  # entries: below, one process is as fast
ENTRY_FIELDS = ("position", "record_type", "record_id", "content_sha256", "previous_sha256", "sha256")


@dataclass(frozen=True)
class Problem:
    position: int | None
    what: str
    reason: str

    def __str__(self) -> str:
        return f"{self.what}: {self.reason}"


@dataclass
class Report:
    entries: int = 0
    records: dict[str, int] = field(default_factory=dict)
    heads: int = 0
    external_heads: int = 0
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


class _Failed(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class _Head:
    label: str
    sha256: str
    problem: str  # why its signature or its form fails, or ""


class HeadListError(ValueError):
    """A head list that cannot be read, said in one line."""


def parse_head_list(data: bytes) -> list[dict[str, Any]]:
    """A head list kept elsewhere: the head log as exported (one JSON object a line) or a JSON array;
    each head has at least `length` and `sha256` (a statement and a signature are checked when there)."""
    text = data.decode("utf-8-sig", errors="strict").strip()
    try:
        items = (
            json.loads(text)
            if text.startswith("[")
            else [json.loads(line) for line in text.splitlines() if line.strip()]
        )
    except ValueError as error:
        raise HeadListError(f"not JSON lines nor a JSON array ({error})") from None
    for number, item in enumerate(items, start=1):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("length"), int)
            or not isinstance(item.get("sha256"), str)
        ):
            raise HeadListError(f"head {number}: an object with an integer length and a sha256 is expected")
    return items


def head_problem(document: dict[str, Any], keys: dict[str, Ed25519PublicKey]) -> str:
    """Why a signed head does not hold on its own (its statement, its signature), or ""."""
    statement = document.get("statement")
    if statement is None and document.get("signature") is None:
        return ""  # a head noted by hand (length and digest): compared with the chain only
    if not isinstance(statement, str) or not isinstance(document.get("signature"), str):
        return "its statement or its signature is missing"
    try:
        signed = json.loads(statement)
    except ValueError:
        return "its statement is not JSON"
    if not isinstance(signed, dict) or signed.get("format") != HEAD_FORMAT:
        return "its statement is not a Guichet chain head"
    for key in ("length", "sha256", "key_id"):
        if key in document and document[key] != signed.get(key):
            return f"its {key} is not the one its statement signs"
    if signed.get("key_id") not in keys:
        return f"it is signed by key {signed.get('key_id')}, which is not a trusted key"
    if not signature_holds(
        statement.encode("utf-8"), key_id=str(signed["key_id"]), signature=document["signature"], keys=keys
    ):
        return f"its signature does not verify with key {signed['key_id']}"
    return ""


def _expected_heads(
    external: Iterable[dict[str, Any]], keys: dict[str, Ed25519PublicKey], report: Report
) -> dict[int, list[_Head]]:
    heads: dict[int, list[_Head]] = defaultdict(list)
    for head in SignedHead.objects.order_by("length", "id").iterator():
        document = {
            "length": head.length,
            "sha256": head.sha256,
            "key_id": head.key_id,
            "statement": head.statement,
            "signature": head.signature,
        }
        label = f"signed head #{head.pk} (length {head.length}, {head.reason})"
        heads[head.length].append(_Head(label, head.sha256, head_problem(document, keys)))
        report.heads += 1
    for number, document in enumerate(external, start=1):
        label = f"head {number} of the list (length {document['length']})"
        heads[int(str(document["length"]))].append(
            _Head(label, str(document["sha256"]), head_problem(document, keys))
        )
        report.external_heads += 1
    return heads


def _check_entry(
    row: tuple[Any, ...], *, expected: int, previous: str, contents: dict[str, dict[str, tuple[str, str]]]
) -> None:
    position, record_type, record_id, content_sha256, previous_sha256, sha256 = row
    if position != expected:
        raise _Failed(Problem(expected, f"entry {expected}", f"missing (the chain jumps to {position})"))
    found = contents[record_type].get(record_id)
    if (
        previous_sha256 == previous
        and found is not None
        and found == (content_sha256, "")
        and sha256
        == entry_digest(
            position=position,
            previous_sha256=previous_sha256,
            record_type=record_type,
            record_id=record_id,
            content_sha256=content_sha256,
        )
    ):
        return  # the common case, a million times: nothing to name
    _name_the_problem(row, previous=previous, found=found)


def _name_the_problem(row: tuple[Any, ...], *, previous: str, found: tuple[str, str] | None) -> None:
    position, record_type, record_id, content_sha256, previous_sha256, sha256 = row
    source = SOURCES.get(record_type)
    what = f"entry {position} ({source.label if source else record_type} {record_id})"
    if previous_sha256 != previous:
        raise _Failed(
            Problem(position, what, "it does not follow the entry before it (previous digest differs)")
        )
    digest = entry_digest(
        position=position,
        previous_sha256=previous_sha256,
        record_type=record_type,
        record_id=record_id,
        content_sha256=content_sha256,
    )
    if digest != sha256:
        raise _Failed(
            Problem(position, what, "its digest is not the digest of its fields (the entry was rewritten)")
        )
    if source is None:
        raise _Failed(Problem(position, what, "no record of this type exists"))
    if found is None:
        raise _Failed(Problem(position, what, "its record is missing (deleted)"))
    recomputed, note = found
    if recomputed != content_sha256:
        raise _Failed(
            Problem(
                position,
                what,
                f"the record was changed: its content digests to {recomputed}, "
                f"the chain holds {content_sha256}",
            )
        )
    raise _Failed(Problem(position, what, note))


def _check_heads_at(position: int, sha256: str, heads: dict[int, list[_Head]]) -> None:
    for head in heads.pop(position, ()):
        if head.problem:
            raise _Failed(Problem(position, head.label, head.problem))
        if head.sha256 != sha256:
            raise _Failed(
                Problem(
                    position,
                    head.label,
                    f"the chain's digest at entry {position} is {sha256}, the head says {head.sha256}",
                )
            )


@dataclass
class _Segment:
    """What one stretch of positions (start, stop] gave: its last entry, its counts, its first problem."""

    last: int
    previous: str
    counts: dict[str, int]
    problem: Problem | None = None


def _stream(start: int, stop: int | None, heads: dict[int, list[_Head]], chunk: int) -> _Segment:
    """Check the entries after `start` up to `stop` (None: the end), in position order, a chunk at a
    time. The first entry's link is checked against the stored digest of the entry before it, which the
    stretch before checks itself: so stretches can be checked apart, in parallel."""
    previous = GENESIS_SHA256
    if start:
        previous = ChainEntry.objects.filter(position=start).values_list("sha256", flat=True).first() or ""
    last = start
    segment = _Segment(start, previous, defaultdict(int))
    try:
        while True:
            rows_query = ChainEntry.objects.filter(position__gt=last).order_by("position")
            if stop is not None:
                rows_query = rows_query.filter(position__lte=stop)
            rows = list(rows_query.values_list(*ENTRY_FIELDS)[:chunk])
            if not rows:
                break
            wanted: dict[str, list[str]] = defaultdict(list)
            for row in rows:
                wanted[row[1]].append(row[2])
            contents = {
                kind: SOURCES[kind].contents(ids) if kind in SOURCES else {} for kind, ids in wanted.items()
            }
            for row in rows:
                _check_entry(row, expected=last + 1, previous=previous, contents=contents)
                segment.counts[row[1]] += 1
                if row[0] in heads:
                    _check_heads_at(row[0], row[5], heads)
                previous, last = row[5], row[0]
    except _Failed as failed:
        segment.problem = failed.problem
    segment.last, segment.previous, segment.counts = last, previous, dict(segment.counts)
    return segment


def _stream_in_parallel(
    length: int, heads: dict[int, list[_Head]], chunk: int, workers: int
) -> list[_Segment]:
    """The chain cut in `workers` stretches, each checked by a process of its own (PostgreSQL: each opens
    its own connection)."""
    import multiprocessing

    from django.db import connections

    bounds = [length * part // workers for part in range(workers + 1)]
    connections.close_all()  # a forked process must not share its parent's connection
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.starmap(
            _stream,
            [(bounds[n], bounds[n + 1] if n + 1 < workers else None, heads, chunk) for n in range(workers)],
        )


def _check_end(last: int, previous: str, heads: dict[int, list[_Head]], counts: dict[str, int]) -> None:
    for length in sorted(heads):
        for beyond in heads[length]:
            raise _Failed(
                Problem(
                    length, beyond.label, f"the chain ends at entry {last}: entries after it were removed"
                )
            )
    head = ChainHead.objects.filter(pk=1).first()
    if head is None and last:
        raise _Failed(Problem(last, "the chain's head row", "missing"))
    if head is not None and (head.length, head.sha256) != (last, previous):
        raise _Failed(
            Problem(
                last,
                "the chain's head row",
                f"it says length {head.length}, the entries end at {last} with another digest",
            )
        )
    for record_type, source in SOURCES.items():
        if source.count() != counts.get(record_type, 0):
            missing = source.first_unchained()
            what = f"{source.label} {missing}" if missing else source.label
            raise _Failed(Problem(None, what, "it has no chain entry (written or restored around the chain)"))


def chain_verify(
    *,
    external_heads: Iterable[dict[str, Any]] = (),
    keys: dict[str, Ed25519PublicKey] | None = None,
    chunk: int = 5000,
    workers: int = 1,
) -> Report:
    """Check everything; the report names the first problem, if any. On PostgreSQL, `workers` processes
    can each check a stretch of a long chain: worth it where the machine has cores to spare (on the
    project's two shared cores one process was faster: docs/benchmarks.md)."""
    from django.db import connection

    report = Report()
    try:
        heads = _expected_heads(external_heads, keys if keys is not None else trusted_keys(), report)
        length = ChainEntry.objects.order_by("-position").values_list("position", flat=True).first() or 0
        if workers > 1 and length >= PARALLEL_FROM and connection.vendor == "postgresql":
            segments = _stream_in_parallel(length, heads, chunk, workers)
        else:
            segments = [_stream(0, None, heads, chunk)]
        counts: dict[str, int] = defaultdict(int)
        for segment in segments:
            for kind, count in segment.counts.items():
                counts[kind] += count
            report.entries = segment.last
            if segment.problem is not None:
                raise _Failed(segment.problem)
        report.records = dict(counts)
        last = segments[-1]
        _check_end(
            last.last, last.previous, {n: h for n, h in heads.items() if n > last.last}, report.records
        )
    except _Failed as failed:
        report.problem = failed.problem
    return report
