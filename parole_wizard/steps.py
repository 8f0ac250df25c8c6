"""The questionnaire's steps, declared once: name, form, when it applies, and why a reviewer cares.

Their titles come from the one registry of sections (packets.content.sections)."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from packets.content.schema import PacketData, RequestedBy, Section
from packets.content.sections import SECTION_TITLES
from parole_wizard import forms as step_forms


class StepState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    PROBLEMS = "problems"


STATE_LABELS = {
    StepState.NOT_STARTED: _("Not started"),
    StepState.IN_PROGRESS: _("In progress"),
    StepState.COMPLETE: _("Complete"),
    StepState.PROBLEMS: _("Has problems"),
}


@dataclass(frozen=True)
class Step:
    name: str
    form: type[Any]
    why: Promise
    strong: Promise
    condition: Callable[[PacketData], bool] | None = None

    @property
    def title(self) -> Promise:
        """As every page names this step (packets.content.sections)."""
        return SECTION_TITLES[self.name]

    @property
    def section(self) -> str | None:
        return getattr(self.form, "section", None)

    def applies(self, content: PacketData) -> bool:
        return self.condition is None or self.condition(content)


def _organisation_requests(content: PacketData) -> bool:
    return content.requestor.requested_by == RequestedBy.ORGANISATION


STEPS: tuple[Step, ...] = (
    Step(
        "beneficiary", step_forms.BeneficiaryForm,
        _("The reviewer must know exactly who would come: identity, passport and any earlier US travel. A passport "
          "that expires during the stay, or a history left unexplained, is a common reason for doubt."),
        _("Names exactly as in the passport, a passport valid well past the departure date, and every earlier trip "
          "with its dates — including that the person left on time."),
    ),
    Step(
        "requestor", step_forms.RequestorForm,
        _("A request filed by a government body or an established organisation shows that someone accountable "
          "stands behind the project and will coordinate it."),
        _("Say who files; if a lawyer or accredited representative helps, give their details so the reviewer "
          "knows whom to contact."),
    ),
    Step(
        "organisation", step_forms.OrganisationForm,
        _("The organisation that requests parole coordinates communication and logistics. The reviewer needs a "
          "named person there who can answer questions."),
        _("The organisation's full name and kind, and a point of contact with title, email and phone."),
        condition=_organisation_requests,
    ),
    Step(
        "project", step_forms.ProjectForm,
        _("Parole for public benefit succeeds when the benefit is concrete, urgent and aligned with public "
          "priorities. Vague goals read as a pretext."),
        _("Numbers (people protected, buildings assessed), a clear deadline, and the plan or mandate the work "
          "serves."),
    ),
    Step(
        "qualifications", step_forms.QualificationsForm,
        _("The reviewer asks why this specific person must come. Listing skills is not enough: tie each skill to "
          "the need, and show that no one available locally can do it in time."),
        _("Years of experience, earlier similar work, certifications — and a CV and certificates as evidence."),
    ),
    Step(
        "partners", step_forms.PartnersForm,
        _("Partners show that the community wants this work. Each letter should confirm support for the project, "
          "name the person's role, and give a contact — a letter that does neither is weak evidence."),
        _("Every partner with its role and a named contact, and a signed letter from each."),
    ),
    Step(
        "timeline", step_forms.TimelineForm,
        _("Parole is temporary. A fixed end date and dated milestones show that the stay is as short as the work "
          "needs, and why entry is needed by a certain date."),
        _("An arrival date tied to a real deadline, a fixed departure date, and milestones with outcomes, all "
          "inside the stay."),
    ),
    Step(
        "alternatives", step_forms.AlternativesForm,
        _("Parole is for cases no ordinary visa fits. The reviewer expects to see which routes were considered and "
          "why each fails."),
        _("Each visa category or remote option considered, with the concrete reason it does not work in time."),
    ),
    Step(
        "logistics", step_forms.LogisticsForm,
        _("The reviewer checks that the person will be housed, supervised and paid for without relying on public "
          "funds."),
        _("An arrival plan, housing, transport, a named supervisor, and each financial supporter."),
    ),
    Step(
        "risk", step_forms.RiskForm,
        _("Plans change. Showing what happens when scope, security or health conditions change — and how the "
          "project follows local law — shows a responsible sponsor."),
        _("A concrete answer for each contingency, the safety precautions, background checks and legal "
          "compliance."),
    ),
    Step(
        "monitoring", step_forms.MonitoringForm,
        _("Measurable indicators and regular reporting let authorities verify that the public benefit is real."),
        _("Who receives reports and how often, indicators with targets, and how shared data is protected."),
    ),
    Step(
        "exit", step_forms.ExitForm,
        _("Above all, the reviewer looks for reasons to doubt that the stay is temporary. A clear exit plan and "
          "strong ties at home answer that doubt."),
        _("A return ticket or plan, a job or family waiting at home, willingness to follow parole conditions, and "
          "what happens if the request is denied."),
    ),
    Step(
        "sustainability", step_forms.SustainabilityForm,
        _("Work that leaves local capacity behind, and full disclosure of affiliations and funding, build the "
          "reviewer's trust."),
        _("Who is trained and who leads afterwards; every affiliation and funding source; how the time is spent."),
    ),
    Step(
        "evidence", step_forms.EvidenceForm,
        _("Everything the narrative claims should be backed by a document: training plans, safety protocols, "
          "financial evidence, proof of community collaboration."),
        _("Clear scans with a title, the issuer and a date for each. Exhibit letters follow the order shown here."),
    ),
)  # fmt: skip

STEP_BY_NAME = {step.name: step for step in STEPS}


def steps_for(content: PacketData) -> list[Step]:
    return [step for step in STEPS if step.applies(content)]


# Exhibits that other steps ask for; the evidence step is about everything else (plans, financial evidence…).
STEP_EXHIBIT_KINDS = frozenset({"passport", "cv", "support_letter", "certificate"})


def evidence_count(exhibits: Any) -> int:
    """How many exhibits belong to the evidence step (``exhibits``: Exhibit objects or a queryset)."""
    if hasattr(exhibits, "exclude"):
        return int(exhibits.exclude(kind__in=STEP_EXHIBIT_KINDS).count())
    return sum(exhibit.kind not in STEP_EXHIBIT_KINDS for exhibit in exhibits)


def step_state(step: Step, content: PacketData, evidence: int) -> tuple[StepState, list[Any]]:
    """The state the task list shows, and what it still needs: the one count every page and notice gives
    ("Saved … still needs N answers", the task list's "N answers still needed"). A step not started needs nothing
    listed: a list of everything on a blank page helps nobody. ``evidence``: see ``evidence_count``."""
    if step.section is None:  # the evidence step: complete once it holds any evidence of its own
        return (StepState.COMPLETE if evidence else StepState.NOT_STARTED), []
    section = content.section(step.section)
    value = section.model_dump(mode="json")
    if any(c.touches(step.section) for c in content.contradictions()):
        return StepState.PROBLEMS, []
    missing = step.form.missing_in(value, content)
    if value == _blank(type(section)):
        return StepState.NOT_STARTED, []
    return (StepState.IN_PROGRESS if missing else StepState.COMPLETE), missing


@cache
def _blank(section_type: type[Section]) -> dict[str, Any]:
    """A section's value with nothing answered (a step page compares every step's value with it)."""
    return section_type().model_dump(mode="json")


SEVERITY_TITLES = {
    "blocker": _("Blockers — fix before filing"),
    "warning": _("Warnings — a reviewer would notice"),
    "suggestion": _("Suggestions"),
}


def finding_url(packet_id: Any, step_name: str, field: str, row: int | None = None) -> str:
    """The step page of a finding, scrolled to its field: in the row of a list when ``row`` says which (a partner's
    email), else the field itself or the list it belongs to."""
    from django.urls import reverse

    url = reverse("wizard_step", kwargs={"packet_id": packet_id, "step": step_name})
    step = STEP_BY_NAME.get(step_name)
    if step is None or not field:
        return url
    form = step.form
    if field in getattr(form, "lists", {}):
        return f"{url}#rows-{field}"
    if step.name == "partners":  # every partner field is in a row of the list "items"
        return f"{url}#id_partners-items-{row}-{field}" if row is not None else f"{url}#rows-items"
    if field in getattr(form, "field_names", ()) or field in form.base_fields or field.endswith("_file"):
        return f"{url}#id_{step.name}-{field}"
    return url


def readiness_groups(packet: Any, findings: list[Any]) -> list[dict[str, Any]]:
    """Findings grouped by severity, each with the title of its step and a link to the field."""
    groups = []
    for severity, title in SEVERITY_TITLES.items():
        items = [
            {
                "finding": finding,
                "url": finding_url(packet.pk, finding.step, finding.field, finding.row),
                "step_title": STEP_BY_NAME[finding.step].title if finding.step in STEP_BY_NAME else "",
            }
            for finding in findings
            if finding.severity == severity
        ]
        if items:
            groups.append({"severity": severity, "title": title, "items": items})
    return groups
