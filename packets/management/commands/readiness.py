"""``manage.py readiness PACKET_ID [--json]``: print what a reviewer would find missing or weak; exit 1 on a blocker."""

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from packets.models import Packet
from packets.review.readiness import Severity, packet_readiness


class Command(BaseCommand):
    help = "Print a packet's readiness findings; exits with status 1 when any finding is a blocker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("packet_id")
        parser.add_argument("--json", action="store_true", help="print a JSON list of findings")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            packet = Packet.objects.get(pk=options["packet_id"])
        except (Packet.DoesNotExist, ValidationError, ValueError) as error:
            raise CommandError(f"No packet with id {options['packet_id']}.") from error
        findings = packet_readiness(packet=packet)
        if options["json"]:
            self.stdout.write(json.dumps([finding.as_dict() for finding in findings], indent=2))
        elif not findings:
            self.stdout.write("Ready: no findings.")
        else:
            for finding in findings:
                where = f"{finding.step}.{finding.field}" if finding.field else finding.step
                self.stdout.write(f"{finding.severity.upper():<10} {finding.rule:<28} {where:<32} {finding.message}")
        if any(finding.severity is Severity.BLOCKER for finding in findings):
            sys.exit(1)
