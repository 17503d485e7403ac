"""`guichet labour`: import labour-market files (run as the system, like the agency's import page).

    guichet labour import-sirene FILE [--naf 82.20Z] [--departements 25,39,70,90]
    guichet labour import-zones FILE.xlsx
    guichet labour import-job-seekers FILE        (DARES, xlsx or CSV)
    guichet labour import-france-travail FILE.json
    guichet labour import-travel-times FILE         (origin, destination, minutes or seconds)
    guichet labour pools [--communes 39198,90010,25056 | --premises ID,...] [--hires 400]

Each prints its report (rows read, kept, rejected with reasons). A SIRENE import shows a progress bar when
the output is a terminal. Errors print one clear line on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_ERROR = 2


def _error(command: str, message: str) -> int:
    print(f"guichet labour {command}: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _codes(text: str | None) -> list[str]:
    return [code.strip().upper() for code in (text or "").split(",") if code.strip()]


def print_report(run: Any) -> None:
    print(f"{run.get_kind_display()}: {run.file_name}" + (f" ({run.vintage})" if run.vintage else ""))
    print(f"  rows read: {run.rows_read:,}")
    print(f"  kept:      {run.kept:,}")
    print(f"  rejected:  {run.rejected:,}")
    from django.utils import translation

    from guichet.phrasing.jobs import phrase_reasons

    titles = {"rejected": "rejected", "skipped": "skipped (not wanted)", "warnings": "warnings"}
    with translation.override("en"):  # the command line speaks English
        phrased = phrase_reasons(run.reasons)
    for group, items in phrased:
        print(f"  {titles[group]}:")
        for reason, count in sorted(items, key=lambda item: (-item[1], item[0])):
            print(f"    {count:>10,}  {reason}")


def _run(command: str, args: argparse.Namespace, work: Callable[[], Any]) -> int:
    from guichet.commands.setup import setup_django

    try:
        setup_django()
        from django.core.exceptions import PermissionDenied, ValidationError

        from guichet.sources.employment import EmploymentFormatError
        from guichet.sources.sirene import SireneFormatError

        try:
            run = work()
        except (SireneFormatError, EmploymentFormatError) as error:  # travel times' error is one too
            return _error(command, str(error))
        except (ValidationError, PermissionDenied) as error:
            return _error(command, " ".join(getattr(error, "messages", None) or [str(error)]))
        except OSError as error:
            return _error(command, f"{args.file}: {error.strerror or error}")
    except Exception as error:  # one readable line, whatever went wrong; --traceback for the details
        if args.traceback:
            raise
        return _error(command, str(error) or type(error).__name__)
    print_report(run)
    return 0


def handle_sirene(args: argparse.Namespace) -> int:
    def work() -> Any:
        from guichet.labour import services
        from guichet.sources.sirene import CALL_CENTRE_NAF

        path = Path(args.file)
        if not path.is_file():
            raise FileNotFoundError(2, "no such file", str(path))
        naf = _codes(args.naf) or sorted(CALL_CENTRE_NAF)
        departements = _codes(args.departements) or None
        geolocation = Path(args.geolocation) if args.geolocation else None
        if geolocation is not None and not geolocation.is_file():
            raise FileNotFoundError(2, "no such file", str(geolocation))
        if args.quiet or not sys.stderr.isatty():
            return services.sirene_import(
                actor=None, path=path, naf_codes=naf, departements=departements, geolocation_path=geolocation
            )
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            transient=True,
        ) as progress:
            task = progress.add_task(f"SIRENE {path.name}", total=path.stat().st_size)

            def on_progress(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            return services.sirene_import(
                actor=None,
                path=path,
                naf_codes=naf,
                departements=departements,
                geolocation_path=geolocation,
                on_progress=on_progress,
            )

    return _run("import-sirene", args, work)


def _file_handler(command: str, service_name: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        def work() -> Any:
            from guichet.labour import services

            path = Path(args.file)
            importer = getattr(services, service_name)
            return importer(actor=None, content=path.read_bytes(), file_name=path.name)

        return _run(command, args, work)

    return handler


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "labour", help="import labour-market files (SIRENE, zones d'emploi, DARES, France Travail)"
    )
    actions = parser.add_subparsers(dest="labour_command", required=True)

    sirene = actions.add_parser(
        "import-sirene",
        help="import contact centres from a SIRENE StockEtablissement file (CSV, .zip, .gz or Parquet)",
        description=(
            "Streams the file, keeps the active establishments of the NAF codes in the départements, and "
            "replaces the SIRENE contact centres of that scope. Importing the same file again changes "
            "nothing."
        ),
    )
    sirene.add_argument("file")
    sirene.add_argument("--naf", default="82.20Z", metavar="CODES", help="NAF codes (default: %(default)s)")
    sirene.add_argument(
        "--departements",
        metavar="CODES",
        help="comma-separated département codes (default: those within reach of the territory)",
    )
    sirene.add_argument(
        "--geolocation",
        metavar="FILE",
        help="INSEE's geolocation file of the establishments (joined by SIRET; zip, CSV or Parquet)",
    )
    sirene.add_argument("--quiet", action="store_true", help="no progress bar")
    sirene.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    sirene.set_defaults(handler=handle_sirene)

    for command, service_name, help_text in (
        ("import-zones", "zones_import", "import INSEE's commune -> zone d'emploi 2020 table (xlsx)"),
        (
            "import-job-seekers",
            "job_seekers_import",
            "import DARES job seekers by employment zone (xlsx or CSV)",
        ),
        (
            "import-france-travail",
            "france_travail_import",
            "import France Travail statistics by ROME code (JSON answers)",
        ),
        (
            "import-travel-times",
            "travel_times_import",
            "import a routing engine's travel-time matrix (origin, destination, minutes or seconds)",
        ),
    ):
        action = actions.add_parser(command, help=help_text)
        action.add_argument("file")
        action.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
        action.set_defaults(handler=_file_handler(command, service_name))

    pools = actions.add_parser(
        "pools",
        help="print the labour pools of premises (radius, driving time), with and without the border",
        description=(
            "For each premises (by default the largest demo premises of Dole, Belfort and Besançon): the "
            "pools within the radius and the driving time, over all of France and over the loaded "
            "départements only, category A and A, B, C job seekers, the saturation, the recruitment "
            "verdict, and the sources."
        ),
    )
    pools.add_argument("--communes", metavar="CODES", help="INSEE codes: the largest demo premises of each")
    pools.add_argument("--premises", metavar="IDS", help="premises ids, comma-separated")
    pools.add_argument("--hires", type=int, default=400, help="hires a year (default: %(default)s)")
    pools.add_argument("--radius", type=float, default=30.0, help="km (default: %(default)s)")
    pools.add_argument(
        "--minutes", type=float, default=45.0, help="minutes of driving (default: %(default)s)"
    )
    pools.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    pools.set_defaults(handler=handle_pools)


# --- pools: the labour pool of premises, with and without the border ------------------------------------

DEFAULT_POOL_COMMUNES = ("39198", "90010", "25056")  # Dole, Belfort, Besançon


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{round(value):,}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def handle_pools(args: argparse.Namespace) -> int:
    def work() -> Any:
        from guichet.catalogue.models import Premises

        ids = [int(x) for x in _codes(args.premises)] if args.premises else []
        if ids:
            chosen = list(Premises.objects.filter(pk__in=ids).select_related("commune").order_by("pk"))
        else:
            chosen = []
            for code in _codes(args.communes) or list(DEFAULT_POOL_COMMUNES):
                found = (
                    Premises.objects.filter(commune_id=code, is_demo=True)
                    .select_related("commune")
                    .order_by("-available_area_m2", "name")
                    .first()
                )
                if found is None:
                    raise ValueError(f"no demo premises in commune {code}: run `guichet demo` first")
                chosen.append(found)
        if not chosen:
            raise ValueError("no premises")
        return chosen

    from guichet.commands.setup import setup_django

    try:
        setup_django()
        premises = work()
    except Exception as error:  # one readable line, whatever went wrong; --traceback for the details
        if args.traceback:
            raise
        return _error("pools", str(error) or type(error).__name__)
    print_pools(premises, hires=args.hires, radius_km=args.radius, minutes=args.minutes)
    return 0


def print_pools(premises: list[Any], *, hires: int, radius_km: float, minutes: float) -> None:
    from guichet.engine import labour as labour_engine
    from guichet.labour import selectors
    from guichet.territory.selectors import dataset_source_label, departements_loaded

    departements = ", ".join(d.code for d in departements_loaded())
    first_pool = None
    first_catchment = None
    thresholds = labour_engine.DEFAULT_FEASIBILITY_THRESHOLDS
    print(
        f"Labour pools of {len(premises)} premises; verdict for {hires:,} hires a year at "
        f"{labour_engine.DEFAULT_CANDIDATES_PER_HIRE:g} candidates per hire, on the category A pool."
    )
    header = (
        f"  {'catchment':<42}{'communes':>9}{'aged 20-64':>12}{'labour force':>13}{'cat. A':>9}"
        f"{'A, B, C':>9}  {'saturation':<11}verdict (share of A; of A, B, C)"
    )
    for place in premises:
        point = place.point
        print()
        demo = " (DEMO)" if place.is_demo else ""
        print(
            f"{place.name}{demo}: {place.commune.name} ({place.commune_id}), {point[0]:.4f}, {point[1]:.4f}"
        )
        print(header)
        national = None
        for label, kwargs in (
            (f"{radius_km:g} km", {"radius_km": radius_km}),
            (f"{minutes:g} min", {"minutes": minutes}),
        ):
            for territory_only in (False, True):
                panel = selectors.labour_pool_around(
                    latitude=point[0],
                    longitude=point[1],
                    workplace_insee=place.commune_id,
                    territory_only=territory_only,
                    **kwargs,
                )
                pool = panel.pool
                feasibility = labour_engine.recruitment_feasibility_for_pool(pool, [hires])
                year = feasibility.years[0]
                verdict: str = feasibility.verdict
                ratio = pool.saturation.ratio_mid
                saturation_text = pool.saturation.status if ratio is None else _pct(ratio)
                if year.share is not None:
                    verdict += f" ({year.share * 100:.1f} %; {_pct(year.share_of_upper_bound)})"
                where = f"{label}, " + (
                    f"départements {departements} only" if territory_only else "no border"
                )
                print(
                    f"  {where:<42}{pool.communes:>9,}{_fmt(pool.population_20_64.value):>12}"
                    f"{_fmt(pool.labour_force.value):>13}{_fmt(pool.job_seekers_a.value):>9}"
                    f"{_fmt(pool.job_seekers.value):>9}  "
                    f"{saturation_text:<11}{verdict}"
                )
                if not territory_only:
                    national = panel
                    first_pool = first_pool or pool
                    first_catchment = first_catchment or (panel.catchment if "minutes" in kwargs else None)
                else:
                    assert national is not None
                    missed = (national.pool.population_20_64.value or 0) - (pool.population_20_64.value or 0)
                    share = missed / (national.pool.population_20_64.value or 1)
                    print(
                        f"  {'':<42}beyond the border: {national.outside_territory:,} commune(s), "
                        f"{_fmt(missed)} people aged 20-64 ({share * 100:.0f} % of the pool without border)"
                        + (
                            f"; {len(national.without_data)} communes without census data"
                            if national.without_data
                            else ""
                        )
                    )
    if first_pool is None:
        return
    rates = first_pool.rates
    print()
    print("Sources and methods:")
    print(f"  population: {dataset_source_label(key='france_communes.csv')}")
    print(f"  people aged 20-64: {dataset_source_label(key='france_communes.csv:population_20_64')}")
    print(f"  commune points: {dataset_source_label(key='france_communes.csv:latitude,longitude')}")
    print(f"  labour force: {rates.labour_force_method}")
    print(f"  category A: {first_pool.job_seekers_a.source}")
    print(f"  categories A, B, C: {first_pool.job_seekers.source}")
    saturation = first_pool.saturation
    if saturation.status == "unknown":
        print("  saturation: unknown, no SIRENE import (NAF 82.20Z) covers these catchments")
    else:
        print(f"  saturation: {first_pool.contact_centre_jobs.source}; {saturation.thresholds.source}")
    if first_catchment is not None:
        print(f"  driving time: {first_catchment.method}{_commute_error(first_catchment)}")
    print(
        f"  verdict: share of the category A pool needed in a year: under {thresholds.demanding:.0%} "
        f"realistic, from {thresholds.demanding:.0%} demanding, from {thresholds.unrealistic:.0%} "
        "unrealistic; unknown when the pool is unknown. Candidates per hire: NACSMA, 3-4 (3.5 used)."
    )


def _commute_error(found: Any) -> str:
    """The calibrated model's error on trips it was not fitted on (the figure the pages state)."""
    from guichet.engine import commute

    if found.commute is None or found.commute.key != "calibrated":
        return ""
    return (
        f"; mean error on trips it was not fitted on {commute.CALIBRATED_CV_MAE_MINUTES:g} min "
        f"(leave-one-out over {commute.CALIBRATED_CV_TRIPS} reference trips), "
        f"{commute.CALIBRATED_VALIDATION_MAE_MINUTES:g} min on {commute.CALIBRATED_VALIDATION_TRIPS} trips "
        "kept out"
    )
