"""The French catalogue is complete and compiled: no fuzzy or empty translation, and the committed .mo says
what the .po says (a forgotten ``compilemessages`` would show English on French pages)."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import guichet

CATALOGUE = Path(guichet.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)


def _unquote(text: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def entries() -> list[Entry]:
    found = []
    for block in (CATALOGUE / "django.po").read_text(encoding="utf-8").split("\n\n")[1:]:
        entry, current = Entry(), ""
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line):
                current = match.group(1)
                entry.values[current] = _unquote(match.group(2))
            elif line.startswith('"'):
                entry.values[current] += _unquote(line[1:-1])
        if "msgid" in entry.values:
            found.append(entry)
    return found


def test_every_french_translation_is_done() -> None:
    unfinished = [
        entry.values["msgid"]
        for entry in entries()
        if "fuzzy" in entry.flags
        or any(key.startswith("msgstr") and not value for key, value in entry.values.items())
    ]
    assert unfinished == []


def test_the_compiled_catalogue_matches_its_source() -> None:
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries():
        values = entry.values
        context = values.get("msgctxt")
        if "msgid_plural" in values:
            got = [
                compiled.npgettext(context, values["msgid"], values["msgid_plural"], n)
                if context
                else compiled.ngettext(values["msgid"], values["msgid_plural"], n)
                for n in (1, 2)
            ]
            expected = [values["msgstr[0]"], values["msgstr[1]"]]
        else:
            got = [
                compiled.pgettext(context, values["msgid"]) if context else compiled.gettext(values["msgid"])
            ]
            expected = [values["msgstr"]]
        if got != expected:
            stale.append(values["msgid"])
    assert stale == []


# French typography: a no-break space (not a plain one, where a line could break) before the high
# punctuation ; : ? ! and before %, and between groups of thousands in figures written in the text.
TYPOGRAPHY_FAULTS = {
    "plain space before ; : ? !": re.compile(r" [;:?!](?=\s|$|<|\)|»|\")"),
    "plain space before %": re.compile(r" %(?:%|(?![(a-z]))"),
    "plain space between thousands": re.compile(r"\d \d{3}(?!\d)"),
}


def test_french_typography_uses_no_break_spaces() -> None:
    faults = [
        (name, entry.values["msgid"][:60])
        for entry in entries()
        for key, value in entry.values.items()
        if key.startswith("msgstr")
        for name, pattern in TYPOGRAPHY_FAULTS.items()
        if pattern.search(value)
    ]
    assert faults == []


def test_the_typography_check_finds_a_plain_space() -> None:
    assert TYPOGRAPHY_FAULTS["plain space before ; : ? !"].search("Remplacer :")
    assert TYPOGRAPHY_FAULTS["plain space before %"].search("80 % des appels")
    assert TYPOGRAPHY_FAULTS["plain space between thousands"].search("12 000 appels")
    assert not TYPOGRAPHY_FAULTS["plain space before ; : ? !"].search("Remplacer\u00a0: 8:00")
