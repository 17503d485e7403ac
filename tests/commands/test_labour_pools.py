"""`guichet labour pools`: the demo premises of Dole, Belfort and Besançon, with and without the border."""

from __future__ import annotations

import pytest

from guichet.cli import main

pytestmark = pytest.mark.django_db


def test_pools_of_dole_belfort_besancon(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["labour", "pools"]) == 2  # no demo premises yet: one clear line
    assert "run `guichet demo` first" in capsys.readouterr().err
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["labour", "pools"]) == 0
    out = capsys.readouterr().out
    lines = [line.split() for line in out.splitlines()]
    dole = out.split("Innovia, plateau tertiaire (DEMO): Dole (39198)")[1].split("\n\n")[0]
    # Dole within 30 km: 295 communes without the border, 199 in the four départements, which miss 38 % of
    # the people aged 20-64; category A 6,099, A, B, C 10,891 (localised: the zones of Dole and Dijon are
    # below France's unemployment); 400 hires need 23.0 % of category A.
    assert "30 km, no border" in dole and "295      92,811" in dole and "6,099   10,891" in dole
    assert "demanding (23.0 %; 12.9 %)" in dole
    assert "199      57,524" in dole and "unrealistic (36.8 %; 20.6 %)" in dole
    assert "96 commune(s), 35,287 people aged 20-64 (38 % of the pool without border)" in dole
    assert "Techn'hom, bâtiment 7 (DEMO): Belfort (90010)" in out
    assert "Plateau relation client de la préfecture (3 000 m²) (DEMO): Besançon (25056)" in out
    assert "45 min, no border" in out and "unknown" in out
    assert any(words[:3] == ["category", "A:", "labour"] for words in lines)
    assert "road x 1.249 at 110 km/h" in out and "under 10% realistic" in out
    assert "mean error on trips it was not fitted on 4.9 min (leave-one-out over 16 reference trips)" in out
