"""``manage.py import_packet FILE.zip --owner USERNAME``: create a packet from an archive; print its new id."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from packets.portability.archive import ArchiveError
from packets.portability.archive_import import import_packet


class Command(BaseCommand):
    help = "Create a new packet from an archive made by export_packet (or the Export link), owned by --owner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .zip file to read.")
        parser.add_argument("--owner", required=True, help="The username of the new packet's owner.")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            owner = user_model.objects.get(**{user_model.USERNAME_FIELD: options["owner"]})
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user is called {options['owner']}.") from error
        path = Path(options["archive"])
        try:
            with path.open("rb") as stream:
                packet = import_packet(stream, owner=owner)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        self.stdout.write(str(packet.pk))
