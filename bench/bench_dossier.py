"""The investor's dossier of a call with five offers: the page and the PDF, first render and cached.

Builds the demo catalogue in a throwaway SQLite database, sends a call for the demo project to the owners
of eligible premises, has five authorities answer it (each with an incentive), passes the deadline, decides,
and shortlists the five offers. Then times, through Django's test client:

- the dossier page and its PDF rendered from scratch (the render cache emptied before each run; the PDF is
  rendered by the background task, run here in the same process);
- the same from the render cache: what the investor gets, since creating the link renders both ahead.

Targets: the PDF under 1.5 s and the page under 300 ms. `--out DIR` keeps the page, the PDF and the
spreadsheet for reading.

    .venv/bin/python bench/bench_dossier.py [--runs 5] [--out var/bench-dossier]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--offers", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    os.environ["GUICHET_VAR_DIR"] = str(workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "guichet.web.settings"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # The PDF is rendered by a background task: run it in this process, to time it.
    os.environ["GUICHET_TASKS_BACKEND"] = "immediate"
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone, translation

    from guichet.accounts.models import Role, User
    from guichet.accounts.services import user_set_role
    from guichet.catalogue.demo import demo_catalogue_load
    from guichet.catalogue.models import Incentive, Premises
    from guichet.offers import evaluation, services
    from guichet.offers.drafts import OfferTerms
    from guichet.offers.models import Addressee, CallForOffers
    from guichet.projects.demo import demo_project_load
    from guichet.territory.services import territory_load_dataset

    call_command("migrate", verbosity=0)
    territory_load_dataset()
    agency = User.objects.create_user("agence-bench", password="x", role=Role.AGENCY, email="a@bench.invalid")
    user_set_role(user=agency, role=Role.AGENCY)
    demo_catalogue_load(actor=agency)
    project = demo_project_load(actor=agency)
    with translation.override("fr"):
        call = services.call_create(
            actor=agency,
            project=project,
            title="Banc d'essai — dossier",
            brief="Centre de relation client.",
            deadline=timezone.now() + dt.timedelta(days=7),
        )
        # The owners of the largest premises answer, eligible or not: a dossier of `--offers` offers.
        owners: list[int] = []
        for owner_id in Premises.objects.order_by("-available_area_m2").values_list("owner_id", flat=True):
            if owner_id not in owners:
                owners.append(owner_id)
        owners = owners[: args.offers]
        Addressee.objects.filter(call=call).exclude(authority_id__in=owners).update(included=False)
        for owner_id in owners:
            Addressee.objects.update_or_create(call=call, authority_id=owner_id, defaults={"included": True})
        services.call_open(actor=agency, call=call, unreachable_confirmed=True)
        proposals = []
        for index, owner in enumerate(owners):
            officer = User.objects.create_user(
                f"officer{index}", password="x", role=Role.OFFICER, authority_id=owner
            )
            premises = (
                Premises.objects.filter(owner_id=owner, archived_at=None)
                .order_by("-available_area_m2")
                .first()
            )
            assert premises is not None
            grant = Incentive.objects.create(
                owner_id=owner,
                name=f"Aide à l'emploi {index + 1}",
                kind="grant_per_job",
                unit="eur_per_job",
                amount=Decimal(1500 + 250 * index),
            )
            proposals.append(
                services.proposal_submit(
                    actor=officer,
                    call=call,
                    offers=[
                        OfferTerms(
                            premises.pk,
                            premises.available_area_m2,
                            Decimal(80 + 5 * index),
                            rent_free_months=index,
                        )
                    ],
                    incentive_ids=[grant.pk],
                    training_places=20 * index,
                    free_text="Un accompagnement du recrutement avec France Travail.",
                )
            )
        CallForOffers.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
        call.refresh_from_db()
        services.call_decide(actor=agency, call=call, weights=evaluation.call_weights(call=call))
        _link, token = services.dossier_link_create(actor=agency, call=call, shortlist=proposals)

    if os.environ.get("BENCH_DOSSIER_PARTS"):  # where the time of a first render goes
        from django.template.loader import render_to_string

        from guichet.offers import dossier as dossier_module
        from guichet.offers.models import DossierLink

        link = DossierLink.objects.get(pk=_link.pk)
        if os.environ.get("BENCH_DOSSIER_PROFILE"):
            import cProfile
            import pstats

            with translation.override("fr"):
                dossier_module.dossier_context(link=link, for_print=True)
                profiler = cProfile.Profile()
                profiler.enable()
                dossier_module.dossier_context(link=link, for_print=True)
                profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        with translation.override("fr"):
            for label, run in (
                (
                    "evaluate",
                    lambda: evaluation.evaluate_call(
                        call=call, weights=call.weights, only={p.pk for p in proposals}
                    ),
                ),
                ("context (with charts)", lambda: dossier_module.dossier_context(link=link, for_print=True)),
            ):
                start = time.perf_counter()
                value = run()
                print(f"  {label}: {(time.perf_counter() - start) * 1000:.0f} ms")
            context = value
            start = time.perf_counter()
            html = render_to_string("offers/dossier_print.html", context)
            print(f"  template: {(time.perf_counter() - start) * 1000:.0f} ms")
            from weasyprint import HTML

            start = time.perf_counter()
            HTML(string=html).write_pdf()
            print(f"  weasyprint: {(time.perf_counter() - start) * 1000:.0f} ms")

    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    page_url = reverse("offers:dossier", args=[token])
    pdf_url = reverse("offers:dossier_pdf", args=[token])

    def timed(url: str, *, cold: bool) -> tuple[float, bytes]:
        if cold:
            caches["renders"].clear()
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return elapsed, response.content

    client.get(page_url)  # imports, fonts and the labour table: once per process
    results = {}
    for name, url in (("page", page_url), ("pdf", pdf_url)):
        cold = [timed(url, cold=True)[0] for _ in range(args.runs)]
        warm = [timed(url, cold=False)[0] for _ in range(args.runs)]
        results[name] = (cold, warm)
    _elapsed, pdf = timed(pdf_url, cold=False)
    from pypdf import PdfReader

    print(f"Dossier of {len(proposals)} offers (demo catalogue, SQLite), {args.runs} runs, median (min-max):")
    for name, target in (("page", 0.300), ("pdf", 1.500)):
        cold, warm = results[name]
        spread = f"{min(cold) * 1000:.0f}-{max(cold) * 1000:.0f}"
        print(
            f"  {name:4}  first render {statistics.median(cold) * 1000:6.0f} ms ({spread})"
            f"   from the render cache {statistics.median(warm) * 1000:5.1f} ms"
            f"   target {target * 1000:.0f} ms"
        )
    print(f"  PDF: {len(PdfReader(io.BytesIO(pdf)).pages)} pages, {len(pdf) / 1024:.0f} KiB")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "dossier.html").write_bytes(client.get(page_url).content)
        (args.out / "dossier.pdf").write_bytes(pdf)
        (args.out / "dossier.xlsx").write_bytes(
            client.get(reverse("offers:dossier_xlsx", args=[token])).content
        )
        print(f"  written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
