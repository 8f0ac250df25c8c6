"""manage.py render_packet PACKET_ID -o OUT.pdf [--final]: render a stored packet synchronously, without a version."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from packets.assembly.exhibits import ExhibitError
from packets.assembly.render import RenderError
from packets.models import Packet, PacketVersion
from packets.rendering.versions import packet_pdf


class Command(BaseCommand):
    help = "Render a packet's PDF from the command line (no PacketVersion is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("packet_id")
        parser.add_argument("-o", "--output", required=True, type=Path, help="Where to write the PDF.")
        parser.add_argument("--final", action="store_true", help="Render without the DRAFT watermark.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            packet = Packet.objects.get(pk=options["packet_id"])
        except (Packet.DoesNotExist, ValueError) as error:
            raise CommandError(f"No packet with id {options['packet_id']}.") from error
        number = (
            PacketVersion.objects.filter(packet=packet).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        try:
            rendered, _sources = packet_pdf(
                packet=packet, final=options["final"], version_number=number, created_at=timezone.now()
            )
        except (RenderError, ExhibitError) as error:
            raise CommandError(str(error)) from error
        options["output"].write_bytes(rendered.pdf)
        self.stdout.write(f"{options['output']}: {rendered.page_count} pages, {len(rendered.pdf)} bytes")
