"""The steps about the plan: the project, its timeline, the alternatives, logistics, risks, monitoring, the exit and
what remains afterwards."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from packets.content.schema import (
    Alternative,
    Alternatives,
    ExitPlan,
    Indicator,
    Logistics,
    Milestone,
    Monitoring,
    PacketData,
    Project,
    RiskManagement,
    Supporter,
    Sustainability,
    Timeline,
)
from parole_wizard.forms.base import Missing, RowForm, RowList, SectionForm


class ProjectForm(SectionForm):
    section = "project"
    model = Project
    field_names = ("title", "summary", "public_benefit", "beneficiaries", "urgency", "priorities")
    needed = frozenset(field_names)


class MilestoneForm(RowForm):
    model = Milestone
    field_names = ("due_on", "description", "outcome")
    needed = frozenset({"due_on", "description"})


class TimelineForm(SectionForm):
    section = "timeline"
    model = Timeline
    field_names = ("filing_date", "arrival_date", "departure_date", "entry_deadline_reason")
    needed = frozenset(field_names)
    lists = {"milestones": RowList(MilestoneForm, _("Milestones"), _("Add another milestone"), at_least=1)}


class AlternativeForm(RowForm):
    model = Alternative
    field_names = ("kind", "option", "why_not")
    needed = frozenset({"option", "why_not"})


class AlternativesForm(SectionForm):
    section = "alternatives"
    model = Alternatives
    field_names = ("summary",)
    needed = frozenset({"summary"})
    lists = {"options": RowList(AlternativeForm, _("Options considered"), _("Add another option"), at_least=1)}


class SupporterForm(RowForm):
    model = Supporter
    field_names = ("name", "kind", "relationship", "covers", "files_declaration")
    needed = frozenset({"name", "kind", "covers"})


class LogisticsForm(SectionForm):
    section = "logistics"
    model = Logistics
    field_names = ("arrival_plan", "housing", "transport", "supervision")
    needed = frozenset(field_names)
    lists = {"supporters": RowList(SupporterForm, _("Financial supporters"), _("Add another supporter"), at_least=1)}


class RiskForm(SectionForm):
    section = "risk"
    model = RiskManagement
    field_names = (
        "scope_change", "security", "public_health", "safety_precautions", "background_checks", "legal_compliance",
        "local_systems",
    )  # fmt: skip
    needed = frozenset(field_names)
    groups = (
        (_("Contingencies"), ("scope_change", "security", "public_health")),
        (_("Safety and compliance"), ("safety_precautions", "background_checks", "legal_compliance", "local_systems")),
    )


class IndicatorForm(RowForm):
    model = Indicator
    field_names = ("name", "target")
    needed = frozenset({"name", "target"})


class MonitoringForm(SectionForm):
    section = "monitoring"
    model = Monitoring
    field_names = ("reporting_channels", "shares_data", "data_sharing")
    needed = frozenset({"reporting_channels", "shares_data"})
    lists = {"indicators": RowList(IndicatorForm, _("Measurable indicators"), _("Add another indicator"), at_least=1)}

    @classmethod
    def missing_in(cls, value: dict[str, Any], content: PacketData) -> list[Missing]:
        missing = super().missing_in(value, content)
        if value.get("shares_data") and not value.get("data_sharing"):
            missing.append(Missing("data_sharing", _("Data-sharing and privacy")))
        return missing


class ExitForm(SectionForm):
    section = "exit"
    model = ExitPlan
    field_names = ("exit_strategy", "return_ties", "conditions_compliance", "denial_contingency")
    needed = frozenset(field_names)


class SustainabilityForm(SectionForm):
    section = "sustainability"
    model = Sustainability
    field_names = (
        "capacity_building", "local_leadership", "cultural_sensitivity", "community_consultation", "affiliations",
        "funding_sources", "use_of_time",
    )  # fmt: skip
    needed = frozenset({"capacity_building", "local_leadership", "affiliations", "funding_sources", "use_of_time"})
    groups = (
        (_("Sustainability and ethics"),
         ("capacity_building", "local_leadership", "cultural_sensitivity", "community_consultation")),
        (_("Transparency"), ("affiliations", "funding_sources", "use_of_time")),
    )  # fmt: skip
