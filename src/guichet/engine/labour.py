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

Two pools of job seekers, both shown and labelled (France Travail categories):

- category A, the **immediately available** pool (no work at all, looking for a job): the pool the verdict
  uses;
- categories A, B, C, the **upper bound**: B and C work reduced hours (about 2.4 million of the 5.4 million
  registered in A, B, C in 2023) and are not all available for a full-time job.

Default rates (parameters in :class:`LabourRates`, echoed in every result):

- activity rate of the 20-64 = 0.80. Derived, not published as such: Eurostat's employment rate of the
  20-64 in France, 74.4% in 2023 (LFS, table lfsa_ergan), divided by (1 - 7.3%), INSEE's ILO unemployment
  rate for 2023 ("Emploi, chômage, revenus du travail", édition 2024): 80.3%, rounded to 80%.
- category A job seekers per member of the labour force = 0.098: DARES / France Travail, 3,032,000 people
  registered in category A in France excluding Mayotte, Q4 2023, over INSEE's labour force of 2023,
  30,840,000 (28,589,000 in employment, "France, portrait social" 2024, over 1 - the unemployment rate of
  2023, 7.3%, "Emploi, chômage, revenus du travail" 2024). Numerator and denominator are of the same year
  (the ratio used to divide a 2023 count by the 2022 labour force, 30,575,000, and read 0.099).
- categories A, B, C per member of the labour force = 0.175: 5,406,000 registered in A, B, C (same
  publication) over the same labour force.

**Localised by employment zone** when the caller gives :class:`LocalUnemployment` (one factor per commune:
its zone's ILO unemployment rate over France's, the same quarter; :mod:`guichet.engine.unemployment`): the
estimate of a commune is then labour force x national ratio x its zone factor (method codes
``METHOD_CATEGORY_A_ZONE`` and ``METHOD_CATEGORY_ABC_ZONE``); a commune without a zone rate keeps the national
ratio. Vintages then mixed, and said: national level of 2023, the zones' relative position of the quarter
given (2025-T4 in the bundled data), people aged 20-64 of the 2021 census.

Imported counts (DARES by employment zone or département, France Travail by commune) replace these rates
commune by commune wherever a file has been imported; the figure says for how many communes.

Saturation = contact-centre jobs / labour force. The jobs are those of NAF 82.20Z establishments (outsourced
call centres, SIRENE) plus the in-house centres the agency records (banks, utilities, telecoms: most
contact-centre jobs, which SIRENE files under their company's own activity). Without SIRENE data for a
commune its contact-centre jobs are unknown: the ratio is taken over the communes with data only, and is
``unknown`` when no commune has any, never "0 %". Bands, rules of thumb of the site-selection trade for all
contact-centre jobs (Site Selection Group, ACCP / Expansion Management): under 2% comfortable, 2-3% tight, 3%
and over saturated.

Recruitment feasibility: candidates needed each year = hires x candidates per hire (default 3.5, range 3-4,
NACSMA: no French figure found, :mod:`guichet.engine.hiring_defaults`) over the category A job seekers in
reach
(customer-relation job seekers where imported for the whole catchment). The share of the A, B, C upper bound
is given beside it. Verdict on the central share of the pool needed in the worst year, and the verdicts at
the low and high ends of the candidates-per-hire range (``verdict_low``, ``verdict_high``: a verdict that
flips inside the range shows):

- under 10%: ``"realistic"``, the project takes less than one candidate in ten from the pool;
- 10% to under 25%: ``"demanding"``, the project competes with every other employer for a large share of
  the same people and needs active sourcing (training schemes, wider catchment);
- 25% and over: ``"unrealistic"``, one candidate in four of all job seekers every year, year after year,
  while other employers recruit from the same pool;
- ``"unknown"`` when the pool is unknown or the hiring plan empty.

The thresholds are judgement, stated as parameters (:class:`FeasibilityThresholds`). With them the article's
claim, 400 hires a year at 3-4 candidates per hire from 2,000 job seekers (60-80% of the pool), is
unrealistic.

Attrition moves the verdict too. Given the hires of the same plan at the low and high ends of the range of
attrition (:func:`guichet.engine.hiring.hires_at_attrition`, the range in
:data:`guichet.engine.hiring_defaults.ANNUAL_ATTRITION`), the verdict at each end is given
(``verdict_attrition_low``, ``verdict_attrition_high``, at the central candidates per hire): a plan
realistic at 8 % a year may be demanding at 50 %. Hires given directly (a number, not a plan) have no
attrition to vary.

The engine returns codes and values (``Figure.method``, ``Saturation.status``, ``Feasibility.verdict``); the
pages phrase them in the reader's language. The English ``source`` and ``reason`` strings serve the command
line and the logs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from guichet.engine.hiring_defaults import CANDIDATES_PER_HIRE
from guichet.engine.staffing import DEFAULT_CANDIDATES_PER_HIRE

__all__ = [
    "DEFAULT_CANDIDATES_PER_HIRE",
    "DEFAULT_CANDIDATES_PER_HIRE_RANGE",
    "DEFAULT_FEASIBILITY_THRESHOLDS",
    "DEFAULT_RATES",
    "DEFAULT_SATURATION_THRESHOLDS",
    "AttritionHires",
    "CommuneValues",
    "ContactCentre",
    "ContactCentreJobs",
    "Feasibility",
    "FeasibilityThresholds",
    "FeasibilityYear",
    "Figure",
    "LabourPool",
    "LabourRates",
    "LocalUnemployment",
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
SaturationStatus = Literal["known", "partial", "unknown"]
Verdict = Literal["realistic", "demanding", "unrealistic", "unknown"]
PoolKind = Literal["customer_relation", "category_a"]
CentreKind = Literal["outsourced", "in_house"]

# Method codes of the estimates (the pages phrase them with the rates of :class:`LabourRates`).
METHOD_LABOUR_FORCE = "labour_force_from_20_64"
METHOD_CATEGORY_A = "category_a_from_labour_force"
METHOD_CATEGORY_ABC = "category_abc_from_labour_force"
METHOD_CATEGORY_A_ZONE = "category_a_from_zone_unemployment"
METHOD_CATEGORY_ABC_ZONE = "category_abc_from_zone_unemployment"

DEFAULT_CANDIDATES_PER_HIRE_RANGE = (CANDIDATES_PER_HIRE.low, CANDIDATES_PER_HIRE.high)


@dataclass(frozen=True, slots=True)
class LabourRates:
    """National rates, each with the figures it is computed from (for the pages to cite)."""

    activity_rate: float = 0.80
    activity_rate_source: str = (
        "activity rate of the 20-64, France: Eurostat employment rate 20-64 2023 (74.4%, lfsa_ergan) "
        "/ (1 - INSEE ILO unemployment rate 2023, 7.3%) = 80.3%, rounded to 80%"
    )
    category_a_rate: float = 0.098
    category_a_rate_source: str = (
        "job seekers in category A (no work, immediately available) per member of the labour force, France "
        "excl. Mayotte: DARES Q4 2023, 3,032,000 / INSEE labour force 2023, 30,840,000 = 9.8%"
    )
    job_seeker_rate: float = 0.175
    job_seeker_rate_source: str = (
        "registered job seekers (France Travail cat. A, B, C) per member of the labour force, France excl. "
        "Mayotte: DARES Q4 2023, 5,406,000 / INSEE labour force 2023, 30,840,000 = 17.5%"
    )
    # The quarter of the zone rates that localised the estimates ("" when they were national).
    zone_quarter: str = ""

    def __post_init__(self) -> None:
        for name in ("activity_rate", "category_a_rate", "job_seeker_rate"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                raise ValueError(f"{name} must lie between 0 and 1, got {value!r}")
        if self.category_a_rate > self.job_seeker_rate:
            raise ValueError("category_a_rate cannot exceed job_seeker_rate (A is part of A, B, C)")

    @property
    def labour_force_method(self) -> str:
        return f"population aged 20-64 x {self.activity_rate:g} ({self.activity_rate_source})"

    @property
    def category_a_method(self) -> str:
        return f"labour force x {self.category_a_rate:g} ({self.category_a_rate_source})"

    @property
    def job_seekers_method(self) -> str:
        return f"labour force x {self.job_seeker_rate:g} ({self.job_seeker_rate_source})"

    def zone_method(self, national: str) -> str:
        return (
            f"{national} x the commune's zone d'emploi unemployment rate over France's, {self.zone_quarter} "
            "(INSEE, localised unemployment; national ratio where the zone has no rate)"
        )


@dataclass(frozen=True)
class LocalUnemployment:
    """One factor per commune of the catchment (same order): its employment zone's unemployment rate over
    France's, of ``quarter``; None where the zone has no rate (the national ratio applies)."""

    factors: Sequence[float | None]
    quarter: str
    source: str = "INSEE, localised unemployment by zone d'emploi 2020"


DEFAULT_RATES = LabourRates()


@dataclass(frozen=True, slots=True)
class SaturationThresholds:
    """Contact-centre jobs / labour force: below ``tight`` comfortable, from ``saturated`` saturated. Rules
    of thumb for all contact-centre jobs, not measurements."""

    tight: float = 0.02
    saturated: float = 0.03
    source: str = (
        "rules of thumb for all contact-centre jobs: Site Selection Group; ACCP / Expansion Management: "
        "under 2% desirable, 3% or more saturated"
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
    """A number with its provenance.

    ``kind`` says how it was obtained; ``method`` is the code of the estimate's method (``METHOD_*``, empty
    for an imported figure); ``import_source`` labels the imported part (a dataset's or an import's label,
    with its vintage) and ``apportioned`` lists how imported totals were shared among communes (``"ZE"``
    employment zone, ``"DEP"`` département). ``communes_*`` count the catchment's communes by how their part
    was obtained (``missing``: no value could be had). ``source`` says all of it in English (command line).
    """

    value: float | None
    kind: FigureKind
    source: str
    communes_imported: int = 0
    communes_estimated: int = 0
    communes_missing: int = 0
    method: str = ""
    import_source: str = ""
    apportioned: tuple[str, ...] = ()

    @classmethod
    def given(cls, value: float, source: str) -> Figure:
        """A figure the caller vouches for as a whole (e.g. a count typed from a publication)."""
        return cls(value=float(value), kind="imported", source=source, import_source=source)

    @property
    def complete(self) -> bool:
        return self.value is not None and self.communes_missing == 0


@dataclass(frozen=True)
class CommuneValues:
    """One value per commune of the catchment (same order as the catchment); None/NaN = no value.
    ``apportioned``: the kinds of territory whose totals were shared among communes (``"ZE"``, ``"DEP"``)."""

    values: Sequence[float | None]
    source: str
    apportioned: tuple[str, ...] = ()


def _known(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _sum_figure(
    imported: Sequence[float | None],
    estimated: Sequence[float | None],
    *,
    import_source: str | None,
    method: str,
    method_code: str = "",
    apportioned: tuple[str, ...] = (),
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
    if n_missing and (n_imported or n_estimated):
        source += f"; no value for {n_missing} communes"
    figure = Figure(
        value=total if (n_imported or n_estimated) else None,
        kind=kind,
        source=source,
        communes_imported=n_imported,
        communes_estimated=n_estimated,
        communes_missing=n_missing,
        method=method_code if n_estimated else "",
        import_source=str(import_source or "") if n_imported else "",
        apportioned=apportioned if n_imported else (),
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
    """An existing contact centre in the catchment: a NAF 82.20Z establishment from SIRENE (jobs from its
    headcount band; ``kind="outsourced"``) or a centre the agency records by hand (``origin="manual"``; most
    often an in-house centre of a bank, utility or telecoms firm, ``kind="in_house"``; give low = mid = high
    when the headcount is known exactly). Jobs are None when unknown (SIRENE band empty). ``position`` is the
    centre's commune in the catchment (None: counted whatever the coverage)."""

    name: str
    jobs_low: float | None
    jobs_mid: float | None
    jobs_high: float | None
    origin: Literal["sirene", "manual"] = "sirene"
    siret: str | None = None
    kind: CentreKind = "outsourced"
    position: int | None = None


@dataclass(frozen=True, slots=True)
class ContactCentreJobs:
    """Jobs in the contact centres counted, as a (low, mid, high) range, split by kind.

    ``communes_covered``/``communes_not_covered``: communes of the catchment with and without SIRENE data
    (centres in communes without it are listed but not counted)."""

    low: float
    mid: float
    high: float
    establishments: int
    from_sirene: int
    recorded_by_hand: int
    unknown_size: int
    duplicates_dropped: int
    source: str
    in_house: int = 0
    in_house_mid: float = 0.0
    outsourced_mid: float = 0.0
    communes_covered: int = 0
    communes_not_covered: int = 0
    not_counted: int = 0

    @property
    def known(self) -> bool:
        return self.communes_covered > 0


def contact_centre_jobs(
    centres: Iterable[ContactCentre],
    *,
    sirene_source: str = "SIRENE",
    covered: Sequence[bool] | None = None,
) -> ContactCentreJobs:
    """Jobs in existing contact centres, as a (low, mid, high) range.

    A centre recorded by hand replaces a SIRENE establishment with the same SIRET (the agency knows better
    than a headcount band). Centres of unknown size count 0 and are counted in ``unknown_size``. With
    ``covered`` (one flag per commune of the catchment: SIRENE data imported for it), centres in communes
    without data are left out of the counts (``not_counted``); without it every commune counts as covered.
    """
    listed = list(centres)
    manual_sirets = {c.siret for c in listed if c.origin == "manual" and c.siret}
    kept: list[ContactCentre] = []
    seen: set[str] = set()
    dropped = not_counted = 0
    for centre in listed:
        if centre.origin == "sirene" and centre.siret and centre.siret in manual_sirets:
            dropped += 1
            continue
        if centre.siret and centre.origin == "sirene":
            if centre.siret in seen:
                dropped += 1
                continue
            seen.add(centre.siret)
        if covered is not None and centre.position is not None and not covered[centre.position]:
            not_counted += 1
            continue
        kept.append(centre)
    low = mid = high = in_house_mid = 0.0
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
        if centre.kind == "in_house":
            in_house_mid += centre.jobs_mid
    from_sirene = sum(1 for c in kept if c.origin == "sirene")
    by_hand = len(kept) - from_sirene
    n_covered = sum(1 for flag in covered if flag) if covered is not None else 0
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
            "plus centres recorded by the agency (in-house centres of other activities)"
        ),
        in_house=sum(1 for c in kept if c.kind == "in_house"),
        in_house_mid=in_house_mid,
        outsourced_mid=mid - in_house_mid,
        communes_covered=n_covered if covered is not None else 1,
        communes_not_covered=0 if covered is None else len(covered) - n_covered,
        not_counted=not_counted,
    )


@dataclass(frozen=True, slots=True)
class Saturation:
    """Contact-centre jobs / labour force, for the low, mid and high job counts; ``band`` from the mid ratio.

    ``status``: ``"known"`` (SIRENE data for every commune of the catchment), ``"partial"`` (the ratio is
    taken over the communes with data: ``labour_force_counted`` is its denominator) or ``"unknown"`` (no
    SIRENE data in the catchment, or no labour force): then every ratio and band is None. The ratio counts
    82.20Z establishments and the in-house centres recorded: in-house centres not recorded make it a floor.
    """

    ratio_low: float | None
    ratio_mid: float | None
    ratio_high: float | None
    band: SaturationBand | None
    band_low: SaturationBand | None
    band_high: SaturationBand | None
    labour_force_kind: FigureKind
    thresholds: SaturationThresholds
    status: SaturationStatus = "known"
    labour_force_counted: float | None = None
    communes_covered: int = 0
    communes_not_covered: int = 0


def saturation(
    jobs: ContactCentreJobs,
    labour_force: Figure | float | None,
    *,
    thresholds: SaturationThresholds = DEFAULT_SATURATION_THRESHOLDS,
    labour_force_kind: FigureKind | None = None,
) -> Saturation:
    """The ratio of ``jobs`` to ``labour_force`` (a figure, or the labour force of the covered communes)."""
    if isinstance(labour_force, Figure):
        force = labour_force.value
        kind = labour_force.kind
    else:
        force = labour_force
        kind = labour_force_kind or "estimate"
    unknown = Saturation(
        None,
        None,
        None,
        None,
        None,
        None,
        kind,
        thresholds,
        status="unknown",
        communes_covered=jobs.communes_covered,
        communes_not_covered=jobs.communes_not_covered,
    )
    if not jobs.known or force is None or force <= 0:
        return unknown
    low, mid, high = jobs.low / force, jobs.mid / force, jobs.high / force
    return Saturation(
        ratio_low=low,
        ratio_mid=mid,
        ratio_high=high,
        band=thresholds.band(mid),
        band_low=thresholds.band(low),
        band_high=thresholds.band(high),
        labour_force_kind=kind,
        thresholds=thresholds,
        status="partial" if jobs.communes_not_covered else "known",
        labour_force_counted=force,
        communes_covered=jobs.communes_covered,
        communes_not_covered=jobs.communes_not_covered,
    )


@dataclass(frozen=True, slots=True)
class LabourPool:
    """The labour pool of a catchment. ``job_seekers`` is the A, B, C upper bound; ``job_seekers_a`` the
    category A pool, immediately available, used by the verdict."""

    communes: int
    population: Figure
    population_20_64: Figure
    labour_force: Figure
    job_seekers: Figure
    customer_relation_job_seekers: Figure
    contact_centre_jobs: ContactCentreJobs
    saturation: Saturation
    rates: LabourRates
    job_seekers_a: Figure = field(
        default_factory=lambda: Figure(value=None, kind="unavailable", source="not computed")
    )

    @property
    def job_seekers_abc(self) -> Figure:
        return self.job_seekers

    @property
    def job_seekers_in_reach(self) -> tuple[Figure, PoolKind]:
        """The pool the verdict uses: customer-relation job seekers if imported for every commune, else the
        category A job seekers."""
        specific = self.customer_relation_job_seekers
        if specific.kind == "imported" and specific.complete:
            return specific, "customer_relation"
        return self.job_seekers_a, "category_a"

    @property
    def communes_without_data(self) -> int:
        """Communes of the catchment without people aged 20-64 (and so without any labour figure)."""
        return self.population_20_64.communes_missing


def labour_pool(
    *,
    population: CommuneValues,
    population_20_64: CommuneValues,
    labour_force: CommuneValues | None = None,
    job_seekers: CommuneValues | None = None,
    job_seekers_a: CommuneValues | None = None,
    customer_relation_job_seekers: CommuneValues | None = None,
    contact_centres: Iterable[ContactCentre] = (),
    centres_covered: Sequence[bool] | None = None,
    sirene_source: str = "SIRENE",
    rates: LabourRates = DEFAULT_RATES,
    thresholds: SaturationThresholds = DEFAULT_SATURATION_THRESHOLDS,
    local: LocalUnemployment | None = None,
) -> LabourPool:
    """The labour pool of a catchment: sums over its communes, each figure with its provenance.

    With ``local``, the estimates of job seekers are localised by each commune's zone factor (the module's
    docstring); imported counts still replace them commune by commune.

    ``job_seekers`` are categories A, B, C; ``job_seekers_a`` category A. ``customer_relation_job_seekers``
    (ROME D1408, M1601, ...) is never estimated: without an import it is ``"unavailable"``.
    ``centres_covered`` flags, per commune, whether SIRENE data was imported for it; without it (None) no
    commune is covered and the saturation is ``"unknown"``.
    """
    n = len(population.values)
    pop = _aligned(population, n, "population")
    pop_20_64 = _aligned(population_20_64, n, "population_20_64")
    force_in = _aligned(labour_force, n, "labour_force")
    seekers_in = _aligned(job_seekers, n, "job_seekers")
    seekers_a_in = _aligned(job_seekers_a, n, "job_seekers_a")
    specific_in = _aligned(customer_relation_job_seekers, n, "customer_relation_job_seekers")
    nothing: list[float | None] = [None] * n
    if centres_covered is not None and len(centres_covered) != n:
        raise ValueError(f"centres_covered: expected {n} flags (one per commune), got {len(centres_covered)}")

    population_figure, _ = _sum_figure(pop, nothing, import_source=population.source, method="")
    working_age_figure, _ = _sum_figure(pop_20_64, nothing, import_source=population_20_64.source, method="")
    force_estimates = [None if p is None else p * rates.activity_rate for p in pop_20_64]
    force_figure, force_used = _sum_figure(
        force_in,
        force_estimates,
        import_source=labour_force.source if labour_force else None,
        method=rates.labour_force_method,
        method_code=METHOD_LABOUR_FORCE,
    )
    factors: list[float | None] = [None] * n
    if local is not None:
        factors = _aligned(CommuneValues(local.factors, local.source), n, "local unemployment factors")
        rates = replace(rates, zone_quarter=local.quarter)
    seekers_figure, seekers_a_figure = (
        _seeker_figure(
            imported=imported,
            values=values,
            force_used=force_used,
            factors=factors,
            rates=rates,
            category=category,
            labour_force_stated=force_figure.kind != "estimate",
        )
        for imported, values, category in (
            (seekers_in, job_seekers, "ABC"),
            (seekers_a_in, job_seekers_a, "A"),
        )
    )
    specific_figure, _ = _sum_figure(
        specific_in,
        nothing,
        import_source=customer_relation_job_seekers.source if customer_relation_job_seekers else None,
        method="",
        apportioned=customer_relation_job_seekers.apportioned if customer_relation_job_seekers else (),
    )
    if customer_relation_job_seekers is None:
        specific_figure = Figure(
            value=None,
            kind="unavailable",
            source="not imported (France Travail statistics by ROME code)",
            communes_missing=n,
        )
    covered = list(centres_covered) if centres_covered is not None else [False] * n
    jobs = contact_centre_jobs(contact_centres, sirene_source=sirene_source, covered=covered)
    covered_force = sum(f for f, flag in zip(force_used, covered, strict=True) if flag and f is not None)
    return LabourPool(
        communes=n,
        population=population_figure,
        population_20_64=working_age_figure,
        labour_force=force_figure,
        job_seekers=seekers_figure,
        job_seekers_a=seekers_a_figure,
        customer_relation_job_seekers=specific_figure,
        contact_centre_jobs=jobs,
        saturation=saturation(
            jobs,
            covered_force if jobs.known else None,
            thresholds=thresholds,
            labour_force_kind=force_figure.kind,
        ),
        rates=rates,
    )


def _seeker_figure(
    *,
    imported: Sequence[float | None],
    values: CommuneValues | None,
    force_used: Sequence[float | None],
    factors: Sequence[float | None],
    rates: LabourRates,
    category: str,
    labour_force_stated: bool,
) -> Figure:
    """Job seekers of ``category`` ("A" or "ABC"): imported where given, else the labour force x the national
    ratio (x the commune's zone factor where it has one)."""
    localised = any(f is not None for f in factors)
    if category == "A":
        rate, national, code = rates.category_a_rate, rates.category_a_method, METHOD_CATEGORY_A
        zone_code = METHOD_CATEGORY_A_ZONE
    else:
        rate, national, code = rates.job_seeker_rate, rates.job_seekers_method, METHOD_CATEGORY_ABC
        zone_code = METHOD_CATEGORY_ABC_ZONE
    method = rates.zone_method(national) if localised else national
    figure, _ = _sum_figure(
        imported,
        _seeker_estimates(force_used, rate, factors),
        import_source=values.source if values else None,
        method=method + ("; labour force as stated for it" if labour_force_stated else ""),
        method_code=zone_code if localised else code,
        apportioned=values.apportioned if values else (),
    )
    return figure


def _seeker_estimates(
    force: Sequence[float | None], rate: float, factors: Sequence[float | None]
) -> list[float | None]:
    """Labour force x the national ratio, times the commune's zone factor where it has one."""
    return [
        None if f is None else f * rate * (1.0 if factor is None else factor)
        for f, factor in zip(force, factors, strict=True)
    ]


def apportion_to_communes(
    *,
    zone_totals: Mapping[str, float],
    commune_zones: Mapping[str, str],
    commune_weights: Mapping[str, float | None],
) -> dict[str, float]:
    """Spread each zone's total over its communes pro rata of a weight (the people aged 20-64).

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
    return result


@dataclass(frozen=True, slots=True)
class FeasibilityYear:
    """One year of the hiring plan. ``verdict_low`` and ``verdict_high`` are the verdicts at the low and high
    ends of the candidates-per-hire range (``"unknown"`` without a pool)."""

    year: int
    hires: int
    candidates_low: float
    candidates: float
    candidates_high: float
    share_low: float | None
    share: float | None
    share_high: float | None
    verdict: Verdict
    share_of_upper_bound: float | None = None
    verdict_low: Verdict = "unknown"
    verdict_high: Verdict = "unknown"


@dataclass(frozen=True, slots=True)
class Feasibility:
    """``verdict`` is a key for the UI to translate; ``reason`` the same judgement as an English sentence.
    ``worst_year`` is the 1-based year with the largest share (None without a pool). ``upper_bound`` is the
    A, B, C figure when the verdict's pool is category A (its shares are in ``share_of_upper_bound``).
    ``pool_complete`` is False when some communes of the catchment had no value: the pool is then
    undercounted and the shares overstated, which the pages say. ``verdict_low`` and ``verdict_high`` are the
    worst year's verdicts at the ends of the candidates-per-hire range: when they differ, the verdict flips
    within the range (:attr:`flips`)."""

    verdict: Verdict
    reason: str
    worst_year: int | None
    years: tuple[FeasibilityYear, ...]
    job_seekers: Figure
    pool_kind: PoolKind
    candidates_per_hire: float
    candidates_per_hire_range: tuple[float, float]
    thresholds: FeasibilityThresholds
    source: str = "candidates per hire: " + CANDIDATES_PER_HIRE.source
    upper_bound: Figure | None = None
    pool_complete: bool = True
    verdict_low: Verdict = "unknown"
    verdict_high: Verdict = "unknown"
    attrition_range: tuple[float, float] | None = None
    verdict_attrition_low: Verdict = "unknown"
    verdict_attrition_high: Verdict = "unknown"

    @property
    def flips(self) -> bool:
        """The verdict differs between the low and high ends of the candidates-per-hire range."""
        return self.verdict_low != self.verdict_high

    @property
    def attrition_flips(self) -> bool:
        """The verdict differs between the low and high ends of the range of attrition (when known)."""
        return self.attrition_range is not None and self.verdict_attrition_low != self.verdict_attrition_high


def _fmt_int(value: float) -> str:
    return f"{round(value):,}"


def _fmt_pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _checked_plan(
    hires_per_year: Sequence[int], candidates_per_hire: float, candidates_per_hire_range: tuple[float, float]
) -> tuple[list[int], float, float, float]:
    """The hires per year and the (central, low, high) candidates per hire, checked."""
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
    return hires, per_hire, low_rate, high_rate


def _feasibility_year(
    number: int,
    count: int,
    rates: tuple[float, float, float],
    pool: float | None,
    bound: float | None,
    thresholds: FeasibilityThresholds,
) -> FeasibilityYear:
    """One year: candidates at the (low, central, high) candidates per hire, their shares of the pool and
    the verdict at each."""
    low, mid, high = (count * rate for rate in rates)
    shares: tuple[float | None, float | None, float | None] = (None, None, None)
    verdicts: tuple[Verdict, Verdict, Verdict] = ("unknown", "unknown", "unknown")
    if pool is not None and pool > 0:
        shares = (low / pool, mid / pool, high / pool)
        verdicts = (
            thresholds.verdict(low / pool),
            thresholds.verdict(mid / pool),
            thresholds.verdict(high / pool),
        )
    return FeasibilityYear(
        year=number,
        hires=count,
        candidates_low=low,
        candidates=mid,
        candidates_high=high,
        share_low=shares[0],
        share=shares[1],
        share_high=shares[2],
        verdict=verdicts[1],
        share_of_upper_bound=mid / bound if bound else None,
        verdict_low=verdicts[0],
        verdict_high=verdicts[2],
    )


def _feasibility_reason(
    worst: FeasibilityYear,
    *,
    pool: float,
    per_hire: float,
    rate_range: tuple[float, float],
    job_seekers: Figure,
    pool_words: str,
    bound: float | None,
    thresholds: FeasibilityThresholds,
) -> str:
    """The worst year's judgement as an English sentence (command line, logs)."""
    assert worst.share is not None and worst.share_low is not None and worst.share_high is not None
    if worst.verdict == "unrealistic":
        rule = f"{_fmt_pct(thresholds.unrealistic)} or more of the pool in a year is unrealistic"
    elif worst.verdict == "demanding":
        rule = (
            f"between {_fmt_pct(thresholds.demanding)} and {_fmt_pct(thresholds.unrealistic)} "
            "of the pool in a year is demanding"
        )
    else:
        rule = f"under {_fmt_pct(thresholds.demanding)} of the pool in a year is realistic"
    low_rate, high_rate = rate_range
    spread = (
        f" ({_fmt_pct(worst.share_low)}-{_fmt_pct(worst.share_high)} at "
        f"{low_rate:g}-{high_rate:g} candidates per hire)"
        if low_rate != high_rate
        else ""
    )
    provenance = "an estimate" if job_seekers.kind in ("estimate", "mixed") else "imported"
    reason = (
        f"Year {worst.year} needs {_fmt_int(worst.hires)} hires x {per_hire:g} candidates per hire = "
        f"{_fmt_int(worst.candidates)} candidates, {_fmt_pct(worst.share)}{spread} of the "
        f"{_fmt_int(pool)} {pool_words} in reach ({provenance}: {job_seekers.source}); {rule}."
    )
    if worst.verdict_low != worst.verdict_high:
        reason += (
            f" The verdict flips within the range: {worst.verdict_low} at {low_rate:g} candidates per hire, "
            f"{worst.verdict_high} at {high_rate:g}."
        )
    if worst.share_of_upper_bound is not None and bound:
        reason += (
            f" Against the {_fmt_int(bound)} job seekers in categories A, B, C (upper bound): "
            f"{_fmt_pct(worst.share_of_upper_bound)}."
        )
    if job_seekers.communes_missing:
        reason += (
            f" {job_seekers.communes_missing} communes of the catchment have no data: the pool is "
            "undercounted and the share overstated."
        )
    return reason


@dataclass(frozen=True, slots=True)
class AttritionHires:
    """A plan's hires per year at the low and the high end of the range of attrition (``low`` and ``high``
    the rates, ``hires_low`` and ``hires_high`` the hires)."""

    low: float
    high: float
    hires_low: tuple[int, ...]
    hires_high: tuple[int, ...]


def _across_attrition(
    across: AttritionHires | None, pool: float | None, per_hire: float, thresholds: FeasibilityThresholds
) -> tuple[tuple[float, float] | None, Verdict, Verdict]:
    """The range of attrition and the worst year's verdict at each end, at the central candidates per hire."""
    if across is None:
        return None, "unknown", "unknown"

    def verdict(hires: tuple[int, ...]) -> Verdict:
        worst = max(hires, default=0)
        return thresholds.verdict(worst * per_hire / pool) if pool and hires else "unknown"

    return (float(across.low), float(across.high)), verdict(across.hires_low), verdict(across.hires_high)


def recruitment_feasibility(
    *,
    hires_per_year: Sequence[int],
    job_seekers: Figure,
    pool_kind: PoolKind = "category_a",
    upper_bound: Figure | None = None,
    candidates_per_hire: float = DEFAULT_CANDIDATES_PER_HIRE,
    candidates_per_hire_range: tuple[float, float] = DEFAULT_CANDIDATES_PER_HIRE_RANGE,
    thresholds: FeasibilityThresholds = DEFAULT_FEASIBILITY_THRESHOLDS,
    hires_across_attrition: AttritionHires | None = None,
) -> Feasibility:
    """The share of the job seekers in reach that a hiring plan needs each year, and a plain verdict, with
    the verdicts at both ends of the candidates-per-hire range, and at both ends of the range of attrition
    when ``hires_across_attrition`` gives the plan's hires there."""
    hires, per_hire, low_rate, high_rate = _checked_plan(
        hires_per_year, candidates_per_hire, candidates_per_hire_range
    )
    pool = job_seekers.value
    has_pool = pool is not None and pool > 0
    bound = upper_bound.value if upper_bound is not None else None
    years = [
        _feasibility_year(number, count, (low_rate, per_hire, high_rate), pool, bound, thresholds)
        for number, count in enumerate(hires, start=1)
    ]
    pool_words = (
        "customer-relation job seekers" if pool_kind == "customer_relation" else "category A job seekers"
    )
    worst_entry: FeasibilityYear | None = None
    if not has_pool or not years:
        reason = (
            "No verdict: the hiring plan is empty."
            if has_pool
            else f"No verdict: the number of {pool_words} in reach is unknown."
        )
    else:
        assert pool is not None
        worst_entry = max(years, key=lambda y: (y.share or 0.0, -y.year))
        reason = _feasibility_reason(
            worst_entry,
            pool=pool,
            per_hire=per_hire,
            rate_range=(low_rate, high_rate),
            job_seekers=job_seekers,
            pool_words=pool_words,
            bound=bound,
            thresholds=thresholds,
        )
    attrition_range, verdict_attrition_low, verdict_attrition_high = _across_attrition(
        hires_across_attrition, pool if has_pool else None, per_hire, thresholds
    )
    return Feasibility(
        verdict=worst_entry.verdict if worst_entry else "unknown",
        reason=reason,
        worst_year=worst_entry.year if worst_entry else None,
        years=tuple(years),
        job_seekers=job_seekers,
        pool_kind=pool_kind,
        candidates_per_hire=per_hire,
        candidates_per_hire_range=(low_rate, high_rate),
        thresholds=thresholds,
        upper_bound=upper_bound,
        pool_complete=job_seekers.communes_missing == 0,
        verdict_low=worst_entry.verdict_low if worst_entry else "unknown",
        verdict_high=worst_entry.verdict_high if worst_entry else "unknown",
        attrition_range=attrition_range,
        verdict_attrition_low=verdict_attrition_low,
        verdict_attrition_high=verdict_attrition_high,
    )


def recruitment_feasibility_for_pool(
    pool: LabourPool,
    hires_per_year: Sequence[int],
    *,
    candidates_per_hire: float = DEFAULT_CANDIDATES_PER_HIRE,
    candidates_per_hire_range: tuple[float, float] = DEFAULT_CANDIDATES_PER_HIRE_RANGE,
    thresholds: FeasibilityThresholds = DEFAULT_FEASIBILITY_THRESHOLDS,
    hires_across_attrition: AttritionHires | None = None,
) -> Feasibility:
    """:func:`recruitment_feasibility` against the pool's job seekers in reach (category A, or
    customer-relation job seekers where imported everywhere), with the A, B, C figure as the upper bound."""
    figure, kind = pool.job_seekers_in_reach
    return recruitment_feasibility(
        hires_per_year=hires_per_year,
        job_seekers=figure,
        pool_kind=kind,
        upper_bound=pool.job_seekers if kind == "category_a" else None,
        candidates_per_hire=candidates_per_hire,
        candidates_per_hire_range=candidates_per_hire_range,
        thresholds=thresholds,
        hires_across_attrition=hires_across_attrition,
    )
