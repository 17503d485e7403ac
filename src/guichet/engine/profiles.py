"""Opening hours by weekday and arrival profiles: how a day's or a week's volume spreads over a week.

Pure values, no Django. An :class:`OpeningHours` is seven lists of open periods (minutes from midnight,
``[start, end)``); it is read from the text people write (``"Mon-Fri 08:00-20:00; Sat 09:00-17:00"``, in
English or French, ``8h-20h`` accepted) and written back in a canonical form with language-neutral day
codes (``"mon-fri 08:00-20:00; sat 09:00-17:00"``), which a page phrases in its reader's language.

An :class:`ArrivalProfile` gives relative weights: 24 for the hours of the day (the share of a day's
volume arriving in each hour) and 7 for the days of the week (the share of the week's volume). The built-in
profiles are **typical shapes, not measured data** (``typical`` is True): the house's assumption of how
inbound customer service, outbound campaigns and back-office work arrive, to be replaced by the investor's
own history when it has one. docs/staffing.md shows them. Any weight can be edited (``custom``).

:func:`spread_volume` turns a volume per day or per week into calls per interval over a typical week, in
the opening hours only, in proportion to the arrival intensity of each open interval (its day's weight
times its hours' weights).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from guichet.engine.staffing import StaffingInputError, check_limit

__all__ = [
    "DEFAULT_OPENING_HOURS",
    "MINUTES_PER_WEEK",
    "PROFILE_CODES",
    "TYPICAL_PROFILES",
    "WEEKDAYS",
    "ArrivalProfile",
    "OpeningHours",
    "arrival_profile",
    "interval_label",
    "opening_hours_from_weekly_hours",
    "parse_interval_label",
    "parse_opening_hours",
    "parse_weights",
    "spread_volume",
]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 1_440
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

# Day names people write, English and French, full or abbreviated, to the weekday (0 = Monday).
_DAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "mo", "lun", "lundi", "lu"),
        ("tue", "tues", "tuesday", "tu", "mar", "mardi", "ma"),
        ("wed", "wednesday", "we", "mer", "mercredi", "me"),
        ("thu", "thur", "thurs", "thursday", "th", "jeu", "jeudi", "je"),
        ("fri", "friday", "fr", "ven", "vendredi", "ve"),
        ("sat", "saturday", "sa", "sam", "samedi"),
        ("sun", "sunday", "su", "dim", "dimanche", "di"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _index

_TIME = r"(\d{1,2})\s*(?:[:h]\s*(\d{2})?)?"
_PERIOD = re.compile(rf"{_TIME}\s*(?:-|–|—|to|à)\s*{_TIME}", re.IGNORECASE)
_CLOSED = {"closed", "fermé", "ferme", "off"}


# --- opening hours --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Open periods per weekday (Monday first): minutes from midnight, ``[start, end)``, sorted, apart."""

    days: tuple[tuple[tuple[int, int], ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise StaffingInputError("opening_hours", "needs the seven days of the week", code="syntax")
        for periods in self.days:
            end_before = -1
            for start, end in periods:
                if not 0 <= start < end <= MINUTES_PER_DAY or start <= end_before:
                    raise StaffingInputError(
                        "opening_hours", f"periods must be ordered and apart, got {periods}", code="syntax"
                    )
                end_before = end
        if not any(self.days):
            raise StaffingInputError("opening_hours", "the centre is never open", code="never_open")

    @property
    def minutes_per_week(self) -> int:
        return sum(end - start for periods in self.days for start, end in periods)

    @property
    def hours_per_week(self) -> float:
        return self.minutes_per_week / 60

    @property
    def open_days(self) -> tuple[int, ...]:
        return tuple(day for day, periods in enumerate(self.days) if periods)

    def open_minutes(self, day: int, start: int, end: int) -> int:
        """Minutes of ``[start, end)`` on ``day`` that are open."""
        return sum(max(0, min(end, e) - max(start, s)) for s, e in self.days[day])

    def text(self, day_names: Sequence[str] = WEEKDAYS, separator: str = "; ") -> str:
        """Consecutive days with the same periods grouped: ``mon-fri 08:00-20:00; sat 09:00-17:00``.

        ``day_names`` lets a page write the days in its reader's language."""
        parts: list[str] = []
        day = 0
        while day < 7:
            periods = self.days[day]
            last = day
            while last + 1 < 7 and self.days[last + 1] == periods:
                last += 1
            if periods:
                days = day_names[day] if last == day else f"{day_names[day]}-{day_names[last]}"
                parts.append(f"{days} " + ", ".join(f"{_hhmm(s)}-{_hhmm(e)}" for s, e in periods))
            day = last + 1
        return separator.join(parts)

    def on_grid(self, interval_minutes: int) -> bool:
        return all(s % interval_minutes == 0 and e % interval_minutes == 0 for p in self.days for s, e in p)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(hours: str, minutes: str | None, text: str) -> int:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise StaffingInputError("opening_hours", f"not a time of day: {text!r}", code="syntax")
    return h * 60 + m


def _days(text: str, entry: str) -> list[int]:
    joined = re.sub(r"\s*(?:-|–|—|\bà\b|\bto\b|\bau\b)\s*", "-", text.strip().lower())
    words = [w for w in re.split(r"\s*,\s*|\s+(?:et|and|&)\s+|\s+", joined) if w]
    if not words:
        raise StaffingInputError("opening_hours", f"no day in {entry!r}", code="syntax")
    days: list[int] = []
    for word in words:
        bounds = [b.strip(". ") for b in word.split("-")]
        if not all(b in _DAY_NAMES for b in bounds) or len(bounds) > 2:
            raise StaffingInputError("opening_hours", f"unknown day in {entry!r}", code="syntax")
        first, last = _DAY_NAMES[bounds[0]], _DAY_NAMES[bounds[-1]]
        span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
        days.extend(span)
    return days


def parse_opening_hours(text: str) -> OpeningHours:
    """Opening hours from text: entries separated by ``;`` or new lines, each ``DAYS PERIODS``.

    Days: ``mon``, ``Monday``, ``lun``, ``lundi``..., ranges ``mon-fri`` and lists ``sat, sun``. Periods:
    ``08:00-12:00, 14:00-18:00`` (also ``8h-20h``, ``8h30-12h``; ``24:00`` ends a day) or ``closed``. A
    day named twice takes the union of its periods. ``24/7`` opens every day all day.
    """
    if not isinstance(text, str):
        raise StaffingInputError("opening_hours", f"must be text, got {text!r}", code="syntax")
    if len(text) > 1_000:
        raise StaffingInputError("opening_hours", "too long (1,000 characters at most)", code="syntax")
    cleaned = text.strip()
    if cleaned.lower() in {"24/7", "24h/24 7j/7", "24/24 7/7"}:
        return OpeningHours(tuple(((0, MINUTES_PER_DAY),) for _ in range(7)))
    minutes: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    entries = [e.strip() for e in re.split(r"[;\n]", cleaned) if e.strip()]
    if not entries:
        raise StaffingInputError("opening_hours", "empty: give days and hours, e.g. mon-fri 08:00-20:00")
    for entry in entries:
        match = re.search(r"\d", entry)
        lowered = entry.lower()
        closed = next((word for word in _CLOSED if lowered.endswith(word)), None)
        if closed is not None:
            _days(entry[: len(entry) - len(closed)], entry)  # the days must still be days
            continue
        if match is None:
            raise StaffingInputError("opening_hours", f"no hours in {entry!r}", code="syntax")
        days = _days(entry[: match.start()].rstrip(" :"), entry)
        rest = entry[match.start() :]
        periods = list(_PERIOD.finditer(rest))
        leftover = _PERIOD.sub("", rest)
        if not periods or leftover.strip(" ,/et&and"):
            raise StaffingInputError("opening_hours", f"cannot read the hours in {entry!r}", code="syntax")
        for period in periods:
            start = _minutes(period.group(1), period.group(2), period.group(0))
            end = _minutes(period.group(3), period.group(4), period.group(0))
            if end <= start:
                raise StaffingInputError(
                    "opening_hours",
                    f"a period must end after it starts (split a night in two): {period.group(0)!r}",
                    code="syntax",
                )
            for day in days:
                minutes[day].append((start, end))
    merged: list[tuple[tuple[int, int], ...]] = []
    for day_periods in minutes:
        union: list[tuple[int, int]] = []
        for start, end in sorted(day_periods):
            if union and start <= union[-1][1]:
                union[-1] = (union[-1][0], max(union[-1][1], end))
            else:
                union.append((start, end))
        merged.append(tuple(union))
    return OpeningHours(tuple(merged))


def opening_hours_from_weekly_hours(hours: int) -> OpeningHours:
    """A schedule for a project that only gives its weekly opening hours (an assumption, said as such).

    5 days up to 60 h, 6 days up to 72 h, else 7; whole hours spread over the days (the first days get the
    spare hours), opening at 8:00 for days of 12 h or less, else centred on 14:00. 60 h gives Monday to
    Friday 8:00-20:00, 72 h Monday to Saturday 8:00-20:00, 168 h all week round the clock.
    """
    whole = check_limit("open_hours_per_week", hours, bound="contract_hours_per_week")
    if whole != int(whole) or whole < 1:
        raise StaffingInputError(
            "open_hours_per_week", f"must be whole hours, got {hours!r}", code="not_whole"
        )
    total = int(whole)
    days = 5 if total <= 60 else 6 if total <= 72 else 7
    base, spare = divmod(total, days)
    schedule: list[tuple[tuple[int, int], ...]] = []
    for day in range(7):
        if day >= days:
            schedule.append(())
            continue
        length = (base + (1 if day < spare else 0)) * 60
        start = 8 * 60 if length <= 12 * 60 else max(0, min(14 * 60 - (length // 120) * 60, 1440 - length))
        schedule.append(((start, start + length),) if length else ())
    return OpeningHours(tuple(schedule))


DEFAULT_OPENING_HOURS = parse_opening_hours("mon-fri 08:00-20:00")


# --- interval labels ------------------------------------------------------------------------------


def interval_label(day: int, minute: int) -> str:
    """``mon 08:30``: the forecast file's label for the interval starting at ``minute`` on ``day``."""
    return f"{WEEKDAYS[day]} {_hhmm(minute)}"


_LABEL = re.compile(r"^\s*([^\W\d_]+)\.?\s+(\d{1,2})[:h](\d{2})\s*$")


@functools.lru_cache(maxsize=4_096)  # a year of intervals repeats a week's labels
def parse_interval_label(label: str) -> tuple[int, int] | None:
    """(weekday, minute) of a label such as ``mon 08:30``, ``lundi 8h30`` or an ISO date-time; else None."""
    match = _LABEL.match(label)
    if match:
        day = _DAY_NAMES.get(match.group(1).lower())
        hours, minutes = int(match.group(2)), int(match.group(3))
        if day is not None and hours < 24 and minutes < 60:
            return day, hours * 60 + minutes
        return None
    try:
        moment = dt.datetime.fromisoformat(label.strip())
    except ValueError:
        return None
    return moment.weekday(), moment.hour * 60 + moment.minute


# --- arrival profiles -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArrivalProfile:
    """Relative weights of arrival: ``hourly`` (24, hour 0 to 23) and ``daily`` (7, Monday to Sunday).

    ``code`` is the built-in profile it starts from; ``typical`` is True while no weight was edited (a
    typical shape, an assumption), False once the user gave weights of its own (``code`` is then
    ``custom``)."""

    code: str
    hourly: tuple[float, ...]
    daily: tuple[float, ...]
    typical: bool = True

    def __post_init__(self) -> None:
        _check_weights("hourly_profile", self.hourly, 24)
        _check_weights("daily_profile", self.daily, 7)


def _check_weights(field: str, weights: Sequence[float], count: int) -> None:
    if len(weights) != count:
        raise StaffingInputError(
            field, f"needs {count} weights, got {len(weights)}", code="wrong_count", limit=count
        )
    for weight in weights:
        check_limit(field, weight, bound="profile_weight")
    if not any(weights):
        raise StaffingInputError(field, "every weight is 0", code="no_weight")


# Typical shapes (house assumption, not measured data), relative weights. Inbound customer service: calls
# build up from 8:00 to a late-morning peak, dip at lunch, peak again early in the afternoon and fade in
# the evening; Monday is the busiest day and the week tails off, Saturday about half a weekday.
_INBOUND_HOURLY = (
    0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 4.5, 7.5, 8.5, 8.0,
    6.0, 6.5, 8.0, 7.5, 6.5, 5.5, 4.0, 3.0, 2.0, 1.2, 0.7, 0.4,
)  # fmt: skip
_INBOUND_DAILY = (1.25, 1.1, 1.05, 1.0, 0.95, 0.55, 0.3)
# Outbound (calls placed to consumers): the French rules on telephone canvassing (Code de la
# consommation, art. D. 223-8, decree 2022-1313) allow Monday to Friday 10:00-13:00 and 14:00-20:00 only;
# evening hours reach more people at home.
_OUTBOUND_HOURLY = (
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.0, 1.0,
    1.0, 0, 1.0, 1.0, 1.0, 1.1, 1.3, 1.3, 0, 0, 0, 0,
)  # fmt: skip
_OUTBOUND_DAILY = (1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0)
# Back office (mail, files, e-mails): steady through the working day with a lunch dip, Monday to Friday.
_BACK_OFFICE_HOURLY = (
    0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.5, 1.0, 1.0, 1.0, 1.0,
    0.6, 0.6, 1.0, 1.0, 1.0, 1.0, 0.5, 0.3, 0.1, 0.05, 0.05, 0.05,
)  # fmt: skip
_BACK_OFFICE_DAILY = (1.0, 1.0, 1.0, 1.0, 1.0, 0.2, 0.05)

TYPICAL_PROFILES: dict[str, ArrivalProfile] = {
    "inbound": ArrivalProfile("inbound", _INBOUND_HOURLY, _INBOUND_DAILY),
    "outbound": ArrivalProfile("outbound", _OUTBOUND_HOURLY, _OUTBOUND_DAILY),
    "back_office": ArrivalProfile("back_office", _BACK_OFFICE_HOURLY, _BACK_OFFICE_DAILY),
    "flat": ArrivalProfile("flat", (1.0,) * 24, (1.0,) * 7),
}
PROFILE_CODES = (*TYPICAL_PROFILES, "custom")


def parse_weights(text: str, field: str) -> tuple[float, ...]:
    """Weights written as numbers separated by commas, semicolons or spaces (``;`` allows decimal commas)."""
    if len(text) > 2_000:
        raise StaffingInputError(field, "too long", code="syntax")
    decimal_comma = ";" in text
    parts = [p for p in re.split(r"[;\s]+" if decimal_comma else r"[,;\s]+", text.strip()) if p]
    weights = []
    for part in parts:
        try:
            weights.append(float(part.replace(",", ".") if decimal_comma else part))
        except ValueError:
            raise StaffingInputError(field, f"not a number: {part!r}", code="not_a_number") from None
    return tuple(weights)


def arrival_profile(
    code: str, *, hourly: Sequence[float] | None = None, daily: Sequence[float] | None = None
) -> ArrivalProfile:
    """A built-in profile, with the hourly or daily weights replaced where given (then ``custom``)."""
    base = TYPICAL_PROFILES.get("flat" if code == "custom" else code)
    if base is None:
        raise StaffingInputError("profile", f"unknown profile {code!r}", code="invalid")
    if hourly is None and daily is None and code != "custom":
        return base
    return ArrivalProfile(
        "custom",
        tuple(float(w) for w in hourly) if hourly is not None else base.hourly,
        tuple(float(w) for w in daily) if daily is not None else base.daily,
        typical=False,
    )


def spread_volume(
    *,
    per_day: float | None = None,
    per_week: float | None = None,
    profile: ArrivalProfile,
    hours: OpeningHours,
    interval_minutes: int,
) -> list[tuple[int, int, float, bool]]:
    """(weekday, start minute, calls, open) for every interval of a week, Monday 00:00 first.

    ``per_day`` is the average over the open days (the week holds ``per_day`` x open days); ``per_week``
    the whole week. The week's volume goes to the open intervals in proportion to the arrival intensity
    there: the day's weight times the hourly weights over the interval's open minutes. So a day open
    fewer hours receives fewer calls, and the hours the profile gives no weight receive none.
    """
    if (per_day is None) == (per_week is None):
        raise StaffingInputError("calls_per_day", "give calls per day or per week", code="conflict")
    if MINUTES_PER_DAY % interval_minutes:
        raise StaffingInputError(
            "interval_minutes",
            f"must divide a day (15, 30 or 60 minutes) to spread a volume, got {interval_minutes}",
            code="invalid",
        )
    if not hours.on_grid(interval_minutes):
        raise StaffingInputError(
            "opening_hours",
            f"opening and closing times must fall on the {interval_minutes}-minute intervals",
            code="off_grid",
            limit=interval_minutes,
        )
    given = per_day if per_day is not None else per_week
    assert given is not None
    week = Fraction(repr(float(given))) * (len(hours.open_days) if per_day is not None else 1)
    hourly = [Fraction(repr(w)) for w in profile.hourly]
    daily = [Fraction(repr(w)) for w in profile.daily]
    slots: list[tuple[int, int, Fraction, bool]] = []
    for day in range(7):
        for start in range(0, MINUTES_PER_DAY, interval_minutes):
            weight = Fraction(0)
            minute = start
            while minute < start + interval_minutes:
                hour_end = min((minute // 60 + 1) * 60, start + interval_minutes)
                weight += hourly[minute // 60] * hours.open_minutes(day, minute, hour_end)
                minute = hour_end
            is_open = hours.open_minutes(day, start, start + interval_minutes) > 0
            slots.append((day, start, daily[day] * weight, is_open))
    total = sum(weight for *_, weight, _ in slots)
    if week and not total:
        field = "daily_profile" if not any(daily[d] for d in hours.open_days) else "hourly_profile"
        raise StaffingInputError(field, "gives no weight to the opening hours", code="no_weight_when_open")
    return [
        (day, start, float(week * weight / total) if week else 0.0, is_open)
        for day, start, weight, is_open in slots
    ]
