"""The contact centres the agency records by hand (those SIRENE cannot tell apart: in-house centres of
companies of another activity), as on the labour imports page: they count in every labour pool's
competition for the same workers. Centres imported from SIRENE change only by importing SIRENE again."""

from __future__ import annotations

from typing import Any, Literal

from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from guichet.api.auth import AuthedRequest, agency_only
from guichet.api.errors import invalid
from guichet.api.schemas import Id, PageParams, paginate, problems
from guichet.api.schemas_labour import CentreIn, CentrePage, CentrePatch, RecordedCentreOut, ZoningListOut
from guichet.data.dataset import DatasetError
from guichet.labour import selectors, services
from guichet.labour.models import ContactCentre
from guichet.sources.zoning import ZoningFileError, read_commune_zoning
from guichet.territory import services as territory_services
from guichet.territory.selectors import commune_resolve

router = Router(tags=["agency: labour data"], auth=agency_only)


def _centre_out(centre: ContactCentre) -> dict[str, Any]:
    return {
        "id": centre.pk,
        "name": centre.name,
        "kind": centre.kind,
        "siret": centre.siret or "",
        "commune": centre.commune_code,
        "jobs_low": centre.jobs_low,
        "jobs_high": centre.jobs_high,
        "notes": centre.notes,
        "updated_at": centre.updated_at,
    }


def _values(payload: CentreIn | CentrePatch, *, partial: bool) -> dict[str, Any]:
    values = payload.dict(exclude_unset=partial)
    if "commune" in values:
        commune = commune_resolve(insee=values["commune"] or "")
        if commune is None:
            raise invalid("commune", "Unknown INSEE code.")
        values["commune"] = commune
    for name in ("siret", "notes"):
        if name in values and values[name] is None:
            values[name] = ""
    return values


@router.get(
    "/contact-centres",
    response={200: CentrePage, **problems(401, 403, 422)},
    summary="The contact centres recorded by hand",
)
def centres_list(request: AuthedRequest, page: Query[PageParams]) -> dict[str, Any]:
    return paginate(selectors.contact_centres_recorded_by_hand().order_by("name", "pk"), page, _centre_out)


@router.post(
    "/contact-centres",
    response={201: RecordedCentreOut, **problems(401, 403, 422)},
    summary="Record a contact centre by hand",
)
def centres_create(request: AuthedRequest, payload: CentreIn) -> Status[dict[str, Any]]:
    values = _values(payload, partial=False)
    centre = services.contact_centre_create(
        actor=request.auth, name=values.pop("name"), commune=values.pop("commune"), **values
    )
    return Status(201, _centre_out(selectors.contact_centres_recorded_by_hand().get(pk=centre.pk)))


@router.patch(
    "/contact-centres/{id}",
    response={200: RecordedCentreOut, **problems(401, 403, 404, 422)},
    summary="Change some fields of a contact centre recorded by hand",
)
def centres_update(request: AuthedRequest, id: Id, payload: CentrePatch) -> dict[str, Any]:
    centre = get_object_or_404(selectors.contact_centres_recorded_by_hand(), pk=id)
    services.contact_centre_update(actor=request.auth, centre=centre, **_values(payload, partial=True))
    return _centre_out(selectors.contact_centres_recorded_by_hand().get(pk=centre.pk))


@router.delete(
    "/contact-centres/{id}",
    response={204: None, **problems(401, 403, 404, 422)},
    summary="Delete a contact centre recorded by hand",
)
def centres_delete(request: AuthedRequest, id: Id) -> Status[None]:
    centre = get_object_or_404(selectors.contact_centres_recorded_by_hand(), pk=id)
    services.contact_centre_delete(actor=request.auth, centre=centre)
    return Status(204, None)


@router.post(
    "/zoning-lists/{kind}",
    response={200: ZoningListOut, **problems(401, 403, 422)},
    summary="Load the AFR or FRR list by commune (replaces the previous one)",
    description=(
        "multipart/form-data with `file` (CSV: AFR `insee`, `zone`, optional `partial`; FRR `insee` and "
        "`category` or `codefrr`), `source`, `vintage` and optionally `departements` (comma-separated codes "
        "the list covers). The service of the imports page and of `guichet territory import-zoning`: one "
        "transaction, audited; a wrong row or column is a 422 on `file` and nothing is written."
    ),
)
def zoning_lists_load(
    request: AuthedRequest,
    kind: Literal["afr", "frr"],
    file: File[UploadedFile],
    source: Form[str],
    vintage: Form[str],
    departements: Form[str] = "",
) -> dict[str, Any]:
    codes = [code.strip().upper() for code in departements.split(",") if code.strip()]
    try:
        records = read_commune_zoning(file.read(), kind=kind)
        zoning = territory_services.zoning_import_list(
            actor=request.auth, kind=kind, records=records, source=source, vintage=vintage, departements=codes
        )
    except (ZoningFileError, DatasetError) as error:
        raise invalid("file", str(error)) from None
    return {
        "kind": zoning.kind,
        "source": zoning.source,
        "vintage": zoning.vintage,
        "departements": [code for code in zoning.departements.split("|") if code],
        "rows": zoning.rows,
    }
