"""Identifiers written into addresses and form values are never localised: with the thousands separator
on (settings.USE_THOUSAND_SEPARATOR), premises no. 1082 renders as "1,082" in English and with a narrow
no-break space in French, which no address or form choice can read back. The PostgreSQL run, whose ids
pass 1,000, found the first one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "guichet"
# A variable ending in an id, a number, a page number or a count (a progress bar's), printed inside an HTML
# attribute's value.
ATTRIBUTE_ID = re.compile(
    r'[a-z-]+="[^"]*\{\{ *([a-zA-Z_.]+(?:\.pk|_id|\.id|\.number|page_number|\.total|\.done)) *\}\}[^"]*"'
)
# Opaque identifiers are strings: no separator can get into them.
STRINGS = ("public_id", "auto_id", "site_id", "key_id")


def test_no_template_writes_a_localised_id_into_an_attribute() -> None:
    found = [
        f"{path.relative_to(SRC)}:{number}: {match.group(1)}"
        for path in sorted(SRC.rglob("templates/**/*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for match in ATTRIBUTE_ID.finditer(line)
        if not match.group(1).endswith(STRINGS)
    ]
    assert found == []


@pytest.mark.parametrize(("language", "shown"), [("en", "1,082"), ("fr", "1\u202f082")])
def test_unlocalize_keeps_the_digits_the_address_needs(language: str, shown: str) -> None:
    template = Template('{% load l10n %}{{ pk }} <a href="?premises={{ pk|unlocalize }}">')
    with override_settings(USE_THOUSAND_SEPARATOR=True), translation.override(language):
        assert template.render(Context({"pk": 1082})) == f'{shown} <a href="?premises=1082">'
