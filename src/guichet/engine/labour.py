"""Labour pool of a catchment, contact-centre saturation and recruitment feasibility.

Pure computations (no Django, no I/O): plain values in, frozen dataclasses out. Every figure is a
:class:`Figure` that says where it comes from, so a page can label it:

- ``"imported"``: summed from values the caller supplied with a source label (a census, a user's import);
- ``"estimate"``: computed by the stated method with stated national rates, never local data;
- ``"mixed"``: imported for some communes of the catchment, estimated for the others (both stated);
- ``"unavailable"``: nothing to show (e.g. customer-relation job seekers before any import).

Per-commune inputs are :class:`CommuneValues` aligned with the catchment's communes (``None`` or NaN where a
commune has no value). For each commune the most direct value wins: an imported labour force over
``population 20-64 x activity rate``; imported job seekers over ``labour force x registered job-seeker
rate``. Job-seeker counts published by employment zone can be spread over communes first with
:func:`apportion_to_communes` (pro rata of a weight such as the population aged 20-64).

Default rates (parameters in :class:`LabourRates`, echoed in every result):

- activity rate of the 20-64 = 0.80. Derived, not published as such: Eurostat's employment rate of the
  20-64 in France, 74.4% in 2023 (LFS, table lfsa_ergan), divided by (1 - 7.3%), INSEE's ILO unemployment
  rate for 2023 ("Emploi, chômage, revenus du travail", édition 2024): 80.3%, rounded to 80%. INSEE's
  activity rate of the 15-64 (73.9% in 2023) would undercount: the 15-19 are mostly at school.
- registered job seekers per member of the labour force = 0.177: DARES / France Travail, 5,406,000 people
  registered in categories A, B, C in France excluding Mayotte, Q4 2023, over INSEE's labour force of
  30,575,000 (2022 annual average, Enquête Emploi, "France, portrait social" 2023). Registered job seekers
  are not ILO unemployed: categories B and C work reduced hours.

Saturation = contact-centre jobs / labour force; bands (Site Selection Group, ACCP / Expansion Management,
see CONTACT-CENTRE-FIGURES.md): under 2% comfortable, 2-3% tight, 3% and over saturated.

Recruitment feasibility: candidates needed each year = hires x candidates per hire (default 3.5, range 3-4,
NACSMA) over the job seekers in reach (customer-relation job seekers where imported for the whole catchment,
otherwise all registered job seekers). Verdict on the central share of the pool needed in the worst year:

- under 10%: ``"realistic"``, the project takes less than one candidate in ten from the pool;
- 10% to under 25%: ``"demanding"``, the project competes with every other employer for a large share of
  the same people and needs active sourcing (training schemes, wider catchment);
- 25% and over: ``"unrealistic"``, one candidate in four of all job seekers every year, year after year,
  while other employers recruit from the same pool.

The thresholds are judgement, stated as parameters (:class:`FeasibilityThresholds`). With them the article's
claim, 400 hires a year at 3-4 candidates per hire from 2,000 job seekers (60-80% of the pool), is
unrealistic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from guichet.engine.staffing import DEFAULT_CANDIDATES_PER_HIRE

__all__ = [
    "APPORTION_METHOD",
    "DEFAULT_CANDIDATES_PER_HIRE",
    "DEFAULT_CANDIDATES_PER_HIRE_RANGE",
    "DEFAULT_FEASIBILITY_THRESHOLDS",
    "DEFAULT_RATES",
    "DEFAULT_SATURATION_THRESHOLDS",
    "CommuneValues",
    "ContactCentre",
    "ContactCentreJobs",
    "Feasibility",
    "FeasibilityThresholds",
    "FeasibilityYear",
    "Figure",
    "LabourPool",
    "LabourRates",
    "Saturation",
    "SaturationThresholds",
    "apportion_to_communes",
    "contact_centre_jobs",
    "labour_pool",
    "recruitment_feasibility",
    "recruitment_feasibility_for_pool",
    "saturation",
]

FigureKind = Literal["imported", "estimate", "mixed", "unavailable"]
SaturationBand = Literal["comfortable", "tight", "saturated"]
Verdict = Literal["realistic", "demanding", "unrealistic", "unknown"]
PoolKind = Literal["customer_relation", "all"]

DEFAULT_CANDIDATES_PER_HIRE_RANGE = (3.0, 4.0)
APPORTION_METHOD = "employment-zone total shared among the zone's communes pro rata of {weight}"


@dataclass(frozen=True, slots=True)
class LabourRates:
    activity_rate: float = 0.80
    activity_rate_source: str = (
        "activity rate of the 20-64, France: Eurostat employment rate 20-64 2023 (74.4%, lfsa_ergan) "
        "/ (1 - INSEE ILO unemployment rate 2023, 7.3%) = 80.3%, rounded to 80%"
    )
    job_seeker_rate: float = 0.177
    job_seeker_rate_source: str = (
        "registered job seekers (France Travail cat. A, B, C) per member of the labour force, France excl. "
        "Mayotte: DARES Q4 2023, 5,406,000 / INSEE labour force 2022, 30,575,000 = 17.7%"
    )

    def __post_init__(self) -> None:
        for name in ("activity_rate", "job_seeker_rate"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise ValueError(f"{name} must lie between 0 and 1, got {value!r}")

    @property
    def labour_force_method(self) -> str:
        return f"population aged 20-64 x {self.activity_rate:g} ({self.activity_rate_source})"

    @property
    def job_seekers_method(self) -> str:
        return f"labour force x {self.job_seeker_rate:g} ({self.job_seeker_rate_source})"


DEFAULT_RATES = LabourRates()


@dataclass(frozen=True, slots=True)
class SaturationThresholds:
    """Contact-centre jobs / labour force: below ``tight`` comfortable, from ``saturated`` saturated."""

    tight: float = 0.02
    saturated: float = 0.03
    source: str = (
        "Site Selection Group; ACCP / Expansion Management: under 2% desirable, 3% or more saturated"
    )

    def __post_init__(self) -> None:
        if not (0.0 < self.tight < self.saturated):
            raise ValueError(f"need 0 < tight < saturated, got {self.tight!r}, {self.saturated!r}")

    def band(self, ratio: float) -> SaturationBand:
        if ratio >= self.saturated:
            return "saturated"
        if ratio >= self.tight:
            return "tight"
        return "comfortable"


DEFAULT_SATURATION_THRESHOLDS = SaturationThresholds()


@dataclass(frozen=True, slots=True)
class FeasibilityThresholds:
    """Share of the job seekers in reach needed in a year: below ``demanding`` realistic, from
    ``unrealistic`` unrealistic."""

    demanding: float = 0.10
    unrealistic: float = 0.25

    def __post_init__(self) -> None:
        if not (0.0 < self.demanding < self.unrealistic):
            raise ValueError(
                f"need 0 < demanding < unrealistic, got {self.demanding!r}, {self.unrealistic!r}"
            )

    def verdict(self, share: float) -> Verdict:
        if share >= self.unrealistic:
            return "unrealistic"
        if share >= self.demanding:
            return "demanding"
        return "realistic"


DEFAULT_FEASIBILITY_THRESHOLDS = FeasibilityThresholds()


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its provenance. ``source`` is the source label (with vintage) for an imported figure,
    the method with its rates for an estimate, both for a mixed one. ``communes_*`` count the catchment's
    communes by how their part was obtained (``missing``: no value could be had)."""

    value: float | None
    kind: FigureKind
    source: str
    communes_imported: int = 0
    communes_estimated: int = 0
    communes_missing: int = 0

    @classmethod
    def given(cls, value: float, source: str) -> Figure:
        """A figure the caller vouches for as a whole (e.g. a count typed from a publication)."""
        return cls(value=float(value), kind="imported", source=source)

    @property
    def complete(self) -> bool:
        return self.value is not None and self.communes_missing == 0


@dataclass(frozen=True)
class CommuneValues:
    """One value per commune of the catchment (same order as the catchment); None/NaN = no value."""

    values: Sequence[float | None]
    source: str


def _known(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _sum_figure(
    imported: Sequence[float | None],
    estimated: Sequence[float | None],
    *,
    import_source: str | None,
    method: str,
) -> tuple[Figure, list[float | None]]:
    """Per commune: the imported value if any, else the estimate; returns the figure and the per-commune
    values actually used (so a later estimate can build on them)."""
    used: list[float | None] = []
    total = 0.0
    n_imported = n_estimated = n_missing = 0
    for own, guess in zip(imported, estimated, strict=True):
        if _known(own):
            assert own is not None
            used.append(own)
            total += own
            n_imported += 1
        elif _known(guess):
            assert guess is not None
            used.append(guess)
            total += guess
            n_estimated += 1
        else:
            used.append(None)
            n_missing += 1
    kind: FigureKind
    if n_imported and n_estimated:
        kind = "mixed"
        source = (
            f"imported for {n_imported} communes: {import_source}; "
            f"estimated for {n_estimated} communes: {method}"
        )
    elif n_imported:
        kind, source = "imported", str(import_source)
    elif n_estimated:
        kind, source = "estimate", method
    else:
        kind, source = "unavailable", "no value for any commune of the catchment"
    figure = Figure(
        value=total if (n_imported or n_estimated) else None,
        kind=kind,
        source=source,
        communes_imported=n_imported,
        communes_estimated=n_estimated,
        communes_missing=n_missing,
    )
    return figure, used


def _aligned(values: CommuneValues | None, n: int, name: str) -> list[float | None]:
    if values is None:
        return [None] * n
    if len(values.values) != n:
        raise ValueError(f"{name}: expected {n} values (one per commune), got {len(values.values)}")
    out: list[float | None] = []
    for i, value in enumerate(values.values):
        if value is None:
            out.append(None)
            continue
        number = float(value)
        if math.isnan(number):
            out.append(None)
        elif number < 0 or math.isinf(number):
            raise ValueError(f"{name}: commune {i + 1} has {value!r}; expected a count >= 0")
        else:
            out.append(number)
    return out


@dataclass(frozen=True, slots=True)
class ContactCentre:
    """An existing contact centre in the catchment: from SIRENE (jobs from its headcount band) or recorded by
    hand (``origin="manual"``; give low = mid = high when the headcount is known exactly). Jobs are None when
    unknown (SIRENE band NN)."""

    name: str
    jobs_low: float | None
    jobs_mid: float | None
    jobs_high: float | None
    origin: Literal["sirene", "manual"] = "sirene"
    siret: str | None = None


@dataclass(frozen=True, slots=True)
class ContactCentreJobs:
    low: float
    mid: float
    high: float
    establishments: int
    from_sirene: int
    recorded_by_hand: int
    unknown_size: int
    duplicates_dropped: int
    source: str


def contact_centre_jobs(
    centres: Iterable[ContactCentre], *, sirene_source: str = "SIRENE"
) -> ContactCentreJobs:
    """Jobs in existing contact centres, as a (low, mid, high) range.

    A centre recorded by hand replaces a SIRENE establishment with the same SIRET (the agency knows better
    than a headcount band). Centres of unknown size count 0 and are counted in ``unknown_size``.
    """
    listed = list(centres)
    manual_sirets = {c.siret for c in listed if c.origin == "manual" and c.siret}
    kept: list[ContactCentre] = []
    seen: set[str] = set()
    dropped = 0
    for centre in listed:
        if centre.origin == "sirene" and centre.siret and centre.siret in manual_sirets:
            dropped += 1
            continue
        if centre.siret and centre.origin == "sirene":
            if centre.siret in seen:
                dropped += 1
                continue
            seen.add(centre.siret)
        kept.append(centre)
    low = mid = high = 0.0
    unknown = 0
    for centre in kept:
        if not (_known(centre.jobs_low) and _known(centre.jobs_mid) and _known(centre.jobs_high)):
            unknown += 1
            continue
        assert centre.jobs_low is not None and centre.jobs_mid is not None and centre.jobs_high is not None
        if not (0 <= centre.jobs_low <= centre.jobs_mid <= centre.jobs_high):
            raise ValueError(f"contact centre {centre.name!r}: need 0 <= low <= mid <= high jobs")
        low += centre.jobs_low
        mid += centre.jobs_mid
        high += centre.jobs_high
    from_sirene = sum(1 for c in kept if c.origin == "sirene")
    by_hand = len(kept) - from_sirene
    return ContactCentreJobs(
        low=low,
        mid=mid,
        high=high,
        establishments=len(kept),
        from_sirene=from_sirene,
        recorded_by_hand=by_hand,
        unknown_size=unknown,
        duplicates_dropped=dropped,
        source=(
            f"{sirene_source}: NAF 82.20Z establishments, jobs from headcount bands (range); "
            "plus centres recorded by the agency"
        ),
    )


@dataclass(frozen=True, slots=True)
class Saturation:
    """Contact-centre jobs / labour force, for the low, mid and high job counts; ``band`` from the mid ratio
    (None when the labour force is unknown or zero)."""

    ratio_low: float | None
    ratio_mid: float | None
    ratio_high: float | None
    band: SaturationBand | None
    band_low: SaturationBand | None
    band_high: SaturationBand | None
    labour_force_kind: FigureKind
    thresholds: SaturationThresholds


def saturation(
    jobs: ContactCentreJobs,
    labour_force: Figure,
    *,
    thresholds: SaturationThresholds = DEFAULT_SATURATION_THRESHOLDS,
) -> Saturation:
    force = labour_force.value
    if force is None or force <= 0:
        return Saturation(None, None, None, None, None, None, labour_force.kind, thresholds)
    low, mid, high = jobs.low / force, jobs.mid / force, jobs.high / force
    return Saturation(
        ratio_low=low,
        ratio_mid=mid,
        ratio_high=high,
        band=thresholds.band(mid),
        band_low=thresholds.band(low),
        band_high=thresholds.band(high),
        labour_force_kind=labour_force.kind,
        thresholds=thresholds,
    )


@dataclass(frozen=True, slots=True)
class LabourPool:
    communes: int
    population: Figure
    population_20_64: Figure
    labour_force: Figure
    job_seekers: Figure
    customer_relation_job_seekers: Figure
    contact_centre_jobs: ContactCentreJobs
    saturation: Saturation
    rates: LabourRates

    @property
    def job_seekers_in_reach(self) -> tuple[Figure, PoolKind]:
        """The most specific pool: customer-relation job seekers if imported for every commune, else all."""
        specific = self.customer_relation_job_seekers
        if specific.kind == "imported" and specific.complete:
            return specific, "customer_relation"
        return self.job_seekers, "all"


def labour_pool(
    *,
    population: CommuneValues,
    population_20_64: CommuneValues,
    labour_force: CommuneValues | None = None,
    job_seekers: CommuneValues | None = None,
    customer_relation_job_seekers: CommuneValues | None = None,
    contact_centres: Iterable[ContactCentre] = (),
    sirene_source: str = "SIRENE",
    rates: LabourRates = DEFAULT_RATES,
    thresholds: SaturationThresholds = DEFAULT_SATURATION_THRESHOLDS,
) -> LabourPool:
    """The labour pool of a catchment: sums over its communes, each figure with its provenance.

    ``customer_relation_job_seekers`` (ROME D1408, M1601, ...) is never estimated: without an import it is
    ``"unavailable"``.
    """
    n = len(population.values)
    pop = _aligned(population, n, "population")
    pop_20_64 = _aligned(population_20_64, n, "population_20_64")
    force_in = _aligned(labour_force, n, "labour_force")
    seekers_in = _aligned(job_seekers, n, "job_seekers")
    specific_in = _aligned(customer_relation_job_seekers, n, "customer_relation_job_seekers")
    nothing: list[float | None] = [None] * n

    population_figure, _ = _sum_figure(pop, nothing, import_source=population.source, method="")
    working_age_figure, _ = _sum_figure(pop_20_64, nothing, import_source=population_20_64.source, method="")
    force_estimates = [None if p is None else p * rates.activity_rate for p in pop_20_64]
    force_figure, force_used = _sum_figure(
        force_in,
        force_estimates,
        import_source=labour_force.source if labour_force else None,
        method=rates.labour_force_method,
    )
    seeker_estimates = [None if f is None else f * rates.job_seeker_rate for f in force_used]
    seekers_method = rates.job_seekers_method
    if force_figure.kind != "estimate":
        seekers_method += "; labour force as stated for it"
    seekers_figure, _ = _sum_figure(
        seekers_in,
        seeker_estimates,
        import_source=job_seekers.source if job_seekers else None,
        method=seekers_method,
    )
    specific_figure, _ = _sum_figure(
        specific_in,
        nothing,
        import_source=customer_relation_job_seekers.source if customer_relation_job_seekers else None,
        method="",
    )
    if customer_relation_job_seekers is None:
        specific_figure = Figure(
            value=None,
            kind="unavailable",
            source="not imported (France Travail statistics by ROME code)",
            communes_missing=n,
        )
    jobs = contact_centre_jobs(contact_centres, sirene_source=sirene_source)
    return LabourPool(
        communes=n,
        population=population_figure,
        population_20_64=working_age_figure,
        labour_force=force_figure,
        job_seekers=seekers_figure,
        customer_relation_job_seekers=specific_figure,
        contact_centre_jobs=jobs,
        saturation=saturation(jobs, force_figure, thresholds=thresholds),
        rates=rates,
    )


def apportion_to_communes(
    *,
    zone_totals: Mapping[str, float],
    commune_zones: Mapping[str, str],
    commune_weights: Mapping[str, float | None],
    weight_label: str = "population aged 20-64",
) -> tuple[dict[str, float], str]:
    """Spread each zone's total over its communes pro rata of a weight; returns (values by commune, method).

    ``commune_zones`` must list every commune of each zone (not only those of a catchment), so that the
    shares of a zone add up to its total. A zone whose communes all weigh 0 (or lack a weight) is shared
    equally. Communes of zones without a total get no value.
    """
    members: dict[str, list[str]] = {}
    for commune, zone in commune_zones.items():
        members.setdefault(zone, []).append(commune)
    result: dict[str, float] = {}
    for zone, communes in members.items():
        if zone not in zone_totals:
            continue
        total = float(zone_totals[zone])
        weights = []
        for commune in communes:
            w = commune_weights.get(commune)
            weights.append(float(w) if w is not None and math.isfinite(w) and w > 0 else 0.0)
        weight_sum = sum(weights)
        for commune, weight in zip(communes, weights, strict=True):
            share = weight / weight_sum if weight_sum > 0 else 1.0 / len(communes)
            result[commune] = total * share
    return result, APPORTION_METHOD.format(weight=weight_label)


@dataclass(frozen=True, slots=True)
class FeasibilityYear:
    year: int
    hires: int
    candidates_low: float
    candidates: float
    candidates_high: float
    share_low: float | None
    share: float | None
    share_high: float | None
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Feasibility:
    """``verdict`` is a key for the UI to translate; ``reason`` the same judgement as an English sentence.
    ``worst_year`` is the 1-based year with the largest share (None without a pool)."""

    verdict: Verdict
    reason: str
    worst_year: int | None
    years: tuple[FeasibilityYear, ...]
    job_seekers: Figure
    pool_kind: PoolKind
    candidates_per_hire: float
    candidates_per_hire_range: tuple[float, float]
    thresholds: FeasibilityThresholds
    source: str = "candidates per hire: NACSMA, 3-4 (600-800 candidates for 200 hires)"


def _fmt_int(value: float) -> str:
    return f"{round(value):,}"


def _fmt_pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def recruitment_feasibility(
    *,
    hires_per_year: Sequence[int],
    job_seekers: Figure,
    pool_kind: PoolKind = "all",
    candidates_per_hire: float = DEFAULT_CANDIDATES_PER_HIRE,
    candidates_per_hire_range: tuple[float, float] = DEFAULT_CANDIDATES_PER_HIRE_RANGE,
    thresholds: FeasibilityThresholds = DEFAULT_FEASIBILITY_THRESHOLDS,
) -> Feasibility:
    """The share of the job seekers in reach that a hiring plan needs each year, and a plain verdict."""
    low_rate, high_rate = (float(x) for x in candidates_per_hire_range)
    per_hire = float(candidates_per_hire)
    if not (math.isfinite(per_hire) and per_hire >= 1.0):
        raise ValueError(f"candidates_per_hire must be at least 1, got {candidates_per_hire!r}")
    if not (1.0 <= low_rate <= high_rate and math.isfinite(high_rate)):
        raise ValueError(
            f"candidates_per_hire_range must be 1 <= low <= high, got {candidates_per_hire_range!r}"
        )
    hires = [int(h) for h in hires_per_year]
    if any(h < 0 for h in hires):
        raise ValueError(f"hires per year must be >= 0, got {list(hires_per_year)!r}")
    pool = job_seekers.value
    has_pool = pool is not None and pool > 0
    years: list[FeasibilityYear] = []
    for number, count in enumerate(hires, start=1):
        candidates = (count * low_rate, count * per_hire, count * high_rate)
        shares: tuple[float | None, float | None, float | None] = (None, None, None)
        verdict: Verdict = "unknown"
        if has_pool:
            assert pool is not None
            shares = (candidates[0] / pool, candidates[1] / pool, candidates[2] / pool)
            assert shares[1] is not None
            verdict = thresholds.verdict(shares[1])
        years.append(
            FeasibilityYear(
                year=number,
                hires=count,
                candidates_low=candidates[0],
                candidates=candidates[1],
                candidates_high=candidates[2],
                share_low=shares[0],
                share=shares[1],
                share_high=shares[2],
                verdict=verdict,
            )
        )

    pool_words = "customer-relation job seekers" if pool_kind == "customer_relation" else "job seekers"
    provenance = "an estimate" if job_seekers.kind in ("estimate", "mixed") else "imported"
    if not has_pool or not years:
        reason = (
            "No verdict: the hiring plan is empty."
            if has_pool
            else f"No verdict: the number of {pool_words} in reach is unknown."
        )
        overall: Verdict = "unknown"
        worst: int | None = None
    else:
        assert pool is not None
        worst_entry = max(years, key=lambda y: (y.share or 0.0, -y.year))
        worst = worst_entry.year
        overall = worst_entry.verdict
        assert worst_entry.share is not None and worst_entry.share_low is not None
        assert worst_entry.share_high is not None
        if overall == "unrealistic":
            rule = f"{_fmt_pct(thresholds.unrealistic)} or more of the pool in a year is unrealistic"
        elif overall == "demanding":
            rule = (
                f"between {_fmt_pct(thresholds.demanding)} and {_fmt_pct(thresholds.unrealistic)} "
                "of the pool in a year is demanding"
            )
        else:
            rule = f"under {_fmt_pct(thresholds.demanding)} of the pool in a year is realistic"
        spread = (
            f" ({_fmt_pct(worst_entry.share_low)}-{_fmt_pct(worst_entry.share_high)} at "
            f"{low_rate:g}-{high_rate:g} candidates per hire)"
            if low_rate != high_rate
            else ""
        )
        reason = (
            f"Year {worst} needs {_fmt_int(worst_entry.hires)} hires x {per_hire:g} candidates per hire = "
            f"{_fmt_int(worst_entry.candidates)} candidates, {_fmt_pct(worst_entry.share)}{spread} of the "
            f"{_fmt_int(pool)} {pool_words} in reach ({provenance}: {job_seekers.source}); {rule}."
        )
    return Feasibility(
        verdict=overall,
        reason=reason,
        worst_year=worst,
        years=tuple(years),
        job_seekers=job_seekers,
        pool_kind=pool_kind,
        candidates_per_hire=per_hire,
        candidates_per_hire_range=(low_rate, high_rate),
        thresholds=thresholds,
    )


def recruitment_feasibility_for_pool(
    pool: LabourPool,
    hires_per_year: Sequence[int],
    *,
    candidates_per_hire: float = DEFAULT_CANDIDATES_PER_HIRE,
    candidates_per_hire_range: tuple[float, float] = DEFAULT_CANDIDATES_PER_HIRE_RANGE,
    thresholds: FeasibilityThresholds = DEFAULT_FEASIBILITY_THRESHOLDS,
) -> Feasibility:
    """:func:`recruitment_feasibility` against the pool's most specific job seekers in reach."""
    figure, kind = pool.job_seekers_in_reach
    return recruitment_feasibility(
        hires_per_year=hires_per_year,
        job_seekers=figure,
        pool_kind=kind,
        candidates_per_hire=candidates_per_hire,
        candidates_per_hire_range=candidates_per_hire_range,
        thresholds=thresholds,
    )
