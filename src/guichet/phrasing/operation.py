"""The total cost of operation and the aid check in words (engine/operation_cost.py, engine/aid.py codes).

Every figure goes through ``numbers.rounded`` once (``operation_figures``): the comparison page, the offers
side by side, the dossier's page, PDF and workbook and the API read the same integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from guichet.engine.aid import AidAssessment, SchemeCheck
from guichet.engine.operation_cost import FIT_OUT_EUR_M2, OperationCost
from guichet.phrasing import numbers

SIZE_LABELS = {
    "small": gettext_noop("small firm"),
    "medium": gettext_noop("medium-sized firm"),
    "large": gettext_noop("large firm"),
}
ZONE_LABELS = {
    "c_predefined": gettext_noop("predefined 'c' regional aid zone"),
    "c_non_predefined": gettext_noop("non-predefined 'c' regional aid zone"),
    "none": gettext_noop("outside the regional aid map"),
    "unknown": gettext_noop("regional aid zone not known"),
}


@dataclass(frozen=True)
class OperationFigures:
    """The figures shown, each rounded once (half up, whole euros; the people's share in whole percent)."""

    total_year_eur: int
    per_seat_year_eur: int | None
    people_year_eur: int
    people_share_pct: int | None
    total_pv_eur: int
    lawful_aid_pv_eur: int
    aid_pv_eur: int
    excess_eur: int
    aid_status: str  # within, excess, not_known, none

    @property
    def total_year_text(self) -> str:
        return numbers.money(self.total_year_eur)

    @property
    def per_seat_year_text(self) -> str:
        return "—" if self.per_seat_year_eur is None else numbers.money(self.per_seat_year_eur)

    @property
    def people_share_text(self) -> str:
        return "—" if self.people_share_pct is None else numbers.percent(self.people_share_pct / 100, 0)

    @property
    def excess_text(self) -> str:
        return numbers.money(self.excess_eur)


def operation_figures(cost: OperationCost) -> OperationFigures:
    excess = sum((check.excess for check in cost.aid.checks), Decimal(0))
    status = cost.aid.status if cost.aid.total > 0 else "none"
    return OperationFigures(
        total_year_eur=int(numbers.rounded(cost.total_year_eur)),
        per_seat_year_eur=None
        if cost.per_seat_year_eur is None
        else int(numbers.rounded(cost.per_seat_year_eur)),
        people_year_eur=int(numbers.rounded(cost.people_year_eur)),
        people_share_pct=None if cost.people_share is None else int(numbers.rounded(cost.people_share * 100)),
        total_pv_eur=int(numbers.rounded(cost.total_pv_eur)),
        lawful_aid_pv_eur=int(numbers.rounded(cost.lawful_aid_pv_eur)),
        aid_pv_eur=int(numbers.rounded(cost.aid_pv_eur)),
        excess_eur=int(numbers.rounded(excess)),
        aid_status=status,
    )


def _check_text(check: SchemeCheck, assessment: AidAssessment) -> str:
    values = {
        "aid": numbers.money(int(numbers.rounded(check.aid))),
        "ceiling": numbers.money(int(numbers.rounded(check.ceiling or 0))),
        "excess": numbers.money(int(numbers.rounded(check.excess))),
        "intensity": numbers.number(check.intensity_pct or 0),
        "eligible": numbers.money(int(numbers.rounded(check.eligible_costs or 0))),
        "zone": _(ZONE_LABELS[assessment.zone]),
        "size": _(SIZE_LABELS[assessment.size]),
    }
    if check.status == "not_known":
        return _("%(aid)s of aid: its ceiling is not known (%(zone)s: the AFR list is not loaded)") % values
    if check.status == "excess":
        return (
            _(
                "%(aid)s of aid, over its ceiling of %(ceiling)s by %(excess)s (%(intensity)s %% of "
                "%(eligible)s of eligible costs; %(zone)s, %(size)s)"
            )
            % values
        )
    return (
        _(
            "%(aid)s of aid, within its ceiling of %(ceiling)s (%(intensity)s %% of %(eligible)s of "
            "eligible costs; %(zone)s, %(size)s)"
        )
        % values
    )


def aid_text(cost: OperationCost) -> str:
    """The aid of the offer against its ceiling, in one sentence."""
    checks = [check for check in cost.aid.checks if check.status != "none"]
    if not checks:
        return _("No aid that can be valued.")
    # The cost criterion's "aid" (incentives, rent-free months) differs from this one: say why, in the
    # same place, or a reader sees two amounts of aid for one offer.
    counted = _(
        "Aid as State-aid law counts it, in present value: the rent below the catalogue's as well as "
        "rent-free months, contributions and subsidies (the cost criterion's aid leaves out the rent "
        "discount, already in the rent it costs)."
    )
    return " ".join(_check_text(check, cost.aid) for check in checks) + ". " + counted


NOTE_TEXTS = {
    "size_not_known_large_assumed": gettext_noop(
        "The firm's size is not known: the ceiling of a large firm (the strictest) applies."
    ),
    "aid_ceiling_not_known": gettext_noop("Aid whose ceiling is not known is not subtracted."),
    "aid_over_ceiling": gettext_noop(
        "Only the aid within its ceiling is subtracted: the excess could be recovered from the investor."
    ),
    "mobility_not_known": gettext_noop("The site's mobility levy is not known: it is left out."),
    "rates_carried_forward": gettext_noop("Payroll rates after the last published year are carried forward."),
}


def notes(cost: OperationCost) -> list[str]:
    return [_(NOTE_TEXTS[code]) for code in cost.notes if code in NOTE_TEXTS]


def mobility_text(rate_pct: Decimal, authority: str, vintage: str) -> str:
    """The mobility levy counted, with its source."""
    return _("Mobility levy counted: %(rate)s (%(authority)s; URSSAF rates of %(vintage)s).") % {
        "rate": numbers.percent(float(rate_pct) / 100, 2),
        "authority": authority,
        "vintage": vintage,
    }


def method_text(cost: OperationCost) -> str:
    """How the figure is made: an estimate, with its method and sources."""
    return _(
        "Estimate: the people (2026 payroll rules, staff around the agents at the house ratios, hiring and "
        "training), the occupancy at the full rent, the fit-out works (house estimate: %(shell)s per m² for "
        "a shell, %(offices)s for fitted offices) less the aid within its ceiling, over %(years)s years at "
        "%(rate)s a year, as an equivalent annual cost. Not a criterion: information beside them."
    ) % {
        "shell": numbers.money(int(FIT_OUT_EUR_M2["shell"])),
        "offices": numbers.money(int(FIT_OUT_EUR_M2["offices"])),
        "years": cost.years,
        "rate": numbers.percent(float(cost.discount_rate)),
    }
