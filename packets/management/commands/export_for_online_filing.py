"""manage.py export_for_online_filing PACKET_ID -o DIR [--max-mb N] [--number N]: a rendered version as files for
online filing (numbered PDFs under the size limit, and 00-index.txt)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from packets.assembly.splitting import SplitError, megabytes
from packets.models import Packet, PacketVersion
from packets.rendering.online import MAX_LIMIT_MB, default_limit_mb, version_online_files


class Command(BaseCommand):
    help = "Split a rendered version of a packet into files under an upload limit, for online filing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("packet_id")
        parser.add_argument("-o", "--output", required=True, type=Path, help="The folder to write the files into.")
        parser.add_argument(
            "--max-mb",
            type=float,
            default=None,
            help="The largest file, in MB of 1,000,000 bytes (default: the filing facts' reported online limit).",
        )
        parser.add_argument("--number", type=int, default=None, help="The version's number (default: the latest).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            packet = Packet.objects.get(pk=options["packet_id"])
        except (Packet.DoesNotExist, ValueError) as error:
            raise CommandError(f"No packet with id {options['packet_id']}.") from error
        versions = PacketVersion.objects.filter(packet=packet)
        version = versions.filter(number=options["number"]).first() if options["number"] else versions.first()
        if version is None:
            raise CommandError("That packet has no such rendered version; render it first.")
        limit = options["max_mb"] if options["max_mb"] is not None else default_limit_mb()
        if not 0 < limit <= MAX_LIMIT_MB:
            raise CommandError(f"--max-mb must be more than 0 and at most {MAX_LIMIT_MB}.")
        try:  # before writing anything: a refusal leaves no half-written folder
            filing = version_online_files(version=version, limit_mb=limit)
        except (SplitError, FileNotFoundError) as error:
            raise CommandError(str(error)) from error
        folder: Path = options["output"]
        if folder.exists() and any(folder.iterdir()):
            # Files left from another export would be uploaded with these by mistake.
            raise CommandError(f"{folder} is not empty; choose an empty or new folder.")
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in filing.named():
            (folder / name).write_bytes(content)
            self.stdout.write(f"{folder / name}: {megabytes(len(content))}")
        self.stdout.write(f"Version {version.number} in {len(filing.files)} files of at most {megabytes(limit * 1e6)}.")
