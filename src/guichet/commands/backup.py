"""`guichet backup FILE` and `guichet restore FILE`: the whole database, signed, checked by content digests
and by the audit chain."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any


def _backup(args: argparse.Namespace) -> int:
    from guichet.commands.setup import setup_django

    setup_django()
    from guichet.audit.signing import SigningKeyError
    from guichet.backup import backup_create

    try:
        print(backup_create(path=Path(args.file)))
    except SigningKeyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _interrupted(signum: int, frame: Any) -> None:
    # SIGTERM runs the restore's cleanup as Ctrl-C does: the transaction rolls back, the folder goes.
    raise KeyboardInterrupt


def _restore(args: argparse.Namespace) -> int:
    from guichet.commands.setup import setup_django

    setup_django()
    from guichet.audit.signing import SigningKeyError
    from guichet.backup import BackupError, backup_restore

    signal.signal(signal.SIGTERM, _interrupted)
    try:
        summary = backup_restore(path=Path(args.file), accept_unsigned=args.accept_unsigned)
    except (BackupError, SigningKeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # The restore's transaction rolled back and its private folder is gone (backup_restore's finally).
        print("error: interrupted: nothing was restored", file=sys.stderr)
        return 130
    if not summary.signed:
        print(
            "WARNING: this backup is NOT SIGNED (--accept-unsigned): nothing proves it is the one Guichet "
            "wrote; its content was restored as it is. Check it with `guichet audit verify --heads` against "
            "a head log kept elsewhere.",
            file=sys.stderr,
        )
    print(summary)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = subparsers.add_parser("backup", help="write the whole database and media to a signed zip file")
    backup.add_argument("file")
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser("restore", help="restore a backup into a migrated, empty database")
    restore.add_argument("file")
    restore.add_argument(
        "--accept-unsigned",
        action="store_true",
        help="restore a backup that carries no signature (made before signed backups); said loudly",
    )
    restore.set_defaults(handler=_restore)
