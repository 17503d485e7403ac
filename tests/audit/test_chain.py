"""The append-only chain: what `guichet audit verify` catches, and what it publishes.

Mallory has the database in hand (and the power to switch its triggers off) but not the signing key.
Alice answers a call for Grand Besançon; her receipt carries a signed head.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.audit import canonical
from guichet.audit.chain import (
    chain_backfill,
    chain_sign,
    entry_digest,
    entry_statement,
    event_content_digest,
    head_statement,
)
from guichet.audit.models import AuditEvent, ChainEntry, ChainHead, HeadReason, SignedHead
from guichet.audit.selectors import head_log_lines
from guichet.audit.services import audit_record
from guichet.audit.signing import current_key, key_id_of, public_pem, signature_holds
from guichet.audit.verify import chain_verify, parse_head_list
from guichet.catalogue.models import Premises
from guichet.cli import main
from guichet.offers import services
from guichet.offers.chain import SEALED_VERSION
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers, Proposal, ProposalVersion

pytestmark = pytest.mark.django_db
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


@contextmanager
def triggers_off() -> Iterator[None]:
    """What a database owner can always do: PostgreSQL's replica role, SQLite's DROP TRIGGER (both undone
    when the test's transaction rolls back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def events(count: int) -> list[AuditEvent]:
    return [
        audit_record(actor=None, action="test", object_type="x.y", object_id=str(n), summary=f"event {n}")
        for n in range(count)
    ]


@pytest.fixture
def sealed(alice: User, agnes: User, call: CallForOffers, temis: Premises) -> Proposal:
    services.call_open(actor=agnes, call=call)
    return services.proposal_submit(
        actor=alice, call=call, offers=[OfferTerms(temis.pk, 2500, Decimal("95"))], free_text="Temis"
    )


def problem(**options: Any) -> str:
    report = chain_verify(**options)
    assert report.problem is not None, "the check should have failed"
    return str(report.problem)


# --- the chain as written --------------------------------------------------------------------------------


def test_every_event_and_sealed_version_is_an_entry_and_the_whole_chain_verifies(sealed: Proposal) -> None:
    version = sealed.sealed
    assert version is not None
    entries = list(ChainEntry.objects.order_by("position"))
    assert [e.position for e in entries] == list(range(1, len(entries) + 1))
    assert AuditEvent.objects.count() + ProposalVersion.objects.count() == len(entries)
    entry = ChainEntry.objects.get(record_type=SEALED_VERSION, record_id=str(version.public_id))
    assert entry.content_sha256 == version.sha256 == hashlib.sha256(version.canonical.encode()).hexdigest()
    for before, after in itertools.pairwise(entries):
        assert after.previous_sha256 == before.sha256
    head = ChainHead.objects.get()
    assert (head.length, head.sha256) == (entries[-1].position, entries[-1].sha256)
    report = chain_verify()
    assert report.ok, report.problem
    assert report.entries == len(entries) and report.heads == 1
    assert report.records == {"audit.auditevent": AuditEvent.objects.count(), SEALED_VERSION: 1}


def test_an_entry_digest_is_the_sha256_of_its_canonical_json() -> None:
    fields = {
        "position": 7,
        "previous_sha256": "ab" * 32,
        "record_type": SEALED_VERSION,
        "record_id": "0b5f2a1e-0000-4000-8000-000000000001",
        "content_sha256": "cd" * 32,
    }
    text = canonical.dumps(entry_statement(**fields))
    assert text.startswith('{"content_sha256":"cdcd') and '"position":7,' in text
    assert entry_digest(**fields) == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (0.1, "0.1"),
        (-2.5, "-2.5"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-6, "0.000001"),
        (1.5e-7, "1.5e-7"),
        (5e-324, "5e-324"),
        (0.0, "0"),
    ],
)
def test_floats_are_written_as_rfc_8785_says(value: float, text: str) -> None:
    assert canonical.es6_number(value) == text
    assert canonical.dumps({"b": [value], "a": "é"}) == f'{{"a":"é","b":[{text}]}}'


def test_an_event_is_chained_at_the_millisecond_a_backup_keeps() -> None:
    moment = dt.datetime(2027, 3, 1, 9, 12, 45, 123456, tzinfo=dt.UTC)
    values = dict(
        id=1, actor_id=None, actor_label="system", action="a", object_type="t", object_id="1", summary=""
    )
    kept = event_content_digest(at=moment, details={"w": 0.5, "n": (1, 2)}, **values)
    assert kept == event_content_digest(
        at=moment.replace(microsecond=123000), details={"n": [1, 2], "w": 0.5}, **values
    )


# --- what verify catches ---------------------------------------------------------------------------------


def test_verify_catches_a_sealed_version_rewritten_with_its_digest_recomputed(sealed: Proposal) -> None:
    version = sealed.sealed
    assert version is not None
    rewritten = version.canonical.replace('"rent_eur_m2_year":"95.00"', '"rent_eur_m2_year":"55.00"')
    assert rewritten != version.canonical
    digest = hashlib.sha256(rewritten.encode()).hexdigest()
    ProposalVersion.objects.filter(pk=version.pk).update(canonical=rewritten, sha256=digest)
    Proposal.objects.filter(pk=sealed.pk).update(receipt_sha256=digest)
    position = ChainEntry.objects.get(record_id=str(version.public_id)).position
    assert problem() == (
        f"entry {position} (sealed proposal version {version.public_id}): the record was changed: "
        f"its content digests to {digest}, the chain holds {version.sha256}"
    )
    # What `guichet receipt verify --stored` cannot see: the stored digest matches the rewritten text.
    assert main(["receipt", "verify", "--stored"]) == 0


def test_verify_catches_an_audit_event_deleted_with_the_triggers_off() -> None:
    _first, second, _third = events(3)
    with triggers_off():
        sql("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    position = ChainEntry.objects.get(record_type="audit.auditevent", record_id=str(second.pk)).position
    assert problem() == f"entry {position} (audit event {second.pk}): its record is missing (deleted)"


def test_verify_catches_an_event_and_its_entry_deleted_together() -> None:
    _first, second, _third = events(3)
    entry = ChainEntry.objects.get(record_type="audit.auditevent", record_id=str(second.pk))
    with triggers_off():
        sql("DELETE FROM audit_chainentry WHERE position = %s", [entry.position])
        sql("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    assert problem() == f"entry {entry.position}: missing (the chain jumps to {entry.position + 1})"


def test_verify_catches_the_tail_removed_behind_a_signed_head() -> None:
    events(3)
    head = chain_sign()
    assert head is not None
    last = ChainEntry.objects.get(position=head.length)
    with triggers_off():
        sql("DELETE FROM audit_chainentry WHERE position = %s", [last.position])
        sql("DELETE FROM audit_auditevent WHERE id = %s", [int(last.record_id)])
        previous = ChainEntry.objects.get(position=head.length - 1)
        sql("UPDATE audit_chainhead SET length = %s, sha256 = %s", [previous.position, previous.sha256])
    assert problem() == (
        f"signed head #{head.pk} (length {head.length}, manual): the chain ends at entry {head.length - 1}: "
        "entries after it were removed"
    )


def test_verify_catches_the_whole_chain_recomputed_without_the_key(sealed: Proposal) -> None:
    """Mallory rewrites an event, recomputes every entry after it and the head row, and re-signs the head
    log with a key of her own: the chain holds together, the signatures do not."""
    target = AuditEvent.objects.order_by("pk").first()
    assert target is not None
    mallory = Ed25519PrivateKey.generate()
    with triggers_off():
        sql("UPDATE audit_auditevent SET summary = 'rewritten' WHERE id = %s", [target.pk])
        target.refresh_from_db()
        start = ChainEntry.objects.get(record_type="audit.auditevent", record_id=str(target.pk)).position
        previous = ChainEntry.objects.get(position=start - 1).sha256 if start > 1 else "0" * 64
        for entry in ChainEntry.objects.filter(position__gte=start).order_by("position"):
            content = entry.content_sha256
            if entry.position == start:
                content = event_content_digest(
                    **{
                        name: getattr(target, name)
                        for name in ("id", "at", "actor_id", "actor_label", "action")
                    },
                    object_type=target.object_type,
                    object_id=target.object_id,
                    summary=target.summary,
                    details=target.details,
                )
            digest = entry_digest(
                position=entry.position,
                previous_sha256=previous,
                record_type=entry.record_type,
                record_id=entry.record_id,
                content_sha256=content,
            )
            sql(
                "UPDATE audit_chainentry SET content_sha256 = %s, previous_sha256 = %s, sha256 = %s "
                "WHERE position = %s",
                [content, previous, digest, entry.position],
            )
            previous = digest
        sql("UPDATE audit_chainhead SET sha256 = %s", [previous])
        for head in SignedHead.objects.all():
            forged = ChainEntry.objects.get(position=head.length).sha256
            statement = head_statement(
                length=head.length, sha256=forged, key_id=head.key_id, signed_at=head.signed_at
            )
            signature = base64.b64encode(mallory.sign(statement.encode())).decode()
            sql(
                "UPDATE audit_signedhead SET sha256 = %s, statement = %s, signature = %s WHERE id = %s",
                [forged, statement, signature, head.pk],
            )
    head = SignedHead.objects.get()
    assert problem() == (
        f"signed head #{head.pk} (length {head.length}, receipt): its signature does not verify with key "
        f"{current_key().key_id}"
    )


def test_verify_catches_a_head_list_from_an_authority_that_disagrees(
    sealed: Proposal, tmp_path: Path
) -> None:
    kept = [json.loads(line) for line in head_log_lines()]
    assert chain_verify(external_heads=kept).ok
    noted_by_hand = {"length": kept[0]["length"], "sha256": "f" * 64}
    assert problem(external_heads=[noted_by_hand]) == (
        f"head 1 of the list (length {kept[0]['length']}): the chain's digest at entry "
        f"{kept[0]['length']} is {kept[0]['sha256']}, the head says {'f' * 64}"
    )
    file = tmp_path / "heads.jsonl"
    file.write_text("\n".join(json.dumps(head) for head in [*kept, noted_by_hand]) + "\n")
    assert len(parse_head_list(file.read_bytes())) == 2
    assert main(["audit", "verify", "--heads", str(file)]) == 1
    file.write_text(json.dumps(kept))
    assert main(["audit", "verify", "--heads", str(file)]) == 0


def test_verify_names_a_record_written_around_the_chain() -> None:
    events(2)
    AuditEvent.objects.bulk_create([AuditEvent(pk=9999, action="backdated", object_type="x", object_id="1")])
    assert problem() == "audit event 9999: it has no chain entry (written or restored around the chain)"


def test_the_command_exits_1_naming_the_first_entry(capsys: pytest.CaptureFixture[str]) -> None:
    first, _second = events(2)
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("valid: 2 entries (2 audit.auditevent), 0 signed heads")
    with triggers_off():
        sql("UPDATE audit_auditevent SET summary = 'x' WHERE id = %s", [first.pk])
    assert main(["audit", "verify"]) == 1
    assert capsys.readouterr().out.startswith(
        f"INVALID: entry 1 (audit event {first.pk}): the record was changed"
    )


def test_records_that_existed_before_the_chain_are_chained_once_in_time_order(sealed: Proposal) -> None:
    """An existing database: its events and sealed versions had no entries (the chain came later)."""
    with triggers_off():
        sql("DELETE FROM audit_signedhead")
        sql("DELETE FROM audit_chainentry")
        sql("DELETE FROM audit_chainhead")
    expected = len(AuditEvent.objects.all()) + 1
    assert chain_backfill() == expected
    assert chain_backfill() == 0  # once only
    report = chain_verify()
    assert report.ok, report.problem
    times = [
        AuditEvent.objects.get(pk=int(e.record_id)).at
        if e.record_type == "audit.auditevent"
        else ProposalVersion.objects.get(public_id=e.record_id).sealed_at
        for e in ChainEntry.objects.order_by("position")
    ]
    assert times == sorted(times)


# --- what the database refuses ---------------------------------------------------------------------------


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's INSERT OR REPLACE")
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_chainentry"])
def test_sqlite_refuses_insert_or_replace_over_an_existing_row(table: str) -> None:
    from django.db import IntegrityError, transaction

    event = events(1)[0]
    entry = ChainEntry.objects.get()
    statements = {
        "audit_auditevent": (
            "INSERT OR REPLACE INTO audit_auditevent (id, at, actor_label, action, object_type, object_id, "
            "summary, details) VALUES (%s, '2020-01-01 00:00:00', 'x', 'y', 'z', '1', 'rewritten', '{}')",
            [event.pk],
        ),
        "audit_chainentry": (
            "INSERT OR REPLACE INTO audit_chainentry VALUES (%s, %s, %s, 'c', 'p', 's')",
            [entry.position + 1, entry.record_type, entry.record_id],
        ),
    }
    statement, params = statements[table]
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql(statement, params)
    assert AuditEvent.objects.get(pk=event.pk).summary == "event 0"
    assert ChainEntry.objects.get().sha256 == entry.sha256
    assert chain_verify().ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_chainentry SET sha256 = 'x'",
        "DELETE FROM audit_chainentry",
        "UPDATE audit_signedhead SET sha256 = 'x'",
        "DELETE FROM audit_signedhead",
        "DELETE FROM audit_chainhead",
        "UPDATE audit_chainhead SET length = 0",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_chain_and_the_head_log_refuse_rewrites(statement: str) -> None:
    from django.db import IntegrityError, transaction

    events(2)
    chain_sign()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql(statement)
    assert chain_verify().ok


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL run only")
@pytest.mark.parametrize(
    "table", ["audit_auditevent", "audit_chainentry", "audit_signedhead", "audit_chainhead"]
)
def test_postgresql_refuses_truncate(table: str) -> None:
    from django.db import IntegrityError, transaction

    events(1)
    chain_sign()
    with pytest.raises(IntegrityError, match="TRUNCATE"), transaction.atomic():
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending: the trigger is what refuses
        sql(f"TRUNCATE {table} CASCADE")
    assert chain_verify().ok


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL run only")
def test_postgresql_refuses_an_upsert_over_an_entry() -> None:
    from django.db import IntegrityError, transaction

    events(1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        sql(
            "INSERT INTO audit_chainentry VALUES (1, 'a', 'b', 'c', 'd', 'e') "
            "ON CONFLICT (position) DO UPDATE SET sha256 = 'x'"
        )


def test_flush_is_refused_outside_a_test_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from guichet.audit.management.commands import flush

    events(1)
    monkeypatch.setattr(flush, "is_test_database", lambda connection: False)
    with pytest.raises(CommandError, match="erase the audit trail"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 1


# --- what is published -----------------------------------------------------------------------------------


def test_the_receipt_carries_a_signed_head_anyone_checks_with_the_public_key(
    sealed: Proposal, alice: User, call: CallForOffers
) -> None:
    version = sealed.sealed
    assert version is not None
    client = Client()
    client.force_login(alice)
    url = reverse("offers:receipt_json", args=[call.public_id, version.public_id])
    document = json.loads(client.get(url).content)
    chain = document["chain"]
    entry, head = chain["entry"], chain["head"]
    # What a third party redoes with the receipt alone: the content's digest is the entry's ...
    assert entry["content_sha256"] == document["receipt"]["sha256"] == version.sha256
    # ... the entry's digest is that of its canonical JSON, and it is the signed head's ...
    fields = {key: value for key, value in entry.items() if key != "sha256"}
    assert hashlib.sha256(canonical.dumps(fields).encode()).hexdigest() == entry["sha256"] == head["sha256"]
    assert head["length"] == entry["position"] and head["reason"] == "receipt"
    # ... and the head's signature holds with the published key.
    from guichet.audit.signing import parse_public_key

    public = parse_public_key(chain["public_key"].encode(), where="receipt")
    assert key_id_of(public) == head["key_id"]
    assert signature_holds(
        head["statement"].encode(),
        key_id=head["key_id"],
        signature=head["signature"],
        keys={head["key_id"]: public},
    )
    statement = json.loads(head["statement"])
    assert (statement["length"], statement["sha256"]) == (head["length"], head["sha256"])
    # The e-mail says it too, and the call's page shows the latest signed head.
    from guichet.notifications.models import Notification, NotificationKind

    receipt_mail = Notification.objects.filter(kind=NotificationKind.RECEIPT).latest("pk")
    assert head["sha256"] in receipt_mail.body and head["signature"] in receipt_mail.body
    page = client.get(reverse("offers:call_detail", args=[call.public_id])).content.decode()
    assert head["sha256"] in page
    pdf = client.get(reverse("offers:receipt_pdf", args=[call.public_id, version.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_investor_signature_appends_a_head_to_the_log(
    agnes: User, sealed: Proposal, call: CallForOffers
) -> None:
    from guichet.offers import evaluation

    from ..scene import close_call

    close_call(call)
    services.call_decide(actor=agnes, call=call, weights=evaluation.call_weights(call=call))
    call.refresh_from_db()
    premises_id = json.loads(sealed.sealed.canonical)["premises"][0]["premises_id"]  # type: ignore[union-attr]
    services.call_choose_offer(actor=agnes, call=call, proposal=sealed, premises_id=premises_id)
    services.call_confirm_signature(actor=agnes, call=call)
    head = SignedHead.objects.order_by("-id").first()
    assert head is not None and head.reason == HeadReason.SIGNATURE
    entry = ChainEntry.objects.get(position=head.length)
    assert entry.sha256 == head.sha256
    assert AuditEvent.objects.get(pk=int(entry.record_id)).action == "signature"
    assert chain_verify().ok


def test_the_transparency_page_publishes_the_key_and_the_head_log_is_for_signed_in_readers(
    sealed: Proposal, alice: User, client: Client
) -> None:
    page = client.get(reverse("audit:transparency")).content.decode()
    assert public_pem(current_key().public).strip().splitlines()[1] in page
    assert current_key().key_id in page
    log = reverse("audit:head_log")
    assert client.get(log).status_code == 302
    client.force_login(alice)
    response = client.get(log)
    lines = response.content.decode().splitlines()
    assert response.status_code == 200 and len(lines) == SignedHead.objects.count() == 1
    assert json.loads(lines[0])["sha256"] == SignedHead.objects.get().sha256


def test_the_key_comes_from_the_environment_and_the_development_key_is_private(
    settings: Any, tmp_path: Path
) -> None:
    settings.GUICHET_VAR_DIR = tmp_path
    development = current_key()
    assert development.development and development.source == str(tmp_path / "dev-signing-key.pem")
    assert (tmp_path / "dev-signing-key.pem").stat().st_mode & 0o777 == 0o600
    seed = bytes(range(32))
    settings.GUICHET_SIGNING_KEY = base64.b64encode(seed).decode()
    configured = current_key()
    assert not configured.development and configured.source == "environment"
    assert configured.key_id == key_id_of(Ed25519PrivateKey.from_private_bytes(seed).public_key())
    events(1)
    assert chain_sign() is not None
    assert SignedHead.objects.get().key_id == configured.key_id


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL run only: row locks between connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_leave_one_gapless_chain() -> None:
    import threading

    from django.db import connections

    def write(worker: int) -> None:
        try:
            for n in range(15):
                audit_record(actor=None, action="race", object_type="w", object_id=f"{worker}-{n}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ChainEntry.objects.count() == AuditEvent.objects.count() == 90
    report = chain_verify()
    assert report.ok, report.problem


@pytest.mark.parametrize(
    "details",
    [
        {},
        {"version": 3, "receipt_sha256": "ab" * 32},
        {"weights": {"cost": 0.3, "fit": 1.0}},
        {"é\n": ['"\\', None]},
    ],
)
def test_the_fast_event_digest_is_the_canonical_one(details: dict[str, Any]) -> None:
    from guichet.audit.chain import EVENT_FIELDS, _event_digest

    row = (
        12,
        dt.datetime(2027, 3, 1, 9, 12, 45, 123456, tzinfo=dt.UTC),
        None,
        "agnès \u2028",
        "submit",
        "offers.proposal",
        "7",
        'Grand Besançon "GBM"\t',
        details,
    )
    assert _event_digest(row) == event_content_digest(**dict(zip(EVENT_FIELDS, row, strict=True)))
    assert _event_digest((*row[:2], 5, *row[3:])) == event_content_digest(
        **dict(zip(EVENT_FIELDS, (*row[:2], 5, *row[3:]), strict=True))
    )


def test_events_read_back_for_verify_digest_as_written() -> None:
    """However the database gives an event back (PostgreSQL: through a plain cursor, its time spelt by
    the database), its digest is the one chained when it was written."""
    from guichet.audit.chain import SOURCES

    written = [
        audit_record(actor=None, action="t", object_type="x", object_id="1", details=details)
        for details in ({}, {"w": 0.25, "n": [1, 2.5]}, {"é": '\u2028"\\'})
    ]
    for moment in (
        dt.datetime(2027, 3, 1, 9, 12, 45, 999999, tzinfo=dt.UTC),
        dt.datetime(1999, 1, 1, tzinfo=dt.UTC),
    ):
        with triggers_off():
            sql("UPDATE audit_auditevent SET at = %s WHERE id = %s", [moment, written[0].pk])
        entry = ChainEntry.objects.get(record_id=str(written[0].pk))
        with triggers_off():
            fresh = AuditEvent.objects.get(pk=written[0].pk)
            content = event_content_digest(
                **{name: getattr(fresh, name) for name in ("id", "at", "actor_id", "actor_label", "action")},
                object_type=fresh.object_type,
                object_id=fresh.object_id,
                summary=fresh.summary,
                details=fresh.details,
            )
            sql(
                "UPDATE audit_chainentry SET content_sha256 = %s WHERE position = %s",
                [content, entry.position],
            )
        found = SOURCES["audit.auditevent"].contents([str(e.pk) for e in written])
        assert found[str(written[0].pk)] == (content, "")
    for event in written[1:]:
        chained = ChainEntry.objects.get(record_id=str(event.pk)).content_sha256
        assert SOURCES["audit.auditevent"].contents([str(event.pk)]) == {str(event.pk): (chained, "")}
