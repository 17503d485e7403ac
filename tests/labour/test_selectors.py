"""The labour selectors on the real national table: job seekers localised by the employment zones."""

from __future__ import annotations

import pytest

from guichet.labour import selectors
from guichet.labour.models import ImportKind, ImportRun, JobSeekerCount, LabourDataVersion, TerritoryType
from guichet.territory.models import NationalCommune

pytestmark = pytest.mark.django_db


def _pool_of_commune(insee: str) -> selectors.LabourPanel:
    commune = NationalCommune.objects.get(insee=insee)
    return selectors.labour_pool_around(latitude=commune.latitude, longitude=commune.longitude, radius_km=0.1)


def test_two_communes_in_zones_of_different_unemployment() -> None:
    # Montbéliard (zone 2714, 11.8 % in 2025-T4) and Besançon (2706, 6.5 %); France 7.83 %.
    montbeliard, besancon = _pool_of_commune("25388"), _pool_of_commune("25056")
    assert montbeliard.catchment.ids == ("25388",) and besancon.catchment.ids == ("25056",)
    per_force = []
    for panel, rate in ((montbeliard, 11.8), (besancon, 6.5)):
        force = panel.pool.labour_force.value
        seekers = panel.pool.job_seekers_a.value
        assert force is not None and seekers is not None
        assert seekers == pytest.approx(force * 0.098 * rate / 7.83)
        assert panel.pool.job_seekers_a.method == "category_a_from_zone_unemployment"
        per_force.append(seekers / force)
    # Per member of the labour force, in the ratio of the zones' rates.
    assert per_force[0] / per_force[1] == pytest.approx(11.8 / 6.5)
    (zone,) = montbeliard.zones
    assert (zone.code, zone.label, zone.rate_pct, zone.communes) == ("2714", "Montbéliard", 11.8, 1)
    assert zone.quarters == (
        "2024-T1",
        "2024-T2",
        "2024-T3",
        "2024-T4",
        "2025-T1",
        "2025-T2",
        "2025-T3",
        "2025-T4",
    )
    assert zone.rates_pct == (9.8, 9.7, 10.3, 10.1, 10.9, 11.3, 11.3, 11.8)
    assert zone.tension == pytest.approx(11.8 / 7.83)


def test_an_imported_count_replaces_the_localised_estimate(agnes: object) -> None:
    run = ImportRun.objects.create(kind=ImportKind.JOB_SEEKERS, file_name="dares.csv", at="2026-01-01T00:00Z")
    JobSeekerCount.objects.create(
        territory_type=TerritoryType.COMMUNE,
        territory_code="25388",
        period="2025-T4",
        category="A",
        value=1234,
        import_run=run,
    )
    LabourDataVersion.objects.update_or_create(key="labour", defaults={"token": "changed"})
    figure = _pool_of_commune("25388").pool.job_seekers_a
    assert figure.value == 1234 and figure.kind == "imported" and figure.method == ""
    # A, B, C not imported: still the localised estimate.
    assert _pool_of_commune("25388").pool.job_seekers.method == "category_abc_from_zone_unemployment"


def test_a_localised_figure_phrased_without_its_pool_s_rates_names_the_quarter() -> None:
    # The dossier phrases the pool's figure with the default rates: the quarter is still the table's.
    from django.utils import translation

    from guichet.phrasing.labour import figure_source

    figure = _pool_of_commune("25388").pool.job_seekers_a
    with translation.override("en"):
        text = figure_source(figure)
    assert "INSEE, localised unemployment, 2025-T4;" in text and "labour force × 0.098" in text
