"""Writes of the catalogue. Each function is one transaction and checks that the actor may do it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.accounts.types import Actor
from guichet.audit.services import audit_record
from guichet.catalogue import selectors
from guichet.catalogue.models import (
    MAX_CNIG_CELL,
    Authority,
    Incentive,
    Plot,
    Premises,
    PremisesStatus,
    Site,
    validate_cnig_attributes,
)
from guichet.concurrency import locked_update
from guichet.data.dataset import commune_index
from guichet.sources import cnig
from guichet.territory.selectors import commune_resolve
from guichet.versioning import catalogue_changed


def _check_owner(*, actor: Actor, owner: Authority | int) -> None:
    owner_id = owner if isinstance(owner, int) else owner.pk
    if not selectors.authorities_manageable_by(user=actor).filter(pk=owner_id).exists():
        raise PermissionDenied(_("You cannot act for this authority."))


def _stored_owner_id(instance: Premises | Incentive) -> int:
    """The owner as saved, not as a bound form may have changed it in memory."""
    return type(instance)._default_manager.values_list("owner_id", flat=True).get(pk=instance.pk)


def _save_checked(
    instance: Any, values: dict[str, Any], *, actor: Actor | None = None, expected_version: Any = None
) -> Any:
    """Validate and save; the audit trail records which fields changed, from what to what.

    An update goes through `locked_update`: the stored row is locked and read afresh, a stale or
    malformed `expected_version` is refused, and only the changed fields are written, so two clients
    changing different fields of the same record both keep their change."""
    creating = instance.pk is None
    if creating:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        changed = {name: ["", str(value)] for name, value in values.items()}
        summary = str(instance)[:100]
    else:
        saved = locked_update(
            model=type(instance), pk=instance.pk, values=values, expected_version=expected_version
        )
        # The caller's copy (a bound form may have changed it in memory) becomes the stored record.
        instance.refresh_from_db()
        changed = {name: [str(before), str(after)] for name, (before, after) in saved.changed.items()}
        summary = ", ".join(changed)
    audit_record(
        actor=actor,
        action="create" if creating else "update",
        target=instance,
        summary=summary,
        details=changed,
    )
    return instance


@transaction.atomic
def authority_create(*, name: str, kind: str, **values: Any) -> Authority:
    return _save_checked(Authority(name=name, kind=kind), values)  # type: ignore[no-any-return]


@transaction.atomic
def premises_create(*, actor: Actor, owner: Authority, **values: Any) -> Premises:
    _check_owner(actor=actor, owner=owner)
    return _save_checked(Premises(owner=owner), values, actor=actor)  # type: ignore[no-any-return]


@transaction.atomic
def premises_update(
    *, actor: Actor, premises: Premises, expected_version: Any = None, **values: Any
) -> Premises:
    _check_owner(actor=actor, owner=_stored_owner_id(premises))
    if "owner" in values:
        _check_owner(actor=actor, owner=values["owner"])
    return _save_checked(premises, values, actor=actor, expected_version=expected_version)  # type: ignore[no-any-return]


@transaction.atomic
def premises_archive(*, actor: Actor, premises: Premises) -> Premises:
    _check_owner(actor=actor, owner=_stored_owner_id(premises))
    premises.archived_at = timezone.now()
    premises.save(update_fields=["archived_at", "updated_at"])
    audit_record(actor=actor, action="archive", target=premises, summary=premises.name)
    return premises


@transaction.atomic
def premises_let(*, premises: Premises, area_m2: int) -> int:
    """``area_m2`` of the premises is let (a step of a call's signature, which records the event in the
    audit trail): it leaves the available area, and what remains stays on offer; with nothing left the
    premises leaves the public offer (let). Returns the area still available. The caller holds the row's
    lock (``premises_for_update``). A row update sends no signal: the cached pages are told once this
    commits."""
    if not 0 < area_m2 <= premises.available_area_m2:
        raise ValidationError(
            {
                "premises": _("%(name)s has %(available)s m² available: %(area)s m² cannot be let.")
                % {"name": premises.name, "available": premises.available_area_m2, "area": area_m2}
            }
        )
    remaining = premises.available_area_m2 - area_m2
    values: dict[str, Any] = {
        "available_area_m2": remaining,
        "version": F("version") + 1,
        "updated_at": timezone.now(),
    }
    if premises.smallest_lot_m2 is not None and premises.smallest_lot_m2 > remaining:
        values["smallest_lot_m2"] = remaining or None  # the rest is one lot, or nothing
    if remaining == 0:
        values["status"] = PremisesStatus.LET
    Premises.objects.filter(pk=premises.pk).update(**values)
    transaction.on_commit(catalogue_changed)
    return remaining


@transaction.atomic
def incentive_create(*, actor: Actor, owner: Authority, **values: Any) -> Incentive:
    _check_owner(actor=actor, owner=owner)
    return _save_checked(Incentive(owner=owner), values, actor=actor)  # type: ignore[no-any-return]


@transaction.atomic
def incentive_update(
    *, actor: Actor, incentive: Incentive, expected_version: Any = None, **values: Any
) -> Incentive:
    _check_owner(actor=actor, owner=_stored_owner_id(incentive))
    if "owner" in values:
        _check_owner(actor=actor, owner=values["owner"])
    return _save_checked(incentive, values, actor=actor, expected_version=expected_version)  # type: ignore[no-any-return]


@transaction.atomic
def incentive_archive(*, actor: Actor, incentive: Incentive) -> Incentive:
    _check_owner(actor=actor, owner=_stored_owner_id(incentive))
    incentive.archived_at = timezone.now()
    incentive.save(update_fields=["archived_at", "updated_at"])
    audit_record(actor=actor, action="archive", target=incentive, summary=incentive.name)
    return incentive


@dataclass(frozen=True)
class CnigImportResult:
    created: int
    updated: int
    rows_read: int = 0
    unchanged: int = 0  # rows identical to the stored record: nothing written

    def __str__(self) -> str:
        return _("%(read)d rows read: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
            "read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }

    def as_dict(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "kept": self.created + self.updated + self.unchanged,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": 0,
        }


ProgressCallback = Callable[[int, int, str], None]  # (rows done, rows in all, stage)
# Which CNIG column a model field comes from, so that a refusal names the column of the file.
SITE_COLUMNS = {
    "site_id": "site_id",
    "name": "site_nom",
    "site_type": "site_type",
    "commune_insee": "site_comm_insee",
    "gross_area_ha": "site_surf_brute",
    "usable_area_ha": "site_surf_utile",
    "available_area_ha": "site_surf_comm_dispo",
    "latitude": "site_geompoint",
    "longitude": "site_geompoint",
}
PLOT_COLUMNS = {
    "terr_id": "terr_id",
    "gross_area_ha": "terr_surf_brute",
    "sale_status": "terr_stade_comm",
    "price_eur_m2": "terr_m2_prix",
}
BATCH = 500


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    # Kept as read: the model's validators refuse what is out of range, naming the column.
    return number


def _yes_no(value: Any) -> bool | None:
    return {"oui": True, "non": False}.get(str(value).strip().lower()) if value is not None else None


def _site_point(raw: Any) -> tuple[float | None, float | None]:
    """CNIG writes site_geompoint as 'longitude, latitude' in WGS84."""
    try:
        longitude, latitude = (float(part) for part in str(raw).split(","))
    except (TypeError, ValueError):
        return None, None
    return latitude, longitude


def _row_errors(
    instance: Any, *, line: int, columns: dict[str, str], raw: Any, exclude: list[str]
) -> list[cnig.CellError]:
    """The model's own validators (types, bounds, lengths) on one imported row, as cell errors.

    The kept CNIG cells (`attributes`) are checked by their validator directly: the JSON field's own
    check serialises the whole row a second time."""
    found = []
    try:
        validate_cnig_attributes(instance.attributes)
    except ValidationError as error:
        column = next((name for name, cell in raw.items() if len(str(cell)) > MAX_CNIG_CELL), None)
        found += [_cell_error(line, column or "attributes", item) for item in error.error_list]
    try:
        instance.full_clean(
            exclude=[*exclude, "attributes"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        for name, items in error.error_dict.items():
            found += [_cell_error(line, columns.get(name, name), item) for item in items]
    return found


def _cell_error(line: int, column: str, error: ValidationError) -> cnig.CellError:
    """A model validator's refusal as a cell error: its English template (Django's and ours are in the
    catalogues, so a page phrases it again in its reader's language) and its values as plain text."""
    with translation.override("en"):
        template = str(error.message)
        params = {key: _plain(value) for key, value in (error.params or {}).items()}
    return cnig.CellError(line, column, template, params)


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | str) and not isinstance(value, bool) else str(value)


def _plan_row(
    found: Any,
    fields: dict[str, Any],
    *,
    model: type[models.Model],
    identity: dict[str, str],
    plan: tuple[list[Any], list[Any]],
) -> tuple[Any, int]:
    """One imported record: a new row to create, a stored row to update, or a stored row left as it is
    (then 1, to count it unchanged)."""
    to_create, to_update = plan
    if found is None:
        row = model(**identity, **fields)
        to_create.append(row)
        return row, 0
    if _changed(found, fields):
        to_update.append(found)
        return found, 0
    return found, 1


def _changed(instance: Any, fields: dict[str, Any]) -> bool:
    """Set the fields on a stored record; whether any of them changed (unchanged rows are not written)."""
    changed = False
    for name, value in fields.items():
        if isinstance(value, Decimal) and getattr(instance, name) is not None:
            same = Decimal(getattr(instance, name)) == value
        elif name in {"owner", "site", "commune"}:
            same = getattr(instance, f"{name}_id") == (value.pk if value is not None else None)
        else:
            same = getattr(instance, name) == value
        if not same:
            setattr(instance, name, value)
            changed = True
    return changed


def _existing(records: Any, key: str, identifiers: list[str]) -> dict[str, Any]:
    """The records (of one owner's, one site's...) with these identifiers, by identifier."""
    found: dict[str, Any] = {}
    for start in range(0, len(identifiers), BATCH):
        for item in records.filter(**{f"{key}__in": identifiers[start : start + BATCH]}):
            found[getattr(item, key)] = item
    return found


def _update_rows(model: Any, instances: list[Any], fields: list[str]) -> None:
    """Write changed records: one prepared UPDATE run for every row (executemany). Django's bulk_update
    builds a CASE per field whose cost grows with the square of the batch: minutes for 20,000 rows."""
    if not instances:
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET "
        + ", ".join(f"{quote(field.column)} = %s" for field in columns)
        + f" WHERE {quote(model._meta.pk.column)} = %s"
    )
    rows = [
        [field.get_db_prep_save(getattr(item, field.attname), connection) for field in columns] + [item.pk]
        for item in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert_rows(model: Any, instances: list[Any]) -> None:
    """Write new records with one prepared INSERT run for every row: Django's bulk_create compiles a
    statement of hundreds of rows at a time, which costs more than the database's own work here. The
    primary keys are not read back (nothing after the import needs them)."""
    if not instances:
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    columns = [field for field in model._meta.concrete_fields if not field.primary_key]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    rows = [
        [field.get_db_prep_save(field.pre_save(item, True), connection) for field in columns]
        for item in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _audit_import(*, actor: Actor, target: Any, kind: str, result: CnigImportResult, file_name: str) -> None:
    audit_record(
        actor=actor,
        action="import",
        target=target,
        summary=f"CNIG {kind} {file_name}: {result.rows_read} rows, {result.created} created, "
        f"{result.updated} updated",
        details={"kind": kind, "file": file_name, **result.as_dict()},
    )


def _noop(done: int, total: int, stage: str) -> None:
    return None


def cnig_import_sites(
    *,
    actor: Actor,
    owner: Authority,
    content: bytes,
    file_name: str = "",
    on_progress: ProgressCallback | None = None,
) -> CnigImportResult:
    """Import a CNIG site-eco CSV file for one authority: all rows, or none if any row is wrong.

    Every row goes through the Site model's validators (bounds, lengths) before anything is written; a
    refusal names the row and the CNIG column. The writes are one transaction, with one audit event."""
    progress = on_progress or _noop
    _check_owner(actor=actor, owner=owner)
    table = cnig.read_table(
        cnig.SITE, content, on_progress=lambda done, total: progress(done, total, "reading")
    )
    total = len(table.records)
    # The owner's own sites only: another authority's site with the same identifier is not this one.
    existing = _existing(
        Site.objects.filter(owner=owner), "site_id", [str(r.values["site_id"]) for r in table.records]
    )
    known_codes = commune_index()
    communes: dict[str, Any] = {}
    to_create: list[Site] = []
    to_update: list[Site] = []
    unchanged = 0
    errors: list[cnig.CellError] = []
    for number, record in enumerate(table.records, start=1):
        line, values = record.line, record.values
        insee = str(values.get("site_comm_insee") or "")
        if insee not in communes:
            communes[insee] = commune_resolve(insee=insee)
        commune = communes[insee]
        # A real commune outside the loaded territory is kept by code; a code France does not know is refused.
        if commune is None and insee not in known_codes:
            raise ValidationError(
                _("Row %(row)d, column site_comm_insee: unknown INSEE code %(code)s.")
                % {"row": line, "code": insee}
            )
        site = existing.get(str(values["site_id"]))
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
            "attributes": dict(record.raw),
        }
        site, same = _plan_row(
            site,
            fields,
            model=Site,
            identity={"site_id": str(values["site_id"])},
            plan=(to_create, to_update),
        )
        unchanged += same
        # owner and commune were resolved above; the yes/no flags come from a mapping that yields only those.
        errors += _row_errors(
            site,
            line=line,
            columns=SITE_COLUMNS,
            raw=record.raw,
            exclude=["owner", "commune", "tertiary", "fibre", "is_demo", "archived_at"],
        )
        if number % 1000 == 0:
            progress(number, total, "checking")
        if len(errors) > 1000:
            break
    if errors:
        raise cnig.CnigFormatError(cnig.SITE, errors)
    progress(total, total, "saving")
    with transaction.atomic():
        _lock_owner(owner)
        # Another import for this owner may have committed since the rows were checked: its new sites
        # are updated here instead of inserted twice (which the per-owner constraint would refuse).
        arrived = _existing(Site.objects.filter(owner=owner), "site_id", [site.site_id for site in to_create])
        if arrived:
            for site in to_create:
                if site.site_id in arrived:
                    site.pk = arrived[site.site_id].pk
                    to_update.append(site)
            to_create = [site for site in to_create if site.pk is None]
        result = CnigImportResult(
            created=len(to_create), updated=len(to_update), rows_read=total, unchanged=unchanged
        )
        _insert_rows(Site, to_create)
        _update_rows(Site, to_update, list(SITE_UPDATED_FIELDS))
        _audit_import(actor=actor, target=owner, kind=cnig.SITE, result=result, file_name=file_name)
    return result


def _lock_owner(owner: Authority) -> None:
    """Inside an import's write transaction: lock the owner's row, so that two imports for one owner write
    one after the other and the second sees the first's records (SQLite's IMMEDIATE transactions already
    serialise writers; PostgreSQL needs the row lock)."""
    if not Authority.objects.select_for_update().filter(pk=owner.pk).values_list("pk", flat=True).first():
        raise ValidationError(_("The owner of these sites no longer exists."))


SITE_UPDATED_FIELDS = (
    "name",
    "site_type",
    "commune_insee",
    "commune",
    "gross_area_ha",
    "usable_area_ha",
    "available_area_ha",
    "tertiary",
    "fibre",
    "latitude",
    "longitude",
    "attributes",
)


def cnig_import_plots(
    *,
    actor: Actor,
    owner: Authority,
    content: bytes,
    file_name: str = "",
    on_progress: ProgressCallback | None = None,
) -> CnigImportResult:
    """Import a CNIG terrain-eco CSV file for one authority: every plot's site must be one of its sites.

    A site identifier that is not the owner's gets the same answer whether another authority has it or
    nobody does."""
    progress = on_progress or _noop
    _check_owner(actor=actor, owner=owner)
    table = cnig.read_table(
        cnig.PLOT, content, on_progress=lambda done, total: progress(done, total, "reading")
    )
    total = len(table.records)
    to_create, to_update, unchanged = _plots_planned(table, owner=owner, progress=progress)
    progress(total, total, "saving")
    with transaction.atomic():
        _lock_owner(owner)
        to_create, to_update = _plots_still_planned(to_create, to_update, owner=owner)
        result = CnigImportResult(
            created=len(to_create), updated=len(to_update), rows_read=total, unchanged=unchanged
        )
        _insert_rows(Plot, to_create)
        Plot.objects.bulk_update(
            to_update,
            ["site", "gross_area_ha", "sale_status", "price_eur_m2", "attributes"],
            batch_size=BATCH,
        )
        audit_target = to_create[0].site if to_create else (to_update[0].site if to_update else None)
        if audit_target is not None:
            _audit_import(
                actor=actor, target=audit_target.owner, kind=cnig.PLOT, result=result, file_name=file_name
            )
    return result


def _plots_planned(
    table: cnig.CnigTable, *, owner: Authority, progress: ProgressCallback
) -> tuple[list[Plot], list[Plot], int]:
    """Each record of the file checked and planned: the plots to create, those to update, and the count of
    those left unchanged; every refusal at once (up to a thousand), naming its row and column."""
    total = len(table.records)
    editable_sites = {site.site_id: site for site in Site.objects.filter(owner=owner)}
    existing = {
        (plot.site_id, plot.terr_id): plot
        for plot in Plot.objects.filter(
            site__owner=owner, terr_id__in=[str(r.values["terr_id"]) for r in table.records]
        )
    }
    to_create: list[Plot] = []
    to_update: list[Plot] = []
    unchanged = 0
    errors: list[cnig.CellError] = []
    for number, record in enumerate(table.records, start=1):
        values = record.values
        site = editable_sites.get(str(values["site_id"]))
        if site is None:
            raise ValidationError(
                _("Row %(row)d, column site_id: %(owner)s has no site %(id)s; import its site first.")
                % {"row": record.line, "owner": owner.name, "id": values["site_id"]}
            )
        plot = existing.get((site.pk, str(values["terr_id"])))
        fields = {
            "site": site,
            "gross_area_ha": _decimal(values.get("terr_surf_brute")),
            "sale_status": values.get("terr_stade_comm") or "",
            "price_eur_m2": _decimal(values.get("terr_m2_prix")),
            "attributes": dict(record.raw),
        }
        plot, same = _plan_row(
            plot,
            fields,
            model=Plot,
            identity={"terr_id": str(values["terr_id"])},
            plan=(to_create, to_update),
        )
        unchanged += same
        errors += _row_errors(plot, line=record.line, columns=PLOT_COLUMNS, raw=record.raw, exclude=["site"])
        if number % 1000 == 0:
            progress(number, total, "checking")
        if len(errors) > 1000:
            break
    if errors:
        raise cnig.CnigFormatError(cnig.PLOT, errors)
    return to_create, to_update, unchanged


def _plots_still_planned(
    to_create: list[Plot], to_update: list[Plot], *, owner: Authority
) -> tuple[list[Plot], list[Plot]]:
    """Inside the write transaction, the owner locked: the plan against what another import changed since
    the rows were checked. A site removed refuses the file; a plot added is updated, not inserted twice."""
    sites_now = set(
        Site.objects.filter(owner=owner, pk__in={plot.site_id for plot in to_create + to_update}).values_list(
            "pk", flat=True
        )
    )
    gone = next((plot for plot in to_create + to_update if plot.site_id not in sites_now), None)
    if gone is not None:
        raise ValidationError(
            _("Site %(id)s of %(owner)s was removed while the file was read; import it again.")
            % {"id": gone.site.site_id, "owner": owner.name}
        )
    arrived = {
        (plot.site_id, plot.terr_id): plot.pk
        for plot in Plot.objects.filter(
            site__owner=owner, terr_id__in=[plot.terr_id for plot in to_create]
        ).only("pk", "site_id", "terr_id")
    }
    if arrived:
        for plot in to_create:
            if (plot.site_id, plot.terr_id) in arrived:
                plot.pk = arrived[(plot.site_id, plot.terr_id)]
                to_update.append(plot)
        to_create = [plot for plot in to_create if plot.pk is None]
    return to_create, to_update
