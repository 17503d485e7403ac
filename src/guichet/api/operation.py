"""The total cost of operation and the aid check of an offer as the API gives them (OperationOut)."""

from __future__ import annotations

from typing import Any

from guichet.offers.operation import OfferOperation
from guichet.phrasing import numbers
from guichet.phrasing import operation as operation_phrasing


def _whole(value: Any) -> int | None:
    return None if value is None else int(numbers.rounded(value))


def operation_out(operation: OfferOperation | None) -> dict[str, Any] | None:
    cost = operation.cost if operation else None
    if operation is None or cost is None:
        return None
    figures = operation_phrasing.operation_figures(cost)
    return {
        "total_year_eur": figures.total_year_eur,
        "per_seat_year_eur": figures.per_seat_year_eur,
        "people_year_eur": figures.people_year_eur,
        "people_share_percent": figures.people_share_pct,
        "total_pv_eur": figures.total_pv_eur,
        "people_pv_eur": _whole(cost.people_pv_eur),
        "occupancy_pv_eur": _whole(cost.occupancy_pv_eur),
        "fit_out_pv_eur": _whole(cost.fit_out_pv_eur),
        "aid_eur": figures.aid_pv_eur,
        "lawful_aid_eur": figures.lawful_aid_pv_eur,
        "aid_excess_eur": figures.excess_eur,
        "aid_status": figures.aid_status,
        "zone": cost.aid.zone,
        "firm_size_used": cost.size_used,
        "aid_checks": [
            {
                "scheme": check.scheme,
                "aid_eur": _whole(check.aid),
                "ceiling_eur": _whole(check.ceiling),
                "intensity_pct": None if check.intensity_pct is None else float(check.intensity_pct),
                "eligible_costs_eur": _whole(check.eligible_costs),
                "headroom_eur": _whole(check.headroom),
                "excess_eur": _whole(check.excess),
                "status": check.status,
                "basis": check.basis,
            }
            for check in cost.aid.checks
        ],
        "notes": list(cost.notes),
        "mobility_authority": operation.mobility_authority,
        "mobility_vintage": operation.mobility_vintage,
        "method": operation_phrasing.method_text(cost),
        "aid_text": operation_phrasing.aid_text(cost),
        "notes_text": operation.notes,
    }
