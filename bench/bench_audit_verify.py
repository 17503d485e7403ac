"""`guichet audit verify` over one million audit events and 100,000 sealed versions, on PostgreSQL.

Bounded and local: it creates (drops first) the PostgreSQL database `guichet_bench_audit` on the server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432), migrates it, bulk-inserts the events and the
sealed versions (1,000 calls, one proposal each, 100 versions of a realistic sealed text), chains them as
an existing database gets its chain (`chain_backfill`, in time order), signs the head, then times the whole
verification: every entry's digest, every record's content digest, every signed head. Target: under 30 s.

    .venv/bin/python bench/bench_audit_verify.py [--events 1000000] [--versions 100000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid

DATABASE = "guichet_bench_audit"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="verify the database a --keep run left")
    parser.add_argument("--workers", type=int, default=1, help="processes checking stretches at once")
    return parser.parse_args()


def fresh_database() -> str:
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return f"{base}/{DATABASE}"


def sealed_text(number: int, call: str, authority: int) -> str:
    """A sealed content of the real shape and size (two premises, two incentives, one attachment)."""
    from guichet.offers.sealing import seal

    premises = [
        {
            "premises_id": 10 + index,
            "name": f"Plateau {index} du parc {number % 97}",
            "address": f"{number % 300} rue de l'Industrie",
            "commune": {"insee": "25056", "name": "Besançon", "departement": "25"},
            "latitude": "47.238000",
            "longitude": "6.024000",
            "located_by_commune": False,
            "building_area_m2": 3000,
            "area_offered_m2": 2500 - index,
            "rent_eur_m2_year": f"{90 + number % 20}.{number % 100:02d}",
            "charges_eur_m2_year": "12.00",
            "rent_free_months": number % 6,
            "fit_out_contribution_eur": str(number % 50_000),
            "fit_out_state": "fitted",
            "available_from": "2027-09-01",
            "fibre": True,
            "power_backup": bool(number % 2),
            "parking_spaces": 120,
            "public_transport": True,
            "access_24_7": False,
            "catalogue": {
                "available_area_m2": 3000,
                "rent_eur_m2_year": "95.00",
                "charges_eur_m2_year": "12.00",
            },
            "photos": [str(uuid.UUID(int=number * 10 + index))],
            "is_demo": False,
        }
        for index in range(2)
    ]
    content = {
        "format": "guichet.sealed-proposal/1",
        "call": {"id": call, "title": "Appel à offres — centre de relation client"},
        "authority": {"id": authority, "name": "Grand Besançon Métropole", "siren": "242500361"},
        "version": number % 100 + 1,
        "sealed_at": "2027-03-01T09:12:45.123456Z",
        "premises": premises,
        "incentives": [
            {
                "incentive_id": index,
                "name": f"Aide à l'emploi {index}",
                "kind": "grant_per_job",
                "unit": "eur_per_job",
                "amount": "2000.00",
                "cap_eur": "500000",
                "conditions": "Emplois en CDI maintenus trois ans.",
                "rule": "",
                "valid_until": None,
            }
            for index in range(2)
        ],
        "training_places": 20,
        "job_centre_partnership": True,
        "recruitment_support": "Job dating avec France Travail, plateforme de recrutement.",
        "free_text": "Proposition " * 20,
        "attachments": [
            {
                "id": str(uuid.UUID(int=number)),
                "name": "plaquette.pdf",
                "sha256": f"{number:064x}",
                "size_bytes": 120_000,
                "content_type": "application/pdf",
            }
        ],
    }
    return seal(content)


def fill(events: int, versions: int) -> tuple[float, float]:
    import hashlib

    from django.db import transaction
    from django.utils import timezone

    from guichet.audit.chain import chain_backfill, chain_sign
    from guichet.audit.models import AuditEvent
    from guichet.catalogue.models import Authority, AuthorityKind
    from guichet.offers.models import CallForOffers, Proposal, ProposalStatus, ProposalVersion
    from guichet.projects.models import Project

    started = time.perf_counter()
    randomly = random.Random(24)
    authority = Authority.objects.create(name="Grand Besançon Métropole", kind=AuthorityKind.EPCI)
    project = Project.objects.create(code_name="Banc d'essai")
    calls = CallForOffers.objects.bulk_create(
        CallForOffers(project=project, title=f"Appel {n}", brief="b", deadline=timezone.now())
        for n in range(1000)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(call=call, authority=authority, status=ProposalStatus.SUBMITTED) for call in calls
    )
    per_proposal = max(versions // len(proposals), 1)
    now = timezone.now()
    batch: list[ProposalVersion] = []
    for number in range(versions):
        proposal = proposals[number // per_proposal % len(proposals)]
        text = sealed_text(number, str(proposal.call.public_id), authority.pk)
        batch.append(
            ProposalVersion(
                proposal=proposal,
                number=number % per_proposal + 1,
                sealed_at=now + dt.timedelta(microseconds=number * 37),
                canonical=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
        if len(batch) == 5000:
            ProposalVersion.objects.bulk_create(batch)
            batch = []
    ProposalVersion.objects.bulk_create(batch)
    actions = ["submit", "resubmit", "sign_in", "attachment_read", "update", "decide"]
    batch_events: list[AuditEvent] = []
    for number in range(events):
        details: dict[str, object] = {"version": number % 7, "receipt_sha256": f"{number:064x}"}
        if number % 10 == 0:  # weights as floats: the canonical form's slow path
            details = {"weights": {"cost": 0.3, "labour": 0.25, "fit": randomly.random()}}
        batch_events.append(
            AuditEvent(
                actor_label="agnes",
                action=actions[number % len(actions)],
                object_type="offers.proposal",
                object_id=str(number % 1000 + 1),
                summary=f"Grand Besançon Métropole — événement {number}",
                details=details,
            )
        )
        if len(batch_events) == 10_000:
            AuditEvent.objects.bulk_create(batch_events)
            batch_events = []
    AuditEvent.objects.bulk_create(batch_events)
    inserted = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        chained = chain_backfill()
        chain_sign()
    assert chained == events + versions, chained
    return inserted, time.perf_counter() - started


def main() -> int:
    args = parse()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{DATABASE}" if args.reuse else fresh_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from guichet.audit.verify import chain_verify

    if not args.reuse:
        call_command("migrate", verbosity=0)
        inserted, chained = fill(args.events, args.versions)
        print(
            f"inserted {args.events:,} audit events and {args.versions:,} sealed versions in {inserted:.1f} s"
        )
        print(f"chained them (entry and content digests, bulk insert of the entries) in {chained:.1f} s")
    started = time.perf_counter()
    cpu = time.process_time()
    report = chain_verify(workers=args.workers)
    cpu = time.process_time() - cpu
    elapsed = time.perf_counter() - started
    total = report.entries
    print(
        json.dumps(
            {
                "entries": total,
                "records": report.records,
                "signed_heads": report.heads,
                "valid": report.ok,
                "verify_seconds": round(elapsed, 1),
                "verify_cpu_seconds_main_process": round(cpu, 1),
                "workers": args.workers,
                "entries_per_second": round(total / elapsed),
                "target_seconds": 30,
            }
        )
    )
    if not args.keep and not args.reuse:
        from django.db import connections

        connections.close_all()
        fresh_database()  # leave an empty database rather than gigabytes
    return 0 if report.ok and elapsed < 30 else 1


if __name__ == "__main__":
    sys.exit(main())
