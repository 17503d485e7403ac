"""What every staffing computation shares: the sourced defaults, the bounds of every input, the refusal
and its checks, and exact arithmetic.

Pure (no Django, no I/O). The engine's modules around it: :mod:`guichet.engine.erlang` (the queue
formulas), :mod:`guichet.engine.agents` (agents per interval and over a forecast),
:mod:`guichet.engine.forecast` (the forecast file), :mod:`guichet.engine.site` (from agents to a site, and
what a building holds), :mod:`guichet.engine.hiring` (the hiring plan), :mod:`guichet.engine.profiles`
(opening hours and arrival profiles) and :mod:`guichet.engine.sizing` (the one request through them all);
see ``docs/staffing.md``.

Whole-number answers are exact. The load ``A = calls x AHT / interval``, the occupancy bound
``ceil(A / max_occupancy)``, the shrinkage step ``ceil(agents / (1 - shrinkage))``, seats, FTE headcounts
and hires are computed with :class:`fractions.Fraction` from the decimal the user typed (``0.7`` is 7/10,
:func:`exact`), so an exact tie such as ``21 / 0.7 = 30`` gives 30, never 31.

Shrinkage comes in two parts (:mod:`guichet.engine.shrinkage`): **time away** from the building (paid leave,
public holidays, sickness and other absence, a share of paid time) and **time in the building off the
phones** (breaks, coaching, training, meetings, a share of the time there). FTE and headcounts use both;
seats the people in the building.
"""

from __future__ import annotations

import math
from fractions import Fraction

from guichet.engine import hiring_defaults

__all__ = [
    "BREAKS_SHARE",
    "DEFAULT_ABSENCE_SHRINKAGE",
    "DEFAULT_ANNUAL_ATTRITION",
    "DEFAULT_ANSWER_SECONDS",
    "DEFAULT_AREA_PER_SEAT_M2",
    "DEFAULT_CANDIDATES_PER_HIRE",
    "DEFAULT_CONTRACT_HOURS_PER_WEEK",
    "DEFAULT_HIRING_YEARS",
    "DEFAULT_INTERVAL_MINUTES",
    "DEFAULT_ON_SITE_SHRINKAGE",
    "DEFAULT_OPEN_HOURS_PER_WEEK",
    "DEFAULT_PART_TIME_HOURS_PER_WEEK",
    "DEFAULT_PART_TIME_SHARE",
    "DEFAULT_RAMP",
    "DEFAULT_SERVICE_LEVEL",
    "DEFAULT_SHRINKAGE",
    "DEFAULT_SPARE_SEAT_RATIO",
    "LEAVE_AND_PUBLIC_HOLIDAYS_SHARE",
    "LIMITS",
    "MAX_TRAFFIC_ERLANGS",
    "OCCUPANCY_WARNING",
    "SOURCES",
    "Number",
    "StaffingInputError",
    "check_limit",
    "check_shrinkage",
    "check_whole",
    "exact",
    "finite",
    "gettext_noop",
    "non_negative",
    "open_unit",
    "parse_service_level",
    "positive",
    "ratio",
]

Number = int | float | Fraction

# --- the one set of defaults, and where each comes from ----------------------------------------------
# Every sizing (command line, API, project page) starts from these values through
# :func:`guichet.engine.sizing.build_request`; docs/staffing.md lists them with their sources.
DEFAULT_SERVICE_LEVEL = 0.8
DEFAULT_ANSWER_SECONDS = 20.0
DEFAULT_INTERVAL_MINUTES = 30
DEFAULT_CONTRACT_HOURS_PER_WEEK = 35.0

# Time away, a share of paid time. A French full-time year is 1,607 hours of work (the legal annual
# duration: 365 days less 104 weekend days, 25 days of paid leave and 8 weekday public holidays, 228 days of
# 7 h, about 1,600 h, plus the 7-hour solidarity day) out of 35 h x 365 / 7 = 1,825 h paid: leave and public
# holidays take 218 / 1,825 = 11.9 % of paid time. With absenteeism (hiring_defaults.ABSENTEEISM, 9 % in
# provincial centres): 20.9 %, 21 % rounded. No RTT at the 35-hour contractual week (RTT days pay back hours
# worked above 35 a week: with a 39-hour contract add about 4 / 39 = 10 %).
LEAVE_AND_PUBLIC_HOLIDAYS_SHARE = Fraction(1825 - 1607, 1825)
DEFAULT_ABSENCE_SHRINKAGE = round(
    float(LEAVE_AND_PUBLIC_HOLIDAYS_SHARE) + hiring_defaults.ABSENTEEISM.value, 2
)
# Time in the building off the phones, a share of the time there: paid breaks of 10 minutes every 2 hours
# (the call-centre agreements of the outsourcers' and the telecoms branches), 8.3 %; coaching, training and
# team meetings about 2 h 20 of a 35-hour week, 6.7 % (house assumption); 15 % together.
BREAKS_SHARE = Fraction(10, 120)
DEFAULT_ON_SITE_SHRINKAGE = 0.15
# The two together: 1 - (1 - 0.21) x (1 - 0.15) = 32.85 % of paid time off the phones (industry surveys:
# 30-35 % on average).
DEFAULT_SHRINKAGE = float(
    1 - (1 - Fraction(repr(DEFAULT_ABSENCE_SHRINKAGE))) * (1 - Fraction(repr(DEFAULT_ON_SITE_SHRINKAGE)))
)

# People, not FTE: part-timers work fewer hours, so a centre needs more people than FTE.
DEFAULT_PART_TIME_SHARE = hiring_defaults.PART_TIME_SHARE.value
DEFAULT_PART_TIME_HOURS_PER_WEEK = hiring_defaults.PART_TIME_HOURS.value

DEFAULT_AREA_PER_SEAT_M2 = 10.7
DEFAULT_SPARE_SEAT_RATIO = 0.10
DEFAULT_OPEN_HOURS_PER_WEEK = 60.0
DEFAULT_ANNUAL_ATTRITION = hiring_defaults.ANNUAL_ATTRITION.value
DEFAULT_CANDIDATES_PER_HIRE = hiring_defaults.CANDIDATES_PER_HIRE.value
DEFAULT_HIRING_YEARS = 3
DEFAULT_RAMP = (0.5, 0.75, 1.0)

# Above this occupancy at its busiest interval a queue's sizing carries the warning ``high_occupancy``:
# planners hold occupancy under 85 % (Call Centre Helper), a peak may pass it for a while, sustained above
# 90 % agents burn out.
OCCUPANCY_WARNING = 0.90

# Beyond a million Erlangs in one interval the engine's figures are not checked against the reference:
# such a load is refused as out of range rather than computed.
MAX_TRAFFIC_ERLANGS = 1_000_000


def gettext_noop(text: str) -> str:
    """Marks a citation for the translation catalogue; pages translate it, the engine keeps it as is."""
    return text


# Where each default comes from. (``xgettext:no-python-format`` keeps the translation tools from reading a
# percent sign as a format directive.)
SOURCES: dict[str, str] = {
    "service_level": gettext_noop(
        # xgettext:no-python-format
        "Industry convention: 80% of calls answered within 20 s (Call Centre Helper; the pyworkforce "
        "tutorial's worked example)"
    ),
    "shrinkage": gettext_noop(
        # xgettext:no-python-format
        "The two parts together, 1 - (1 - 21%) x (1 - 15%) = 32.85% of paid time off the phones; industry "
        "surveys (Bocklund, GoTo): 20-35%, 30-35% on average. Given alone (the former single figure), it "
        "is read as the default 15% in the building and time away for the rest"
    ),
    "absence_shrinkage": gettext_noop(
        # xgettext:no-python-format
        "French full-time year: 1,607 h worked (the legal annual duration) of 1,825 h paid, so paid leave "
        "(5 weeks, Code du travail art. L3141-3) and weekday public holidays take 11.9%; absenteeism in "
        "provincial centres 8-10% (Relation Client Magazine), 9%; 21% in all. No RTT at 35 h a week"
    ),
    "on_site_shrinkage": gettext_noop(
        # xgettext:no-python-format
        "Paid breaks of 10 minutes every 2 hours, 8.3% (call-centre agreements of the outsourcers' "
        "branch, IDCC 2098, and of the telecoms branch); coaching, training and team meetings 6.7%, about "
        "2 h 20 a week (house assumption); 15% in all"
    ),
    "part_time_share": gettext_noop(
        # xgettext:no-python-format
        "Outsourced French centres, BearingPoint survey of the SP2C's members: 8.5-13.5% part time "
        "(2007-2013); default 9%"
    ),
    "part_time_hours_per_week": gettext_noop(
        "French legal minimum for part time, 24 h a week since 2014 (Code du travail art. L3123-27); "
        "part-timers worked 23.2 h on average in 2011 (DARES)"
    ),
    "occupancy_warning": gettext_noop(
        # xgettext:no-python-format
        "Call Centre Helper: hold occupancy under 85%; a busiest interval may pass it for a while, "
        "sustained above 90% agents burn out (house threshold for the warning: 90%)"
    ),
    "contract_hours_per_week": gettext_noop("French legal working week (35 h)"),
    "area_per_seat_m2": gettext_noop(
        "French cases: Teleperformance Blagnac, 6,000 m² for 560 positions + 80 staff, about 10.7 m² a "
        "position, common areas included (trade press); Site Selection Group gives 9.3-12.1 m²"
    ),
    "spare_seat_ratio": gettext_noop(
        # xgettext:no-python-format
        "Assumption (house default, not a published figure): 10% spare seats"
    ),
    "agents_per_seat": gettext_noop(
        "Call Centre Helper; citeops: 1.0 FTE per seat for one shift, more with long opening hours (2.18 "
        "for 18 h x 6 days); default: seats for the peak of simultaneous agents instead"
    ),
    "opening_hours": gettext_noop(
        "Assumption (house default): Monday to Friday, 8:00-20:00 (60 h a week) when the project gives none"
    ),
    "profile": gettext_noop(
        "Typical shapes (house assumption, not measured data): replace them with the investor's own "
        "history when it has one"
    ),
    "annual_attrition": gettext_noop(
        # xgettext:no-python-format
        "French contact centres: about 8% a year in the provinces, over 50% in Paris (En-Contact, 2009), "
        "close to 20% in Ile-de-France (Relation Client Magazine); default 20%"
    ),
    "candidates_per_hire": gettext_noop(
        "NACSMA (North America; no French figure found): 3-4 candidates per hire (600-800 candidates for "
        "200 hires); default 3.5"
    ),
    "ramp": gettext_noop(
        # xgettext:no-python-format
        "Assumption (house default): 50%, 75%, then 100% of the target in years 1, 2, 3"
    ),
}

# Bounds of every number a sizing takes: (lowest, highest, lowest allowed itself, highest allowed itself).
# The API's schema, the project form and the engine read them here, so a value refused in one place is
# refused everywhere, and no value can push the arithmetic out of range.
LIMITS: dict[str, tuple[float, float, bool, bool]] = {
    "calls": (0, 1e9, True, True),
    "calls_per_day": (0, 1e9, True, True),
    "calls_per_week": (0, 1e9, True, True),
    "aht_seconds": (1, 86_400, True, True),
    "interval_minutes": (1, 1_440, True, True),
    "service_level": (0, 1, False, False),
    "answer_seconds": (0, 86_400, True, True),
    "asa_seconds": (0, 86_400, False, True),
    "max_occupancy": (0.1, 1, True, True),
    "patience_seconds": (1, 86_400, True, True),
    "max_abandon": (0, 1, False, False),
    "concurrency": (1, 20, True, True),
    "shrinkage": (0, 0.9, True, True),
    "absence_shrinkage": (0, 0.9, True, True),
    "on_site_shrinkage": (0, 0.9, True, True),
    "contract_hours_per_week": (1, 168, True, True),
    "part_time_share": (0, 1, True, False),
    "part_time_hours_per_week": (1, 168, True, True),
    "agents_per_seat": (0.1, 10, True, True),
    "spare_seat_ratio": (0, 10, True, True),
    "area_per_seat_m2": (0.1, 1_000, True, True),
    "support_area_m2": (0, 10_000_000, True, True),
    "years": (1, 50, True, True),
    "annual_attrition": (0, 5, True, True),
    "candidates_per_hire": (1, 1_000, True, True),
    "days_per_week": (1, 7, True, True),
    "profile_weight": (0, 1e6, True, True),
}


class StaffingInputError(ValueError):
    """An input the engine refuses. ``field`` names it, ``code`` says what is wrong (for a page to phrase in
    its reader's language), ``limit`` is the bound it crossed, if any, and ``line`` the forecast line.
    ``message`` is the English wording the command line and the API print.

    Codes: ``not_a_number``, ``not_finite``, ``not_positive``, ``negative``, ``below_minimum``,
    ``above_maximum``, ``not_a_share``, ``load_too_high``, ``not_whole``, ``required``, ``conflict``,
    ``syntax`` and ``invalid`` (any other refusal; the message says which).
    """

    def __init__(
        self,
        field: str,
        message: str,
        *,
        line: int | None = None,
        code: str = "invalid",
        limit: float | None = None,
    ) -> None:
        self.field = field
        self.line = line
        self.message = message
        self.code = code
        self.limit = limit
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{field}: {message}")


# --- exact arithmetic -----------------------------------------------------------------------------


def exact(value: Number) -> Fraction:
    """The exact rational a user meant: a float is read through its shortest repr (0.7 -> 7/10)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def ratio(value: Number) -> tuple[int, int]:
    """(numerator, denominator) of the exact value, without a Fraction for whole numbers."""
    if isinstance(value, int):
        return value, 1
    if isinstance(value, float) and value.is_integer():
        return int(value), 1
    whole = exact(value)
    return whole.numerator, whole.denominator


# --- validation -----------------------------------------------------------------------------------


def finite(name: str, value: Number) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise StaffingInputError(name, f"must be a number, got {value!r}", code="not_a_number")
    try:
        number = float(value)
    except OverflowError:  # an int or Fraction too large for a float
        number = math.inf
    if not math.isfinite(number):
        raise StaffingInputError(name, f"must be a finite number, got {value!r}", code="not_finite")
    return number


def positive(name: str, value: Number) -> float:
    number = finite(name, value)
    if number <= 0:
        raise StaffingInputError(name, f"must be greater than 0, got {value!r}", code="not_positive")
    return number


def non_negative(name: str, value: Number) -> float:
    number = finite(name, value)
    if number < 0:
        raise StaffingInputError(name, f"must be 0 or more, got {value!r}", code="negative")
    return number


def open_unit(name: str, value: Number) -> float:
    number = finite(name, value)
    if not 0 < number < 1:
        raise StaffingInputError(name, f"must be strictly between 0 and 1, got {value!r}", code="not_a_share")
    return number


def check_shrinkage(value: Number) -> float:
    number = finite("shrinkage", value)
    if not 0 <= number < 1:
        raise StaffingInputError(
            "shrinkage", f"must be at least 0 and below 1, got {value!r}", code="not_a_share"
        )
    return number


def check_limit(name: str, value: Number, *, bound: str | None = None) -> float:
    """``value`` checked against ``LIMITS[bound or name]``: a finite number inside the bounds, or a
    :class:`StaffingInputError` naming ``name`` with the code of the bound it crossed."""
    low, high, low_ok, high_ok = LIMITS[bound or name]
    number = finite(name, value)
    if number < low or (number == low and not low_ok):
        if low == 0 and not low_ok:
            raise StaffingInputError(name, f"must be greater than 0, got {value!r}", code="not_positive")
        if low == 0:
            raise StaffingInputError(name, f"must be 0 or more, got {value!r}", code="negative")
        raise StaffingInputError(
            name, f"must be at least {low:g}, got {value!r}", code="below_minimum", limit=low
        )
    if number > high or (number == high and not high_ok):
        if (low, high) == (0, 1):
            raise StaffingInputError(name, f"must be below 1, got {value!r}", code="not_a_share")
        raise StaffingInputError(
            name, f"must be at most {high:g}, got {value!r}", code="above_maximum", limit=high
        )
    return number


def check_whole(name: str, value: object, *, bound: str | None = None) -> int:
    """A whole number inside ``LIMITS[bound or name]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise StaffingInputError(name, f"must be a whole number, got {value!r}", code="not_whole")
    check_limit(name, value, bound=bound)
    return value


def parse_service_level(text: str) -> tuple[float, float]:
    """``"80/20"`` -> ``(0.8, 20.0)``: the share (percent, or a fraction below 1) within that many seconds."""
    share_text, sep, seconds_text = text.partition("/")
    try:
        share = float(share_text.replace(",", "."))
        seconds = float(seconds_text.replace(",", ".")) if sep else math.nan
    except ValueError:
        share = seconds = math.nan
    if not (math.isfinite(share) and math.isfinite(seconds)):
        raise StaffingInputError(
            "service_level", f"expected PERCENT/SECONDS such as 80/20, got {text!r}", code="syntax"
        )
    fraction = float(exact(share) / 100) if share >= 1 else share
    open_unit("service_level", fraction)
    check_limit("answer_seconds", seconds)
    return fraction, seconds
