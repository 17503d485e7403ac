"""The `guichet` command.

Pure subcommands (`size`) run without Django; the others set Django up first
(`guichet.commands.setup`). Each subcommand lives in `guichet.commands.<name>` and exposes
`register(subparsers)`; the parser's `handler` runs it. The subcommands never import this module.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

SUBCOMMAND_MODULES = (
    "size",
    "cost",
    "data",
    "territory",
    "catalogue",
    "labour",
    "demo",
    "backup",
    "receipt",
    "audit",
    "manage",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(prog="guichet", description="Guichet, the one-stop shop's command line.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMAND_MODULES:
        module = importlib.import_module(f"guichet.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # `guichet manage ...` hands everything after it to Django untouched (its own options included).
    if arguments[:1] == ["manage"]:
        from guichet.commands.manage import run_manage

        return run_manage(arguments[1:])
    parser = build_parser()
    args = parser.parse_args(arguments)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
