"""`guichet demo` on the test database: the article's situation as DEMO records, and the demo logins."""

from __future__ import annotations

import pytest

from guichet.accounts.models import Role, User
from guichet.catalogue.models import Authority, Incentive, Premises, Site
from guichet.cli import main
from guichet.commands.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=False)


def test_demo_loads_the_article_situation_and_one_login_per_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    output = capsys.readouterr().out
    assert "password for all: guichet-demo" in output
    assert Premises.objects.filter(is_demo=True).count() == 26
    assert Incentive.objects.filter(is_demo=True).count() == 11
    assert not Premises.objects.filter(is_demo=False).exists()
    building = Premises.objects.get(name__startswith="Plateau relation client de la préfecture")
    assert (building.total_area_m2, building.commune_id) == (3000, "25056")
    site = Site.objects.get(is_demo=True)
    assert site.usable_area_ha is not None and float(site.usable_area_ha) == 0.9  # the 9,000 m² site
    # Every town of the article has premises on offer.
    towns = set(Premises.objects.values_list("commune__name", flat=True))
    assert {"Besançon", "Belfort", "Montbéliard", "Dole", "Vesoul", "Lons-le-Saunier", "Pontarlier"} <= towns
    grand_besancon = Authority.objects.get(name="Grand Besançon Métropole")
    assert grand_besancon.siren == "242500361" and grand_besancon.is_demo
    officer = User.objects.get(username="besancon")
    assert (officer.role, officer.authority) == (Role.OFFICER, grand_besancon)
    assert officer.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="agence").is_agency


def test_demo_twice_leaves_the_same_records(capsys: pytest.CaptureFixture[str]) -> None:
    main(["demo"])
    counts = (Premises.objects.count(), Incentive.objects.count(), Site.objects.count(), User.objects.count())
    main(["demo"])
    assert (
        Premises.objects.count(),
        Incentive.objects.count(),
        Site.objects.count(),
        User.objects.count(),
    ) == counts


def test_demo_gives_the_dashboard_a_pipeline_history(capsys: pytest.CaptureFixture[str]) -> None:
    from django.utils import timezone

    from guichet.projects.dashboard import DashboardFilters, dashboard_figures
    from guichet.projects.models import JobsCreated, Project, StageChange

    main(["demo"])
    assert "a pipeline of 32 demo projects" in capsys.readouterr().out
    demo = Project.objects.filter(is_demo=True)
    assert demo.count() == 33  # the sized demo project and the portfolio
    assert not Project.objects.filter(is_demo=False).exists()
    moves = StageChange.objects.filter(project__is_demo=True).count()
    this_year = timezone.localdate().year
    totals = dashboard_figures(filters=DashboardFilters(year_from=this_year - 4, year_to=this_year)).totals
    assert totals["won"] > 0 and totals["lost"] > 0 and totals["jobs_announced"] > 0
    assert JobsCreated.objects.filter(project__is_demo=True).exists()
    main(["demo"])
    assert (demo.count(), StageChange.objects.filter(project__is_demo=True).count()) == (33, moves)
