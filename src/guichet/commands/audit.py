"""`guichet audit ...`: the append-only chain of the audit trail and the sealed proposals (docs/audit.md).

verify [--heads FILE]      recompute the chain, every record's digest and every signed head; exit 1
                           naming the first entry that does not hold
sign                       sign the chain's head now and add it to the head log
heads [--output FILE]      the head log, one signed head (JSON) a line, to keep elsewhere
public-key                 the public key that checks the signatures (to publish)
generate-key FILE          a new private key for production, written with mode 0600
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _setup() -> None:
    from guichet.commands.setup import setup_django

    setup_django()


def _verify(args: argparse.Namespace) -> int:
    _setup()
    from guichet.audit.signing import SigningKeyError, parse_public_key, trusted_keys
    from guichet.audit.signing import key_id_of as key_id
    from guichet.audit.verify import HeadListError, chain_verify, parse_head_list

    try:
        keys = trusted_keys()
        for name in args.public_key or ():
            public = parse_public_key(Path(name).read_bytes(), where=name)
            keys[key_id(public)] = public
        external = parse_head_list(Path(args.heads).read_bytes()) if args.heads else []
    except (OSError, SigningKeyError, HeadListError, UnicodeDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    report = chain_verify(external_heads=external, keys=keys, workers=args.workers)
    elapsed = time.perf_counter() - started
    records = ", ".join(f"{count} {kind}" for kind, count in sorted(report.records.items())) or "no records"
    if report.problem is not None:
        print(f"INVALID: {report.problem}")
        print(f"checked in {elapsed:.1f} s")
        return 1
    print(
        f"valid: {report.entries} entries ({records}), {report.heads} signed heads"
        + (f", {report.external_heads} heads from {args.heads}" if args.heads else "")
        + f", in {elapsed:.1f} s"
    )
    return 0


def _sign(args: argparse.Namespace) -> int:
    _setup()
    from guichet.audit.chain import chain_sign

    head = chain_sign()
    if head is None:
        print("the chain is empty: nothing to sign")
        return 0
    print(f"signed: length {head.length}, sha256 {head.sha256}, key {head.key_id}")
    return 0


def _heads(args: argparse.Namespace) -> int:
    _setup()
    from guichet.audit.selectors import head_log_lines

    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            for line in head_log_lines():
                handle.write(line + "\n")
    else:
        for line in head_log_lines():
            print(line)
    return 0


def _public_key(args: argparse.Namespace) -> int:
    _setup()
    from guichet.audit.signing import SigningKeyError, current_key, public_pem

    try:
        key = current_key()
    except SigningKeyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if key.development:
        print(f"# development key ({key.source}): not for production", file=sys.stderr)
    print(f"# key id {key.key_id} (Ed25519)")
    print(public_pem(key.public), end="")
    return 0


def _generate_key(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from guichet.audit.signing import key_id_of, write_key_file

    private = Ed25519PrivateKey.generate()
    try:
        write_key_file(Path(args.file), private)
    except FileExistsError:
        print(f"error: {args.file} exists: a key that signed heads is never overwritten", file=sys.stderr)
        return 2
    print(json.dumps({"file": args.file, "key_id": key_id_of(private.public_key())}))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = subparsers.add_parser(
        "audit", help="the append-only chain of the audit trail and sealed proposals"
    )
    actions = audit.add_subparsers(dest="action", required=True)
    verify = actions.add_parser(
        "verify", help="recompute the chain, the records' digests and the signed heads"
    )
    verify.add_argument("--heads", help="a head list kept elsewhere (the head log as downloaded)")
    verify.add_argument(
        "--public-key", action="append", help="a PEM public key to trust besides the configured one"
    )
    verify.add_argument(
        "--workers", type=int, default=1, help="PostgreSQL: processes checking stretches of the chain at once"
    )
    verify.set_defaults(handler=_verify)
    sign = actions.add_parser("sign", help="sign the chain's head now (the head log keeps it)")
    sign.set_defaults(handler=_sign)
    heads = actions.add_parser("heads", help="print the head log, one signed head a line (JSON)")
    heads.add_argument("--output", help="write it to this file instead")
    heads.set_defaults(handler=_heads)
    public = actions.add_parser("public-key", help="print the public key that checks the signatures")
    public.set_defaults(handler=_public_key)
    generate = actions.add_parser("generate-key", help="write a new Ed25519 private key (mode 0600)")
    generate.add_argument("file")
    generate.set_defaults(handler=_generate_key)
