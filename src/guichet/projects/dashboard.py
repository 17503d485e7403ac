"""The board's dashboard: every figure computed from the projects' stage history, for a year or a range.

Nothing here is stored: "won in 2027" is a project whose first move to "won" is dated in 2027, whatever
happened to it afterwards (a project installed since still counts as won in its year). The definitions:

- leads: projects whose first recorded move (the day the lead came in) falls in the period;
- won, lost, abandoned: projects whose first move to that stage falls in the period;
- projects by stage: the stage of each project's last move made by the last day of the period, and how many
  projects moved into each stage during it (once each, even if a competition went round twice);
- jobs announced: the figure recorded at the decision, in the year of the win; jobs created: the yearly
  reports of the years in the period; the target: the agency's yearly target times the number of years;
- floor area taken up and investment: recorded at the decision, in the year of the win;
- months from lead to decision: from the first move to the first decision (won, lost or abandoned), for
  the decisions taken in the period;
- the funnel: of the leads that came in during the period, how many reached each step since (a step counts
  the projects that reached it or went further along the pipeline; a call for offers may be skipped);
- territories (département, EPCI) are those of the site's commune: filtering by territory counts the
  projects located there, which a project becomes when it is won (or when the agency names its commune).

Each figure is a `Table` with typed columns: the page, the charts, the CSV and the xlsx all read the same
rows, so they show the same numbers.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from django.db import connections
from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Substr
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from guichet.projects.models import (
    STAGE_ORDER,
    JobsCreated,
    LeadSource,
    LossReason,
    Project,
    Sector,
    Stage,
    StageChange,
)
from guichet.projects.selectors import agency_settings
from guichet.territory.models import Departement, Epci

DAYS_PER_MONTH = 365.25 / 12
# The pipeline's main path, in order: a project that reached a later step has passed the earlier ones.
MAIN_PATH = (
    Stage.LEAD,
    Stage.QUALIFIED,
    Stage.CALL_FOR_OFFERS,
    Stage.SHORTLIST,
    Stage.VISITS,
    Stage.WON,
    Stage.INSTALLED,
    Stage.AFTERCARE,
)
FUNNEL_STEPS = (Stage.LEAD, Stage.QUALIFIED, Stage.CALL_FOR_OFFERS, Stage.WON)
DECISIONS = (Stage.WON, Stage.LOST, Stage.ABANDONED)
NOT_LOCATED = ""


@dataclass(frozen=True)
class DashboardFilters:
    year_from: int
    year_to: int
    departement: str = ""
    epci: str = ""
    sector: str = ""
    source: str = ""

    @property
    def start(self) -> dt.date:
        return dt.date(self.year_from, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year_to, 12, 31)

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    def as_query(self) -> dict[str, str]:
        values = {"year_from": str(self.year_from), "year_to": str(self.year_to)}
        for name in ("departement", "epci", "sector", "source"):
            if getattr(self, name):
                values[name] = getattr(self, name)
        return values

    def slug(self) -> str:
        """For file names: the period, and the filters when set."""
        period = str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}-{self.year_to}"
        parts = [period, *(getattr(self, n) for n in ("departement", "epci", "sector", "source"))]
        return "_".join(part for part in parts if part)


# Column kinds tell the page, the CSV and the xlsx how to write a value: a "year" never takes a thousands
# separator, a "share" is a fraction shown as a percentage, "months" has one decimal.
KINDS = ("text", "int", "year", "share", "months", "eur", "area")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "int"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[tuple[Any, ...]]
    note: str = ""

    def column(self, key: str) -> list[Any]:
        index = [column.key for column in self.columns].index(key)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Any]]:
        keys = [column.key for column in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass
class Dashboard:
    filters: DashboardFilters
    target_per_year: int
    tables: dict[str, Table]
    totals: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Table:
        return self.tables[key]


class ProjectHistory(NamedTuple):
    """One project as the dashboard reads it: dates from its moves, and what its decision recorded.
    (A named tuple: ten thousand of them are made per dashboard, and a tuple is the cheapest to make.)"""

    pk: int
    entered: dt.date | None  # its first move: the day the lead came in
    first: dict[str, dt.date]  # the first move into each decision stage (won, lost, abandoned)
    decision: tuple[str, dt.date] | None  # the first decision and its date
    reached: dict[str, dt.date]  # the first day at each funnel step or further along the main path
    stage_at_end: str | None  # the stage of the last move made by the period's last day
    jobs_announced: int | None
    floor_area_taken_m2: int | None
    investment_eur: Decimal | None
    loss_reason: str
    lost_to: str
    departement: str
    epci: str


def filtered_projects(filters: DashboardFilters) -> QuerySet[Project]:
    projects = Project.objects.all()
    if filters.sector:
        projects = projects.filter(sector=filters.sector)
    if filters.source:
        projects = projects.filter(source=filters.source)
    if filters.departement:
        projects = projects.filter(site_commune__departement_id=filters.departement)
    if filters.epci:
        projects = projects.filter(site_commune__epci_id=filters.epci)
    return projects


def _filtered_moves(filters: DashboardFilters) -> QuerySet[StageChange]:
    moves = StageChange.objects.order_by()
    if filters.sector or filters.source or filters.departement or filters.epci:
        moves = moves.filter(project_id__in=filtered_projects(filters).values("pk"))
    return moves


ID_OFFSET = 10**12  # ids stay below it: 13 digits each, so that texts compare as the ids do


def _last_move_stage(end: dt.date) -> Substr:
    """The latest move made by `end`, as the largest "date|id|stage" text: in one pass over the moves, the
    stage of the last one (the later id wins between two moves of the same day). None of the parts is ever
    null, so they are joined with a plain `||` (Concat would wrap each in COALESCE). The id is written on
    13 digits by adding 10^12 rather than with LPAD, which SQLite runs as a Python function: built-in
    operations only, so a query never calls back into Python from inside the database."""
    joined = Func(
        Cast("at", CharField()),
        Value("|"),
        Cast(F("id") + Value(ID_OFFSET), CharField()),
        Value("|"),
        F("stage"),
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=CharField(),
    )
    # Only the stage travels back: it starts after "YYYY-MM-DD|", the 13-digit id and its "|".
    return Substr(Max(joined, filter=Q(at__lte=end)), 26)


class Histories(NamedTuple):
    projects: list[ProjectHistory]
    moved_into: dict[str, int]  # stage -> projects that moved into it during the period


def _rows(query: QuerySet[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The rows of a grouped query as the database sends them, with their column names: ten thousand rows
    of a dozen aggregates do not need Django's per-value converters (dates are parsed below if needed)."""
    sql, params = query.query.get_compiler(using=query.db).as_sql()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return names, cursor.fetchall()


def _as_dates(rows: list[tuple[Any, ...]], columns: list[int]) -> list[tuple[Any, ...]]:
    """SQLite hands dates back as text (PostgreSQL as dates): parse them once, in the date columns only."""
    if not any(isinstance(row[index], str) for row in rows[:50] for index in columns):
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index in columns:
            if values[index] is not None:
                values[index] = dt.date.fromisoformat(str(values[index])[:10])
        converted.append(tuple(values))
    return converted


def project_histories(filters: DashboardFilters) -> Histories:
    """Two queries: the moves grouped by project (first move, first decisions, first day at each funnel
    step or beyond, whether it moved into each stage during the period, the stage of its last move by the
    period's end), and the projects' recorded outcomes."""
    aggregates: dict[str, Any] = {
        "entered": Min("at"),
        "last_move": _last_move_stage(filters.end),
        **{
            f"into_{stage}": Count("pk", filter=Q(stage=stage, at__gte=filters.start, at__lte=filters.end))
            for stage in STAGE_ORDER
        },
        **{f"first_{stage}": Min("at", filter=Q(stage=stage)) for stage in DECISIONS},
        **{
            f"reached_{step}": Min("at", filter=Q(stage__in=MAIN_PATH[MAIN_PATH.index(step) :]))
            for step in FUNNEL_STEPS[1:]
        },
    }
    names, rows = _rows(_filtered_moves(filters).values("project_id").annotate(**aggregates))
    column = {name: index for index, name in enumerate(names)}
    date_columns = [
        index for name, index in column.items() if name.startswith(("entered", "first_", "reached_"))
    ]
    rows = _as_dates(rows, date_columns)
    moves = {row[column["project_id"]]: row for row in rows}
    moved_into = {
        stage: sum(map(bool, map(itemgetter(column[f"into_{stage}"]), rows))) for stage in STAGE_ORDER
    }
    outcomes = filtered_projects(filters).values_list(
        "pk",
        "jobs_announced",
        "floor_area_taken_m2",
        "investment_eur",
        "loss_reason",
        "lost_to",
        "site_commune__departement_id",
        "site_commune__epci_id",
    )
    decision_index = [(stage, column[f"first_{stage}"]) for stage in DECISIONS]  # in STAGE_ORDER
    step_index = [(step, column[f"reached_{step}"]) for step in FUNNEL_STEPS[1:]]
    entered_index, last_index = column["entered"], column["last_move"]
    histories = []
    for pk, jobs, area, investment, reason, lost_to, departement, epci in outcomes:
        row = moves.get(pk)
        if row is None:
            continue  # a project without any move has no place in a history
        entered = row[entered_index]
        reached: dict[str, dt.date] = {
            step: row[index] for step, index in step_index if row[index] is not None
        }
        if entered is not None:
            reached[Stage.LEAD] = entered
        first: dict[str, dt.date] = {
            stage: row[index] for stage, index in decision_index if row[index] is not None
        }
        # The decision is the first of them; on the same day, the one first in STAGE_ORDER (a win before
        # its abandonment).
        decision = min(first.items(), key=itemgetter(1)) if first else None
        histories.append(
            ProjectHistory(
                pk=pk,
                entered=entered,
                first=first,
                decision=decision,
                reached=reached,
                stage_at_end=row[last_index] or None,
                jobs_announced=jobs,
                floor_area_taken_m2=area,
                investment_eur=investment,
                loss_reason=reason,
                lost_to=lost_to,
                departement=departement or NOT_LOCATED,
                epci=epci or NOT_LOCATED,
            )
        )
    return Histories(projects=histories, moved_into=moved_into)


def jobs_created_by(filters: DashboardFilters) -> list[tuple[int, str, str, int]]:
    """(year, département, EPCI, jobs created) for the years of the period, summed in the database."""
    rows = (
        JobsCreated.objects.filter(
            project__in=filtered_projects(filters), year__gte=filters.year_from, year__lte=filters.year_to
        )
        .order_by()
        .values_list("year", "project__site_commune__departement_id", "project__site_commune__epci_id")
        .annotate(total=Sum("jobs"))
    )
    return [(year, dep or NOT_LOCATED, epci or NOT_LOCATED, total) for year, dep, epci, total in rows]


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _months(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_PER_MONTH


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Tens of thousands of small tuples and dicts, none in a cycle: the cyclic garbage collector's passes
    over them while they are made are wasted (a quarter of the Python time), so it waits until the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def dashboard_figures(*, filters: DashboardFilters) -> Dashboard:
    with _collector_paused():
        return _dashboard_figures(filters)


@dataclass(frozen=True)
class _Period:
    """What every table of the dashboard reads: the period's projects and their decisions in it."""

    filters: DashboardFilters
    target: int
    histories: list[ProjectHistory]
    moved_into: dict[str, int]
    created_rows: list[tuple[int, str, str, int]]
    leads: list[ProjectHistory]
    won: list[ProjectHistory]
    lost: list[ProjectHistory]
    abandoned: list[ProjectHistory]
    created_by_year: Counter[int]


def _period(filters: DashboardFilters) -> _Period:
    loaded = project_histories(filters)
    histories = loaded.projects
    created_rows = jobs_created_by(filters)
    start, end = filters.start, filters.end
    decided = [h for h in histories if h.first]
    created_by_year: Counter[int] = Counter()
    for year, _dep, _epci, jobs in created_rows:
        created_by_year[year] += jobs
    return _Period(
        filters=filters,
        target=agency_settings().jobs_target_per_year,
        histories=histories,
        moved_into=loaded.moved_into,
        created_rows=created_rows,
        leads=[h for h in histories if h.entered and start <= h.entered <= end],
        won=[h for h in decided if _in(h.first.get(Stage.WON), start, end)],
        lost=[h for h in decided if _in(h.first.get(Stage.LOST), start, end)],
        abandoned=[h for h in decided if _in(h.first.get(Stage.ABANDONED), start, end)],
        created_by_year=created_by_year,
    )


def _dashboard_figures(filters: DashboardFilters) -> Dashboard:
    period = _period(filters)
    durations = _months_to_decisions(period)
    totals = _totals(period, durations)
    tables = [
        _years_table(period),
        _stages_table(period),
        _funnel_table(period),
        _losses_table(period),
        _lost_to_table(period),
        *_territory_tables(period),
        _summary_table(totals),
        _durations_table(totals, durations),
    ]
    return Dashboard(
        filters=filters,
        target_per_year=period.target,
        tables={table.key: table for table in tables},
        totals=totals,
    )


def _years_table(period: _Period) -> Table:
    """Jobs and decisions per year, against the target."""
    years = period.filters.years
    per_year: dict[int, dict[str, Any]] = {
        year: {"leads": 0, "won": 0, "lost": 0, "abandoned": 0, "announced": 0, "area": 0, "investment": 0}
        for year in years
    }
    for h in period.leads:
        per_year[h.entered.year]["leads"] += 1  # type: ignore[union-attr]
    for h in period.won:
        row = per_year[h.first[Stage.WON].year]
        row["won"] += 1
        row["announced"] += h.jobs_announced or 0
        row["area"] += h.floor_area_taken_m2 or 0
        row["investment"] += int(h.investment_eur or 0)
    for h in period.lost:
        per_year[h.first[Stage.LOST].year]["lost"] += 1
    for h in period.abandoned:
        per_year[h.first[Stage.ABANDONED].year]["abandoned"] += 1
    created, target = period.created_by_year, period.target
    return Table(
        key="years",
        title=_("Jobs and decisions per year, against the target"),
        columns=[
            Column("year", _("Year"), "year"),
            Column("leads", _("Leads")),
            Column("won", _("Won")),
            Column("lost", _("Lost")),
            Column("abandoned", _("Abandoned")),
            Column("jobs_announced", _("Jobs announced")),
            Column("jobs_created", _("Jobs created")),
            Column("target", _("Target (jobs)")),
            Column("share_of_target", _("Jobs created, share of the target"), "share"),
            Column("floor_area_m2", _("Floor area taken up (m²)"), "area"),
            Column("investment_eur", _("Investment (EUR)"), "eur"),
        ],
        rows=[
            (
                year,
                per_year[year]["leads"],
                per_year[year]["won"],
                per_year[year]["lost"],
                per_year[year]["abandoned"],
                per_year[year]["announced"],
                created[year],
                target,
                _share(created[year], target),
                per_year[year]["area"],
                per_year[year]["investment"],
            )
            for year in years
        ],
        note=_(
            "Jobs announced at the decision, in the year of the win; jobs created as reported each year by "
            "the sites; target set by the agency."
        ),
    )


def _stages_table(period: _Period) -> Table:
    """Projects by stage: on the last day of the period, and entries into each stage during it."""
    on_end: Counter[str | None] = Counter(h.stage_at_end for h in period.histories if h.stage_at_end)
    entered_stage = period.moved_into
    return Table(
        key="stages",
        title=_("Projects by stage"),
        columns=[
            Column("stage", _("Stage"), "text"),
            Column("at_end", _("Projects at that stage at the end of the period")),
            Column("entered", _("Projects that entered it during the period")),
        ],
        rows=[(str(stage.label), on_end[stage.value], entered_stage.get(stage.value, 0)) for stage in Stage],
        note=_("Computed from the dated moves of each project."),
    )


def _funnel_table(period: _Period) -> Table:
    """The conversion funnel of the period's leads."""
    cohort = period.leads
    reached = [sum(1 for h in cohort if step in h.reached) for step in FUNNEL_STEPS]
    labels = {
        Stage.LEAD: _("Leads"),
        Stage.QUALIFIED: pgettext("funnel step", "Qualified"),
        Stage.CALL_FOR_OFFERS: _("Call for offers (or further)"),
        Stage.WON: pgettext("funnel step", "Won"),
    }
    return Table(
        key="funnel",
        title=_("Conversion: lead, qualified, call for offers, won"),
        columns=[
            Column("step", _("Step"), "text"),
            Column("projects", _("Projects")),
            Column("share_of_previous", _("Share of the previous step"), "share"),
            Column("share_of_leads", _("Share of the leads"), "share"),
        ],
        rows=[
            (
                labels[step],
                count,
                _share(count, reached[index - 1]) if index else None,
                _share(count, reached[0]),
            )
            for index, (step, count) in enumerate(zip(FUNNEL_STEPS, reached, strict=True))
        ],
        note=_("Of the leads that came in during the period, how many reached each step since then."),
    )


def _losses_table(period: _Period) -> Table:
    """Losses and abandonments by reason."""
    reasons = Counter(h.loss_reason for h in period.lost)
    reasons_abandoned = Counter(h.loss_reason for h in period.abandoned)
    return Table(
        key="losses",
        title=_("Projects lost or abandoned, by reason"),
        columns=[
            Column("reason", _("Reason"), "text"),
            Column("lost", _("Lost")),
            Column("abandoned", _("Abandoned")),
        ],
        rows=[
            *(
                (str(reason.label), reasons[reason.value], reasons_abandoned[reason.value])
                for reason in LossReason
            ),
            *(
                [(_("Not given"), reasons[""], reasons_abandoned[""])]
                if reasons[""] or reasons_abandoned[""]
                else []
            ),
        ],
    )


def _lost_to_table(period: _Period) -> Table:
    winners = Counter(" ".join(h.lost_to.split()) for h in period.lost if h.lost_to.strip())
    return Table(
        key="lost_to",
        title=_("Where the lost projects went"),
        columns=[Column("territory", _("Territory or country that won"), "text"), Column("lost", _("Lost"))],
        rows=sorted(winners.items(), key=lambda item: (-item[1], item[0].casefold())),
        note=_("As recorded by the agency when known."),
    )


def _territory_tables(period: _Period) -> tuple[Table, Table]:
    """Territories: the site's département and EPCI."""
    created_by_dep: Counter[str] = Counter()
    created_by_epci: Counter[str] = Counter()
    for _year, dep, epci, jobs in period.created_rows:
        created_by_dep[dep] += jobs
        created_by_epci[epci] += jobs
    departements = _territory_table(
        "departements",
        _("By département of the site"),
        _("Département"),
        period.won,
        created_by_dep,
        names=dict(Departement.objects.values_list("code", "name")),
        territory_of=lambda h: h.departement,
        show_code=True,
    )
    epcis = _territory_table(
        "epci",
        _("By intercommunality (EPCI) of the site"),
        _("EPCI"),
        period.won,
        created_by_epci,
        names=dict(Epci.objects.values_list("siren", "name")),
        territory_of=lambda h: h.epci,
        show_code=False,
    )
    return departements, epcis


class _Durations(NamedTuple):
    decisions: int  # decisions taken in the period
    to_decision: list[float]  # months from lead to decision, for those whose lead is dated
    to_win: list[float]  # the same for the wins


def _months_to_decisions(period: _Period) -> _Durations:
    """Months from lead to decision for the decisions taken in the period: any decision, and wins."""
    start, end = period.filters.start, period.filters.end
    decided_in = [(h, h.decision) for h in period.histories if h.decision and start <= h.decision[1] <= end]
    return _Durations(
        decisions=len(decided_in),
        to_decision=[_months(h.entered, d[1]) for h, d in decided_in if h.entered],
        to_win=[_months(h.entered, d[1]) for h, d in decided_in if h.entered and d[0] == Stage.WON],
    )


def _totals(period: _Period, durations: _Durations) -> dict[str, Any]:
    """The headline figures of the period."""
    won = period.won
    jobs_created = sum(period.created_by_year.values())
    target_total = period.target * len(period.filters.years)
    return {
        "leads": len(period.leads),
        "won": len(won),
        "lost": len(period.lost),
        "abandoned": len(period.abandoned),
        "jobs_announced": sum(h.jobs_announced or 0 for h in won),
        "jobs_created": jobs_created,
        "target": target_total,
        "share_of_target": _share(jobs_created, target_total),
        "floor_area_m2": sum(h.floor_area_taken_m2 or 0 for h in won),
        "investment_eur": sum(int(h.investment_eur or 0) for h in won),
        "months_to_decision": _mean(durations.to_decision),
        "months_to_win": _mean(durations.to_win),
        "decisions": durations.decisions,
        "won_without_jobs": sum(1 for h in won if h.jobs_announced is None),
        "won_not_located": sum(1 for h in won if h.departement == NOT_LOCATED),
    }


def _summary_table(totals: dict[str, Any]) -> Table:
    return Table(
        key="summary",
        title=_("The period in figures"),
        columns=[Column("figure", _("Figure"), "text"), Column("value", _("Value"), "int")],
        rows=[
            (_("Leads"), totals["leads"]),
            (_("Projects won"), totals["won"]),
            (_("Projects lost"), totals["lost"]),
            (_("Projects abandoned"), totals["abandoned"]),
            (_("Jobs announced"), totals["jobs_announced"]),
            (_("Jobs created"), totals["jobs_created"]),
            (_("Target (jobs)"), totals["target"]),
            (_("Floor area taken up (m²)"), totals["floor_area_m2"]),
            (_("Investment (EUR)"), totals["investment_eur"]),
            (_("Decisions taken"), totals["decisions"]),
        ],
    )


def _durations_table(totals: dict[str, Any], durations: _Durations) -> Table:
    return Table(
        key="durations",
        title=_("Months from lead to decision"),
        columns=[
            Column("decision", _("Decision"), "text"),
            Column("projects", _("Projects")),
            Column("average_months", _("Average months from lead to decision"), "months"),
        ],
        rows=[
            (_("Won, lost or abandoned"), len(durations.to_decision), totals["months_to_decision"]),
            (_("Won"), len(durations.to_win), totals["months_to_win"]),
        ],
        note=_("From the day the lead came in to the first decision, for the decisions taken in the period."),
    )


def _territory_table(
    table_key: str,
    title: str,
    label: str,
    won: list[ProjectHistory],
    created: Counter[str],
    *,
    names: dict[str, str],
    territory_of: Callable[[ProjectHistory], str],
    show_code: bool,
) -> Table:
    """Won projects, jobs announced, floor area taken up and jobs created, by territory of the site; the
    projects not located yet form their own row."""
    won_by: defaultdict[str, list[ProjectHistory]] = defaultdict(list)
    for h in won:
        won_by[territory_of(h)].append(h)
    codes = sorted(set(won_by) | {code for code, jobs in created.items() if jobs})
    rows = []
    for code in codes:
        if code == NOT_LOCATED:
            name = _("Site not recorded")
        else:
            name = names.get(code, code)
            name = f"{name} ({code})" if show_code else name
        group = won_by.get(code, [])
        rows.append(
            (
                code,
                name,
                len(group),
                sum(h.jobs_announced or 0 for h in group),
                created.get(code, 0),
                sum(h.floor_area_taken_m2 or 0 for h in group),
            )
        )
    # Located territories by jobs announced, then the unlocated row last.
    rows.sort(key=lambda row: (row[0] == NOT_LOCATED, -row[3], row[1].casefold()))
    return Table(
        key=table_key,
        title=title,
        columns=[
            Column("code", _("Code"), "text"),
            Column("territory", label, "text"),
            Column("won", _("Won")),
            Column("jobs_announced", _("Jobs announced")),
            Column("jobs_created", _("Jobs created")),
            Column("floor_area_m2", _("Floor area taken up (m²)"), "area"),
        ],
        rows=rows,
    )


def dashboard_version() -> str:
    """Changes whenever a figure of the dashboard may change: cached charts are keyed by it."""
    projects = Project.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    moves = StageChange.objects.aggregate(n=Count("pk"), last=Max("pk"))
    jobs = JobsCreated.objects.aggregate(n=Count("pk"), at=Max("recorded_at"))
    settings_row = agency_settings()
    return "|".join(
        str(value)
        for value in (
            projects["n"],
            projects["at"],
            moves["n"],
            moves["last"],
            jobs["n"],
            jobs["at"],
            settings_row.jobs_target_per_year,
        )
    )


def sector_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Sector.choices]


def source_choices() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in LeadSource.choices]
