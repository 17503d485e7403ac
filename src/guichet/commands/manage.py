"""`guichet manage ...`: Django's manage.py, with the project's settings."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence

from guichet.commands.setup import SETTINGS_MODULE


def run_manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["guichet manage", *argv])
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("manage", help="run a Django management command (migrate, runserver, ...)")
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=lambda args: run_manage(args.rest))
