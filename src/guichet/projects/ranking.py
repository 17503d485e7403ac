"""A first ranking of every eligible premises for a project, on the catalogue's own terms, before any call.

It tells the agency where the project fits best and which authorities to consult. Labour figures come for
all communes at once from the engine's catchment table, so ten thousand premises rank in one pass.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guichet.catalogue.models import Incentive, Premises, Tenure
from guichet.engine import labour as labour_engine
from guichet.engine import scoring
from guichet.engine.occupancy import hires_compared, occupancy_terms
from guichet.labour.selectors import DEFAULT_RADIUS_KM, commune_table, job_seekers_near_communes
from guichet.phrasing import scoring as reasons
from guichet.phrasing.labour import method_text
from guichet.phrasing.numbers import points
from guichet.projects.models import Project
from guichet.projects.selectors import (
    eligible_premises,
    need_for_scoring,
    need_scales,
    project_cost_ceiling,
    project_need,
    project_preset_weights,
)


@dataclass(frozen=True)
class CommuneLabour:
    job_seekers: dict[str, float]
    radius_km: float
    version: str


_LABOUR: dict[float, CommuneLabour] = {}


def commune_job_seekers(*, radius_km: float = DEFAULT_RADIUS_KM) -> CommuneLabour:
    """Category A job seekers within reach of every commune of the territory, on the national commune table
    (across the départements' borders): imported counts where there are some, the stated national rate
    elsewhere."""
    table = commune_table()
    cached = _LABOUR.get(radius_km)
    if cached is not None and cached.version == table.version:
        return cached
    result = CommuneLabour(
        job_seekers=job_seekers_near_communes(radius_km=radius_km),
        radius_km=radius_km,
        version=table.version,
    )
    _LABOUR[radius_km] = result
    return result


ELIGIBLE_FIELDS = (
    "pk",
    "owner_id",
    "commune_id",
    "available_area_m2",
    "smallest_lot_m2",
    "tenure",
    "rent_eur_m2_year",
    "charges_eur_m2_year",
    "sale_price_eur",
    "available_from",
    "public_transport",
    "parking_spaces",
    "fibre",
    "power_backup",
)


@dataclass(frozen=True)
class RankedPremises:
    rank: int
    premises: Premises
    score: float
    per_seat_eur: float
    per_seat_year_eur: float
    job_seekers: float | None
    explanation: scoring.CandidateExplanation

    @property
    def points_text(self) -> str:
        """The score as points out of 100, as every comparison shows it."""
        return points(self.score)

    @property
    def summary(self) -> str:
        """The engine's reason, phrased when read in the reader's language."""
        return reasons.render(self.explanation.reason_key, self.explanation.params)


@dataclass(frozen=True)
class PreRanking:
    total: int
    rows: list[RankedPremises]
    labour_method: str

    @property
    def tie_break_rule(self) -> str:
        return reasons.render_stored(reasons.tie_rule_reason())


def rank_eligible_premises(*, project: Project, limit: int = 50) -> PreRanking | None:
    """The eligible premises ranked with the preset weights of the project's sector; None before sizing."""
    need = project_need(project=project)
    try:
        needs = need_for_scoring(need)
        scales = need_scales(need=need, ceiling=project_cost_ceiling(need=need))
    except (ValidationError, scoring.ScoringInputError):  # an unsized project has nothing to rank yet
        return None
    # Plain rows rather than model instances: ten thousand premises rank without building forty thousand
    # objects; only the rows shown are loaded as premises afterwards.
    rows_in = list(eligible_premises(project=project).order_by().values_list(*ELIGIBLE_FIELDS))
    if not rows_in:
        return PreRanking(total=0, rows=[], labour_method="")
    incentives: dict[int, list[Incentive]] = defaultdict(list)
    for incentive in Incentive.objects.filter(
        owner__in={row[1] for row in rows_in}, archived_at__isnull=True
    ):
        incentives[incentive.owner_id].append(incentive)
    labour = commune_job_seekers()
    hires = max(needs.hires_per_year, default=0.0)
    hires_counted = hires_compared(needs, years=scoring.ScoringParameters().years)  # the default horizon
    candidates_per_hire = labour_engine.DEFAULT_CANDIDATES_PER_HIRE
    candidates = []
    commune_of: dict[str, str] = {}
    for (
        pk,
        owner_id,
        commune_id,
        available,
        lot,
        tenure,
        rent,
        charges,
        sale_price,
        available_from,
        transport,
        parking,
        fibre,
        backup,
    ) in rows_in:
        area = needs.area_wanted_m2 if lot is not None and lot <= needs.area_wanted_m2 else available
        terms, _not_valued = occupancy_terms(
            area_m2=area,
            rent_eur_m2_year=float(rent or 0),
            charges_eur_m2_year=float(charges or 0),
            rent_free_months=0,
            fit_out_contribution_eur=0,
            incentives=incentives[owner_id],
            jobs=needs.jobs_at_full_ramp,
            hires=hires_counted,
            sale_price_eur=float(sale_price) if tenure == Tenure.SALE and sale_price else None,
        )
        found = labour.job_seekers.get(commune_id)
        seekers = found if found is not None and math.isfinite(found) and found > 0 else None
        key = f"premises-{pk:012d}"
        commune_of[key] = commune_id
        candidates.append(
            scoring.Candidate(
                key=key,
                terms=terms,
                available_from=available_from,
                job_seekers=seekers,
                pool_share_needed=None if seekers is None else hires * candidates_per_hire / seekers,
                public_transport=transport,
                parking_spaces=float(parking),
                fibre=fibre,
                power_backup=backup,
            )
        )
    ranking = scoring.rank(candidates, needs, project_preset_weights(project=project), scales=scales)
    top = scoring.explain_top(ranking, limit)
    shown = Premises.objects.select_related("owner", "commune").in_bulk(
        [int(e.key.split("-")[1]) for e in top]
    )
    rows = [
        RankedPremises(
            rank=explanation.rank,
            premises=shown[int(explanation.key.split("-")[1])],
            score=explanation.score,
            per_seat_eur=explanation.per_seat_eur,
            per_seat_year_eur=explanation.per_seat_year_eur,
            job_seekers=labour.job_seekers.get(commune_of[explanation.key]),
            explanation=explanation,
        )
        for explanation in top
    ]
    return PreRanking(total=len(ranking), rows=rows, labour_method=labour_method_text(labour.radius_km))


def labour_method_text(radius_km: float) -> str:
    """How the job seekers of the first ranking are counted, in the reader's language (phrased per request:
    the figures are cached for every reader, the sentence is not)."""
    rates = labour_engine.DEFAULT_RATES
    return _(
        "category A job seekers within %(radius)s km: imported counts where there are some, else "
        "%(estimate)s; labour force = %(labour_force)s"
    ) % {
        "radius": f"{radius_km:g}",
        "estimate": method_text(labour_engine.METHOD_CATEGORY_A_ZONE, rates),
        "labour_force": method_text(labour_engine.METHOD_LABOUR_FORCE, rates),
    }
