"""Writes of the catalogue. Each function is one transaction and checks that the actor may do it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.services import audit_record
from guichet.catalogue import selectors
from guichet.catalogue.models import Authority, Incentive, Plot, Premises, Site
from guichet.concurrency import check_and_bump_version
from guichet.data.dataset import commune_index
from guichet.sources import cnig
from guichet.territory.selectors import commune_resolve


def _check_owner(*, actor: Any, owner: Authority | int) -> None:
    owner_id = owner if isinstance(owner, int) else owner.pk
    if not selectors.authorities_manageable_by(user=actor).filter(pk=owner_id).exists():
        raise PermissionDenied(_("You cannot act for this authority."))


def _stored_owner_id(instance: Premises | Incentive) -> int:
    """The owner as saved, not as a bound form may have changed it in memory."""
    return type(instance)._default_manager.values_list("owner_id", flat=True).get(pk=instance.pk)


def _save_checked(
    instance: Any, values: dict[str, Any], *, actor: Any = None, expected_version: int | None = None
) -> Any:
    """Validate and save; the audit trail records which fields changed, from what to what."""
    creating = instance.pk is None
    if not creating and hasattr(instance, "version"):
        check_and_bump_version(instance, expected_version)
    # Compare with the stored row: a bound form may already have changed the instance in memory.
    stored = None if creating else type(instance)._default_manager.get(pk=instance.pk)
    before = {name: getattr(stored, name) for name in values} if stored is not None else {}
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    changed = {
        name: [str(before.get(name, "")), str(value)]
        for name, value in values.items()
        if creating or before.get(name) != value
    }
    audit_record(
        actor=actor,
        action="create" if creating else "update",
        target=instance,
        summary=str(instance)[:100] if creating else ", ".join(changed),
        details=changed,
    )
    return instance


@transaction.atomic
def authority_create(*, name: str, kind: str, **values: Any) -> Authority:
    return _save_checked(Authority(name=name, kind=kind), values)  # type: ignore[no-any-return]


@transaction.atomic
def premises_create(*, actor: Any, owner: Authority, **values: Any) -> Premises:
    _check_owner(actor=actor, owner=owner)
    return _save_checked(Premises(owner=owner), values, actor=actor)  # type: ignore[no-any-return]


@transaction.atomic
def premises_update(
    *, actor: Any, premises: Premises, expected_version: int | None = None, **values: Any
) -> Premises:
    _check_owner(actor=actor, owner=_stored_owner_id(premises))
    if "owner" in values:
        _check_owner(actor=actor, owner=values["owner"])
    return _save_checked(premises, values, actor=actor, expected_version=expected_version)  # type: ignore[no-any-return]


@transaction.atomic
def premises_archive(*, actor: Any, premises: Premises) -> Premises:
    _check_owner(actor=actor, owner=_stored_owner_id(premises))
    premises.archived_at = timezone.now()
    premises.save(update_fields=["archived_at", "updated_at"])
    audit_record(actor=actor, action="archive", target=premises, summary=premises.name)
    return premises


@transaction.atomic
def incentive_create(*, actor: Any, owner: Authority, **values: Any) -> Incentive:
    _check_owner(actor=actor, owner=owner)
    return _save_checked(Incentive(owner=owner), values, actor=actor)  # type: ignore[no-any-return]


@transaction.atomic
def incentive_update(
    *, actor: Any, incentive: Incentive, expected_version: int | None = None, **values: Any
) -> Incentive:
    _check_owner(actor=actor, owner=_stored_owner_id(incentive))
    if "owner" in values:
        _check_owner(actor=actor, owner=values["owner"])
    return _save_checked(incentive, values, actor=actor, expected_version=expected_version)  # type: ignore[no-any-return]


@transaction.atomic
def incentive_archive(*, actor: Any, incentive: Incentive) -> Incentive:
    _check_owner(actor=actor, owner=_stored_owner_id(incentive))
    incentive.archived_at = timezone.now()
    incentive.save(update_fields=["archived_at", "updated_at"])
    audit_record(actor=actor, action="archive", target=incentive, summary=incentive.name)
    return incentive


@dataclass(frozen=True)
class CnigImportResult:
    created: int
    updated: int

    def __str__(self) -> str:
        return _("%(created)d created, %(updated)d updated") % {
            "created": self.created,
            "updated": self.updated,
        }


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _yes_no(value: Any) -> bool | None:
    return {"oui": True, "non": False}.get(str(value).strip().lower()) if value is not None else None


def _site_point(raw: Any) -> tuple[float | None, float | None]:
    """CNIG writes site_geompoint as 'longitude, latitude' in WGS84."""
    try:
        longitude, latitude = (float(part) for part in str(raw).split(","))
    except (TypeError, ValueError):
        return None, None
    return latitude, longitude


@transaction.atomic
def cnig_import_sites(*, actor: Any, owner: Authority, content: bytes) -> CnigImportResult:
    """Import a CNIG site-eco CSV file for one authority: all rows, or none if any row is wrong."""
    _check_owner(actor=actor, owner=owner)
    table = cnig.read_table(cnig.SITE, content)
    created = updated = 0
    for record in table.records:
        line = record.line
        values = record.values
        insee = str(values.get("site_comm_insee") or "")
        # A real commune outside the loaded territory is kept by code; a code France does not know is refused.
        commune = commune_resolve(insee=insee)
        if commune is None and insee not in commune_index():
            raise ValidationError(
                _("Row %(row)d, column site_comm_insee: unknown INSEE code %(code)s.")
                % {"row": line, "code": insee}
            )
        existing = Site.objects.filter(site_id=values["site_id"]).first()
        if existing is not None and existing.owner_id != owner.pk:
            raise PermissionDenied(
                _("Row %(row)d: site %(id)s belongs to another authority.")
                % {"row": line, "id": values["site_id"]}
            )
        latitude, longitude = _site_point(record.raw.get("site_geompoint"))
        fields = {
            "owner": owner,
            "name": values.get("site_nom") or "",
            "site_type": values.get("site_type") or "",
            "commune_insee": insee,
            "commune": commune,
            "gross_area_ha": _decimal(values.get("site_surf_brute")),
            "usable_area_ha": _decimal(values.get("site_surf_utile")),
            "available_area_ha": _decimal(values.get("site_surf_comm_dispo")),
            "tertiary": _yes_no(values.get("site_voca_tertiaire")),
            "fibre": _yes_no(values.get("reseau_fibre_optique")),
            "latitude": latitude,
            "longitude": longitude,
            "attributes": record.raw,
        }
        _site, was_created = Site.objects.update_or_create(site_id=values["site_id"], defaults=fields)
        created += was_created
        updated += not was_created
    return CnigImportResult(created=created, updated=updated)


@transaction.atomic
def cnig_import_plots(*, actor: Any, content: bytes) -> CnigImportResult:
    """Import a CNIG terrain-eco CSV file; every plot's site must exist and be the actor's to edit."""
    table = cnig.read_table(cnig.PLOT, content)
    editable_sites = {site.site_id: site for site in selectors.sites_editable_by(user=actor)}
    created = updated = 0
    for record in table.records:
        values = record.values
        site = editable_sites.get(str(values["site_id"]))
        if site is None:
            raise ValidationError(
                _("Row %(row)d, column site_id: site %(id)s is unknown or not yours; import its site first.")
                % {"row": record.line, "id": values["site_id"]}
            )
        fields = {
            "site": site,
            "gross_area_ha": _decimal(values.get("terr_surf_brute")),
            "sale_status": values.get("terr_stade_comm") or "",
            "price_eur_m2": _decimal(values.get("terr_m2_prix")),
            "attributes": record.raw,
        }
        existing = (
            Plot.objects.filter(terr_id=values["terr_id"]).exclude(site__in=editable_sites.values()).first()
        )
        if existing is not None:
            raise PermissionDenied(
                _("Row %(row)d: plot %(id)s belongs to another authority's site.")
                % {"row": record.line, "id": values["terr_id"]}
            )
        _plot, was_created = Plot.objects.update_or_create(terr_id=values["terr_id"], defaults=fields)
        created += was_created
        updated += not was_created
    return CnigImportResult(created=created, updated=updated)
