"""``manage.py extract_exhibit_text``: read the text layer of exhibits stored before uploads read it."""

from typing import Any

from django.core.management.base import BaseCommand

from packets.evidence.uploads import exhibit_text_read_pending


class Command(BaseCommand):
    help = (
        "Read, in the sandbox, the text layer of every exhibit whose text was not read yet (stored before uploads "
        "read it), and store it encrypted with its status. Page views never open exhibit files, so until this has "
        "run such a letter is reported as not checked. Safe to run again if interrupted."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = exhibit_text_read_pending(log=lambda message: self.stdout.write(message))
        self.stdout.write(
            f"exhibit text: read={counts['read']} no_text={counts['no_text']} unreadable={counts['unreadable']} "
            f"skipped={counts['skipped']}"
        )
