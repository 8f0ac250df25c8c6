"""Email each case deadline's reminders that are due today, once each: safe to run every hour (cron, systemd)."""

from typing import Any

from django.core.management.base import BaseCommand

from packets.case.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the reminder emails of the cases' deadlines that are due (each reminder is sent once)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_reminders()
        self.stdout.write(f"reminders: sent={run.sent} considered={run.considered}")
