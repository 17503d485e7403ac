"""The CNIG import as a background job: the handler wraps the service, and phrases its refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from guichet.catalogue import services
from guichet.catalogue.models import Authority
from guichet.jobs.models import Job
from guichet.jobs.services import JobRefused
from guichet.sources import cnig

KIND = "catalogue.cnig_import"


def cnig_import(*, job: Job, progress: Any) -> dict[str, Any]:
    params = job.params
    content = Path(job.input_path).read_bytes()
    file_name = str(params.get("file_name", ""))
    try:
        owner = Authority.objects.filter(pk=params.get("owner_id")).first()
        if owner is None:
            raise JobRefused(_("The owner of these sites no longer exists."))
        importer = services.cnig_import_sites if params["kind"] == cnig.SITE else services.cnig_import_plots
        result = importer(
            actor=job.owner, owner=owner, content=content, file_name=file_name, on_progress=progress
        )
    except cnig.CnigFormatError as error:
        raise JobRefused(
            _("The file has %(count)d wrong cells; each is listed with its row and column.")
            % {"count": len(error.errors)},
            refused=[
                {
                    "row": e.row,
                    "column": e.column,
                    "template": e.template,
                    "params": dict(e.params),
                    "message": e.message,
                }
                for e in error.errors
            ],
            problem={
                "template": "The file has %(count)d wrong cells; each is listed with its row and column.",
                "params": {"count": len(error.errors)},
            },
        ) from None
    except (ValidationError, PermissionDenied) as error:
        raise JobRefused(" ".join(getattr(error, "messages", None) or [str(error)])) from None
    return result.as_dict()
