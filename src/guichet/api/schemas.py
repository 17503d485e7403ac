"""Request and response schemas of the JSON API, and the pagination and problem shapes they share.

Numbers are JSON numbers. Money (EUR amounts and rents) is a JSON string holding a decimal with a point
("95.00"), so that no amount passes through a binary float; requests accept a string or a number.
Dates are ISO 8601 (``2027-09-01``); date-times carry their offset.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import AwareDatetime, Field, create_model

from guichet.catalogue.models import (
    AuthorityKind,
    FitOut,
    IncentiveKind,
    IncentiveUnit,
    PremisesStatus,
    Tenure,
)
from guichet.engine import sizing as sizing_engine
from guichet.engine import staffing
from guichet.engine.sizing_fields import FIELDS, RequestField
from guichet.inputs import StrictSchema
from guichet.offers.models import CallPhase, ProposalStatus
from guichet.projects.models import Activity, CompanyKind, FirmSize, LossReason, Sector, Stage

T = TypeVar("T")

# Bounds that keep every value inside what the database stores (PostgreSQL integer, smallint).
MAX_INT = 2_147_483_647
MAX_SMALL = 32_767
MAX_PAGE = 100
MAX_OFFSET = 1_000_000_000

Id = Annotated[int, Field(ge=1, le=2**53, description="An object's id.")]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Text = Annotated[str, Field(max_length=10_000)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
Rent = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2, description="EUR/m²/year excl. VAT")]
Euros = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=0, description="EUR excl. VAT")]
Money = Annotated[str, Field(description="A decimal amount as a string, e.g. '95.00'", examples=["95.00"])]


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- problems and pages --------------------------------------------------------------------------------


class FieldError(Schema):
    location: str = Field(description="body, query, path or header")
    field: str = Field(description="The field's path in that part of the request, e.g. 'forecast.3.calls'")
    message: str


class Problem(Schema):
    """RFC 9457 problem details, served as application/problem+json."""

    type: str = Field(description="A URI naming the kind of problem; 'about:blank' means 'see status'.")
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = Field(None, description="For validation problems: each wrong field.")


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """Response declarations for the problems an endpoint may answer (500 always can)."""
    return {status: Problem for status in (*statuses, 500)}


class PageParams(StrictSchema):
    limit: int = Field(20, ge=1, le=MAX_PAGE, description=f"Items per page (1-{MAX_PAGE}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


class Page(Schema, Generic[T]):
    count: int = Field(description="Total number of items matching, over all pages.")
    limit: int
    offset: int
    items: list[T]


def paginate(items: QuerySet[Any] | list[Any], page: PageParams, render: Any) -> dict[str, Any]:
    """One page of a queryset (or list), each item rendered, with the total count."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    chunk = items[page.offset : page.offset + page.limit]
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": [render(i) for i in chunk]}


# --- catalogue ----------------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class CommuneRef(Schema):
    insee: str
    name: str
    departement: str
    epci: str | None


class PremisesOut(Schema):
    id: int
    name: str
    owner: Ref
    address: str
    commune: CommuneRef
    latitude: float | None = Field(description="The premises' own point, else its commune's.")
    longitude: float | None
    located_by_commune: bool
    total_area_m2: int
    available_area_m2: int
    smallest_lot_m2: int | None
    floors: int
    available_from: dt.date
    tenure: Tenure
    rent_eur_m2_year: Money | None
    charges_eur_m2_year: Money | None
    sale_price_eur: Money | None
    fit_out: FitOut
    fibre: bool
    fibre_operators: str
    power_backup: bool
    parking_spaces: int
    public_transport: bool
    public_transport_details: str
    access_24_7: bool
    accessible: bool
    description_fr: str
    description_en: str
    status: PremisesStatus
    is_public: bool
    is_demo: bool = Field(description="An invented demonstration record, not a real offer.")
    archived_at: dt.datetime | None
    version: int | None = Field(None, description="Send it back as expected_version when you change it.")
    updated_at: dt.datetime


class PremisesFilters(StrictSchema):
    departement: str | None = Field(None, max_length=3, description="Département code, e.g. 25")
    epci: str | None = Field(None, max_length=9, description="EPCI SIREN")
    min_area: int | None = Field(None, ge=0, le=MAX_INT, description="Available area at least (m²)")
    max_rent: Rent | None = Field(
        None, description="Rent at most (EUR/m²/year); premises without a rent do not match"
    )
    available_before: dt.date | None = Field(None, description="Available on or before this date")
    fibre: bool | None = None
    public_transport: bool | None = None
    fit_out: FitOut | None = None


class PremisesIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    commune: str = Field(min_length=5, max_length=5, description="INSEE code of the commune")
    address: str = Field("", max_length=300)
    latitude: Finite | None = None
    longitude: Finite | None = None
    total_area_m2: int = Field(ge=1, le=MAX_INT)
    available_area_m2: int = Field(ge=0, le=MAX_INT)
    smallest_lot_m2: int | None = Field(None, ge=0, le=MAX_INT)
    floors: int = Field(1, ge=0, le=MAX_SMALL)
    available_from: dt.date
    tenure: Tenure = Tenure.RENT
    rent_eur_m2_year: Rent | None = None
    charges_eur_m2_year: Rent | None = None
    sale_price_eur: Euros | None = None
    fit_out: FitOut = FitOut.SHELL
    fibre: bool = False
    fibre_operators: str = Field("", max_length=200)
    power_backup: bool = False
    parking_spaces: int = Field(0, ge=0, le=MAX_INT)
    public_transport: bool = False
    public_transport_details: str = Field("", max_length=200)
    access_24_7: bool = False
    accessible: bool = False
    description_fr: Text = ""
    description_en: Text = ""
    status: PremisesStatus = PremisesStatus.AVAILABLE
    is_public: bool = True


class PremisesPatch(StrictSchema):
    """Only the fields sent change. ``expected_version``: refuse (409) if someone saved it meanwhile."""

    expected_version: int | None = Field(None, ge=0, le=MAX_INT)
    name: str | None = Field(None, min_length=1, max_length=200)
    commune: str | None = Field(None, min_length=5, max_length=5)
    address: str | None = Field(None, max_length=300)
    latitude: Finite | None = None
    longitude: Finite | None = None
    total_area_m2: int | None = Field(None, ge=1, le=MAX_INT)
    available_area_m2: int | None = Field(None, ge=0, le=MAX_INT)
    smallest_lot_m2: int | None = Field(None, ge=0, le=MAX_INT)
    floors: int | None = Field(None, ge=0, le=MAX_SMALL)
    available_from: dt.date | None = None
    tenure: Tenure | None = None
    rent_eur_m2_year: Rent | None = None
    charges_eur_m2_year: Rent | None = None
    sale_price_eur: Euros | None = None
    fit_out: FitOut | None = None
    fibre: bool | None = None
    fibre_operators: str | None = Field(None, max_length=200)
    power_backup: bool | None = None
    parking_spaces: int | None = Field(None, ge=0, le=MAX_INT)
    public_transport: bool | None = None
    public_transport_details: str | None = Field(None, max_length=200)
    access_24_7: bool | None = None
    accessible: bool | None = None
    description_fr: Text | None = None
    description_en: Text | None = None
    status: PremisesStatus | None = None
    is_public: bool | None = None


class IncentiveOut(Schema):
    id: int
    owner: Ref
    name: str
    kind: IncentiveKind
    amount: Money | None
    unit: IncentiveUnit
    cap_eur: Money | None
    rule: str
    conditions: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    is_demo: bool
    archived_at: dt.datetime | None
    version: int | None


IncentiveAmount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class IncentiveIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    kind: IncentiveKind
    amount: IncentiveAmount | None = Field(None, description="In the unit's terms (EUR per job, months...).")
    unit: IncentiveUnit = IncentiveUnit.NONE
    cap_eur: Euros | None = None
    rule: Text = ""
    conditions: Text = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class IncentivePatch(StrictSchema):
    """Only the fields sent change. ``expected_version``: refuse (409) if someone saved it meanwhile."""

    expected_version: int | None = Field(None, ge=0, le=MAX_INT)
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: IncentiveKind | None = None
    amount: IncentiveAmount | None = None
    unit: IncentiveUnit | None = None
    cap_eur: Euros | None = None
    rule: Text | None = None
    conditions: Text | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class AuthorityOut(Schema):
    id: int
    name: str
    kind: AuthorityKind
    siren: str
    territory: str = Field(description="The commune, EPCI, département or région it stands for.")
    website: str
    contact_email: str
    description_fr: str
    description_en: str
    is_demo: bool


class AuthorityDetail(AuthorityOut):
    premises: list[PremisesOut]
    incentives: list[IncentiveOut]


# --- projects -----------------------------------------------------------------------------------------


class Identity(Schema):
    """The company behind a code name: agency staff always, authorities only once disclosed."""

    company_name: str
    company_siren: str
    contact_name: str
    contact_email: str
    contact_phone: str


class MoveOut(Schema):
    from_stage: str = Field(description="Empty for the first move (the lead coming in).")
    stage: Stage
    at: dt.date
    note: str = Field(description="Why: the reason the agency gave.")
    recorded_at: dt.datetime


class JobsCreatedOut(Schema):
    year: int
    jobs: int = Field(description="New jobs on the site during the year.")
    source: str


class DecisionOut(Schema):
    """What the decision recorded (won, lost or abandoned), completed later if need be."""

    jobs_announced_basis: str = Field(description="sizing (the sizing's jobs at full ramp-up) or agency")
    investment_eur: Money | None
    floor_area_taken_m2: int | None = Field(
        description="Set by the signature of a call from the area offered."
    )
    chosen_premises: Ref | None
    site_commune: str | None = Field(description="INSEE code of the commune where the site is.")
    public_from: dt.date | None = Field(description="The day the decision was made public.")
    loss_reason: str
    loss_details: str
    lost_to: str


class ProjectOut(Schema):
    id: int
    code_name: str
    reference: str
    sector: Sector
    stage: Stage
    identity_disclosed: bool
    identity: Identity | None
    company_kind: str
    activity: str
    firm_size: str = Field(
        description="small, medium or large (EU SME definition); empty: not known (the aid check takes large)"
    )
    channels: str
    languages: str
    description: str
    seats: int | None
    jobs_target: int | None
    sizing: dict[str, Any] | None = Field(
        description="The latest sizing: the fields of SizingOut (POST /api/staffing) without `intervals`."
    )
    adopted_sizing: int | None = Field(
        description="The number of the sizing adopted as the need (its seats, jobs and floor area), if any."
    )
    latest_sizing: int | None = Field(description="The number of the latest sizing, if any.")
    opening_hours: str = Field(description="e.g. 'mon-fri 08:00-20:00; sat 09:00-17:00'; empty if not given")
    opening_hours_per_week: int | None
    opening_date: dt.date | None
    ramp_up: str
    floor_area_wanted_m2: int | None
    max_rent_eur_m2_year: Money | None
    needs_fibre: bool
    needs_public_transport: bool
    needs_parking_spaces: int
    needs_24_7: bool
    preferred_departements: list[str]
    jobs_announced: int | None
    source: str
    is_demo: bool
    version: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    decision: DecisionOut
    moves: list[MoveOut] = Field(description="Every move along the pipeline: when, to which stage, why.")
    jobs_created: list[JobsCreatedOut] = Field(description="The jobs created each year, for a won project.")


class _DecisionIn(StrictSchema):
    jobs_announced: int | None = Field(
        None, ge=0, le=MAX_INT, description="Empty on a win: the jobs at full ramp-up of the sizing."
    )
    investment_eur: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=0)] | None = None
    floor_area_taken_m2: int | None = Field(None, ge=0, le=MAX_INT)
    chosen_premises_id: Id | None = Field(None, description="A premises offered in the project's calls.")
    site_commune: str | None = Field(
        None, min_length=5, max_length=5, description="INSEE code; empty: the premises chosen's commune."
    )


class MoveIn(_DecisionIn):
    """A move along the pipeline (only the moves the pages allow), with why; a win or a loss records what
    was decided."""

    stage: Stage
    at: dt.date | None = Field(None, description="The day of the move (the decision); empty: today.")
    note: str = Field("", max_length=300, description="Why (the reason kept in the project's history).")
    loss_reason: LossReason | Literal[""] = Field("", description="Required to lose or abandon a project.")
    loss_details: Text = ""
    lost_to: str = Field("", max_length=200, description="The territory or country that won.")


class OutcomeIn(_DecisionIn):
    """Completes or corrects a decision: only the fields sent (not null) change."""

    public_from: dt.date | None = None
    loss_reason: LossReason | None = None
    loss_details: Text | None = None
    lost_to: str | None = Field(None, max_length=200)


class JobsIn(StrictSchema):
    """The jobs a won project created on its site during a year (a new figure for a year corrects it)."""

    year: int = Field(ge=1990, le=2100)
    jobs: int = Field(ge=0, le=MAX_INT)
    source: str = Field("", max_length=200, description="e.g. the company's annual statement")


class _ProjectFields(StrictSchema):
    sector: Sector | None = None
    company_name: str | None = Field(None, max_length=200)
    company_siren: str | None = Field(None, max_length=9)
    contact_name: str | None = Field(None, max_length=200)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=40)
    company_kind: CompanyKind | Literal[""] | None = None
    activity: Activity | Literal[""] | None = None
    firm_size: FirmSize | None = Field(
        None, description="small, medium or large (EU SME definition); empty: not known"
    )
    channels: str | None = Field(None, max_length=200)
    languages: str | None = Field(None, max_length=200)
    description: Text | None = None
    seats: int | None = Field(None, ge=0, le=MAX_INT)
    jobs_target: int | None = Field(None, ge=0, le=MAX_INT)
    opening_hours: str | None = Field(
        None, max_length=300, description="Days and hours, e.g. 'mon-fri 08:00-20:00; sat 09:00-17:00'"
    )
    opening_hours_per_week: int | None = Field(
        None, ge=0, le=168, description="Set from opening_hours when they are given"
    )
    opening_date: dt.date | None = None
    ramp_up: str | None = Field(
        None, max_length=100, description="Shares of the target per year: '0.5, 0.8, 1'"
    )
    floor_area_wanted_m2: int | None = Field(None, ge=0, le=MAX_INT)
    max_rent_eur_m2_year: Rent | None = None
    needs_fibre: bool | None = None
    needs_public_transport: bool | None = None
    needs_parking_spaces: int | None = Field(None, ge=0, le=MAX_INT)
    needs_24_7: bool | None = None
    preferred_departements: list[Annotated[str, Field(max_length=3)]] | None = Field(None, max_length=120)


class ProjectIn(_ProjectFields):
    code_name: str = Field(min_length=1, max_length=80)


class ProjectPatch(_ProjectFields):
    """Only the fields sent change (the stage moves through the pipeline pages)."""

    expected_version: int | None = Field(None, ge=0, le=MAX_INT)
    code_name: str | None = Field(None, min_length=1, max_length=80)
    identity_disclosed: Literal[True] | None = Field(
        None, description="true discloses the company's identity to the consulted authorities (no way back)."
    )


# --- sizing (the staffing engine's one request and its result) -----------------------------------------
# The request's fields are made from the engine's one table of names (guichet.engine.sizing_fields): the
# same names, bounds, defaults and help as the form and the command line.


def _bounded(name: str, description: str, *, bound: str | None = None) -> Any:
    """An optional number bounded by the engine's ``LIMITS`` (one set of bounds for every door); None or
    absent takes the engine's default, which the description states."""
    low, high, low_ok, high_ok = staffing.LIMITS[bound or name]
    default = sizing_engine.DEFAULTS.get(name)
    said = "" if default is None else f" Default: {default}."
    return Field(
        None,
        allow_inf_nan=False,
        description=description + said,
        ge=low if low_ok else None,
        gt=None if low_ok else low,
        le=high if high_ok else None,
        lt=None if high_ok else high,
    )


Weight = Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)]


class ForecastIntervalIn(StrictSchema):
    label: str = Field(
        "", max_length=100, description="e.g. 'mon 08:00' (places it in the week); numbered if empty"
    )
    calls: float = _bounded("calls", "Calls offered in the interval.")
    aht_seconds: float | None = _bounded("aht_seconds", "Empty: the request's aht_seconds.")
    open: bool = Field(True, description="A closed interval needs no agent.")


def _said(field: RequestField) -> str:
    """The field's help with its default, as the API states it."""
    if field.default is None:
        return field.help
    default = list(field.default) if isinstance(field.default, tuple) else field.default
    return f"{field.help} Default: {default}."


def _schema_field(field: RequestField, channel: type[Schema] | None = None) -> tuple[Any, Any]:
    """(type, pydantic field) of a request field in the API's schemas: optional, None for the default."""
    if field.kind in ("volume", "number", "share"):
        return float | None, _bounded(field.name, field.help)
    if field.kind == "whole":
        low, high, _low_ok, _high_ok = staffing.LIMITS[field.name]
        return int | None, Field(None, ge=int(low), le=int(high), description=_said(field))
    if field.kind == "choice":
        return Literal[field.choices] | None, Field(None, description=_said(field))
    if field.kind == "weights":
        return list[Weight] | None, Field(
            None, min_length=field.size, max_length=field.size, description=field.help
        )
    if field.kind == "text":
        return str | None, Field(None, max_length=field.max_length, description=_said(field))
    if field.kind == "ramp":
        years = int(staffing.LIMITS["years"][1])
        share = Annotated[float, Field(allow_inf_nan=False)]
        return list[share] | None, Field(None, min_length=1, max_length=years, description=_said(field))
    if field.kind == "forecast":
        return list[ForecastIntervalIn] | None, Field(None, min_length=1, max_length=20_000)
    assert field.kind == "channels" and channel is not None, field
    return list.__class_getitem__(channel), Field(default_factory=list, max_length=10, description=field.help)


def _request_schema(
    name: str, doc: str, *, scope: tuple[str, ...], doors: tuple[str, ...], base: type[Schema] = StrictSchema
) -> Any:
    """A schema of the request's fields of ``scope`` that ``doors`` take, in the table's order."""
    channel = ChannelIn if "request" in scope else None
    fields: dict[str, Any] = {
        f.name: _schema_field(f, channel)
        for f in FIELDS
        if f.scope in scope and f.door in doors and f.name not in base.model_fields
    }
    return create_model(name, __base__=base, __doc__=doc, __module__=__name__, **fields)


# The fields of the classes below come from the table, through a generated base (which mypy sees as Any,
# hence the ignores).
_ChannelFields: Any = _request_schema(
    "ChannelFields", "One channel's need.", scope=("channel",), doors=("all",)
)


class ChannelIn(_ChannelFields):  # type: ignore[misc]
    """Another channel, with its own volume, handling time and targets."""


# ``legacy`` fields (the single total shrinkage) are taken by the API as before; the project form offers
# their parts instead.
_SizingFields: Any = _request_schema(
    "SizingFields", "A sizing's need.", scope=("channel", "request"), doors=("all", "legacy")
)


class SizingIn(_SizingFields):  # type: ignore[misc]
    """A project's sizing: give one volume (or ``forecast``). The opening hours and the ramp-up are the
    project's own; every other value defaults to the engine's sourced defaults (see /api/staffing)."""


_StaffingFields: Any = _request_schema(
    "StaffingFields",
    "A sizing's need, with its opening hours and ramp-up.",
    scope=("channel", "request"),
    doors=("all", "standalone", "legacy"),
    base=SizingIn,
)


class StaffingIn(_StaffingFields):  # type: ignore[misc]
    """Give one volume: ``calls`` (one peak interval), ``calls_per_day``, ``calls_per_week`` or
    ``forecast``. Every value left out takes the engine's one set of sourced defaults."""


class IntervalOut(Schema):
    label: str
    day: int | None = Field(description="0 = Monday, when the interval's place in the week is known")
    start_minute: int | None
    calls: float
    aht_seconds: float
    traffic_erlangs: float
    agents: int = Field(description="Agents needed in the interval, every channel")
    scheduled_agents: int = Field(description="Paid for: agents / (1 - total shrinkage), rounded up")
    people_on_site: int = Field(
        description="In the building: agents / (1 - the share of time there off the phones), rounded up"
    )
    channel_agents: list[int] = Field(description="Agents per channel, in the order of `channels`")
    binding: str = Field(description="The constraint that set the number (service_level, asa, occupancy...)")
    service_level: float | None
    asa_seconds: float | None = Field(description="Mean wait of the answered calls (the planners' ASA)")
    mean_wait_seconds: float | None = Field(
        description="Mean wait of all callers, abandoned ones included (Erlang A); the ASA in Erlang C"
    )
    occupancy: float
    p_wait: float
    p_abandon: float | None
    stable: bool


class HiringYearOut(Schema):
    year: int
    share_of_target: float
    seats: int
    headcount: int
    growth_hires: int
    replacement_hires: int
    hires: int
    candidates: int


class ChannelOut(Schema):
    channel: str
    model: str
    calls_per_week: float
    peak_agents: int
    weekly_agent_hours: float


class ShrinkageOut(Schema):
    total: float = Field(description="Share of paid time off the phones: 1 - (1 - absence) x (1 - on_site)")
    absence: float = Field(description="Share of paid time away: leave, public holidays, sickness")
    on_site: float = Field(description="Share of the time in the building off the phones: breaks, coaching")
    split: str = Field(
        description="default (both parts' defaults), parts (given) or total (the single total given: the "
        "on-site part its default, time away the rest)"
    )


class ProfileOut(Schema):
    code: str
    typical: bool = Field(description="A built-in typical shape (an assumption), not the investor's data")
    hourly: list[float]
    daily: list[float]


class SizingOut(Schema):
    """The one result of a sizing: the same fields on the command line (`guichet size --json`), here and
    on a project (`sizing`, without the intervals)."""

    model: str = Field(description="The main channel's model: erlang_c, erlang_a or workload")
    volume_kind: str = Field(description="per_interval, per_day, per_week or forecast")
    interval_minutes: float
    weeks: float = Field(description="Weeks the intervals cover (weekly figures are divided by it)")
    opening_hours: str
    opening_hours_per_week: float
    profile: ProfileOut | None
    inputs: dict[str, Any] = Field(description="Every value used, defaults included")
    channels: list[ChannelOut]
    calls_per_week: float
    agents: int = Field(description="Agents needed at the peak interval")
    scheduled_agents: int = Field(description="Agents paid for at the peak, after both parts of shrinkage")
    people_on_site: int = Field(description="People in the building at the peak: what the seats are for")
    peak_label: str
    service_level: float | None = Field(description="Achieved at the peak interval (main channel)")
    occupancy: float
    peak_occupancy: float | None = Field(
        description="The highest occupancy of a queued channel (calls, chats) in any interval"
    )
    occupancy_warning: float = Field(description="Above this peak occupancy: the warning high_occupancy")
    asa_seconds: float | None = Field(description="Mean wait of the answered calls at the peak (the ASA)")
    mean_wait_seconds: float | None = Field(
        description="Mean wait of all callers at the peak, abandoned ones included"
    )
    p_wait: float
    p_abandon: float | None
    shrinkage: ShrinkageOut
    weekly_agent_hours: float
    weekly_scheduled_agent_hours: float
    fte: float
    headcount: int = Field(description="Jobs (people): the FTE over the part-time mix, rounded up")
    seats: int = Field(description="People in the building at the peak x (1 + spare), rounded up")
    floor_area_m2: int = Field(description="Seats x area per seat + support areas, rounded up once")
    hiring: list[HiringYearOut]
    total_hires: int
    total_candidates: int
    warnings: list[str] = Field(
        description="Codes: typical_profile, default_opening_hours, seats_below_peak, closed_with_calls, "
        "shrinkage_from_total, high_occupancy"
    )
    sources: dict[str, str] = Field(description="Where each default comes from")
    intervals: list[IntervalOut]


class EligibleOut(Schema):
    rank: int | None = Field(description="Null until the project is sized (then the preset weights rank)")
    score: float | None
    per_seat_eur: float | None = Field(description="Net present value per seat over the default 9 years.")
    per_seat_year_eur: float | None = Field(description="The same, spread as a cost per seat a year.")
    job_seekers: float | None
    summary: str
    premises: PremisesOut


class EligiblePage(Page[EligibleOut]):
    ranked: bool
    labour_method: str
    tie_break_rule: str


# --- calls for offers and proposals --------------------------------------------------------------------


class ProjectRef(Schema):
    id: int | None = Field(description="Agency staff only (null for an authority).")
    code_name: str
    reference: str | None = Field(description="Agency staff only (null for an authority).")
    sector: Sector
    identity: Identity | None


class DeadlineChangeOut(Schema):
    previous_deadline: dt.datetime
    new_deadline: dt.datetime
    reason: str
    reopened: bool = Field(description="The call was closed and opens again.")
    closed_early: bool = Field(description="Closed before its deadline, every consulted authority answered.")
    changed_at: dt.datetime


class NeedRowOut(Schema):
    key: str
    label: str
    text: str = Field(description="The figure written in the request's language.")
    origin_text: str = Field(description="Where it comes from, in words.")


class NeedOut(Schema):
    published: bool = Field(
        description="True when the need and the scales were fixed and published with the call when it was "
        "sent; False for a draft, or a call sent before they were: they are then the project's today."
    )
    fixed_at: dt.datetime | None
    figures: dict[str, Any] = Field(
        description="The need as stored (`guichet.need/1`): each figure's `value`, `origin` (agency, "
        "investor, sizing, creation, estimate, project, default, none) and `method` (an estimate's rule), "
        "the adopted and latest sizings, the jobs announced."
    )
    rows: list[NeedRowOut] = Field(description="Each figure as the pages show it.")
    scales: dict[str, Any] | None = Field(
        description="Each criterion's fixed scale (`guichet.scales/1`: `anchors` (figure, value) and `log`), "
        "None while the need has no seats or floor area."
    )
    cost_ceiling: dict[str, Any] = Field(
        description="The occupancy cost (EUR/m²/year) at which cost scores 0, and its origin (max_rent, "
        "band, house) with the band's figures."
    )


class CallOut(Schema):
    id: uuid.UUID = Field(description="The call's opaque id.")
    project: ProjectRef
    title: str
    brief: str
    deadline: dt.datetime
    status: CallPhase = Field(
        description="What the pages show: draft; open (for proposals, before the deadline); closed (the "
        "deadline has passed or the call was closed early: proposals under review); decided; cancelled."
    )
    status_label: str = Field(description="The status as the pages word it, in the request's language.")
    accepts_proposals: bool
    deadline_passed: bool
    opened_at: dt.datetime | None
    decided_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancel_reason: str
    deadline_changes: list[DeadlineChangeOut] = Field(description="Extensions, reopenings, early close.")
    years: int
    discount_rate: str
    need: NeedOut = Field(description="The project's need (without the investor's identity) and the scales.")


class AnswerStatusOut(Schema):
    authority: str
    included: bool
    exclusion_reason: str
    answered: bool
    submitted_at: dt.datetime | None


class ChosenOut(Schema):
    proposal_id: uuid.UUID
    premises: Ref
    area_m2: int = Field(description="The floor area the proposal offered: taken up at the signature.")
    chosen_at: dt.datetime
    signed_at: dt.datetime | None = Field(description="The signature, confirmed by the agency.")


class CallDetail(CallOut):
    addressees: list[AnswerStatusOut] = Field(description="Who was consulted and who answered; never what.")
    unanswered: list[str] = Field(
        description="Consulted authorities that have not answered yet: the call closes early only when "
        "none is left."
    )
    weights: dict[str, float]
    evaluation: dict[str, Any] | None = Field(description="The published comparison, once decided.")
    choice: ChosenOut | None = Field(
        description="The investor's choice after the decision, and the signature."
    )


class SealedVersionOut(Schema):
    id: uuid.UUID
    version: int
    sealed_at: dt.datetime
    sha256: str = Field(description="SHA-256 of the sealed content's canonical form (docs/receipts.md).")
    receipt_url: str = Field(
        description="The receipt file (digest and content), for `guichet receipt verify`."
    )
    sealed_content_url: str = Field(
        description="The sealed content, byte for byte: its SHA-256 is the digest."
    )
    pdf_url: str


class ReceiptOut(Schema):
    version: int
    status: ProposalStatus
    submitted_at: dt.datetime | None
    receipt_sha256: str
    receipts: list[SealedVersionOut] = Field(description="Every sealed version, newest first.")


class MyCallOut(CallOut):
    own_proposal: ReceiptOut | None
    evaluation: dict[str, Any] | None = Field(
        description="After the decision: the method, the weights, the need and scales published with the "
        "call, and your own rows (rank, score, capacity, and per criterion your own figure, its weight, its "
        "value on the published scale and its points; never any other candidate's figure). A comparison "
        "published before scales were fixed with the call gives the score only as a band of ten points "
        "(`score_band` {from, to}) and no points.",
    )


class CallIn(StrictSchema):
    project_id: Id
    title: str = Field(min_length=1, max_length=200)
    brief: Text = Field(min_length=1)
    deadline: AwareDatetime = Field(description="With its offset, e.g. 2027-03-31T18:00:00+02:00")
    years: int = Field(9, ge=1, le=50)
    discount_rate: Decimal = Field(Decimal("0.04"), ge=0, le=1, max_digits=5, decimal_places=4)


class OfferIn(StrictSchema):
    premises_id: Id
    area_m2: int = Field(ge=1, le=MAX_INT)
    rent_eur_m2_year: Rent
    charges_eur_m2_year: Rent = Decimal(0)
    rent_free_months: int = Field(0, ge=0, le=120)
    fit_out_contribution_eur: Euros = Decimal(0)


class ProposalIn(StrictSchema):
    """The whole proposal: a PUT replaces the previous one (until the deadline) and gives a new receipt."""

    offers: list[OfferIn] = Field(min_length=1, max_length=50)
    incentive_ids: list[Id] = Field(default_factory=list, max_length=100)
    training_places: int = Field(0, ge=0, le=MAX_INT)
    job_centre_partnership: bool = False
    recruitment_support: Text = ""
    free_text: Text = ""
    withdrawn_attachments: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=50,
        description="Attachments the new version no longer holds (their ids); the others stay. Files are "
        "added with POST …/proposal/attachments.",
    )
    expected_version: int | None = Field(
        None, ge=0, le=MAX_INT, description="The version you read; 409 if it changed meanwhile."
    )


class OfferOut(Schema):
    premises: Ref
    commune: str
    area_m2: int = Field(description="The area offered (not the building's).")
    building_area_m2: int
    rent_eur_m2_year: Money
    charges_eur_m2_year: Money
    rent_free_months: int
    fit_out_contribution_eur: Money
    available_from: dt.date | None
    fibre: bool
    power_backup: bool
    parking_spaces: int
    public_transport: bool


class SealedIncentiveOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    amount: Money | None
    cap_eur: Money | None
    conditions: str


class AttachmentOut(Schema):
    id: uuid.UUID
    name: str
    sha256: str
    size_bytes: int
    content_type: str
    url: str = Field(description="Download (signed-in session), under the sealing rules.")


class ProposalOut(Schema):
    """A proposal as sealed at its last submission: what the comparison reads."""

    id: uuid.UUID
    call_id: uuid.UUID
    authority: Ref
    status: ProposalStatus
    version: int
    submitted_at: dt.datetime | None
    receipt_sha256: str = Field(description="SHA-256 of the sealed content: the sender's receipt.")
    offers: list[OfferOut]
    incentives: list[SealedIncentiveOut] = Field(description="The incentives' terms as sealed.")
    training_places: int
    job_centre_partnership: bool
    recruitment_support: str
    free_text: str
    attachments: list[AttachmentOut]


class ProposalPage(Page[ProposalOut]):
    sealed: bool = Field(description="True before the deadline: agency staff see no content yet.")


class ComparisonIn(StrictSchema):
    weights: (
        dict[Annotated[str, Field(max_length=40)], Annotated[float, Field(ge=0, le=1e6, allow_inf_nan=False)]]
        | None
    ) = Field(
        None,
        max_length=20,
        description="Criterion -> weight (normalised to sum 1); omitted: the call's or the sector's preset.",
    )


class ReasonOut(Schema):
    reason_key: str = Field(description="The reason's code (see docs/api.md).")
    params: dict[str, Any] = Field(description="The figures the reason states, in plain units.")
    text: str = Field(description="The reason phrased in the request's language (Accept-Language).")


class CriterionOut(ReasonOut):
    criterion: str
    label: str = Field(description="The criterion's name in the request's language.")
    raw: float | None = Field(
        description="The candidate's own figure in the criterion's unit; null: unknown."
    )
    normalised: float = Field(description="Scaled between 0 (the weakest offer) and 1 (the strongest).")
    weight: float = Field(description="The criterion's weight (the weights sum to 1).")
    points: float = Field(description="weight x normalised: the criterion's part of the score.")


class AidCheckOut(Schema):
    scheme: str = Field(description="regional_or_sme (GBER art. 14 or 17) or de_minimis")
    aid_eur: int
    ceiling_eur: int | None = Field(description="None: not known (the AFR list is not loaded).")
    intensity_pct: float | None
    eligible_costs_eur: int | None
    headroom_eur: int | None
    excess_eur: int
    status: str = Field(description="within, excess, not_known or none")
    basis: str = Field(description="The rule that sets the ceiling (a code).")


class OperationOut(Schema):
    """The total cost of operation (engine/operation_cost.py): information beside the criteria, never
    scored; rounded once, as on every page. The agency's only."""

    total_year_eur: int = Field(description="People + occupancy + fit-out - lawful aid, a year.")
    per_seat_year_eur: int | None
    people_year_eur: int
    people_share_percent: int | None = Field(description="The people's share of the cost before aid.")
    total_pv_eur: int
    people_pv_eur: int
    occupancy_pv_eur: int
    fit_out_pv_eur: int
    aid_eur: int = Field(description="Every aid of the offer, valued once (gross grant equivalent).")
    lawful_aid_eur: int = Field(description="The part within its ceiling: what is subtracted.")
    aid_excess_eur: int
    aid_status: str = Field(description="within, excess, not_known or none")
    zone: str = Field(description="The AFR zone of the premises' commune: c_predefined, none, unknown...")
    firm_size_used: str = Field(description="small, medium or large (large when the size is not known)")
    aid_checks: list[AidCheckOut]
    notes: list[str] = Field(description="Codes: size_not_known_large_assumed, aid_over_ceiling...")
    mobility_authority: str
    mobility_vintage: str
    method: str = Field(description="How the figure is made, in the request's language.")
    aid_text: str
    notes_text: list[str]


class CandidateOut(Schema):
    rank: int
    key: str
    proposal_id: uuid.UUID
    authority: str
    premises: str
    commune: str
    score: float
    net_pv_eur: float
    per_seat_eur: float = Field(description="Net present value per seat counted over the years compared.")
    per_seat_year_eur: float = Field(
        description="The cost criterion's figure: net cost per seat a year (equivalent annual cost), on the "
        "need's seats, or on the seats the area holds when it cannot seat the need."
    )
    undersized: bool = Field(description="The area offered cannot seat the need: not ranked on cost.")
    seats_held: int = Field(description="Seats the area offered holds at the need's floor area per seat.")
    seats_needed: int
    capacity_text: str = Field(description="The shortfall in words (empty when it seats the need).")
    summary: ReasonOut
    explanations: list[CriterionOut] = Field(description="One per criterion, in the method's order.")
    contributions: list[tuple[str, float]] = Field(description="Each criterion's name and points.")
    not_valued: list[str] = Field(description="Incentives the cost model could not value.")
    operation: OperationOut | None = Field(
        None, description="The total cost of operation and the aid check (None: not computed)."
    )


class ComparisonOut(Schema):
    weights: dict[str, float]
    weights_percent: dict[str, float] = Field(
        description="The weights as shown: percentages in tenths that add up to 100 (largest remainder)."
    )
    need: NeedOut
    method: ReasonOut
    tie_break_rule: ReasonOut
    years: int
    discount_rate: float
    candidates: list[CandidateOut]
    pairs: list[ReasonOut] = Field(description="What would make each candidate overtake the one above it.")
    sensitivity: list[ReasonOut] = Field(
        description="For each criterion, the weights over which the first candidate stays first."
    )
