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
