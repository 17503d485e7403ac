"""What a call publishes when it is sent: the project's need and the criteria's fixed scales.

The need (`projects.selectors.project_need`), the cost ceiling it anchors the cost scale on and every
criterion's scale are fixed when the agency sends the call (`services.call_open`) and stored with it
(`CallForOffers.scales`): the officers read them before they answer, and the comparison, the dossier, the
API and the officers' own rows score every offer on them, so that an offer's score depends on its own
figures only. A call sent before scales were published has none stored: its need and scales are computed
when read, from the project as it stands, and every page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.engine import labour as labour_engine
from guichet.engine.need import Need
from guichet.engine.scales import CostCeiling, Scales
from guichet.offers.models import CallForOffers
from guichet.projects.models import Project
from guichet.projects.selectors import need_scales, project_cost_ceiling, project_need

BASIS_FORMAT = "guichet.call-basis/1"


@dataclass(frozen=True)
class CallBasis:
    """The need and scales a call is scored on. ``published`` is False for a call sent before they were
    published with it (computed now); ``fixed_at`` is when they were fixed (the sending)."""

    need: Need
    scales: Scales | None  # None while the need is incomplete (not sized)
    ceiling: CostCeiling
    candidates_per_hire: float
    fixed_at: dt.datetime | None
    published: bool

    @property
    def complete(self) -> bool:
        return self.scales is not None


def basis_now(*, project: Project) -> CallBasis:
    """The project's need and the scales it gives today (not stored)."""
    need = project_need(project=project)
    ceiling = project_cost_ceiling(need=need)
    try:
        scales: Scales | None = need_scales(need=need, ceiling=ceiling)
    except ValidationError:
        scales = None
    return CallBasis(
        need=need,
        scales=scales,
        ceiling=ceiling,
        candidates_per_hire=labour_engine.DEFAULT_CANDIDATES_PER_HIRE,
        fixed_at=None,
        published=False,
    )


def basis_json(basis: CallBasis, *, fixed_at: dt.datetime) -> dict[str, Any]:
    """What a call stores when it is sent."""
    return {
        "format": BASIS_FORMAT,
        "fixed_at": fixed_at.isoformat(),
        "need": basis.need.as_json(),
        "scales": None if basis.scales is None else basis.scales.as_json(),
        "cost_ceiling": basis.ceiling.as_json(),
        "candidates_per_hire": basis.candidates_per_hire,
    }


def call_basis(*, call: CallForOffers) -> CallBasis:
    """The need and scales the call published; for a call without them (a draft, or one sent before scales
    were published) those of the project today, marked as not published."""
    stored = call.scales
    # Sent before scales were published, or before the project was sized: nothing fixed to read.
    if not stored or stored.get("format") != BASIS_FORMAT or stored.get("scales") is None:
        return basis_now(project=call.project)
    return CallBasis(
        need=Need.from_json(stored["need"]),
        scales=Scales.from_json(stored["scales"]),
        ceiling=CostCeiling.from_json(stored["cost_ceiling"]),
        candidates_per_hire=float(
            stored.get("candidates_per_hire", labour_engine.DEFAULT_CANDIDATES_PER_HIRE)
        ),
        fixed_at=dt.datetime.fromisoformat(stored["fixed_at"]),
        published=True,
    )


def call_basis_fix(*, call: CallForOffers) -> None:
    """Fix the call's need and scales now (the service that sends it saves the call)."""
    call.scales = basis_json(basis_now(project=call.project), fixed_at=timezone.now())
