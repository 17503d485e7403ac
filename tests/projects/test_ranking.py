"""The first ranking of eligible premises, before any call for offers."""

from __future__ import annotations

import pytest
from django.utils import translation

from guichet.accounts.models import User
from guichet.catalogue.models import Authority
from guichet.projects import services
from guichet.projects.ranking import commune_job_seekers, labour_method_text, rank_eligible_premises

from ..scene import make_premises

pytestmark = pytest.mark.django_db


def test_job_seekers_in_reach_are_estimated_from_the_census_for_every_commune() -> None:
    labour = commune_job_seekers(radius_km=30)
    # 164,348 people aged 20-64 live within 30 km of Besançon (census 2021), x 0.80 x 0.098 in category A,
    # each commune's share scaled by its employment zone's unemployment over France's (2025-T4): 10,697, as on
    # the labour page.
    assert labour.job_seekers["25056"] == pytest.approx(10_697.2154, abs=1e-3)
    assert len(labour.job_seekers) == 1692
    assert labour.radius_km == 30
    with translation.override("en"):
        assert labour_method_text(30).startswith("category A job seekers within 30 km: imported counts")
        assert "labour force × 0.098" in labour_method_text(30)
    with translation.override("fr"):
        french = labour_method_text(30)
    assert "0,098" in french and "0,8" in french and "labour force" not in french


def test_eligible_premises_are_ranked_once_the_project_is_sized(
    agnes: User, grand_besancon: Authority, grand_belfort: Authority
) -> None:
    project = services.project_create(actor=agnes, code_name="Boréal")
    assert rank_eligible_premises(project=project) is None
    cheap = make_premises(grand_belfort, "Belfort bon marché", "90010", 3000, "70")
    dear = make_premises(grand_besancon, "Besançon cher", "25056", 3000, "140")
    services.project_size(actor=agnes, project=project, calls=300, aht_seconds=240)
    ranking = rank_eligible_premises(project=project)
    assert ranking is not None and ranking.total == 2
    assert {row.premises for row in ranking.rows} == {cheap, dear}
    assert [row.rank for row in ranking.rows] == [1, 2]
    by_premises = {row.premises: row for row in ranking.rows}
    assert by_premises[cheap].per_seat_eur < by_premises[dear].per_seat_eur
