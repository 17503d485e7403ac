"""Check digits of French identifiers (SIREN, SIRET) and INSEE commune codes, as pure functions."""

from __future__ import annotations

import re

# La Poste's establishments do not follow the Luhn rule: their SIRET digits add up to a multiple of 5.
LA_POSTE_SIREN = "356000000"
INSEE_COMMUNE_PATTERN = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")


def luhn_is_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siren_is_valid(siren: str) -> bool:
    return len(siren) == 9 and luhn_is_valid(siren)


def siret_is_valid(siret: str) -> bool:
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith(LA_POSTE_SIREN):
        return sum(int(char) for char in siret) % 5 == 0
    return luhn_is_valid(siret)


def insee_code_is_well_formed(code: str) -> bool:
    return bool(INSEE_COMMUNE_PATTERN.match(code))
