"""`guichet labour`: import labour-market files (run as the system, like the agency's import page).

    guichet labour import-sirene FILE [--naf 82.20Z] [--departements 25,39,70,90]
    guichet labour import-zones FILE.xlsx
    guichet labour import-job-seekers FILE        (DARES, xlsx or CSV)
    guichet labour import-france-travail FILE.json

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
    titles = {"rejected": "rejected", "skipped": "skipped (not wanted)", "warnings": "warnings"}
    for group in ("rejected", "skipped", "warnings"):
        counts = run.reasons.get(group) or {}
        if counts:
            print(f"  {titles[group]}:")
            for reason, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
                print(f"    {count:>10,}  {reason}")


def _run(command: str, args: argparse.Namespace, work: Callable[[], Any]) -> int:
    from guichet.cli import setup_django

    try:
        setup_django()
        from django.core.exceptions import PermissionDenied, ValidationError

        from guichet.sources.employment import EmploymentFormatError
        from guichet.sources.sirene import SireneFormatError

        try:
            run = work()
        except (SireneFormatError, EmploymentFormatError) as error:
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
        if args.quiet or not sys.stderr.isatty():
            return services.sirene_import(actor=None, path=path, naf_codes=naf, departements=departements)
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
                actor=None, path=path, naf_codes=naf, departements=departements, on_progress=on_progress
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
        "--departements", metavar="CODES", help="comma-separated département codes (default: the loaded ones)"
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
    ):
        action = actions.add_parser(command, help=help_text)
        action.add_argument("file")
        action.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
        action.set_defaults(handler=_file_handler(command, service_name))
