"""`guichet receipt verify FILE`: recompute a proposal receipt's SHA-256 from its sealed content.

Needs no database: an authority checks the receipt it downloaded; `--stored` re-checks every sealed
version kept in the database against its recorded digest.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

MESSAGES = {
    "ok": "valid",
    "digest_mismatch": "INVALID: the content does not hash to the stated digest",
    "not_canonical": "INVALID: the content is not in canonical form (RFC 8785), so it was changed",
    "not_json": "INVALID: not a JSON file",
    "not_a_receipt": "INVALID: not a Guichet receipt or sealed-content file",
}


def _verify(args: argparse.Namespace) -> int:
    if args.stored:
        return _verify_stored()
    if not args.file:
        print("error: give a FILE, or --stored", file=sys.stderr)
        return 2
    from guichet.offers.receipts import verify

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"error: {path}: {error.strerror}", file=sys.stderr)
        return 2
    result = verify(data, expected_sha256=args.sha256)
    print(f"{path}: {MESSAGES[result.reason]}")
    print(f"SHA-256 computed: {result.sha256 or '-'}")
    if result.expected:
        print(f"SHA-256 expected: {result.expected}")
    elif result.valid:
        print("No digest to compare with: give --sha256 (your receipt) to check this content against it.")
    return 0 if result.valid else 1


def _verify_stored() -> int:
    from guichet.commands.setup import setup_django

    setup_django()
    from guichet.offers.models import ProposalVersion
    from guichet.offers.receipts import digest

    checked = bad = 0
    for version in ProposalVersion.objects.order_by("pk").iterator():
        checked += 1
        if digest(version.canonical.encode("utf-8")) != version.sha256:
            bad += 1
            print(f"INVALID: sealed version {version.public_id} (v{version.number})")
    print(f"{checked} sealed versions checked, {bad} invalid")
    return 0 if bad == 0 else 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    receipt = subparsers.add_parser("receipt", help="check proposal receipts")
    actions = receipt.add_subparsers(dest="action", required=True)
    verify = actions.add_parser(
        "verify", help="recompute a receipt's SHA-256 from a receipt file or a sealed-content file"
    )
    verify.add_argument("file", nargs="?", help="receipt-vN.json or sealed-vN.json")
    verify.add_argument("--sha256", help="the digest the content must have (from your receipt)")
    verify.add_argument("--stored", action="store_true", help="re-check every sealed version in the database")
    verify.set_defaults(handler=_verify)
