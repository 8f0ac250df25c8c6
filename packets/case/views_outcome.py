"""The decision, departure and reporting conditions of a case."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from packets.case.access import case_packet_for_user
from packets.case.deadlines import cadence_from_text
from packets.case.decision import condition_save, decision_save, departure_save, parole_fee_default
from packets.case.decision_forms import ConditionForm, DecisionForm, DepartureForm
from packets.case.log import case_log_record
from packets.content.facts import filing_facts
from packets.evidence.uploads import UploadRejected
from packets.models import Decision, DecisionOutcome, Filing, ReportingCondition
from packets.permissions import Action, signed_in_user

_INITIAL: tuple[str, ...] = ("outcome", "decided_on", "note", "parole_from", "parole_to", "employment_limits")
_INITIAL += ("other_conditions", "fee_amount_usd", "fee_due_on", "fee_paid_on", "travel_document_on", "arrived_on")


@login_required
@require_http_methods(["GET", "POST"])
def case_decision(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.VIEW if request.method == "GET" else Action.EDIT)
    filing = Filing.objects.get(packet_id=packet.pk)
    decision = Decision.objects.filter(packet=packet).first()
    initial = (
        {name: getattr(decision, name) for name in _INITIAL} if decision else {"fee_amount_usd": parole_fee_default()}
    )
    form = DecisionForm(request.POST or None, request.FILES or None, initial=initial, filing=filing)
    if request.method == "POST" and form.is_valid():
        try:
            decision_save(packet=packet, by=signed_in_user(request), data=form.cleaned_data)
        except UploadRejected as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("case_page", packet_id=packet.pk)
    fee = filing_facts().get("fee_parole")
    return render(
        request,
        "case/decision.html",
        {"packet": packet, "form": form, "decision": decision, "fee_fact": fee},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_departure(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.EDIT)
    decision = get_object_or_404(Decision, packet=packet, outcome=DecisionOutcome.APPROVED)
    initial = {"departed_on": decision.departed_on, "closed_on": decision.closed_on}
    form = DepartureForm(request.POST or None, request.FILES or None, initial=initial, arrived_on=decision.arrived_on)
    if request.method == "POST" and form.is_valid():
        try:
            departure_save(packet=packet, by=signed_in_user(request), decision=decision, data=form.cleaned_data)
        except UploadRejected as error:
            form.add_error("departure_proof", str(error))
        else:
            messages.success(request, _("The departure is recorded. The closing report comes next."))
            return redirect("case_page", packet_id=packet.pk)
    return render(request, "case/departure.html", {"packet": packet, "form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def case_condition_new(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    return _condition(request, packet_id, None)


@login_required
@require_http_methods(["GET", "POST"])
def case_condition_edit(request: HttpRequest, packet_id: UUID, condition_id: int) -> HttpResponse:
    return _condition(request, packet_id, condition_id)


def _condition(request: HttpRequest, packet_id: UUID, condition_id: int | None) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.EDIT)
    decision = get_object_or_404(Decision, packet=packet, outcome=DecisionOutcome.APPROVED)
    condition = None
    initial: dict[str, object] = {}
    if condition_id is not None:
        condition = get_object_or_404(ReportingCondition, pk=condition_id, decision=decision)
        initial = {
            name: getattr(condition, name) for name in ("recipient", "how", "cadence", "every_days", "first_due_on")
        }
    form = ConditionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        condition_save(
            packet=packet, by=signed_in_user(request), decision=decision, data=form.cleaned_data, condition=condition
        )
        messages.success(request, _("The reporting condition is saved; its due dates are on the case page."))
        return redirect("case_page", packet_id=packet.pk)
    monitoring = packet.content.monitoring.reporting_channels
    return render(
        request,
        "case/condition.html",
        {
            "packet": packet,
            "form": form,
            "condition": condition,
            "monitoring": monitoring,
            "monitoring_found": cadence_from_text(monitoring) is not None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def case_condition_remove(request: HttpRequest, packet_id: UUID, condition_id: int) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.EDIT)
    condition = get_object_or_404(ReportingCondition, pk=condition_id, decision__packet=packet)
    case_log_record(
        packet=packet,
        by=signed_in_user(request),
        summary=_("Reporting condition to %(r)s removed.") % {"r": condition.recipient},
    )
    condition.delete()
    messages.success(request, _("The reporting condition was removed."))
    return redirect("case_page", packet_id=packet.pk)
