"""The labour-market imports (SIRENE, employment zones, DARES, France Travail) as background jobs.

The handler wraps the import services as they are (each one transaction, logging its ImportRun) and
phrases their refusals; the counts come from the ImportRun the service wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from guichet.jobs.models import Job, JobStage
from guichet.jobs.services import JobRefused
from guichet.labour import services
from guichet.labour.models import ImportKind
from guichet.sources.employment import EmploymentFormatError
from guichet.sources.sirene import SireneFormatError
from guichet.sources.travel_times import TravelTimeFormatError

KIND = "labour.import"


def labour_import(*, job: Job, progress: Any) -> dict[str, Any]:
    params = job.params
    kind = ImportKind(params["kind"])
    file_name = str(params.get("file_name", ""))
    try:
        if kind == ImportKind.SIRENE:
            run = services.sirene_import(
                actor=job.owner,
                path=job.input_path,
                naf_codes=params.get("naf") or [],
                departements=params.get("departements") or None,
                geolocation_path=(params.get("inputs") or {}).get("geolocation"),
                file_name=file_name,
                geolocation_file_name=params.get("geolocation_file_name"),
                on_progress=lambda done, total: progress(done, total, JobStage.READING),
            )
        else:
            importer = {
                ImportKind.ZONES: services.zones_import,
                ImportKind.JOB_SEEKERS: services.job_seekers_import,
                ImportKind.FRANCE_TRAVAIL: services.france_travail_import,
                ImportKind.TRAVEL_TIMES: services.travel_times_import,
            }[kind]
            progress(0, None, JobStage.READING, force=True)
            run = importer(actor=job.owner, content=Path(job.input_path).read_bytes(), file_name=file_name)
    except (SireneFormatError, EmploymentFormatError, TravelTimeFormatError) as error:
        raise JobRefused(
            str(error),
            problem={
                "template": error.template,
                "params": error.params,
                "source": error.source,
                "sheet": error.sheet,
                "row": error.row,
                "row_label": error.row_label,
                "column": error.column,
            },
        ) from None
    except (ValidationError, PermissionDenied) as error:
        # The services give these messages lazily: in English they are the templates the page phrases.
        with translation.override("en"):
            template = _messages(error)
        raise JobRefused(_messages(error), problem={"template": template, "params": {}}) from None
    return {
        "rows_read": run.rows_read,
        "kept": run.kept,
        "refused": run.rejected,
        "import_run": run.pk,
        "file_name": run.file_name,
    }


def _messages(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])
