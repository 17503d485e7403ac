"""`guichet catalogue`: import and export CNIG "sites économiques" files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _import(args: argparse.Namespace) -> int:
    from guichet.cli import setup_django

    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError

    from guichet.accounts.models import User
    from guichet.catalogue import services
    from guichet.catalogue.models import Authority
    from guichet.sources import cnig

    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None:
        print(
            "error: no administrator account exists (run `guichet manage createsuperuser`)", file=sys.stderr
        )
        return 2
    try:
        content = Path(args.file).read_bytes()
        if args.kind == cnig.SITE:
            owner = Authority.objects.filter(name=args.owner).first()
            if owner is None:
                print(f"error: --owner: no authority named {args.owner!r}", file=sys.stderr)
                return 2
            result = services.cnig_import_sites(actor=actor, owner=owner, content=content)
        else:
            result = services.cnig_import_plots(actor=actor, content=content)
    except OSError as error:
        print(f"error: {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    except (cnig.CnigFormatError, ValidationError, PermissionDenied) as error:
        messages = getattr(error, "messages", None) or [str(error)]
        print(f"error: {args.file}: {' '.join(messages)}", file=sys.stderr)
        return 2
    print(f"{args.file}: {result}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from guichet.cli import setup_django

    setup_django()
    from guichet.catalogue import selectors
    from guichet.catalogue.models import Site
    from guichet.sources import cnig

    sites = Site.objects.all()
    if args.owner:
        sites = sites.filter(owner__name=args.owner)
    if args.kind == cnig.SITE:
        content = selectors.sites_cnig_export(sites=sites)
    else:
        content = selectors.plots_cnig_export(sites=sites)
    if args.output == "-":
        sys.stdout.write(content.decode("utf-8"))
    else:
        Path(args.output).write_bytes(content)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from guichet.sources import cnig

    parser = subparsers.add_parser("catalogue", help="import or export CNIG business-park files")
    actions = parser.add_subparsers(dest="action", required=True)
    importer = actions.add_parser("import-cnig", help="import a CNIG site-eco or terrain-eco CSV file")
    importer.add_argument("--kind", choices=cnig.KINDS, required=True)
    importer.add_argument("--owner", help="the authority that owns the sites (site-eco)")
    importer.add_argument("file")
    importer.set_defaults(handler=_import)
    exporter = actions.add_parser("export-cnig", help="export sites or plots as a CNIG CSV file")
    exporter.add_argument("--kind", choices=cnig.KINDS, required=True)
    exporter.add_argument("--owner", help="only this authority's sites")
    exporter.add_argument("--output", default="-")
    exporter.set_defaults(handler=_export)
