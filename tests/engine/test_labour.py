"""Labour pool, saturation and recruitment feasibility, including the article's own claim."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import guichet
from guichet.engine import catchment as cm
from guichet.engine import labour as lb
from guichet.engine.hiring import hires_at_attrition, hiring_plan

COMMUNES_CSV = Path(guichet.__file__).parent / "data" / "territory" / "communes.csv"
ARTICLE_POOL = lb.Figure.given(2000, "article: tertiary job seekers of the Besançon agglomeration")


def test_article_check_400_hires_from_2000_job_seekers_is_unrealistic() -> None:
    result = lb.recruitment_feasibility(
        hires_per_year=[400], job_seekers=ARTICLE_POOL, pool_kind="customer_relation"
    )
    (year,) = result.years
    assert (year.candidates_low, year.candidates, year.candidates_high) == (1200.0, 1400.0, 1600.0)
    assert (year.share_low, year.share, year.share_high) == pytest.approx((0.60, 0.70, 0.80))
    assert result.verdict == "unrealistic" and result.worst_year == 1
    assert "60%-80%" in result.reason and "2,000 customer-relation job seekers" in result.reason
    assert "unrealistic" in result.reason
    for per_hire in (3.0, 4.0):
        bound = lb.recruitment_feasibility(
            hires_per_year=[400], job_seekers=ARTICLE_POOL, candidates_per_hire=per_hire
        )
        assert bound.verdict == "unrealistic"
        assert bound.years[0].share == pytest.approx(per_hire * 400 / 2000)


def test_defaults_are_stated() -> None:
    assert lb.DEFAULT_CANDIDATES_PER_HIRE == 3.5
    assert lb.DEFAULT_CANDIDATES_PER_HIRE_RANGE == (3.0, 4.0)
    assert (lb.DEFAULT_FEASIBILITY_THRESHOLDS.demanding, lb.DEFAULT_FEASIBILITY_THRESHOLDS.unrealistic) == (
        0.10,
        0.25,
    )
    assert (lb.DEFAULT_SATURATION_THRESHOLDS.tight, lb.DEFAULT_SATURATION_THRESHOLDS.saturated) == (
        0.02,
        0.03,
    )
    assert lb.DEFAULT_RATES.activity_rate == 0.80 and lb.DEFAULT_RATES.job_seeker_rate == 0.175
    assert (
        lb.DEFAULT_RATES.category_a_rate == 0.098 and "category A" in lb.DEFAULT_RATES.category_a_rate_source
    )
    assert "Eurostat" in lb.DEFAULT_RATES.activity_rate_source
    assert "DARES" in lb.DEFAULT_RATES.job_seeker_rate_source


@pytest.mark.parametrize(
    ("hires", "verdict"),
    [(0, "realistic"), (199, "realistic"), (200, "demanding"), (499, "demanding"), (500, "unrealistic")],
)
def test_verdict_thresholds_at_their_edges(hires: int, verdict: str) -> None:
    # 7,000 job seekers at 3.5 candidates per hire: 200 hires = 10%, 500 hires = 25% exactly.
    pool = lb.Figure.given(7000, "test")
    assert lb.recruitment_feasibility(hires_per_year=[hires], job_seekers=pool).verdict == verdict


def test_worst_year_decides_and_the_reason_names_it() -> None:
    pool = lb.Figure.given(10_000, "test")
    result = lb.recruitment_feasibility(hires_per_year=[300, 150, 1000], job_seekers=pool)
    assert [y.verdict for y in result.years] == ["demanding", "realistic", "unrealistic"]
    assert result.verdict == "unrealistic" and result.worst_year == 3
    assert result.reason.startswith(
        "Year 3 needs 1,000 hires x 3.5 candidates per hire = 3,500 candidates, 35%"
    )


def test_no_pool_gives_no_verdict() -> None:
    unknown = lb.Figure(value=None, kind="unavailable", source="nothing imported")
    result = lb.recruitment_feasibility(hires_per_year=[100], job_seekers=unknown)
    assert result.verdict == "unknown" and result.worst_year is None
    assert result.years[0].share is None
    with pytest.raises(ValueError):
        lb.recruitment_feasibility(hires_per_year=[-1], job_seekers=ARTICLE_POOL)
    with pytest.raises(ValueError):
        lb.recruitment_feasibility(hires_per_year=[1], job_seekers=ARTICLE_POOL, candidates_per_hire=0.5)


@given(
    hires=st.integers(0, 5000),
    extra=st.integers(0, 5000),
    pool=st.floats(1.0, 1e6, allow_nan=False),
)
def test_more_hires_never_improve_the_verdict(hires: int, extra: int, pool: float) -> None:
    order = {"realistic": 0, "demanding": 1, "unrealistic": 2}
    figure = lb.Figure.given(pool, "test")
    a = lb.recruitment_feasibility(hires_per_year=[hires], job_seekers=figure).verdict
    b = lb.recruitment_feasibility(hires_per_year=[hires + extra], job_seekers=figure).verdict
    assert order[a] <= order[b]


# --- the pool -----------------------------------------------------------------------------------------


def _values(values: list[float | None], source: str = "test source 2024") -> lb.CommuneValues:
    return lb.CommuneValues(values=values, source=source)


def test_estimates_are_labelled_with_method_and_rates() -> None:
    pool = lb.labour_pool(
        population=_values([2000.0, 3000.0], "Etalab / INSEE population 2023"),
        population_20_64=_values([1000.0, 2000.0], "INSEE census 2021"),
    )
    assert pool.population.value == 5000 and pool.population.kind == "imported"
    assert pool.population.source == "Etalab / INSEE population 2023"
    assert pool.labour_force.kind == "estimate"
    assert pool.labour_force.value == pytest.approx(2400.0)
    assert "x 0.8" in pool.labour_force.source and "Eurostat" in pool.labour_force.source
    assert pool.labour_force.method == lb.METHOD_LABOUR_FORCE
    assert pool.job_seekers.kind == "estimate" and pool.job_seekers.method == lb.METHOD_CATEGORY_ABC
    assert pool.job_seekers.value == pytest.approx(2400.0 * 0.175)
    assert pool.job_seekers_a.kind == "estimate" and pool.job_seekers_a.method == lb.METHOD_CATEGORY_A
    assert pool.job_seekers_a.value == pytest.approx(2400.0 * 0.098)
    assert pool.customer_relation_job_seekers.kind == "unavailable"
    assert pool.customer_relation_job_seekers.value is None
    figure, kind = pool.job_seekers_in_reach
    assert figure is pool.job_seekers_a and kind == "category_a"
    # Without SIRENE coverage the saturation is unknown, never "0 %, comfortable".
    assert pool.saturation.status == "unknown" and pool.saturation.ratio_mid is None
    assert pool.saturation.band is None and not pool.contact_centre_jobs.known


def test_imported_values_win_commune_by_commune() -> None:
    pool = lb.labour_pool(
        population=_values([2000.0, 3000.0, 10.0]),
        population_20_64=_values([1000.0, 2000.0, None]),
        job_seekers=_values([150.0, None, None], "DARES, ABC, 2025-06, apportioned"),
    )
    # Commune 3 has no population 20-64: no labour force, no job seekers, counted as missing.
    assert pool.labour_force.communes_estimated == 2 and pool.labour_force.communes_missing == 1
    assert pool.job_seekers.kind == "mixed"
    assert pool.job_seekers.value == pytest.approx(150.0 + 2000.0 * 0.8 * 0.175)
    assert (pool.job_seekers.communes_imported, pool.job_seekers.communes_estimated) == (1, 1)
    assert "DARES" in pool.job_seekers.source and "0.175" in pool.job_seekers.source
    assert not pool.job_seekers.complete


def test_customer_relation_job_seekers_are_preferred_when_imported_everywhere() -> None:
    args = {
        "population": _values([2000.0, 3000.0]),
        "population_20_64": _values([1000.0, 2000.0]),
    }
    full = lb.labour_pool(**args, customer_relation_job_seekers=_values([20.0, 30.0], "France Travail D1408"))
    figure, kind = full.job_seekers_in_reach
    assert (figure.value, figure.kind, kind) == (50.0, "imported", "customer_relation")
    partial = lb.labour_pool(**args, customer_relation_job_seekers=_values([20.0, None], "France Travail"))
    assert partial.job_seekers_in_reach[1] == "category_a"
    feasibility = lb.recruitment_feasibility_for_pool(full, [10])
    assert feasibility.pool_kind == "customer_relation"
    assert feasibility.years[0].share == pytest.approx(0.7)


def test_misaligned_or_negative_values_are_refused() -> None:
    with pytest.raises(ValueError, match="expected 2 values"):
        lb.labour_pool(population=_values([1.0, 2.0]), population_20_64=_values([1.0]))
    with pytest.raises(ValueError, match="count >= 0"):
        lb.labour_pool(population=_values([1.0]), population_20_64=_values([-5.0]))


def test_saturation_bands() -> None:
    force = lb.Figure.given(2000, "test")

    def band(jobs: float) -> str | None:
        centres = [lb.ContactCentre("c", jobs, jobs, jobs, origin="manual")]
        return lb.saturation(lb.contact_centre_jobs(centres), force).band

    assert [band(39), band(40), band(59), band(60), band(100)] == [
        "comfortable",
        "tight",
        "tight",
        "saturated",
        "saturated",
    ]
    none = lb.saturation(lb.contact_centre_jobs([]), lb.Figure(None, "unavailable", "-"))
    assert none.band is None and none.ratio_mid is None


def test_contact_centre_jobs_ranges_and_manual_override() -> None:
    centres = [
        lb.ContactCentre("A", 100, 149.5, 199, siret="11111111100011"),
        lb.ContactCentre("A (recorded)", 320, 320, 320, origin="manual", siret="11111111100011"),
        lb.ContactCentre("B", 50, 74.5, 99, siret="22222222200022"),
        lb.ContactCentre("B again", 50, 74.5, 99, siret="22222222200022"),
        lb.ContactCentre("C", None, None, None, siret="33333333300033"),
    ]
    jobs = lb.contact_centre_jobs(centres)
    assert (jobs.low, jobs.mid, jobs.high) == (370.0, 394.5, 419.0)
    assert (jobs.establishments, jobs.from_sirene, jobs.recorded_by_hand) == (3, 2, 1)
    assert (jobs.unknown_size, jobs.duplicates_dropped) == (1, 2)


def test_apportion_keeps_zone_totals() -> None:
    values = lb.apportion_to_communes(
        zone_totals={"2701": 1000.0, "2702": 90.0},
        commune_zones={"a": "2701", "b": "2701", "c": "2702", "d": "2702", "e": "9999"},
        commune_weights={"a": 300.0, "b": 100.0, "c": 0.0, "d": None},
    )
    assert values == {"a": 750.0, "b": 250.0, "c": 45.0, "d": 45.0}


def test_imported_category_a_counts_replace_the_rate_and_say_how_they_were_shared() -> None:
    pool = lb.labour_pool(
        population=_values([2000.0, 3000.0]),
        population_20_64=_values([1000.0, 2000.0]),
        job_seekers_a=lb.CommuneValues([60.0, 130.0], "DARES · 2025-T2 · defm.xlsx", ("ZE",)),
    )
    assert pool.job_seekers_a.kind == "imported" and pool.job_seekers_a.value == 190.0
    assert pool.job_seekers_a.apportioned == ("ZE",) and pool.job_seekers_a.method == ""
    assert pool.job_seekers.kind == "estimate"  # A, B, C not imported: still the national rate


def test_saturation_counts_covered_communes_only_and_in_house_centres() -> None:
    centres = [
        lb.ContactCentre("outsourced", 100, 149.5, 199, position=0),
        lb.ContactCentre("bank", 300, 300, 300, origin="manual", kind="in_house", position=0),
        lb.ContactCentre("beyond", 500, 500, 500, position=1),
    ]
    pool = lb.labour_pool(
        population=_values([20000.0, 30000.0]),
        population_20_64=_values([10000.0, 20000.0]),
        contact_centres=centres,
        centres_covered=[True, False],
    )
    jobs = pool.contact_centre_jobs
    assert (jobs.mid, jobs.in_house, jobs.in_house_mid, jobs.not_counted) == (449.5, 1, 300.0, 1)
    saturation = pool.saturation
    assert saturation.status == "partial" and saturation.labour_force_counted == pytest.approx(8000.0)
    assert saturation.ratio_mid == pytest.approx(449.5 / 8000.0) and saturation.band == "saturated"
    nowhere = lb.labour_pool(
        population=_values([20000.0]), population_20_64=_values([10000.0]), centres_covered=[False]
    )
    assert nowhere.saturation.status == "unknown" and nowhere.saturation.ratio_mid is None
    with pytest.raises(ValueError, match="centres_covered"):
        lb.labour_pool(population=_values([1.0]), population_20_64=_values([1.0]), centres_covered=[])


def test_the_verdict_uses_category_a_and_gives_the_upper_bound() -> None:
    pool = lb.labour_pool(population=_values([200_000.0]), population_20_64=_values([100_000.0]))
    feasibility = lb.recruitment_feasibility_for_pool(pool, [400])
    # 400 x 3.5 = 1,400 candidates over 100,000 x 0.8 x 0.098 = 7,840 in category A: 17.9 %, demanding;
    # over the 14,000 in A, B, C it would have read 10.0 %, demanding too.
    assert feasibility.pool_kind == "category_a" and feasibility.verdict == "demanding"
    assert feasibility.years[0].share == pytest.approx(1400 / 7840)
    assert feasibility.years[0].share_of_upper_bound == pytest.approx(1400 / 14000)
    assert feasibility.upper_bound is pool.job_seekers and feasibility.pool_complete
    assert "categories A, B, C (upper bound)" in feasibility.reason


def test_an_incomplete_pool_is_said_so() -> None:
    pool = lb.labour_pool(population=_values([200_000.0, 5.0]), population_20_64=_values([100_000.0, None]))
    feasibility = lb.recruitment_feasibility_for_pool(pool, [400])
    assert not feasibility.pool_complete and pool.communes_without_data == 1
    assert "undercounted" in feasibility.reason


def test_real_pool_within_30_km_of_besancon() -> None:
    with COMMUNES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    index = cm.index_communes(
        [r["insee"] for r in rows], [r["latitude"] for r in rows], [r["longitude"] for r in rows]
    )
    b = index.position("25056")
    catchment = cm.within_radius(index, index.latitudes[b], index.longitudes[b], 30.0)
    picked = [rows[i] for i in catchment.indices]
    pool = lb.labour_pool(
        population=_values([float(r["population"]) for r in picked], "INSEE population municipale 2023"),
        population_20_64=_values([float(r["population_20_64"]) for r in picked], "INSEE census 2021"),
        contact_centres=[lb.ContactCentre("plateau", 2000, 2000, 2000, origin="manual")],
        centres_covered=[True] * len(picked),
    )
    assert pool.communes == 342
    assert pool.population.value == 295_273
    assert pool.population_20_64.value == 164_348
    assert pool.labour_force.value == pytest.approx(164_348 * 0.8)
    assert pool.job_seekers.value == pytest.approx(164_348 * 0.8 * 0.175)
    assert pool.job_seekers_a.value == pytest.approx(164_348 * 0.8 * 0.098)
    assert pool.saturation.ratio_mid == pytest.approx(2000 / (164_348 * 0.8))
    assert pool.saturation.band == "comfortable" and pool.saturation.status == "known"


def _pool_in_zone(factor: float | None, **imported: lb.CommuneValues) -> lb.LabourPool:
    return lb.labour_pool(
        population=_values([20_000.0]),
        population_20_64=_values([10_000.0]),
        local=lb.LocalUnemployment([factor], "2025-T4"),
        **imported,  # type: ignore[arg-type]
    )


def test_job_seekers_localised_by_the_zone_s_unemployment() -> None:
    # Two pools of the same labour force (8,000), one in the zone of Montbéliard (11.8 % in 2025-T4), one in
    # that of Besançon (6.5 %), France at 7.83 %: category A in the ratio of the zones' rates.
    montbeliard = _pool_in_zone(11.8 / 7.83)
    besancon = _pool_in_zone(6.5 / 7.83)
    assert montbeliard.labour_force.value == besancon.labour_force.value == 8_000
    a_m, a_b = montbeliard.job_seekers_a.value, besancon.job_seekers_a.value
    assert a_m is not None and a_b is not None
    assert a_m / a_b == pytest.approx(11.8 / 6.5)
    assert a_m == pytest.approx(8_000 * 0.098 * 11.8 / 7.83)
    assert montbeliard.job_seekers.value == pytest.approx(8_000 * 0.175 * 11.8 / 7.83)
    assert montbeliard.job_seekers_a.method == lb.METHOD_CATEGORY_A_ZONE
    assert montbeliard.job_seekers.method == lb.METHOD_CATEGORY_ABC_ZONE
    assert montbeliard.rates.zone_quarter == "2025-T4" and "2025-T4" in montbeliard.job_seekers_a.source
    # A zone without a published rate (Guyane, Mayotte) keeps the national ratio.
    national = _pool_in_zone(None)
    assert national.job_seekers_a.value == pytest.approx(8_000 * 0.098)
    assert national.job_seekers_a.method == lb.METHOD_CATEGORY_A and national.rates.zone_quarter == "2025-T4"


def test_imported_counts_take_precedence_over_the_localised_estimate() -> None:
    pool = _pool_in_zone(11.8 / 7.83, job_seekers_a=_values([321.0], "DARES · 2025T4"))
    assert pool.job_seekers_a.value == 321.0 and pool.job_seekers_a.kind == "imported"
    assert pool.job_seekers_a.method == "" and pool.job_seekers_a.import_source == "DARES · 2025T4"
    # A, B, C not imported: still the localised estimate.
    assert pool.job_seekers.kind == "estimate" and pool.job_seekers.method == lb.METHOD_CATEGORY_ABC_ZONE


def test_the_verdict_at_both_ends_of_the_candidates_per_hire_range() -> None:
    # 400 hires, 14,000 in category A: 3 per hire = 8.6 % realistic, 3.5 = 10.0 % demanding, 4 = 11.4 %.
    pool = lb.Figure(value=14_000.0, kind="estimate", source="test")
    feasibility = lb.recruitment_feasibility(hires_per_year=[400], job_seekers=pool)
    assert feasibility.candidates_per_hire_range == (3.0, 4.0)
    assert (feasibility.verdict_low, feasibility.verdict, feasibility.verdict_high) == (
        "realistic",
        "demanding",
        "demanding",
    )
    assert feasibility.flips and "flips within the range: realistic at 3" in feasibility.reason
    steady = lb.recruitment_feasibility(hires_per_year=[100], job_seekers=pool)
    assert (steady.verdict_low, steady.verdict_high) == ("realistic", "realistic") and not steady.flips
    unknown = lb.recruitment_feasibility(
        hires_per_year=[100], job_seekers=lb.Figure(None, "unavailable", "x")
    )
    assert unknown.verdict_low == unknown.verdict_high == "unknown"


def test_the_verdict_at_both_ends_of_the_range_of_attrition() -> None:
    """800 jobs reached in four steps of 200: at 20 % a year the worst year needs 340 hires, 1,190
    candidates, 11.9 % of 10,000 in category A (demanding); at 8 %, 256 hires (realistic); at 50 %, 550."""
    plan = hiring_plan(target_headcount=800, years=5, ramp=(0.25, 0.5, 0.75, 1.0), annual_attrition=0.2)
    low, high = hires_at_attrition(plan.years, 0.08), hires_at_attrition(plan.years, 0.5)
    assert (low[3], [y.hires for y in plan.years][3], high[3]) == (256, 340, 550)
    pool = lb.Figure(value=10_000.0, kind="estimate", source="test")
    feasibility = lb.recruitment_feasibility(
        hires_per_year=[y.hires for y in plan.years],
        job_seekers=pool,
        hires_across_attrition=lb.AttritionHires(0.08, 0.5, low, high),
    )
    assert feasibility.verdict == "demanding" and feasibility.attrition_range == (0.08, 0.5)
    assert (feasibility.verdict_attrition_low, feasibility.verdict_attrition_high) == (
        "realistic",
        "demanding",
    )
    assert feasibility.attrition_flips
    # Hires given directly have no attrition to vary.
    direct = lb.recruitment_feasibility(hires_per_year=[340], job_seekers=pool)
    assert direct.attrition_range is None and not direct.attrition_flips
    # Without a pool, no verdict at either end.
    unknown = lb.recruitment_feasibility(
        hires_per_year=[340],
        job_seekers=lb.Figure(None, "unavailable", "x"),
        hires_across_attrition=lb.AttritionHires(0.08, 0.5, low, high),
    )
    assert unknown.verdict_attrition_low == unknown.verdict_attrition_high == "unknown"


def test_hires_at_another_attrition_keep_the_plans_growth() -> None:
    plan = hiring_plan(target_headcount=300, target_seats=300, years=4, ramp=(0.5, 1.0))
    assert hires_at_attrition(plan.years, plan.annual_attrition) == tuple(y.hires for y in plan.years)
    assert hires_at_attrition(plan.years, 0.4) == (180, 240, 120, 120)  # the former 40 % default
    assert hires_at_attrition(plan.years, 0) == (150, 150, 0, 0)
