"""The sizing request's names: one row per field, read by every door that takes a sizing.

:func:`guichet.engine.sizing.build_request` takes flat named values. This table names each of them once,
with what every door needs to offer it: its kind, its bounds (the key of :data:`LIMITS`), its default
(their sources are in :data:`SOURCES`), the label a page shows (English, marked for the translation
catalogue; the presentation layer translates it), the help the API and the command line print, and the
command line's option. The project form (:mod:`guichet.projects.forms`), the API's schemas
(:mod:`guichet.api.schemas`), the command line (:mod:`guichet.commands.size`) and the display
(:mod:`guichet.phrasing.sizing`) derive their fields from it: a new field of the request is added here, once.

Kinds: ``volume`` (one of the volume spellings, a number), ``number``, ``share`` (a fraction, shown as a
percentage), ``whole``, ``choice``, ``weights`` (a list of relative weights, or the same written as text),
``text``, ``ramp`` (shares per year), ``forecast`` (intervals) and ``channels`` (other channels). Doors:
``all`` (every door), ``standalone`` (the API's /staffing and the command line; a project's sizing takes the
project's own value), ``legacy`` (the API, both endpoints, and the command line, not the project form: a
figure kept for requests written before it was split into fields the form offers instead; the single
``shrinkage``) and ``recorded`` (set by the caller and shown with the sizing, never typed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from guichet.engine import profiles as pf
from guichet.engine import staffing as st
from guichet.engine.staffing import LIMITS, SOURCES, gettext_noop

__all__ = ["CHANNEL_KINDS", "FIELDS", "LIMITS", "SOURCES", "RequestField", "request_field"]

# Calls and chats queue (Erlang C, or Erlang A with a patience); e-mails and back-office cases wait in a
# backlog and are sized by their workload.
CHANNEL_KINDS: Final = {"calls": "queue", "chats": "queue", "emails": "deferred", "cases": "deferred"}
KINDS = ("volume", "number", "share", "whole", "choice", "weights", "text", "ramp", "forecast", "channels")
GROUPS = ("volume", "arrival", "targets", "staff", "hiring", "channels")
DOORS = ("all", "standalone", "legacy", "recorded")


@dataclass(frozen=True, slots=True)
class RequestField:
    """One field of the sizing request.

    ``scope`` is ``channel`` for a field each channel has (the request's own, and every entry of
    ``channels``), else ``request``. ``default`` None: not applied unless given. ``option`` is the command
    line's flag (None: no option of its own), ``metavar`` its placeholder. ``size`` is the number of
    weights a ``weights`` field takes; ``max_length`` the longest ``text``."""

    name: str
    kind: str
    label: str
    help: str
    group: str
    scope: str = "request"
    door: str = "all"
    default: Any = None
    choices: tuple[str, ...] = ()
    option: str | None = None
    metavar: str | None = None
    size: int | None = None
    max_length: int | None = None

    @property
    def bounds(self) -> tuple[float, float, bool, bool] | None:
        """(lowest, highest, lowest allowed, highest allowed) from :data:`LIMITS`, if the field has any."""
        return LIMITS.get(self.name)


# In the order a page shows them, group by group.
FIELDS: Final[tuple[RequestField, ...]] = (
    # --- volume ---
    RequestField(
        "calls",
        "volume",
        gettext_noop("Calls in the busiest interval"),
        "Calls in one (peak) interval, held through the opening hours.",
        "volume",
        scope="channel",
        option="--calls",
    ),
    RequestField(
        "calls_per_day",
        "volume",
        gettext_noop("Calls per open day"),
        "Calls on an average open day, spread by the profile.",
        "volume",
        scope="channel",
        option="--calls-per-day",
    ),
    RequestField(
        "calls_per_week",
        "volume",
        gettext_noop("Calls per week"),
        "Calls in a week, spread by the profile.",
        "volume",
        scope="channel",
        option="--calls-per-week",
    ),
    RequestField(
        "forecast",
        "forecast",
        gettext_noop("Forecast (calls per interval)"),
        "Calls per interval (format: docs/staffing.md).",
        "volume",
        option="--forecast",
        metavar="FILE.csv",
    ),
    RequestField(
        "days_per_week",
        "whole",
        gettext_noop("Days a week the forecast's day repeats"),
        "Forecast only: one day repeated N days.",
        "volume",
        option="--days-per-week",
    ),
    RequestField(
        "aht_seconds",
        "number",
        gettext_noop("Average handling time (seconds)"),
        "Average handling time (seconds).",
        "volume",
        scope="channel",
        option="--aht",
        metavar="SECONDS",
    ),
    RequestField(
        "channel",
        "choice",
        gettext_noop("Channel"),
        "calls, chats (with a concurrency), emails or cases (sized by workload).",
        "volume",
        scope="channel",
        default="calls",
        choices=tuple(CHANNEL_KINDS),
        option="--channel",
    ),
    RequestField(
        "concurrency",
        "whole",
        gettext_noop("Chats handled at once by an agent"),
        "Chats an agent handles at once.",
        "volume",
        scope="channel",
        default=1,
        option="--concurrency",
    ),
    # --- arrival ---
    RequestField(
        "profile",
        "choice",
        gettext_noop("Arrival profile"),
        "Arrival profile for calls_per_day/week: a typical shape (default inbound) or custom.",
        "arrival",
        scope="channel",
        choices=pf.PROFILE_CODES,
        option="--profile",
    ),
    RequestField(
        "hourly_profile",
        "weights",
        gettext_noop("Hourly weights (24, from 0:00)"),
        "24 relative weights, hour 0 to 23 (your own shape).",
        "arrival",
        scope="channel",
        option="--hourly-profile",
        metavar="W0,...,W23",
        size=24,
    ),
    RequestField(
        "daily_profile",
        "weights",
        gettext_noop("Daily weights (7, from Monday)"),
        "7 relative weights, Monday to Sunday.",
        "arrival",
        scope="channel",
        option="--daily-profile",
        metavar="MON,...,SUN",
        size=7,
    ),
    RequestField(
        "opening_hours",
        "text",
        gettext_noop("Opening hours"),
        "e.g. 'mon-fri 08:00-20:00; sat 09:00-17:00'.",
        "arrival",
        door="standalone",
        default=pf.DEFAULT_OPENING_HOURS.text(),
        option="--opening-hours",
        metavar="TEXT",
        max_length=1_000,
    ),
    RequestField(
        "opening_hours_source",
        "choice",
        gettext_noop("Opening hours taken from"),
        "Where the opening hours come from.",
        "arrival",
        door="recorded",
        choices=("given", "default", "project", "project_weekly_hours"),
    ),
    RequestField(
        "interval_minutes",
        "number",
        gettext_noop("Interval (minutes)"),
        "Interval length (minutes).",
        "arrival",
        default=st.DEFAULT_INTERVAL_MINUTES,
        option="--interval",
        metavar="MINUTES",
    ),
    # --- targets ---
    RequestField(
        "service_level",
        "share",
        gettext_noop("Service level (share answered in time)"),
        "Share answered within answer_seconds (80/20 when no target at all is given).",
        "targets",
        scope="channel",
        default=st.DEFAULT_SERVICE_LEVEL,
        option="--service-level",
        metavar="PCT/SECONDS",
    ),
    RequestField(
        "answer_seconds",
        "number",
        gettext_noop("Answer time (seconds)"),
        "Answer time of the service level (seconds).",
        "targets",
        scope="channel",
        default=st.DEFAULT_ANSWER_SECONDS,
    ),
    RequestField(
        "asa_seconds",
        "number",
        gettext_noop("Average speed of answer at most (seconds)"),
        "Average speed of answer at most (seconds).",
        "targets",
        scope="channel",
        option="--asa",
        metavar="SECONDS",
    ),
    RequestField(
        "max_occupancy",
        "share",
        gettext_noop("Occupancy at most"),
        "Occupancy at most (for e-mails: the workload cap).",
        "targets",
        scope="channel",
        option="--max-occupancy",
        metavar="SHARE",
    ),
    RequestField(
        "patience_seconds",
        "number",
        gettext_noop("Mean caller patience (seconds)"),
        "Mean caller patience: selects Erlang A.",
        "targets",
        scope="channel",
        option="--patience",
        metavar="SECONDS",
    ),
    RequestField(
        "max_abandon",
        "share",
        gettext_noop("Abandonment at most"),
        "Abandonment at most (Erlang A only).",
        "targets",
        scope="channel",
        option="--max-abandon",
        metavar="SHARE",
    ),
    # --- staff and seats ---
    RequestField(
        "absence_shrinkage",
        "share",
        gettext_noop("Time away (leave, public holidays, sickness)"),
        "Share of paid time away from the building: paid leave, public holidays, sickness, other absence.",
        "staff",
        default=st.DEFAULT_ABSENCE_SHRINKAGE,
        option="--absence-shrinkage",
        metavar="SHARE",
    ),
    RequestField(
        "on_site_shrinkage",
        "share",
        gettext_noop("Time in the building off the phones (breaks, coaching, training, meetings)"),
        "Share of the time in the building spent off the phones: breaks, coaching, training, meetings.",
        "staff",
        default=st.DEFAULT_ON_SITE_SHRINKAGE,
        option="--on-site-shrinkage",
        metavar="SHARE",
    ),
    RequestField(
        "shrinkage",
        "share",
        gettext_noop("Shrinkage, total (paid time off the phones)"),
        "Total paid time off the phones, the two parts together (the former single figure); given alone, "
        "the time in the building off the phones keeps its default and time away is the rest.",
        "staff",
        door="legacy",
        option="--shrinkage",
        metavar="SHARE",
    ),
    RequestField(
        "contract_hours_per_week",
        "number",
        gettext_noop("Contractual week (hours)"),
        "Contractual week (hours).",
        "staff",
        default=st.DEFAULT_CONTRACT_HOURS_PER_WEEK,
        option="--hours-per-week",
    ),
    RequestField(
        "part_time_share",
        "share",
        gettext_noop("Part-time agents (share of the people)"),
        "Share of the people on part-time contracts: turns FTE into people (jobs).",
        "staff",
        default=st.DEFAULT_PART_TIME_SHARE,
        option="--part-time-share",
        metavar="SHARE",
    ),
    RequestField(
        "part_time_hours_per_week",
        "number",
        gettext_noop("Part-timers' week (hours)"),
        "Contractual week of the part-timers (hours), at most the contractual week.",
        "staff",
        default=st.DEFAULT_PART_TIME_HOURS_PER_WEEK,
        option="--part-time-hours",
        metavar="HOURS",
    ),
    RequestField(
        "agents_per_seat",
        "number",
        gettext_noop("Full-time agents per seat"),
        "Full-time agents sharing a seat; empty: seats for the peak of scheduled agents.",
        "staff",
        option="--agents-per-seat",
    ),
    RequestField(
        "spare_seat_ratio",
        "share",
        gettext_noop("Spare seats"),
        "Spare seats.",
        "staff",
        default=st.DEFAULT_SPARE_SEAT_RATIO,
        option="--spare-seats",
        metavar="SHARE",
    ),
    RequestField(
        "area_per_seat_m2",
        "number",
        gettext_noop("Floor area per seat (m²)"),
        "Floor area per seat, common areas included.",
        "staff",
        default=st.DEFAULT_AREA_PER_SEAT_M2,
        option="--area-per-seat",
        metavar="M2",
    ),
    RequestField(
        "support_area_m2",
        "number",
        gettext_noop("Support areas (m²)"),
        "Support areas added to the seats' area.",
        "staff",
        default=0.0,
        option="--support-area",
        metavar="M2",
    ),
    # --- hiring ---
    RequestField(
        "years",
        "whole",
        gettext_noop("Years of the hiring plan"),
        "Years of the hiring plan.",
        "hiring",
        default=st.DEFAULT_HIRING_YEARS,
        option="--years",
    ),
    RequestField(
        "ramp",
        "ramp",
        gettext_noop("Ramp-up (share of the target per year)"),
        "Share of the target per year.",
        "hiring",
        door="standalone",
        default=st.DEFAULT_RAMP,
        option="--ramp",
    ),
    RequestField(
        "annual_attrition",
        "share",
        gettext_noop("Annual attrition"),
        "Yearly attrition.",
        "hiring",
        default=st.DEFAULT_ANNUAL_ATTRITION,
        option="--attrition",
        metavar="SHARE",
    ),
    RequestField(
        "candidates_per_hire",
        "number",
        gettext_noop("Candidates per hire"),
        "Candidates per hire.",
        "hiring",
        default=st.DEFAULT_CANDIDATES_PER_HIRE,
        option="--candidates-per-hire",
    ),
    # --- other channels ---
    RequestField(
        "channels",
        "channels",
        gettext_noop("Other channels"),
        "Other channels.",
        "channels",
        option="--add-channel",
        metavar="NAME:FIELD=VALUE,...",
    ),
)

_BY_NAME: Final = {f.name: f for f in FIELDS}


def request_field(name: str) -> RequestField:
    """The row of ``name`` (a KeyError for a name the request does not take)."""
    return _BY_NAME[name]
