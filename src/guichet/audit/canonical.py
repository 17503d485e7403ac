"""RFC 8785 (JSON Canonicalization Scheme) for what the audit chain digests, floats included.

The receipts of sealed proposals use the same canonical form (`guichet.offers.receipts`), restricted to
content without floats. Audit events carry details written by many services (weights, shares), which can
hold floats: RFC 8785 writes them as ECMAScript does (`Number.prototype.toString`), shortest round-trip
digits, no exponent between 1e-6 and 1e21, and `1` rather than `1.0`.

No Django here: a third party recomputes a digest with this file alone.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any


class CanonicalFormError(ValueError):
    """A value with no canonical JSON form: NaN or an infinity, a non-string key, a type JSON lacks."""


def es6_number(value: float) -> str:
    """A finite float as ECMAScript's Number::toString writes it (RFC 8785, section 3.2.2.3)."""
    if not math.isfinite(value):
        raise CanonicalFormError(f"{value!r} has no JSON form")
    if value == 0:
        return "0"
    if value < 0:
        return "-" + es6_number(-value)
    # repr() gives the shortest digits that read back as the same float, as ECMAScript requires.
    _sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    k = len(digits)
    n = k + int(exponent)  # the value is 0.<digits> x 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    power = n - 1
    mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{mantissa}e{'+' if power >= 0 else '-'}{abs(power)}"


def has_float(value: Any) -> bool:
    kind = type(value)
    if kind is float:
        return True
    if kind is dict:
        return any(has_float(item) for item in value.values() if type(item) in _NESTED)
    if kind is list or kind is tuple:
        return any(has_float(item) for item in value if type(item) in _NESTED)
    return False


_NESTED = (float, dict, list, tuple)


def plain_dumps(value: Any) -> str:
    """The canonical text of a value known to hold no float (json.dumps is then RFC 8785 already)."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise CanonicalFormError(str(error)) from None


def _slow_dumps(value: Any) -> str:
    """The canonical text, written by hand: only for values holding floats, which json.dumps spells as
    Python does."""
    if isinstance(value, float):
        return es6_number(value)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise CanonicalFormError(f"key {key!r} is not a string")
        return "{" + ",".join(_plain(key) + ":" + _slow_dumps(value[key]) for key in sorted(value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_slow_dumps(item) for item in value) + "]"
    return _plain(value)


def _plain(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise CanonicalFormError(str(error)) from None


def dumps(value: Any) -> str:
    """The canonical JSON text of a JSON value (keys sorted by UTF-16 code units: for the ASCII keys
    Guichet writes, plain sorting)."""
    if has_float(value):
        return _slow_dumps(value)
    return plain_dumps(value)


def canonical_bytes(value: Any) -> bytes:
    # surrogatepass: a lone surrogate cannot reach the database, but a digest never fails on one.
    return dumps(value).encode("utf-8", "surrogatepass")
