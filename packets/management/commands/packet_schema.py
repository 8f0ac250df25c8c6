"""``manage.py packet_schema [-o docs/packet.schema.json]``: write the published JSON Schema of packet content."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from packets.content.schema import packet_json_schema


def packet_json_schema_text() -> str:
    """The schema exactly as committed: sorted keys, two-space indent, UTF-8 text, one trailing newline."""
    return json.dumps(packet_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the JSON Schema of packet content (packets.content.schema.PacketData) to a file, or print it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="The file to write (docs/packet.schema.json); prints if omitted.")

    def handle(self, *args: Any, **options: Any) -> None:
        text = packet_json_schema_text()
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
