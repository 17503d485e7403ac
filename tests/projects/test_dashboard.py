"""Every figure of the dashboard, rebuilt from the stage history of a generated portfolio of 320 projects
and compared with an independent count made with plain loops over the generator's own records."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from guichet.projects.dashboard import DashboardFilters, dashboard_figures
from guichet.projects.exports import table_csv, tables_xlsx
from guichet.projects.models import AgencySettings, LossReason, Stage

from .portfolio import Plan, generate, write

pytestmark = pytest.mark.django_db

QUALIFIED_OR_FURTHER = {
    "qualified",
    "call_for_offers",
    "shortlist",
    "visits",
    "won",
    "installed",
    "aftercare",
}
CALL_OR_FURTHER = {"call_for_offers", "shortlist", "visits", "won", "installed", "aftercare"}
WON_OR_FURTHER = {"won", "installed", "aftercare"}

FILTERS = [
    DashboardFilters(year_from=2020, year_to=2026),
    DashboardFilters(year_from=2024, year_to=2024),
    DashboardFilters(year_from=2026, year_to=2026),
    DashboardFilters(year_from=2023, year_to=2025, departement="25"),
    DashboardFilters(year_from=2021, year_to=2026, epci="242500361"),
    DashboardFilters(year_from=2020, year_to=2026, sector="back_office"),
    DashboardFilters(year_from=2022, year_to=2026, source="portal", departement="90"),
]


@pytest.fixture
def portfolio(db: Any) -> list[Plan]:
    plans = generate()
    counts = write(plans)
    assert counts["projects"] == 320 and counts["moves"] > 1000
    AgencySettings.objects.create(jobs_target_per_year=350)
    return plans


# --- the independent count: plain loops over the plans ----------------------------------------------------


def passes(plan: Plan, f: DashboardFilters) -> bool:
    if f.sector and plan.sector != f.sector:
        return False
    if f.source and plan.source != f.source:
        return False
    if f.departement and plan.departement != f.departement:
        return False
    return not (f.epci and plan.epci != f.epci)


def in_period(day: Any, f: DashboardFilters) -> bool:
    return f.year_from <= day.year <= f.year_to


def day_of(plan: Plan, stage: str) -> Any:
    for moved_to, day in plan.moves:
        if moved_to == stage:
            return day
    return None


def expected(plans: list[Plan], f: DashboardFilters, target: int) -> dict[str, Any]:
    mine = [plan for plan in plans if passes(plan, f)]
    leads = [plan for plan in mine if in_period(plan.moves[0][1], f)]
    won = [plan for plan in mine if day_of(plan, "won") and in_period(day_of(plan, "won"), f)]
    lost = [plan for plan in mine if day_of(plan, "lost") and in_period(day_of(plan, "lost"), f)]
    abandoned = [
        plan for plan in mine if day_of(plan, "abandoned") and in_period(day_of(plan, "abandoned"), f)
    ]

    years = []
    for year in range(f.year_from, f.year_to + 1):
        year_won = [plan for plan in won if day_of(plan, "won").year == year]
        created = sum(plan.jobs_created.get(year, 0) for plan in mine)
        years.append(
            (
                year,
                sum(1 for plan in leads if plan.moves[0][1].year == year),
                len(year_won),
                sum(1 for plan in lost if day_of(plan, "lost").year == year),
                sum(1 for plan in abandoned if day_of(plan, "abandoned").year == year),
                sum(plan.jobs_announced or 0 for plan in year_won),
                created,
                target,
                created / target,
                sum(plan.floor_area_m2 or 0 for plan in year_won),
                sum(plan.investment_eur or 0 for plan in year_won),
            )
        )

    # The stage on the last day: the last move made by then, in the order the moves happened.
    end = f.end
    at_end: Counter[str] = Counter()
    entered: Counter[str] = Counter()
    for plan in mine:
        current = None
        for stage, day in plan.moves:
            if day <= end:
                current = stage
        if current is not None:
            at_end[current] += 1
        for stage in {stage for stage, day in plan.moves if in_period(day, f)}:
            entered[stage] += 1  # a project counts once per stage, however many rounds it went
    stages = [(stage.value, at_end[stage.value], entered[stage.value]) for stage in Stage]

    def reached(group: set[str]) -> int:
        return sum(1 for plan in leads if any(stage in group for stage, _day in plan.moves))

    funnel_counts = [
        len(leads),
        reached(QUALIFIED_OR_FURTHER),
        reached(CALL_OR_FURTHER),
        reached(WON_OR_FURTHER),
    ]

    reasons_lost = Counter(plan.loss_reason for plan in lost)
    reasons_abandoned = Counter(plan.loss_reason for plan in abandoned)
    losses = [(reason, reasons_lost[reason], reasons_abandoned[reason]) for reason in LossReason.values]
    lost_to = Counter(" ".join(plan.lost_to.split()) for plan in lost if plan.lost_to.strip())

    def territory(attribute: str) -> dict[str, tuple[int, int, int, int]]:
        rows: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for plan in won:
            code = getattr(plan, attribute) or ""
            rows[code][0] += 1
            rows[code][1] += plan.jobs_announced or 0
            rows[code][3] += plan.floor_area_m2 or 0
        for plan in mine:
            jobs = sum(jobs for year, jobs in plan.jobs_created.items() if f.year_from <= year <= f.year_to)
            if jobs:
                rows[getattr(plan, attribute) or ""][2] += jobs
        return {code: tuple(values) for code, values in rows.items()}  # type: ignore[misc]

    def months(plans_decided: list[tuple[Plan, Any]]) -> float | None:
        spans = [(day - plan.moves[0][1]).days / (365.25 / 12) for plan, day in plans_decided]
        return sum(spans) / len(spans) if spans else None

    decided = []
    for plan in mine:
        first_decision = next(
            ((stage, day) for stage, day in plan.moves if stage in ("won", "lost", "abandoned")), None
        )
        if first_decision and in_period(first_decision[1], f):
            decided.append((plan, first_decision))
    return {
        "years": years,
        "stages": stages,
        "funnel": funnel_counts,
        "losses": losses,
        "lost_to": lost_to,
        "departements": territory("departement"),
        "epci": territory("epci"),
        "decisions": len(decided),
        "months_to_decision": months([(plan, d[1]) for plan, d in decided]),
        "months_to_win": months([(plan, d[1]) for plan, d in decided if d[0] == "won"]),
        "won_count_to_win": sum(1 for _plan, d in decided if d[0] == "won"),
        "totals": {
            "leads": len(leads),
            "won": len(won),
            "lost": len(lost),
            "abandoned": len(abandoned),
            "jobs_announced": sum(plan.jobs_announced or 0 for plan in won),
            "jobs_created": sum(
                jobs for plan in mine for year, jobs in plan.jobs_created.items() if in_period_year(year, f)
            ),
            "floor_area_m2": sum(plan.floor_area_m2 or 0 for plan in won),
            "investment_eur": sum(plan.investment_eur or 0 for plan in won),
            "won_without_jobs": sum(1 for plan in won if plan.jobs_announced is None),
            "won_not_located": sum(1 for plan in won if plan.departement is None),
        },
    }


def in_period_year(year: int, f: DashboardFilters) -> bool:
    return f.year_from <= year <= f.year_to


# --- the comparisons --------------------------------------------------------------------------------------


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: f.slug())
def test_every_figure_matches_an_independent_count(portfolio: list[Plan], filters: DashboardFilters) -> None:
    truth = expected(portfolio, filters, target=350)
    with translation.override("en"):
        figures = dashboard_figures(filters=filters)

    assert figures["years"].rows == truth["years"]
    assert [
        (code, at_end, entered)
        for (_label, at_end, entered), code in zip(
            figures["stages"].rows, [s.value for s in Stage], strict=True
        )
    ] == truth["stages"]
    assert figures["funnel"].column("projects") == truth["funnel"]
    leads, qualified, call, won = truth["funnel"]
    assert figures["funnel"].column("share_of_leads") == (
        [1.0, qualified / leads, call / leads, won / leads] if leads else [None] * 4
    )
    assert figures["funnel"].column("share_of_previous")[1:] == [
        qualified / leads if leads else None,
        call / qualified if qualified else None,
        won / call if call else None,
    ]
    losses = figures["losses"]
    assert [row[1:] for row in losses.rows] == [row[1:] for row in truth["losses"]]
    with translation.override("en"):
        labels = [str(LossReason(reason).label) for reason, *_ in truth["losses"]]
    assert [row[0] for row in losses.rows] == labels
    assert dict(figures["lost_to"].rows) == dict(truth["lost_to"])
    for key in ("departements", "epci"):
        table = figures[key]
        assert {row[0]: tuple(row[2:]) for row in table.rows} == truth[key], key
    totals = figures.totals
    for key, value in truth["totals"].items():
        assert totals[key] == value, key
    assert totals["target"] == 350 * len(filters.years)
    assert totals["decisions"] == truth["decisions"]
    for key in ("months_to_decision", "months_to_win"):
        if truth[key] is None:
            assert totals[key] is None
        else:
            assert math.isclose(totals[key], truth[key], rel_tol=1e-12), key
    durations = figures["durations"].rows
    assert [row[1] for row in durations] == [truth["decisions"], truth["won_count_to_win"]]


def test_the_portfolio_exercises_what_the_figures_must_get_right(portfolio: list[Plan]) -> None:
    """The generated history has the hard cases, so the comparison above is not vacuous."""
    stages = [[stage for stage, _day in plan.moves] for plan in portfolio]
    assert sum(1 for path in stages if "installed" in path) >= 20  # won, then installed
    assert sum(1 for path in stages if path[-2:] == ["won", "abandoned"]) >= 3
    assert sum(1 for path in stages if "shortlist" in path and "call_for_offers" not in path) >= 10
    assert sum(1 for path in stages if path.count("shortlist") == 2) >= 10  # rounds again
    assert any(a[1] == b[1] for plan in portfolio for a, b in zip(plan.moves, plan.moves[1:], strict=False))
    assert sum(1 for plan in portfolio if "won" in dict(plan.moves) and plan.departement is None) >= 3
    assert sum(1 for plan in portfolio if "won" in dict(plan.moves) and plan.jobs_announced is None) >= 3
    truth = expected(portfolio, FILTERS[1], target=350)
    assert truth["totals"]["won"] > 5 and truth["totals"]["lost"] > 5
    # Projects decided in 2024 that came in before it.
    assert any(
        plan.moves[0][1].year < 2024 and day_of(plan, "won") and day_of(plan, "won").year == 2024
        for plan in portfolio
    )


def test_a_project_won_then_installed_still_counts_as_won_in_its_year(portfolio: list[Plan]) -> None:
    installed = [plan for plan in portfolio if "installed" in dict(plan.moves)]
    plan = installed[0]
    year = day_of(plan, "won").year
    figures = dashboard_figures(filters=DashboardFilters(year_from=year, year_to=year))
    assert plan.moves[-1][0] in ("installed", "aftercare")
    truth = expected(portfolio, DashboardFilters(year_from=year, year_to=year), target=350)
    assert figures.totals["won"] == truth["totals"]["won"] >= 1


@pytest.mark.parametrize("language", ["fr", "en"])
def test_csv_and_xlsx_carry_the_numbers_of_the_tables(portfolio: list[Plan], language: str) -> None:
    filters = FILTERS[0]
    with translation.override(language):
        figures = dashboard_figures(filters=filters)
        workbook = load_workbook(io.BytesIO(tables_xlsx(figures, list(figures.tables.values()))))
        for table in figures.tables.values():
            text = table_csv(table).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text), delimiter=";" if language == "fr" else ","))
            assert rows[0][0] == table.columns[0].label
            assert len(rows) == len(table.rows) + 1
            sheet = workbook[table.title[:31].replace("/", "-").replace(":", " ")]
            sheet_rows = list(sheet.iter_rows(min_row=2, max_row=len(table.rows) + 1, values_only=True))
            for row, written, in_sheet in zip(table.rows, rows[1:], sheet_rows, strict=True):
                for value, cell, sheet_value, column in zip(
                    row, written, in_sheet, table.columns, strict=True
                ):
                    if value is None:
                        assert cell == "" and sheet_value is None
                    elif column.kind == "text":
                        assert cell.lstrip("'") == value and (sheet_value or "") == value
                    elif column.kind == "share":
                        number = float(cell.replace(",", "."))
                        assert number == round(value * 100, 1)
                        assert sheet_value == round(value, 3)
                    elif column.kind == "months":
                        assert float(cell.replace(",", ".")) == round(value, 1) == round(sheet_value, 1)
                    else:
                        assert int(cell) == value == sheet_value  # no thousands separator in a file


def test_exports_never_hand_a_formula_to_a_spreadsheet(portfolio: list[Plan]) -> None:
    figures = dashboard_figures(filters=FILTERS[0])
    table = figures["lost_to"]
    formula = '=HYPERLINK("http://x")'
    assert formula in table.column("territory")
    text = table_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text
    sheet = load_workbook(io.BytesIO(tables_xlsx(figures, [table])))[table.title[:31]]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == formula]
    assert cells and all(cell.data_type == "s" for cell in cells)
