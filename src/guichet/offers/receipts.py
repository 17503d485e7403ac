"""Receipts of sealed proposals: the canonical JSON form, its SHA-256, and the check anyone can redo.

No Django here: `guichet receipt verify` and a third party's script need nothing but the file.

The canonical form is RFC 8785 (JSON Canonicalization Scheme) restricted to what a sealed proposal holds:
objects with ASCII keys sorted, no whitespace, strings in UTF-8 with only `"`, `\\` and control characters
escaped, integers, booleans and null; money and coordinates are decimal strings, so no float is ever
written. docs/receipts.md shows how to recompute a receipt with standard tools.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

SEALED_FORMAT = "guichet.sealed-proposal/1"
RECEIPT_FORMAT = "guichet.receipt/1"


class ReceiptFormatError(ValueError):
    """The content cannot be put in canonical form (a float, a non-ASCII key, a lone surrogate)."""


def _check(value: Any, path: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise ReceiptFormatError(f"{path}: keys must be ASCII strings, got {key!r}")
            _check(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")
    elif isinstance(value, float):
        raise ReceiptFormatError(f"{path}: floats have no single canonical form; write a decimal string")
    elif isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ReceiptFormatError(f"{path}: text that is not valid Unicode") from None
    elif not (value is None or isinstance(value, bool | int)):
        raise ReceiptFormatError(f"{path}: {type(value).__name__} is not JSON")


def canonical_json(content: dict[str, Any]) -> bytes:
    """The exact bytes a receipt is the SHA-256 of."""
    _check(content, "$")
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8")


def digest(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def receipt_document(*, canonical: bytes, issuer: str) -> dict[str, Any]:
    """The receipt file given to the authority: the digest beside the content it vouches for."""
    sealed = json.loads(canonical)
    return {
        "receipt": {
            "format": RECEIPT_FORMAT,
            "algorithm": "SHA-256",
            "canonical_form": "RFC 8785 (JCS), UTF-8",
            "sha256": digest(canonical),
            "issuer": issuer,
        },
        "sealed": sealed,
    }


@dataclass(frozen=True)
class Verification:
    valid: bool
    sha256: str
    expected: str | None
    reason: str  # "ok", "digest_mismatch", "not_canonical", "not_json", "not_a_receipt"


def verify(data: bytes, *, expected_sha256: str | None = None) -> Verification:
    """Check a receipt file (`{"receipt": ..., "sealed": ...}`) or a canonical sealed-content file.

    A receipt file is valid when the SHA-256 of its content's canonical form is the digest it states.
    A canonical file is valid when it is in canonical form (byte for byte) and, if a digest is expected,
    hashes to it."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Verification(False, digest(data), expected_sha256, "not_json")
    if not isinstance(document, dict):
        return Verification(False, digest(data), expected_sha256, "not_a_receipt")
    if "receipt" in document and "sealed" in document:
        receipt = document["receipt"]
        stated = receipt.get("sha256") if isinstance(receipt, dict) else None
        if not isinstance(stated, str) or not isinstance(document["sealed"], dict):
            return Verification(False, digest(data), expected_sha256, "not_a_receipt")
        expected = (expected_sha256 or stated).lower()
        try:
            computed = digest(canonical_json(document["sealed"]))
        except ReceiptFormatError:
            return Verification(False, "", expected, "not_canonical")
        valid = computed == expected == stated.lower()
        return Verification(valid, computed, expected, "ok" if valid else "digest_mismatch")
    try:
        canonical = canonical_json(document)
    except ReceiptFormatError:
        return Verification(False, digest(data), expected_sha256, "not_canonical")
    computed = digest(data)
    if canonical != data:
        return Verification(False, computed, expected_sha256, "not_canonical")
    if expected_sha256 is not None and computed != expected_sha256.lower():
        return Verification(False, computed, expected_sha256, "digest_mismatch")
    return Verification(True, computed, expected_sha256, "ok")
