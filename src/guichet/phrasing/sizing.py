"""How a sizing reads on a page: labels, error messages, notes and sources in the reader's language.

The engine speaks in field names, codes and values (:mod:`guichet.engine.sizing`, its names in
:mod:`guichet.engine.sizing_fields`); this module phrases them once for the project page, the dossier, the
sizing form and the services' validation errors. A stored sizing is read with
:func:`guichet.engine.sizing.read_sizing`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from guichet.engine import profiles, sizing, staffing
from guichet.engine.sizing import StoredSizing
from guichet.engine.sizing_fields import FIELDS
from guichet.formats import percent_text

# Labels and shares come from the request's one table of names; the engine marks its labels for the
# catalogue, this layer translates them when shown.
FIELD_LABELS: dict[str, Any] = {f.name: gettext_lazy(f.label) for f in FIELDS}
SHARES = {f.name for f in FIELDS if f.kind == "share"}

_MESSAGES: dict[str, Any] = {
    "not_a_number": _("Enter a number."),
    "not_finite": _("Enter a finite number."),
    "not_positive": _("Enter a number greater than 0."),
    "negative": _("Enter 0 or more."),
    "below_minimum": _("Enter at least %(limit)s."),
    "above_maximum": _("Enter at most %(limit)s."),
    "not_a_share": _("Enter a share between 0 and 1 (0.8 for 80%%)."),
    "load_too_high": _(
        "The load is above %(limit)s Erlangs (calls × handling time / interval length): beyond what the "
        "engine computes."
    ),
    "not_whole": _("Enter a whole number."),
    "required": _("This value is needed."),
    "conflict": _("Give only one of these values."),
    "syntax": _("This cannot be read."),
    "off_grid": _(
        "Opening and closing times must fall on the %(limit)s-minute intervals: change the interval or the "
        "project's opening hours."
    ),
    "never_open": _("The opening hours never open."),
    "ramp_order": _("Ramp-up shares must rise from above 0 to at most 1."),
    "needs_patience": _("An abandonment cap needs a mean patience (the Erlang A model)."),
    "wrong_count": _("Give %(limit)s weights."),
    "no_weight": _("Give at least one weight above 0."),
    "no_weight_when_open": _("The profile gives no weight to the opening hours."),
    "invalid": _("This value is not accepted."),
}
_REQUIRED: dict[str, Any] = {
    "calls": _("Give the volume: calls per day, per week, in the busiest interval, or a forecast."),
    "aht_seconds": _("Give the average handling time."),
    "service_level": _("Give a service level, an average speed of answer or an abandonment cap."),
    "hourly_profile": _("Give your own hourly or daily weights for a custom profile."),
}

WARNINGS: dict[str, Any] = {
    "typical_profile": _(
        "The arrival profile is a typical shape, an assumption: size again with the investor's own forecast "
        "when it has one."
    ),
    "default_opening_hours": _(
        "The project gives no opening hours: the default, Monday to Friday 8:00-20:00, was used."
    ),
    "seats_below_peak": _(
        "The seats per agent leave agents scheduled at the peak without a seat: more agents share a seat "
        "than the opening hours allow."
    ),
    "closed_with_calls": _("Closed intervals of the forecast had calls: they are not answered."),
    "shrinkage_from_total": _(
        "The shrinkage was given as one total, %(total)s: it is read as %(on_site)s of the time in the "
        "building off the phones (the default) and %(absence)s of paid time away. Give the two parts to "
        "size the seats on your own figures."
    ),
    "high_occupancy": _(
        "Occupancy reaches %(occupancy)s at the busiest interval, above %(threshold)s: agents cannot hold "
        "that pace for long (planners keep it under 85 %%). Give a maximum occupancy, or plan more agents."
    ),
}

PROFILE_LABELS: dict[str, Any] = {
    "inbound": _("Inbound customer service (typical)"),
    "outbound": _("Outbound calls (typical)"),
    "back_office": _("Back office (typical)"),
    "flat": _("Flat (the same every open hour)"),
    "custom": _("Your own weights"),
}
CHANNEL_LABELS: dict[str, Any] = {
    "calls": _("Calls"),
    "chats": _("Chats"),
    "emails": _("E-mails"),
    "cases": _("Back-office cases"),
}
MODEL_LABELS: dict[str, Any] = {
    "erlang_c": _("Erlang C"),
    "erlang_a": _("Erlang A (callers abandon)"),
    "workload": _("Workload (deferred work)"),
}
OPENING_HOURS_SOURCES: dict[str, Any] = {
    "project": _("the project's own"),
    "project_weekly_hours": _("made from the project's weekly hours (assumption)"),
    "default": _("default (assumption): the project gives none"),
    "given": _("given with the sizing"),
}
VOLUME_LABELS: dict[str, Any] = {
    "per_interval": _("busiest interval held through the opening hours"),
    "per_day": _("calls per day spread by the profile"),
    "per_week": _("calls per week spread by the profile"),
    "forecast": _("forecast per interval"),
}


def _number(value: float) -> str:
    """A number in the reader's format with the decimals it has (up to four): 10.7 is 10,7 in French."""
    rounded = round(float(value), 4)
    decimals = 0 if rounded.is_integer() else len(f"{rounded:f}".rstrip("0").split(".")[1])
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def sizing_error_message(error: staffing.StaffingInputError) -> str:
    """The engine's refusal in the reader's language."""
    field = error.field.rsplit(".", 1)[-1]
    if error.code == "required" and field in _REQUIRED:
        message = str(_REQUIRED[field])
    else:
        message = str(_MESSAGES.get(error.code, _MESSAGES["invalid"]))
    if "%(limit)s" in message:
        message = message % {"limit": _number(error.limit) if error.limit is not None else "?"}
    else:
        message = message.replace("%%", "%")
    if error.line is not None:
        message = gettext("Line %(line)s: %(message)s") % {"line": error.line, "message": message}
    elif error.field.startswith("forecast."):
        position = error.field.split(".")[1]
        message = gettext("Interval %(number)s: %(message)s") % {
            "number": int(position) + 1,
            "message": message,
        }
    return message


def day_names() -> list[str]:
    return [str(WEEKDAYS_ABBR[day]) for day in range(7)]


def opening_hours_text(text: str) -> str:
    """Stored opening hours (``mon-fri 08:00-20:00``) with the days in the reader's language."""
    try:
        hours = profiles.parse_opening_hours(text)
    except staffing.StaffingInputError:
        return text
    return hours.text(day_names())


# Citations written for readers (an investor's dossier among them) where the engine's own names a
# developer's tool or test case.
READER_SOURCES: dict[str, Any] = {
    "service_level": _(
        # xgettext:no-python-format
        "Industry convention: 80% of calls answered within 20 s (Call Centre Helper)"
    ),
}


def source_text(name: str) -> str:
    if name in READER_SOURCES:
        return str(READER_SOURCES[name])
    citation = staffing.SOURCES.get(name)
    return gettext(citation) if citation else ""


def value_text(name: str, value: Any) -> str:
    """An input's value as a page shows it: shares in percent, lists joined, codes named."""
    if value is None or value == [] or value == "":
        return "—"
    if name in SHARES and isinstance(value, int | float):
        return percent_text(_number(round(value * 100, 4)))
    if name == "profile":
        return str(PROFILE_LABELS.get(value, value))
    if name == "channel":
        return str(CHANNEL_LABELS.get(value, value))
    if name == "opening_hours":
        return opening_hours_text(value)
    if name == "opening_hours_source":
        return str(OPENING_HOURS_SOURCES.get(value, value))
    if name == "ramp":
        return ", ".join(percent_text(_number(round(share * 100, 4))) for share in value)
    if isinstance(value, list):
        return " ; ".join(_number(v) if isinstance(v, int | float) else str(v) for v in value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


# The inputs shown with a sizing, in the table's order; a default's source is shown beside it.
_SHOWN_INPUTS = tuple(f.name for f in FIELDS if f.kind not in ("weights", "forecast", "channels"))


def input_rows(stored: StoredSizing) -> list[dict[str, str]]:
    """The inputs of a sizing as rows (label, value, source), each default with where it comes from."""
    inputs = stored.inputs
    rows = []
    for name in _SHOWN_INPUTS:
        value = inputs.get(name)
        if value is None or (name == "concurrency" and value == 1):
            continue
        # A default shows where it comes from; a value the agency gave is its own.
        source = source_text("service_level" if name == "answer_seconds" else name)
        if name == "shrinkage":  # the total is sourced when it is the default parts'
            parts = (inputs.get("absence_shrinkage"), inputs.get("on_site_shrinkage"))
            if parts != (sizing.DEFAULTS["absence_shrinkage"], sizing.DEFAULTS["on_site_shrinkage"]):
                source = ""
        elif name == "profile":
            source = source_text("profile") if stored.profile_typical else ""
        elif name == "opening_hours":
            source = source_text(name) if inputs.get("opening_hours_source") == "default" else ""
        elif name in sizing.DEFAULTS and value != sizing.DEFAULTS[name]:
            source = ""
        rows.append({"label": str(FIELD_LABELS[name]), "value": value_text(name, value), "source": source})
    for extra in inputs.get("channels") or []:
        rows.append(
            {
                "label": str(CHANNEL_LABELS.get(extra.get("channel"), extra.get("channel"))),
                "value": gettext("%(volume)s, %(aht)s s of handling")
                % {"volume": volume_text(extra), "aht": value_text("aht_seconds", extra.get("aht_seconds"))},
                "source": "",
            }
        )
    return rows


def volume_text(inputs: Mapping[str, Any]) -> str:
    """The volume a sizing was given, e.g. "12 000 per open day"."""
    if inputs.get("calls_per_day") is not None:
        return gettext("%(calls)s per open day") % {"calls": _number(inputs["calls_per_day"])}
    if inputs.get("calls_per_week") is not None:
        return gettext("%(calls)s per week") % {"calls": _number(inputs["calls_per_week"])}
    if inputs.get("calls") is not None:
        return gettext("%(calls)s in the busiest interval") % {"calls": _number(inputs["calls"])}
    return gettext("forecast per interval")


def _seconds_text(value: float) -> str:
    return gettext("%(seconds)s s") % {
        "seconds": number_format(round(value, 1), decimal_pos=1, use_l10n=True)
    }


def queue_rows(stored: StoredSizing) -> list[dict[str, str]]:
    """The queue's figures at the busiest interval (main channel) as rows (label, value): the service level,
    the ASA of the answered calls, with abandonment the mean wait of all callers and the share abandoning,
    and the highest occupancy of a queue."""
    rows = []
    if stored.service_level is not None:
        rows.append(
            {
                "label": gettext("Service level at the busiest interval"),
                "value": _share_text(stored.service_level),
            }
        )
    if stored.asa_seconds is not None:
        rows.append(
            {
                "label": gettext("Average speed of answer (ASA) of the answered calls"),
                "value": _seconds_text(stored.asa_seconds),
            }
        )
    if stored.p_abandon is not None and stored.mean_wait_seconds is not None:
        rows.append(
            {
                "label": gettext("Mean wait of all callers, abandoned ones included"),
                "value": _seconds_text(stored.mean_wait_seconds),
            }
        )
        rows.append({"label": gettext("Callers who abandon"), "value": _share_text(stored.p_abandon)})
    if stored.peak_occupancy is not None:
        rows.append(
            {
                "label": gettext("Highest occupancy of the agents on the phones"),
                "value": _share_text(stored.peak_occupancy),
            }
        )
    return rows


def _share_text(value: Any) -> str:
    """A share as a percentage to one decimal, none when whole: 17,6 %, 15 %."""
    if not isinstance(value, int | float):
        return "—"
    return percent_text(_number(round(value * 100, 1)))


def warning_texts(stored: StoredSizing) -> list[str]:
    """The sizing's warnings in the reader's language, with the figures they name."""
    inputs = stored.inputs
    values = {
        "total": _share_text(inputs.get("shrinkage")),
        "on_site": _share_text(inputs.get("on_site_shrinkage")),
        "absence": _share_text(inputs.get("absence_shrinkage")),
        "occupancy": _share_text(stored.peak_occupancy),
        "threshold": _share_text(staffing.OCCUPANCY_WARNING),
    }
    return [str(WARNINGS[code]) % values for code in stored.warnings if code in WARNINGS]
