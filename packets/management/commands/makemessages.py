"""manage.py makemessages, with ``--keyword NAME`` (repeatable) for xgettext, as README's call uses it.

The questionnaire's labels are written through the schema's helpers ``text()``, ``long_text()`` and
``optional_date()`` (packets.content.schema_types); xgettext finds them only when told those names. Django's own
command has no option for that; the Django documentation's answer is this subclass, which adds the names to its
xgettext options.
"""

from typing import Any

from django.core.management.base import CommandParser
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--keyword",
            action="append",
            default=[],
            metavar="NAME",
            help="Also extract the first argument of calls to NAME (xgettext --keyword). Use several times.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.xgettext_options = [*self.xgettext_options, *(f"--keyword={name}" for name in options["keyword"])]
        super().handle(*args, **options)
