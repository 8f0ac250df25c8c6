"""The applicant's pages around the wizard: dashboard, packet task list, review, finish."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from packets.content.facts import filing_checklist, filing_facts
from packets.content.schema import PacketData
from packets.content.services import packet_create, packet_delete, packet_rename
from packets.evidence.labels import exhibit_label
from packets.models import Packet, Role
from packets.permissions import Action, packet_for_user
from packets.review.filing import packet_counsel_members, packet_filing
from packets.review.readiness import FACTS_MAX_AGE_DAYS, Finding, Severity, packet_readiness
from packets.sharing.views import shared_rows
from parole_wizard.forms import PacketNameForm
from parole_wizard.resume import packet_resume_step
from parole_wizard.steps import (
    STATE_LABELS,
    STEP_EXHIBIT_KINDS,
    StepState,
    evidence_count,
    readiness_groups,
    step_state,
    steps_for,
)


def _progress(packet: Packet) -> dict[str, Any]:
    content = PacketData.model_validate(packet.data)
    evidence = getattr(packet, "evidence_count", None)
    if evidence is None:
        evidence = evidence_count(packet.exhibits.defer("text"))
    states = [step_state(step, content, evidence)[0] for step in steps_for(content)]
    findings = packet_readiness(packet=packet)
    return {
        "complete": states.count(StepState.COMPLETE),
        "total": len(states),
        "blockers": sum(finding.severity is Severity.BLOCKER for finding in findings),
        "warnings": sum(finding.severity is Severity.WARNING for finding in findings),
    }


def _task_list(packet: Packet, content: PacketData) -> list[dict[str, Any]]:
    count = evidence_count(packet.exhibits.defer("text"))
    rows = []
    for number, step in enumerate(steps_for(content), start=1):
        state, missing = step_state(step, content, count)
        rows.append(
            {"number": number, "step": step, "state": state, "state_label": STATE_LABELS[state], "missing": missing}
        )
    return rows


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count, Q

    packets = (
        # One filter() call: both conditions hold for the same membership, so these are the packets I own.
        Packet.objects.filter(memberships__user=request.user, memberships__role=Role.OWNER)  # type: ignore[misc]
        .annotate(evidence_count=Count("exhibits", filter=~Q(exhibits__kind__in=STEP_EXHIBIT_KINDS)))
        .select_related("updated_by")
        .order_by("-updated_at")
    )
    rows = [{"packet": packet, **_progress(packet)} for packet in packets]
    shared = shared_rows(request.user)
    return render(request, "packets/dashboard.html", {"rows": rows, "shared": shared, "form": PacketNameForm()})


@login_required
@require_POST
def packet_new(request: HttpRequest) -> HttpResponse:
    form = PacketNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the packet a name of at most 120 characters."))
        return redirect("dashboard")
    packet = packet_create(owner=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
    return redirect("wizard_step", packet_id=packet.pk, step="beneficiary")


@login_required
def packet_detail(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    content = packet.content
    exhibits = list(packet.exhibits.defer("text"))
    for index, exhibit in enumerate(exhibits):
        exhibit.label = exhibit_label(index)  # type: ignore[attr-defined]
    tasks = _task_list(packet, content)
    first_open = next((row for row in tasks if row["state"] is not StepState.COMPLETE), None)
    findings = packet_readiness(packet=packet)
    _count_findings(tasks, findings)
    return render(
        request,
        "packets/detail.html",
        {
            "readiness": readiness_groups(packet, findings),
            "packet": packet,
            "tasks": tasks,
            "exhibits": exhibits,
            "first_open": first_open,
            "complete": sum(row["state"] is StepState.COMPLETE for row in tasks),
            "counsel": packet_counsel_members(packet),
            "filing": packet_filing(packet),
        },
    )


@login_required
@require_GET
def packet_resume(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """ "Resume": the step this person last edited, or the packet page for one who may only read it."""
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    if packet.current_role == Role.VIEWER:  # type: ignore[attr-defined]
        return redirect("packet_detail", packet_id=packet.pk)
    return redirect("wizard_step", packet_id=packet.pk, step=packet_resume_step(packet=packet, user=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def packet_rename_view(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.RENAME)
    form = PacketNameForm(request.POST or None, initial={"name": packet.name})
    if request.method == "POST" and form.is_valid():
        packet_rename(packet=packet, name=form.cleaned_data["name"], by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Renamed."))
        return redirect("packet_detail", packet_id=packet.pk)
    return render(request, "packets/rename.html", {"packet": packet, "form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def packet_delete_view(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.DELETE)
    if request.method == "POST":
        if request.POST.get("confirm_name", "").strip() != packet.name:
            messages.error(request, _("Type the packet's name exactly to confirm. Nothing was deleted."))
            return render(request, "packets/delete.html", {"packet": packet}, status=400)
        name = packet.name
        packet_delete(packet=packet)
        messages.success(request, _("Deleted “%(name)s” and all its files.") % {"name": name})
        return redirect("dashboard")
    return render(request, "packets/delete.html", {"packet": packet, "exhibit_count": packet.exhibits.count()})


@login_required
def packet_review(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """Every answer, step by step, with a Change link to each step."""
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    content = packet.content
    exhibits = {str(exhibit.pk): exhibit for exhibit in packet.exhibits.defer("text")}
    for index, exhibit in enumerate(sorted(exhibits.values(), key=lambda e: (e.position, e.created_at))):
        exhibit.label = exhibit_label(index)  # type: ignore[attr-defined]
    sections = []
    tasks = _task_list(packet, content)
    findings = packet_readiness(packet=packet)
    _count_findings(tasks, findings)
    for task in tasks:
        step = task["step"]
        sections.append({**task, "answers": _answers(step, content, exhibits)})
    return render(
        request,
        "packets/review.html",
        {
            "readiness": readiness_groups(packet, findings),
            "packet": packet,
            "sections": sections,
            "exhibits": sorted(exhibits.values(), key=lambda e: e.position),
        },
    )


def _count_findings(tasks: list[dict[str, Any]], findings: list[Finding]) -> None:
    """Add each step's blocker and warning counts to its task-list row (the badge)."""
    for task in tasks:
        mine = [finding for finding in findings if finding.step == task["step"].name]
        task["blockers"] = sum(finding.severity is Severity.BLOCKER for finding in mine)
        task["warnings"] = sum(finding.severity is Severity.WARNING for finding in mine)


def _answers(step: Any, content: PacketData, exhibits: dict[str, Any]) -> list[dict[str, Any]]:
    """(label, value) pairs for the review page; lists become small tables, exhibit ids become labels."""
    if step.section is None:
        return []
    form = step.form
    section = content.section(step.section)
    value = section.model_dump(mode="json")
    answers: list[dict[str, Any]] = []
    fields = form().fields  # labels of choices ("Government agency", not "government_agency")
    for name in form.field_names:
        info = type(section).model_fields[name]
        answers.append({"label": _(info.title or name), "value": _plain(value.get(name), fields.get(name))})
    for name, spec in form.lists.items():
        rows = []
        row_fields = spec.form().fields
        for row in value.get(name) or []:
            cells = [_plain(row.get(field), row_fields.get(field)) for field in spec.form.field_names]
            letter = row.get("letter_exhibit_id")
            if "letter_exhibit_id" in row:
                cells.append(_exhibit_name(exhibits, letter))
            rows.append(cells)
        headers = [_(spec.form.model.model_fields[field].title or field) for field in spec.form.field_names]
        if name == "items":
            headers.append(_("Support letter"))
        answers.append({"label": spec.title, "table": {"headers": headers, "rows": rows}})
    answers.extend(
        {"label": _(type(section).model_fields[key].title or key), "value": _exhibit_name(exhibits, value.get(key))}
        for key in ("passport_exhibit_id", "cv_exhibit_id")
        if key in value
    )
    return answers


def _exhibit_name(exhibits: dict[str, Any], exhibit_id: str | None) -> str:
    exhibit = exhibits.get(str(exhibit_id)) if exhibit_id else None
    if exhibit is None:
        return _("Not uploaded")
    return _("Exhibit %(label)s — %(title)s (%(pages)s p.)") % {
        "label": exhibit.label,
        "title": exhibit.title,
        "pages": exhibit.page_count,
    }


def _plain(value: Any, field: Any = None) -> str:
    if value is None or value == "":
        return ""
    choices = dict(getattr(field, "choices", None) or ())
    if not isinstance(value, bool) and str(value) in choices:
        return str(choices[str(value)])
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return str(value)


@login_required
def packet_finish(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """Check every step; go to the first that needs work, or to the review page when all are complete."""
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    content = packet.content
    for task in _task_list(packet, content):
        if task["state"] is not StepState.COMPLETE:
            messages.warning(
                request,
                _("“%(step)s” still needs work before the packet is complete.") % {"step": task["step"].title},
            )
            return redirect("wizard_step", packet_id=packet.pk, step=task["step"].name)
    messages.success(request, _("Every step is complete. Check your answers below."))
    return redirect("packet_review", packet_id=packet.pk)


@login_required
def packet_checklist(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """The forms, fees and enclosures for this packet, from the versioned filing-facts file."""
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    facts = filing_facts()
    age = facts.days_since_verified(timezone.localdate())
    return render(
        request,
        "packets/checklist.html",
        {
            "packet": packet,
            "facts": facts,
            "items": filing_checklist(packet.content, facts),
            "age": age,
            "stale": age > FACTS_MAX_AGE_DAYS,
        },
    )
