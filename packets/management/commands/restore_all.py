"""``manage.py restore_all DIR``: restore a ``backup_all`` folder into an installation with no users and no packets."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from packets.portability.backup import BackupError, installation_restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by backup_all into this installation, which must be empty (migrated, with no users "
        "and no packets). Nothing is written unless every file of the backup matches its checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="The backup folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"])
        try:
            summary = installation_restore(source=source, log=lambda message: self.stdout.write(message))
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot read the backup in {source}: {error.strerror}.") from error
        self.stdout.write(
            f"restored: users={summary.users} packets={summary.packets} exhibits={summary.exhibits} "
            f"versions={summary.versions} records={summary.records}"
        )
