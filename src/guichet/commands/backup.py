"""`guichet backup FILE` and `guichet restore FILE`: the whole database, checked by content digests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _backup(args: argparse.Namespace) -> int:
    from guichet.commands.setup import setup_django

    setup_django()
    from guichet.backup import backup_create

    print(backup_create(path=Path(args.file)))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from guichet.commands.setup import setup_django

    setup_django()
    from guichet.backup import BackupError, backup_restore

    try:
        print(backup_restore(path=Path(args.file)))
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # The restore's transaction rolled back and its temporary folder is gone (backup_restore's finally).
        print("error: interrupted: nothing was restored", file=sys.stderr)
        return 130
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = subparsers.add_parser("backup", help="write the whole database and media to a zip file")
    backup.add_argument("file")
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser("restore", help="restore a backup into a migrated, empty database")
    restore.add_argument("file")
    restore.set_defaults(handler=_restore)
