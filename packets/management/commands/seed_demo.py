"""``manage.py seed_demo [--if-empty] [--url URL]``: demo logins and the complete Riverton packet, for trying the app
at once."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from packets.demo.case import create_demo_case
from packets.demo.scenario import create_demo_packet
from packets.models import Membership, Packet, Role
from packets.people import profile_save
from packets.sharing.addresses import email_address_mark_verified

# Printed whenever the demo is created: it is local, and a password one can remember beats a secret nobody can type.
DEMO_PASSWORD = "riverton-demo-2027"  # noqa: S105 - a documented demo login, never used outside local demos
DEMO_USERS = {
    "applicant": {"first_name": "Marcus", "last_name": "Bell", "email": "applicant@example.org"},
    "counsel": {"first_name": "Priya", "last_name": "Raman", "email": "counsel@example.org"},
}
# How the others see each demo person (the profile page): counsel with the firm and bar number of the packet's counsel.
DEMO_PROFILES = {
    "applicant": {"full_name": "Marcus Bell"},
    "counsel": {"full_name": "Priya Raman", "firm": "Raman Immigration Law", "bar_number": "OR 104233"},
}
SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Create the demo users 'applicant' and 'counsel' and the complete Riverton demo packet, plus a filed Riverton "
        "case. Without --if-empty, resets the demo users' passwords and adds a fresh demo packet and case."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database already has any user."
        )
        parser.add_argument(
            "--url", default=SITE_URL, help=f"The address the app is served at, printed with the logins ({SITE_URL})."
        )

    def handle(self, *args: Any, if_empty: bool, url: str, **options: Any) -> None:
        if if_empty and get_user_model().objects.exists():
            # The demo logins may not exist here, or may have other passwords now: printing them would mislead.
            self.stdout.write("Users exist already: no demo data added.")
            self.stdout.write(f"\nOpen {url}\n")
            return
        # One transaction: a failure half-way must not leave users without their packet, or --if-empty would skip the
        # demo forever after.
        with transaction.atomic():
            packet, case = seed_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Created the demo packet “{packet.name}” and the filed case “{case.name}”.")
        )
        self.stdout.write(
            "\nDemo logins:\n"
            f"  applicant / {DEMO_PASSWORD}   (owns the Riverton packet and the filed case)\n"
            f"  counsel   / {DEMO_PASSWORD}   (counsel on both; the filed case is on /caseload/)\n"
            f"\nOpen {url}\n"
        )


def seed_demo() -> tuple[Packet, Packet]:
    """The demo users (created, or their password reset), a new demo packet owned by the applicant and a new filed
    case (receipt, an answered request for evidence, approval, a reporting condition and its first report)."""
    users = {}
    for username, fields in DEMO_USERS.items():
        user, _created = get_user_model().objects.update_or_create(username=username, defaults=fields)
        validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.save()
        email_address_mark_verified(user=user)  # nobody receives mail at example.org: confirmed from the start
        profile_save(user=user, **DEMO_PROFILES[username])
        users[username] = user
    packet = create_demo_packet(owner=users["applicant"])
    Membership.objects.create(packet=packet, user=users["counsel"], role=Role.COUNSEL)
    return packet, create_demo_case(owner=users["applicant"], counsel=users["counsel"])
