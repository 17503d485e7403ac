"""`guichet territory`: the published zonings by commune that the product cannot bundle.

    guichet territory import-zoning --kind afr|frr FILE --source TEXT --vintage TEXT [--departements 25,39]

The file is the list of the communes classified (docs/aid.md gives its columns); the départements it covers
are those given, else those of its communes. A commune of another département stays "not known". The QPV
contours are bundled and loaded by `guichet data load`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("territory", help="import the AFR or FRR list of communes")
    actions = parser.add_subparsers(dest="territory_command", required=True)
    importer = actions.add_parser(
        "import-zoning",
        help="replace the AFR 2022-2027 or FRR list of communes with a file",
        description="Columns: insee (or codgeo) and zone (AFR) or category / codefrr (FRR); see docs/aid.md.",
    )
    importer.add_argument("--kind", choices=("afr", "frr"), required=True)
    importer.add_argument("file", type=Path)
    importer.add_argument("--source", required=True, help="where the list comes from (shown with it)")
    importer.add_argument("--vintage", required=True, help="its date or version (shown with it)")
    importer.add_argument("--licence", default="")
    importer.add_argument("--departements", default="", help="comma-separated codes the list covers")
    importer.set_defaults(handler=handle_import)


def handle_import(args: argparse.Namespace) -> int:
    from guichet.commands.setup import setup_django

    setup_django()
    from guichet.data.dataset import DatasetError
    from guichet.sources.zoning import ZoningFileError, read_commune_zoning
    from guichet.territory.services import zoning_import_list

    try:
        records = read_commune_zoning(args.file.read_bytes(), kind=args.kind)
        zoning = zoning_import_list(
            actor=None,
            kind=args.kind,
            records=records,
            source=args.source,
            vintage=args.vintage,
            licence=args.licence,
            departements=[code.strip() for code in args.departements.split(",") if code.strip()],
        )
    except OSError as error:
        print(f"error: {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    except (ZoningFileError, DatasetError) as error:
        print(f"error: {args.file}: {error}", file=sys.stderr)
        return 2
    covered = zoning.departements.replace("|", ", ")
    print(f"{args.kind}: {zoning.rows} communes classified, départements {covered}")
    return 0
