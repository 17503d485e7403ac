"""`guichet catalogue`: import and export CNIG "sites économiques" files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _import(args: argparse.Namespace) -> int:
    """The same background job as the web upload: run here and now, or queued for the worker (--queue)."""
    from guichet.commands.setup import setup_django

    setup_django()
    from guichet.accounts.models import User
    from guichet.catalogue import jobs as catalogue_jobs
    from guichet.catalogue.models import Authority
    from guichet.jobs.models import Job, JobStatus
    from guichet.jobs.services import job_run, job_submit
    from guichet.sources import cnig

    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    if actor is None:
        print(
            "error: no administrator account exists (run `guichet manage createsuperuser`)", file=sys.stderr
        )
        return 2
    owner = Authority.objects.filter(name=args.owner).first()
    if owner is None:
        print(f"error: --owner: no authority named {args.owner!r}", file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as error:
        print(f"error: {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    job = job_submit(
        owner=actor,
        kind=catalogue_jobs.KIND,
        label=f"CNIG import ({args.kind}): {path.name}",
        params={"kind": args.kind, "owner_id": owner.pk, "file_name": path.name[:200]},
        content=content,
        suffix=".csv",
        enqueue=args.queue,
    )
    if args.queue:
        print(f"{args.file}: queued as job {job.pk}; `guichet manage db_worker` runs it")
        return 0
    job_run(job_id=job.pk)
    job = Job.objects.get(pk=job.pk)
    if job.status != JobStatus.SUCCEEDED:
        print(f"error: {args.file}: {job.error}", file=sys.stderr)
        for cell in job.result.get("refused", [])[: cnig.MAX_REPORTED_ERRORS]:
            where = ", ".join(
                part
                for part in (
                    f"row {cell['row']}" if cell.get("row") is not None else "",
                    f"column {cell['column']}" if cell.get("column") else "",
                )
                if part
            )
            print(f"  {where or 'file'}: {cell['message']}", file=sys.stderr)
        return 2
    result = job.result
    print(
        f"{args.file}: {result['rows_read']} rows read, {result['created']} created, "
        f"{result['updated']} updated, {result['unchanged']} unchanged"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from guichet.commands.setup import setup_django

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
    importer.add_argument("--owner", required=True, help="the authority that owns the sites and their plots")
    importer.add_argument(
        "--queue",
        action="store_true",
        help="queue the import for the background worker instead of running it now",
    )
    importer.add_argument("file")
    importer.set_defaults(handler=_import)
    exporter = actions.add_parser("export-cnig", help="export sites or plots as a CNIG CSV file")
    exporter.add_argument("--kind", choices=cnig.KINDS, required=True)
    exporter.add_argument("--owner", help="only this authority's sites")
    exporter.add_argument("--output", default="-")
    exporter.set_defaults(handler=_export)
