from django.apps import AppConfig


class ParoleWizardConfig(AppConfig):
    name = "parole_wizard"
    verbose_name = "Parole Wizard"

    def ready(self) -> None:
        # Session tracking for timeouts and "log out everywhere else" (signal receivers on login and logout).
        import parole_wizard.sessions  # noqa: F401
