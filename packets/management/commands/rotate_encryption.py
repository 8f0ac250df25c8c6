"""``manage.py rotate_encryption``: re-encrypt the packet content and every stored file with the newest key."""

from typing import Any

from django.core.management.base import BaseCommand

from packets.portability.rotation import encryption_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every packet's content, history and rendered versions, and every stored file, with the first key "
        "of ENCRYPTION_KEYS (also encrypts data stored before encryption existed). Safe to run again if interrupted; "
        "remove an old key from ENCRYPTION_KEYS only after this has finished."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = encryption_rotate(log=lambda message: self.stdout.write(message))
        self.stdout.write(
            f"rotated: rows={counts['rows']} files={counts['files']} files_already_current={counts['files_skipped']}"
        )
