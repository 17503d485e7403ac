"""The labour page in a real browser: the employment zones reached, drawn as the reader sees them."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.catalogue.models import Authority

from ..scene import make_premises
from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_zones_reached_with_their_trend(live_server: Any, page: Any, grand_belfort: Authority) -> None:
    premises = make_premises(grand_belfort, "Techn'hom", "90010", 3000, "80")
    page.goto(f"{live_server.url}/labour/premises/{premises.pk}/?minutes=45&hires=300")
    rows = page.locator("table.zones tbody tr")
    # 45 minutes around Belfort reach the zones of Belfort, Montbéliard, Mulhouse and others.
    labels = rows.locator("td:first-child").all_inner_texts()
    assert "Belfort (2705)" in labels and "Montbéliard (2714)" in labels and len(labels) >= 5
    assert page.locator("table.zones svg.sparkline").count() == len(labels)
    box = page.locator("table.zones svg.sparkline").first.bounding_box()
    assert box is not None and round(box["width"]) == 120 and round(box["height"]) == 28
    page.locator("#zones").scroll_into_view_if_needed()
    screenshot(page, "labour-zones")
    page.locator("details.hiring-defaults summary").click()
    assert page.locator("details.hiring-defaults table tbody tr").count() == 5  # with the part-timers' week
    page.locator("#recruitment").scroll_into_view_if_needed()
    screenshot(page, "labour-verdict")
