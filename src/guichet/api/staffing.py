"""POST /api/staffing: the engine's one sizing request over HTTP (Erlang C, or Erlang A with a patience).

Field names are the engine's own (the same as the command line's and the project form's), so an engine
error names the field the client sent, and the response is the engine's one result (``SizingOut``). The
figures and their method are described in docs/staffing.md; every default is echoed in ``inputs`` and
listed with its source in ``sources``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from guichet.api.schemas import SizingIn, SizingOut, StaffingIn, problems
from guichet.engine import sizing as sz
from guichet.engine import staffing as st
from guichet.engine.forecast import ForecastInterval

router = Router(tags=["staffing"])


def request_fields(payload: SizingIn) -> dict[str, Any]:
    """The payload as the engine's named values (None: the default), with a forecast's intervals taking
    the request's ``aht_seconds`` where they give none."""
    values: dict[str, Any] = payload.dict(exclude={"forecast", "channels"})
    values["channels"] = [channel.dict(exclude_none=True) for channel in payload.channels]
    if payload.forecast is not None:
        intervals = []
        for index, item in enumerate(payload.forecast):
            aht = item.aht_seconds if item.aht_seconds is not None else payload.aht_seconds
            if aht is None:
                raise st.StaffingInputError(
                    f"forecast.{index}.aht_seconds", "missing, and no default aht_seconds", code="required"
                )
            intervals.append(ForecastInterval(item.label or str(index + 1), item.calls, aht, item.open))
        values["forecast"] = intervals
    return values


def staffing_compute(payload: StaffingIn) -> dict[str, Any]:
    """The engine's result for the request (a StaffingInputError, with its field, for a value it refuses)."""
    return sz.sizing_as_dict(sz.size(sz.build_request(**request_fields(payload))))


@router.post(
    "/staffing",
    response={200: SizingOut, **problems(400, 422)},
    summary="Agents, FTE, seats, floor area and hires from volumes (public, no token)",
    description=(
        "One volume: `calls_per_day` or `calls_per_week` (spread over `opening_hours` by an arrival "
        "`profile`), `calls` (one peak interval held through the opening hours) or `forecast` (calls per "
        "interval). Erlang C, or Erlang A when `patience_seconds` is given; `channels` adds e-mails, chats "
        "or back-office cases. Shrinkage in two parts, `absence_shrinkage` (leave, public holidays, "
        "sickness) and `on_site_shrinkage` (breaks, coaching, training, meetings): scheduled agents (FTE) "
        "use both, seats only the people in the building; the former single `shrinkage` is still taken as "
        "the total, split with the on-site default (`shrinkage.split` = total, warning "
        "`shrinkage_from_total`). "
        "A value the engine refuses is a 422 naming the field. Published example: 100 calls in 30 min, AHT "
        "180 s, 80/20: 14 agents, service level 0.888; with a 30% `shrinkage`, 20 scheduled."
    ),
)
def staffing(request: HttpRequest, payload: StaffingIn) -> dict[str, Any]:
    return staffing_compute(payload)
