"""Writes of labour-market data: the importers and the contact centres the agency records by hand.

Each import writes in one transaction: the file is parsed and checked by :mod:`guichet.sources` (which refuses
a malformed file whole, naming the row and column) before the transaction opens, then written; any error
leaves the database as it was. On SQLite the write lock is so held only while the rows are written, not
while a large file is read. Imports are
idempotent: importing the same file again gives the same rows (upserts on natural keys), and the import
log keeps one :class:`ImportRun` per kind, file digest and parameters.

- SIRENE: the contact centres from SIRENE within the import's scope (NAF codes x départements; by default the
  départements within reach of the territory, so that catchments crossing its border are covered) are
  replaced by the file's: rows are updated by SIRET, added, and those absent from the file are deleted.
  Nothing else changes (other départements, other NAF codes, centres recorded by hand). With INSEE's
  geolocation file, each establishment's point comes from it (joined by SIRET).
- Zones d'emploi: the zoning is replaced whole (it is one national table).
- DARES and France Travail: counts are upserted by (territory, period, category, sex, age band, ROME code).
- Travel times: pairs are upserted by (origin, destination).

Each is a plain function, its writes one transaction, returning the :class:`ImportRun` (rows read, kept,
rejected, with reasons: each an English template with its values and count, phrased by the page in its
reader's language); ``on_progress(done, total)``, when given, is called as the rows are written (for
SIRENE, as the file's bytes are read).

Imports are run by agency staff (``actor.is_agency``) or by the command line as the system (``actor=None``).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from guichet.accounts.models import User
from guichet.accounts.selectors import require_agency
from guichet.accounts.types import Actor
from guichet.audit.services import audit_record
from guichet.labour.models import (
    CentreKind,
    CentreOrigin,
    CommuneZone,
    ContactCentre,
    EmploymentZone,
    ImportKind,
    ImportRun,
    JobSeekerCount,
    LabourDataVersion,
    TerritoryType,
    TravelTime,
)
from guichet.sources import employment, sirene, sirene_geolocation, travel_times
from guichet.territory.models import Commune, FormerCommune, NationalCommune

Progress = Callable[[int, int], None]

_CHUNK = 2000
_TOTAL_WORDS = {"ensemble", "total", "tous", "toutes", "all", "tout age", "tous ages"}
POOL_TERRITORY_TYPES = (TerritoryType.COMMUNE, TerritoryType.ZONE, TerritoryType.DEPARTEMENT)

# A reason an import skipped, rejected or warned about rows: an English template without values (as the
# readers count them), or (template, its values as JSON) built by :func:`_reason`.
ReasonKey = str | tuple[str, str]
Reasons = Mapping[str, int] | Mapping[ReasonKey, int]


# --- helpers -------------------------------------------------------------------------------------------


def _require_agency(actor: Actor | None) -> None:
    """``None`` is the system (the command line); a person must be agency staff."""
    if actor is not None:
        # Lazy: a background job stores the English template and its page phrases it for its reader.
        require_agency(actor, gettext_lazy("Only agency staff import labour-market data."))


def _reason(template: str, **params: Any) -> tuple[str, str]:
    """A reason with values (hashable, to count): the template and its values as JSON. A value may itself
    be a reason ({"template", "params"}), phrased inside the other."""
    return template, json.dumps(params, sort_keys=True)


def _reason_entries(counts: Reasons) -> list[dict[str, Any]]:
    """The reasons as stored on the run: [{"template", "params", "count"}], the most frequent first."""
    entries = []
    for key, count in counts.items():
        template, params = (key, {}) if isinstance(key, str) else (key[0], json.loads(key[1]))
        entries.append({"template": template, "params": params, "count": count})
    return sorted(entries, key=lambda entry: -entry["count"])


def _person(actor: Actor | None) -> User | None:
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
    *, kind: str, sha256: str, size: int, file_name: str, parameters: dict[str, Any], actor: Actor | None
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


def _run_for_upload(*, kind: str, content: bytes, file_name: str, actor: Actor | None) -> ImportRun:
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
    actor: Actor | None,
    rows_read: int,
    kept: int,
    skipped: Reasons,
    rejected: Reasons,
    warnings: Reasons,
    vintage: str = "",
) -> ImportRun:
    run.rows_read = rows_read
    run.kept = kept
    run.rejected = sum(rejected.values())
    run.reasons = {
        "skipped": _reason_entries(skipped),
        "rejected": _reason_entries(rejected),
        "warnings": _reason_entries(warnings),
    }
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


def _national_communes() -> dict[str, tuple[str, str]]:
    """Every commune code of France, former codes included -> (current code, département)."""
    from guichet.data.dataset import commune_index

    current = dict(NationalCommune.objects.values_list("insee", "departement"))
    if not current:
        current = dict(Commune.objects.values_list("insee", "departement_id"))
    found = {code: (code, dep) for code, dep in current.items()}
    for code, (_name, _dep, today) in commune_index().items():
        if code not in found and today in current:
            found[code] = (today, current[today])
    for former, today in FormerCommune.objects.values_list("insee", "current_id"):
        if former not in found and today in current:
            found[former] = (today, current[today])
    return found


def _named(content: bytes, file_name: str) -> Path | bytes:
    """The content as the parsers take it, named for their error messages."""
    return _NamedBytes(content, file_name)


class _NamedBytes(bytes):
    """Bytes that remember their file's name (the parsers name it in their errors)."""

    name: str

    def __new__(cls, content: bytes, name: str) -> _NamedBytes:
        obj = super().__new__(cls, content)
        obj.name = name
        return obj


def _fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()


def _is_total(label: str | None) -> bool:
    return label is None or _fold(label) in _TOTAL_WORDS


def loaded_departements() -> list[str]:
    return list(
        Commune.objects.order_by("departement_id").values_list("departement_id", flat=True).distinct()
    )


def departements_in_reach() -> list[str]:
    """The départements of the loaded territory and of the communes within reach of it (those whose contour
    the dataset keeps for the catchment maps): the default scope of a SIRENE import."""
    reach = set(
        NationalCommune.objects.filter(contour__isnull=False).values_list("departement", flat=True).distinct()
    )
    return sorted(reach | set(loaded_departements()))


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
    "kind",
]


def sirene_import(
    *,
    actor: Actor | None,
    path: Path | str,
    naf_codes: Collection[str] = sirene.CALL_CENTRE_NAF,
    departements: Collection[str] | None = None,
    geolocation_path: Path | str | None = None,
    on_progress: sirene.ProgressCallback | None = None,
    file_name: str | None = None,
    geolocation_file_name: str | None = None,
) -> ImportRun:
    """Import the active establishments of ``naf_codes`` in ``departements`` (default: those within reach of
    the territory) from a StockEtablissement file (CSV, .csv.gz, .zip or Parquet), with their points from
    INSEE's geolocation file when given. Raises SireneFormatError on a bad file."""
    _require_agency(actor)
    source = Path(path)
    naf = sorted({sirene.normalise_naf(code) for code in naf_codes if code.strip()})
    if not naf:
        raise ValidationError(gettext_lazy("Give at least one NAF code."))
    scope = sorted({d.strip().upper() for d in departements if d.strip()}) if departements else []
    if not scope:
        scope = departements_in_reach()
    if not scope:
        raise ValidationError(gettext_lazy("No territory is loaded: run `guichet data load` first."))
    if not source.exists():
        raise sirene.SireneFormatError(gettext_noop("file not found"), source=source.name)
    geolocation = Path(geolocation_path) if geolocation_path else None
    if geolocation is not None and not geolocation.exists():
        raise sirene.SireneFormatError(gettext_noop("file not found"), source=geolocation.name)
    sha256, size = _digest_file(source)
    parameters: dict[str, Any] = {"naf": naf, "departements": scope}
    if geolocation is not None:
        parameters["geolocation_sha256"] = _digest_file(geolocation)[0]
    # Read and check the whole file (and the geolocation file) before any transaction opens.
    communes = _national_communes()
    territory = {c.insee: c for c in Commune.objects.only("insee", "departement_id")}
    rejected: Counter[ReasonKey] = Counter()
    warnings: Counter[ReasonKey] = Counter()
    records: dict[str, tuple[sirene.Establishment, str, str]] = {}
    reader = sirene.read_establishments(source, naf_codes=naf, departements=scope, on_progress=on_progress)
    try:
        for batch in reader:
            for record in batch:
                if record.siret in records:
                    rejected[gettext_noop("SIRET repeated in the file")] += 1
                    continue
                found = communes.get(record.commune_insee or "")
                if found is None:
                    rejected[gettext_noop("commune code unknown in France's commune index")] += 1
                    continue
                records[record.siret] = (record, *found)
    except sirene.SireneFormatError as error:
        raise _as_named(error, source, file_name) from error
    points: dict[str, tuple[float, float]] = {}
    if geolocation is not None and records:
        try:
            points, geo_report = sirene_geolocation.read_geolocation(geolocation, records.keys())
        except sirene.SireneFormatError as error:
            raise _as_named(error, geolocation, geolocation_file_name) from error
        for text, count in geo_report.warnings.items():
            reason = {"template": text, "params": {}}
            warnings[_reason(gettext_noop("geolocation file: %(reason)s"), reason=reason)] += count
        for crs, count in geo_report.unknown_projections.items():
            template = gettext_noop("geolocation file: unknown projection %(crs)s (ignored)")
            warnings[_reason(template, crs=crs)] += count
        missing = len(records) - len(points)
        if missing:
            warnings[gettext_noop("establishments absent from the geolocation file (no point)")] += missing
    report = reader.report
    rejected.update(report.rejected)
    warnings.update(report.warnings)
    band_years = {record.band_year for record, _code, _dep in records.values() if record.band_year}
    vintage = ""
    if band_years:
        low, high = min(band_years), max(band_years)
        # The years of the headcount bands, without words: the label is shown in either language.
        vintage = str(low) if low == high else f"{low}–{high}"
    with transaction.atomic():
        run = _run_for(
            kind=ImportKind.SIRENE,
            sha256=sha256,
            size=size,
            file_name=file_name or source.name,
            parameters=parameters,
            actor=actor,
        )
        _sirene_write(run=run, records=records, points=points, territory=territory, scope=scope, naf=naf)
        return _finish(
            run,
            actor=actor,
            rows_read=report.rows_read,
            kept=len(records),
            skipped=dict(report.skipped),
            rejected=dict(rejected),
            warnings=dict(warnings),
            vintage=vintage,
        )


def _as_named(error: sirene.SireneFormatError, path: Path, name: str | None) -> sirene.SireneFormatError:
    """The same refusal naming the file as its user gave it (a job reads its own copy, named otherwise)."""
    if not name or not error.source.startswith(path.name):
        return error
    return sirene.SireneFormatError(
        error.template,
        source=name + error.source[len(path.name) :],
        row=error.row,
        column=error.column,
        sheet=error.sheet,
        params=error.params,
    )


def _sirene_write(
    *,
    run: ImportRun,
    records: dict[str, tuple[sirene.Establishment, str, str]],
    points: dict[str, tuple[float, float]],
    territory: dict[str, Commune],
    scope: list[str],
    naf: list[str],
) -> None:
    """The writes of a SIRENE import (inside its transaction): update by SIRET, add, delete the absent."""
    existing = dict(
        ContactCentre.objects.filter(origin=CentreOrigin.SIRENE, siret__isnull=False).values_list(
            "siret", "pk"
        )
    )
    to_create: list[ContactCentre] = []
    to_update: list[ContactCentre] = []
    for record, code, departement in records.values():
        latitude, longitude = points.get(record.siret, (record.latitude, record.longitude))
        centre = ContactCentre(
            origin=CentreOrigin.SIRENE,
            siret=record.siret,
            name=(record.name or "")[:200],
            commune=territory.get(code),
            commune_code=code,
            departement=departement,
            kind=CentreKind.OUTSOURCED,
            naf=record.naf[:6],
            band=record.band or "",
            band_year=record.band_year,
            jobs_low=record.jobs_low,
            jobs_mid=record.jobs_mid,
            jobs_high=record.jobs_high,
            latitude=latitude,
            longitude=longitude,
            partially_masked=record.partially_masked,
            import_run=run,
        )
        if record.siret in existing:
            centre.pk = existing[record.siret]
            to_update.append(centre)
        else:
            to_create.append(centre)
    ContactCentre.objects.bulk_create(to_create, batch_size=500)
    ContactCentre.objects.bulk_update(to_update, _CENTRE_FIELDS, batch_size=500)
    stale = ContactCentre.objects.filter(
        origin=CentreOrigin.SIRENE, departement__in=scope, naf__in=naf
    ).exclude(siret__in=list(records))
    stale.delete()


# --- INSEE zones d'emploi ------------------------------------------------------------------------------


def zones_import(
    *, actor: Actor | None, content: bytes, file_name: str, on_progress: Progress | None = None
) -> ImportRun:
    """Replace the commune -> employment-zone table with INSEE's zones d'emploi 2020 (the published zip, or
    its .xlsx or .xls workbook)."""
    _require_agency(actor)
    # Read and check the whole workbook before the write transaction opens.
    result = employment.parse_zones_emploi(_named(content, file_name))
    loaded = set(Commune.objects.values_list("insee", flat=True))
    listed = {r.commune_insee for r in result.records}
    warnings = {}
    missing = len(loaded - listed - set(FormerCommune.objects.values_list("insee", flat=True)))
    if missing:
        warnings[gettext_noop("loaded communes absent from the zoning")] = missing
    with transaction.atomic():
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
        if on_progress is not None:
            on_progress(len(result.records), len(result.records))
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


def _write_counts(
    rows: list[JobSeekerCount], *, run: ImportRun, on_progress: Progress | None, chunk: int = _CHUNK
) -> None:
    """Upsert the rows (built before the transaction) for this run, reporting progress by chunk."""
    for row in rows:
        row.import_run = run
    for start in range(0, len(rows), chunk):
        _upsert_counts(rows[start : start + chunk])
        if on_progress is not None:
            on_progress(min(start + chunk, len(rows)), len(rows))


def job_seekers_import(
    *, actor: Actor | None, content: bytes, file_name: str, on_progress: Progress | None = None
) -> ImportRun:
    """DARES job-seeker counts by employment zone, département or commune (xlsx, xls or CSV; long or wide
    layouts, one sheet per series, monthly or quarterly periods)."""
    _require_agency(actor)
    # Read and check the whole file before the write transaction opens.
    result = employment.parse_dares_job_seekers(_named(content, file_name))
    rows = [
        JobSeekerCount(
            territory_type=record.territory_type,
            territory_code=record.zone_code,
            period=record.period,
            category=record.category,
            sex=(record.sex or "")[:40],
            age_band=(record.age_band or "")[:40],
            rome="",
            value=float(record.value),
            is_total=_is_total(record.sex) and _is_total(record.age_band),
        )
        for record in result.records
    ]
    periods = sorted({r.period for r in result.records}, key=employment.period_sort_key)
    period = periods[-1] if periods else ""
    with transaction.atomic():
        run = _run_for_upload(kind=ImportKind.JOB_SEEKERS, content=content, file_name=file_name, actor=actor)
        _write_counts(rows, run=run, on_progress=on_progress)
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


def france_travail_import(
    *, actor: Actor | None, content: bytes, file_name: str, on_progress: Progress | None = None
) -> ImportRun:
    """France Travail statistics answers (job seekers by ROME code and territory) saved as JSON."""
    _require_agency(actor)
    # Read and check the whole file before the write transaction opens.
    result = employment.parse_france_travail_json(content)
    rejected: Counter[ReasonKey] = Counter()
    warnings: Counter[ReasonKey] = Counter(result.report.warnings)
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
            rejected[gettext_noop("same territory, ROME code and period given twice")] += 1
            continue
        seen.add(key)
        if territory_type not in POOL_TERRITORY_TYPES:
            template = gettext_noop(
                "territory type %(type)s kept but not used for the pool (COM, ZE, DEP are)"
            )
            warnings[_reason(template, type=territory_type)] += 1
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
            )
        )
    vintage = periods[max(periods)] if periods else ""
    with transaction.atomic():
        run = _run_for_upload(
            kind=ImportKind.FRANCE_TRAVAIL, content=content, file_name=file_name, actor=actor
        )
        _write_counts(rows, run=run, on_progress=on_progress, chunk=max(len(rows), 1))
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


# --- travel times --------------------------------------------------------------------------------------


def travel_times_import(
    *, actor: Actor | None, content: bytes, file_name: str, on_progress: Progress | None = None
) -> ImportRun:
    """A routing engine's travel-time matrix (origin commune, destination commune, minutes or seconds): its
    pairs replace the commute model's estimate (pairs already imported are updated)."""
    _require_agency(actor)
    # Read and check the whole file before the write transaction opens.
    result = travel_times.parse_travel_times(_named(content, file_name))
    known = _national_communes()
    rejected: Counter[ReasonKey] = Counter()
    rows = []
    for record in result.records:
        origin, destination = known.get(record.origin), known.get(record.destination)
        if origin is None or destination is None:
            rejected[gettext_noop("commune code unknown in France's commune index")] += 1
            continue
        rows.append(TravelTime(origin=origin[0], destination=destination[0], minutes=record.minutes))
    with transaction.atomic():
        run = _run_for_upload(kind=ImportKind.TRAVEL_TIMES, content=content, file_name=file_name, actor=actor)
        for row in rows:
            row.import_run = run
        for start in range(0, len(rows), _CHUNK):
            TravelTime.objects.bulk_create(
                rows[start : start + _CHUNK],
                update_conflicts=True,
                unique_fields=["origin", "destination"],
                update_fields=["minutes", "import_run"],
            )
            if on_progress is not None:
                on_progress(min(start + _CHUNK, len(rows)), len(rows))
        return _finish(
            run,
            actor=actor,
            rows_read=result.report.rows_read,
            kept=len(rows),
            skipped=dict(result.report.skipped),
            rejected=dict(rejected),
            warnings=dict(result.report.warnings),
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
def contact_centre_create(*, actor: Actor, name: str, commune: Commune, **values: Any) -> ContactCentre:
    """Record a contact centre by hand (jobs_low, jobs_high; a known headcount: low = high)."""
    _require_agency(actor)
    centre = ContactCentre(origin=CentreOrigin.MANUAL, recorded_by=_person(actor))
    _save_centre(centre, {"name": name, "commune": commune, **values})
    labour_data_changed()
    audit_record(actor=actor, action="create", target=centre, summary=centre.name)
    return centre


@transaction.atomic
def contact_centre_update(*, actor: Actor, centre: ContactCentre, **values: Any) -> ContactCentre:
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
def contact_centre_delete(*, actor: Actor | None, centre: ContactCentre) -> None:
    _require_agency(actor)
    _check_manual(centre)
    audit_record(actor=actor, action="delete", target=centre, summary=centre.name)
    centre.delete()
    labour_data_changed()
