"""``manage.py export_packet PACKET_ID -o FILE.zip``: write a packet archive (content, exhibits, manifest)."""

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from packets.models import Packet
from packets.portability.archive import ArchiveError, export_packet


class Command(BaseCommand):
    help = "Write a packet, with its exhibits, to a zip archive that import_packet reads back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("packet_id", help="The packet's id (a UUID).")
        parser.add_argument("-o", "--output", required=True, help="The .zip file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            packet = Packet.objects.get(pk=uuid.UUID(options["packet_id"]))
        except (ValueError, Packet.DoesNotExist) as error:
            raise CommandError(f"No packet has the id {options['packet_id']}.") from error
        output = Path(options["output"])
        # Write beside the target and rename, so a failed export never leaves half an archive behind.
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("wb") as stream:
                export_packet(packet, stream)
            partial.replace(output)
        except ArchiveError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
        self.stdout.write(str(output))
