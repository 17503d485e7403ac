"""Writes of labour-market data: the four importers and the contact centres the agency records by hand.

Each import is one transaction: the file is parsed by :mod:`guichet.sources` (which refuses a malformed file
whole, naming the row and column), then written; any error leaves the database as it was. Imports are
idempotent: importing the same file again gives the same rows (upserts on natural keys), and the import
log keeps one :class:`ImportRun` per kind, file digest and parameters.

- SIRENE: the contact centres from SIRENE within the import's scope (NAF codes x départements) are replaced
  by the file's: rows are updated by SIRET, added, and those absent from the file are deleted. Nothing else
  changes (other départements, other NAF codes, centres recorded by hand).
- Zones d'emploi: the zoning is replaced whole (it is one national table).
- DARES and France Travail: counts are upserted by (territory, period, category, sex, age band, ROME code).

Imports are run by agency staff (``actor.is_agency``) or by the command line as the system (``actor=None``).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.selectors import require_agency
from guichet.audit.services import audit_record
from guichet.labour.models import (
    CentreOrigin,
    CommuneZone,
    ContactCentre,
    EmploymentZone,
    ImportKind,
    ImportRun,
    JobSeekerCount,
    LabourDataVersion,
    TerritoryType,
)
from guichet.sources import employment, sirene
from guichet.territory.models import Commune, FormerCommune

_CHUNK = 2000
_TOTAL_WORDS = {"ensemble", "total", "tous", "toutes", "all", "tout age", "tous ages"}
POOL_TERRITORY_TYPES = (TerritoryType.COMMUNE, TerritoryType.ZONE, TerritoryType.DEPARTEMENT)


# --- helpers -------------------------------------------------------------------------------------------


def _require_agency(actor: Any) -> None:
    """``None`` is the system (the command line); a person must be agency staff."""
    if actor is not None:
        require_agency(actor, _("Only agency staff import labour-market data."))


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def labour_data_changed() -> None:
    """Tell every process that the imported data changed (inside the caller's transaction)."""
    LabourDataVersion.objects.update_or_create(
        key="labour", defaults={"token": LabourDataVersion.new_token(), "changed_at": timezone.now()}
    )


def _digest_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(8 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _run_for(
    *, kind: str, sha256: str, size: int, file_name: str, parameters: dict[str, Any], actor: Any
) -> ImportRun:
    """The log entry of this import: the same file with the same parameters reuses its entry."""
    for run in ImportRun.objects.filter(kind=kind, sha256=sha256):
        if run.parameters == parameters:
            break
    else:
        run = ImportRun(kind=kind, sha256=sha256, parameters=parameters)
    run.file_name = file_name[:255]
    run.file_size = size
    run.by = _person(actor)
    run.at = timezone.now()
    run.save()
    return run


def _run_for_upload(*, kind: str, content: bytes, file_name: str, actor: Any) -> ImportRun:
    """The log entry of an uploaded file that takes no parameters."""
    return _run_for(
        kind=kind,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        file_name=file_name,
        parameters={},
        actor=actor,
    )


def _finish(
    run: ImportRun,
    *,
    actor: Any,
    rows_read: int,
    kept: int,
    skipped: dict[str, int],
    rejected: dict[str, int],
    warnings: dict[str, int],
    vintage: str = "",
) -> ImportRun:
    run.rows_read = rows_read
    run.kept = kept
    run.rejected = sum(rejected.values())
    run.reasons = {"skipped": skipped, "rejected": rejected, "warnings": warnings}
    run.vintage = vintage[:100]
    run.save()
    labour_data_changed()
    audit_record(
        actor=actor,
        action="import",
        target=run,
        summary=f"{run.get_kind_display()}: {run.file_name}",
        details={"rows_read": rows_read, "kept": kept, "rejected": run.rejected},
    )
    return run


def _current_communes() -> dict[str, Commune]:
    """Loaded communes by code, former codes included (they point to the commune they merged into)."""
    communes = {c.insee: c for c in Commune.objects.only("insee", "departement_id")}
    for former, current in FormerCommune.objects.values_list("insee", "current_id"):
        communes.setdefault(former, communes[current])
    return communes


def _fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()


def _is_total(label: str | None) -> bool:
    return label is None or _fold(label) in _TOTAL_WORDS


def loaded_departements() -> list[str]:
    return list(
        Commune.objects.order_by("departement_id").values_list("departement_id", flat=True).distinct()
    )


# --- SIRENE --------------------------------------------------------------------------------------------

_CENTRE_FIELDS = [
    "name",
    "commune",
    "commune_code",
    "departement",
    "naf",
    "band",
    "band_year",
    "jobs_low",
    "jobs_mid",
    "jobs_high",
    "latitude",
    "longitude",
    "partially_masked",
    "import_run",
]


@transaction.atomic
def sirene_import(
    *,
    actor: Any,
    path: Path | str,
    naf_codes: Collection[str] = sirene.CALL_CENTRE_NAF,
    departements: Collection[str] | None = None,
    on_progress: sirene.ProgressCallback | None = None,
    file_name: str | None = None,
) -> ImportRun:
    """Import the active establishments of ``naf_codes`` in ``departements`` (default: the loaded ones)
    from a StockEtablissement file (CSV, .csv.gz, .zip or Parquet). Raises SireneFormatError on a bad file."""
    _require_agency(actor)
    source = Path(path)
    naf = sorted({code.strip().upper() for code in naf_codes if code.strip()})
    if not naf:
        raise ValidationError(_("Give at least one NAF code."))
    scope = sorted({d.strip().upper() for d in departements if d.strip()}) if departements else []
    if not scope:
        scope = loaded_departements()
    if not scope:
        raise ValidationError(_("No territory is loaded: run `guichet data load` first."))
    if not source.exists():
        raise sirene.SireneFormatError("file not found", source=source.name)
    sha256, size = _digest_file(source)
    run = _run_for(
        kind=ImportKind.SIRENE,
        sha256=sha256,
        size=size,
        file_name=file_name or source.name,
        parameters={"naf": naf, "departements": scope},
        actor=actor,
    )
    communes = _current_communes()
    existing = dict(
        ContactCentre.objects.filter(origin=CentreOrigin.SIRENE, siret__isnull=False).values_list(
            "siret", "pk"
        )
    )
    seen: set[str] = set()
    rejected: Counter[str] = Counter()
    to_create: list[ContactCentre] = []
    to_update: list[ContactCentre] = []
    band_years: set[int] = set()

    def flush() -> None:
        if to_create:
            ContactCentre.objects.bulk_create(to_create, batch_size=500)
            to_create.clear()
        if to_update:
            ContactCentre.objects.bulk_update(to_update, _CENTRE_FIELDS, batch_size=500)
            to_update.clear()

    reader = sirene.read_establishments(source, naf_codes=naf, departements=scope, on_progress=on_progress)
    for batch in reader:
        for record in batch:
            if record.siret in seen:
                rejected["SIRET repeated in the file"] += 1
                continue
            commune = communes.get(record.commune_insee or "")
            if commune is None:
                rejected["commune code not in the loaded territory"] += 1
                continue
            seen.add(record.siret)
            if record.band_year:
                band_years.add(record.band_year)
            centre = ContactCentre(
                origin=CentreOrigin.SIRENE,
                siret=record.siret,
                name=(record.name or "")[:200],
                commune=commune,
                commune_code=commune.insee,
                departement=commune.departement_id,
                naf=record.naf[:6],
                band=record.band or "",
                band_year=record.band_year,
                jobs_low=record.jobs_low,
                jobs_mid=record.jobs_mid,
                jobs_high=record.jobs_high,
                latitude=record.latitude,
                longitude=record.longitude,
                partially_masked=record.partially_masked,
                import_run=run,
            )
            if record.siret in existing:
                centre.pk = existing[record.siret]
                to_update.append(centre)
            else:
                to_create.append(centre)
            if len(to_create) + len(to_update) >= _CHUNK:
                flush()
    flush()
    stale = ContactCentre.objects.filter(
        origin=CentreOrigin.SIRENE, departement__in=scope, naf__in=naf
    ).exclude(siret__in=seen)
    stale.delete()
    report = reader.report
    rejected.update(report.rejected)
    vintage = ""
    if band_years:
        low, high = min(band_years), max(band_years)
        vintage = f"headcounts {low}" if low == high else f"headcounts {low}-{high}"
    return _finish(
        run,
        actor=actor,
        rows_read=report.rows_read,
        kept=len(seen),
        skipped=dict(report.skipped),
        rejected=dict(rejected),
        warnings=dict(report.warnings),
        vintage=vintage,
    )


# --- INSEE zones d'emploi ------------------------------------------------------------------------------


@transaction.atomic
def zones_import(*, actor: Any, content: bytes, file_name: str) -> ImportRun:
    """Replace the commune -> employment-zone table with an INSEE zones d'emploi 2020 workbook."""
    _require_agency(actor)
    result = employment.parse_zones_emploi(content)
    run = _run_for_upload(kind=ImportKind.ZONES, content=content, file_name=file_name, actor=actor)
    CommuneZone.objects.all().delete()
    EmploymentZone.objects.all().delete()
    zones: dict[str, EmploymentZone] = {}
    for record in result.records:
        zones.setdefault(
            record.zone_code,
            EmploymentZone(code=record.zone_code, name=record.zone_name[:200], import_run=run),
        )
    EmploymentZone.objects.bulk_create(zones.values(), batch_size=1000)
    CommuneZone.objects.bulk_create(
        (
            CommuneZone(
                commune_code=record.commune_insee,
                commune_name=record.commune_name[:100],
                zone=zones[record.zone_code],
                import_run=run,
            )
            for record in result.records
        ),
        batch_size=1000,
    )
    loaded = set(Commune.objects.values_list("insee", flat=True))
    listed = {r.commune_insee for r in result.records}
    warnings = {}
    missing = len(loaded - listed - set(FormerCommune.objects.values_list("insee", flat=True)))
    if missing:
        warnings["loaded communes absent from the zoning"] = missing
    return _finish(
        run,
        actor=actor,
        rows_read=result.report.rows_read,
        kept=result.report.kept,
        skipped=dict(result.report.skipped),
        rejected={},
        warnings={**result.report.warnings, **warnings},
        vintage="ZE2020",
    )


# --- job seekers ---------------------------------------------------------------------------------------


def _upsert_counts(rows: Iterable[JobSeekerCount]) -> None:
    JobSeekerCount.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["territory_type", "territory_code", "period", "category", "sex", "age_band", "rome"],
        update_fields=["value", "is_total", "import_run"],
    )


@transaction.atomic
def job_seekers_import(*, actor: Any, content: bytes, file_name: str) -> ImportRun:
    """DARES monthly job-seeker counts by employment zone (xlsx or CSV). A 5-character code that is a loaded
    commune is taken as a count for that commune."""
    _require_agency(actor)
    result = employment.parse_dares_job_seekers(content)
    run = _run_for_upload(kind=ImportKind.JOB_SEEKERS, content=content, file_name=file_name, actor=actor)
    communes = set(Commune.objects.values_list("insee", flat=True))
    rows = []
    for record in result.records:
        is_commune = len(record.zone_code) == 5 and record.zone_code in communes
        rows.append(
            JobSeekerCount(
                territory_type=TerritoryType.COMMUNE if is_commune else TerritoryType.ZONE,
                territory_code=record.zone_code,
                period=record.period,
                category=record.category,
                sex=(record.sex or "")[:40],
                age_band=(record.age_band or "")[:40],
                rome="",
                value=float(record.value),
                is_total=_is_total(record.sex) and _is_total(record.age_band),
                import_run=run,
            )
        )
    _upsert_counts(rows)
    _, period = employment.zone_totals(result.records)
    return _finish(
        run,
        actor=actor,
        rows_read=result.report.rows_read,
        kept=len(rows),
        skipped=dict(result.report.skipped),
        rejected={},
        warnings=dict(result.report.warnings),
        vintage=period or "",
    )


@transaction.atomic
def france_travail_import(*, actor: Any, content: bytes, file_name: str) -> ImportRun:
    """France Travail statistics answers (job seekers by ROME code and territory) saved as JSON."""
    _require_agency(actor)
    result = employment.parse_france_travail_json(content)
    run = _run_for_upload(kind=ImportKind.FRANCE_TRAVAIL, content=content, file_name=file_name, actor=actor)
    rejected: Counter[str] = Counter()
    warnings: Counter[str] = Counter(result.report.warnings)
    seen: set[tuple[str, str, str, str, str]] = set()
    rows = []
    periods: dict[str, str] = {}
    for record in result.records:
        territory_type = record.territory_type.upper()
        key = (
            territory_type,
            record.territory_code,
            record.period,
            record.nomenclature or "",
            record.activity_code,
        )
        if key in seen:
            rejected["same territory, ROME code and period given twice"] += 1
            continue
        seen.add(key)
        if territory_type not in POOL_TERRITORY_TYPES:
            warnings[
                f"territory type {territory_type} kept but not used for the pool (COM, ZE, DEP are)"
            ] += 1
        periods[record.period] = record.period_label or record.period
        rows.append(
            JobSeekerCount(
                territory_type=territory_type[:10],
                territory_code=record.territory_code[:10],
                period=record.period[:20],
                category=(record.nomenclature or "")[:20],
                sex="",
                age_band="",
                rome=record.activity_code,
                value=record.value,
                is_total=True,
                import_run=run,
            )
        )
    _upsert_counts(rows)
    vintage = periods[max(periods)] if periods else ""
    return _finish(
        run,
        actor=actor,
        rows_read=result.report.rows_read,
        kept=len(rows),
        skipped=dict(result.report.skipped),
        rejected=dict(rejected),
        warnings=dict(warnings),
        vintage=vintage,
    )


# --- contact centres recorded by hand ------------------------------------------------------------------


def _check_manual(centre: ContactCentre) -> None:
    if centre.origin != CentreOrigin.MANUAL:
        raise PermissionDenied(_("Centres imported from SIRENE change only by importing SIRENE again."))


def _save_centre(centre: ContactCentre, values: dict[str, Any]) -> ContactCentre:
    for name, value in values.items():
        setattr(centre, name, value)
    centre.siret = (centre.siret or "").strip() or None
    if centre.commune is not None:
        centre.commune_code = centre.commune.insee
        centre.departement = centre.commune.departement_id
    low, high = centre.jobs_low, centre.jobs_high
    if low is not None and high is None:
        centre.jobs_high = high = low
    if low is not None and high is not None:
        if high < low:
            raise ValidationError({"jobs_high": _("The high count cannot be below the low count.")})
        centre.jobs_mid = (low + high) / 2.0
    else:
        centre.jobs_mid = None
    centre.full_clean()
    centre.save()
    return centre


@transaction.atomic
def contact_centre_create(*, actor: Any, name: str, commune: Commune, **values: Any) -> ContactCentre:
    """Record a contact centre by hand (jobs_low, jobs_high; a known headcount: low = high)."""
    _require_agency(actor)
    centre = ContactCentre(origin=CentreOrigin.MANUAL, recorded_by=_person(actor))
    _save_centre(centre, {"name": name, "commune": commune, **values})
    labour_data_changed()
    audit_record(actor=actor, action="create", target=centre, summary=centre.name)
    return centre


@transaction.atomic
def contact_centre_update(*, actor: Any, centre: ContactCentre, **values: Any) -> ContactCentre:
    _require_agency(actor)
    _check_manual(centre)
    before = {name: str(getattr(centre, name)) for name in values}
    values.setdefault("recorded_by", _person(actor))
    _save_centre(centre, values)
    labour_data_changed()
    changed = {name: [before[name], str(getattr(centre, name))] for name in before}
    audit_record(actor=actor, action="update", target=centre, summary=centre.name, details=changed)
    return centre


@transaction.atomic
def contact_centre_delete(*, actor: Any, centre: ContactCentre) -> None:
    _require_agency(actor)
    _check_manual(centre)
    audit_record(actor=actor, action="delete", target=centre, summary=centre.name)
    centre.delete()
    labour_data_changed()
