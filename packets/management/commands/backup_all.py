"""``manage.py backup_all -o DIR``: every user, packet, exhibit file and rendered PDF into a new folder."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from packets.portability.archive import ArchiveError
from packets.portability.backup import BackupError, installation_backup


class Command(BaseCommand):
    help = (
        "Back up the whole installation into a new folder: users (with password hashes), every packet as an archive, "
        "their history, review and rendered PDFs. The folder holds passports in the clear: keep it encrypted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, help="A folder that does not exist yet (or is empty).")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["output"])
        try:
            summary = installation_backup(target=target, log=lambda message: self.stdout.write(message))
        except (BackupError, ArchiveError) as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot write the backup to {target}: {error.strerror}.") from error
        self.stdout.write(
            f"backup: users={summary.users} packets={summary.packets} exhibits={summary.exhibits} "
            f"versions={summary.versions} records={summary.records} -> {target}"
        )
