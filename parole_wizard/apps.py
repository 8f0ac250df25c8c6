from django.apps import AppConfig


class ParoleWizardConfig(AppConfig):
    name = "parole_wizard"
    verbose_name = "Parole Wizard"
