from django.apps import AppConfig


class PacketsConfig(AppConfig):
    name = "packets"
    verbose_name = "Packets"

    def ready(self) -> None:
        # A broken edit of the filing facts must stop the app, not print a wrong checklist.
        from packets.content.facts import filing_facts

        filing_facts()
        # The audit log's signal receivers (status changes, invitations, memberships, logins).
        import packets.audit.records  # noqa: F401

        # The comment digest's scheduling receiver (queued when a notification is written).
        import packets.review.tasks  # noqa: F401
