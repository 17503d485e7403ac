"""The offers side by side and the comparison value each incentive alike, cap included."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from guichet.accounts.models import User
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.engine import costs
from guichet.engine.occupancy import hires_compared, occupancy_terms
from guichet.offers import evaluation, selectors, services
from guichet.offers.drafts import OfferTerms
from guichet.offers.models import CallForOffers
from guichet.offers.side_by_side import offer_columns
from guichet.projects.selectors import project_needs

from ..scene import close_call

pytestmark = pytest.mark.django_db


def test_a_capped_aid_per_hire_and_a_cap_of_zero_weigh_the_same_in_both(
    agnes: User, alice: User, call: CallForOffers, temis: Premises, grand_besancon: Authority
) -> None:
    training = Incentive.objects.create(
        owner=grand_besancon,
        name="Aide à la formation",
        kind="training",
        amount=Decimal(1500),
        unit="eur_per_hire",
        cap_eur=Decimal(20000),
    )
    nothing_left = Incentive.objects.create(
        owner=grand_besancon,
        name="Aide épuisée",
        kind="fit_out",
        amount=Decimal(50000),
        unit="eur",
        cap_eur=0,
    )
    services.call_open(actor=agnes, call=call)
    services.proposal_submit(
        actor=alice,
        call=call,
        offers=[OfferTerms(temis.pk, 2500, Decimal(90))],
        incentive_ids=[training.pk, nothing_left.pk],
    )
    close_call(call)
    needs = project_needs(project=call.project)
    jobs = needs.jobs_at_full_ramp
    hires = hires_compared(needs, years=call.years)
    assert 1500 * hires > 20000  # the cap bites

    [(proposal, sealed)] = selectors.submitted_proposals(call=call)
    [column] = offer_columns(call=call, proposals=[(proposal, sealed)], jobs=jobs, hires=hires)
    side = {item.incentive.name: item for item in column.incentives}
    assert side["Aide à la formation"].value_eur == Decimal(20000) and side["Aide à la formation"].capped
    assert side["Aide épuisée"].value_eur == Decimal(0) and side["Aide épuisée"].capped

    terms, not_valued = occupancy_terms(
        area_m2=2500,
        rent_eur_m2_year=90,
        charges_eur_m2_year=0,
        rent_free_months=0,
        fit_out_contribution_eur=0,
        incentives=sealed.incentives,
        jobs=jobs,
        hires=hires,
    )
    assert not_valued == [] and [lump.amount_eur for lump in terms.lump_sums] == [0.0]
    cost = costs.occupancy_cost(
        terms,
        seats=needs.seats,
        jobs_per_year=needs.jobs_per_year,
        hires_per_year=needs.hires_per_year,
        years=call.years,
    )
    credited = math.fsum(year.training_eur for year in cost.cash_flows)
    assert credited == pytest.approx(20000)  # what the side-by-side table shows, not 1 500 x every hire
    # The comparison itself reads the same terms.
    result = evaluation.evaluate_call(call=call, weights=evaluation.call_weights(call=call))
    [row] = result.rows
    assert row.not_valued == []
