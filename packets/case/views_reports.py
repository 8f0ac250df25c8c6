"""Writing a report for one due date of a reporting condition, and building its PDF."""

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from packets.assembly.render import RenderError
from packets.case.access import case_packet_for_user
from packets.case.report_forms import ReportForm
from packets.case.reports import ReportRefused, report_achievements, report_period, report_render, report_save
from packets.case.summary import case_summary
from packets.models import CaseRenderKind, ConditionReport, DecisionOutcome, ReportingCondition
from packets.permissions import Action, signed_in_user


def _due(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise Http404 from error


@login_required
@require_http_methods(["GET", "POST"])
def case_report(request: HttpRequest, packet_id: UUID, condition_id: int, due: str) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.VIEW if request.method == "GET" else Action.EDIT)
    condition = get_object_or_404(
        ReportingCondition, pk=condition_id, decision__packet=packet, decision__outcome=DecisionOutcome.APPROVED
    )
    case = case_summary(packet)
    period = report_period(case, condition, _due(due))
    if period is None:
        raise Http404
    report = ConditionReport.objects.filter(condition=condition, due_on=period.due_on).first()
    initial: dict[str, object] = {"revision": report.revision if report else 0}
    if report:
        initial |= {"narrative": report.narrative, "sent_on": report.sent_on}
    form = ReportForm(
        request.POST or None,
        initial=initial,
        rows=report_achievements(packet, case, report),
        period_from=period.period_from,
    )
    if request.method == "POST" and form.is_valid():
        try:
            report_save(
                packet=packet,
                condition=condition,
                period=period,
                by=signed_in_user(request),
                revision=form.cleaned_data["revision"],
                narrative=form.cleaned_data["narrative"],
                achievements=form.achieved_rows(),
                sent_on=form.cleaned_data["sent_on"],
            )
        except ReportRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report is saved. Build its PDF below when it is ready to send."))
            return redirect("case_report", packet_id=packet.pk, condition_id=condition.pk, due=due)
    renders = report.renders.filter(kind=CaseRenderKind.REPORT) if report else []
    context = {
        "packet": packet,
        "condition": condition,
        "period": period,
        "report": report,
        "renders": renders,
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "case/report.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def case_report_pdf(request: HttpRequest, packet_id: UUID, report_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.RENDER)
    report = get_object_or_404(
        ConditionReport.objects.select_related("condition"), pk=report_id, condition__decision__packet=packet
    )
    back = redirect("case_report", packet_id=packet.pk, condition_id=report.condition_id, due=report.due_on.isoformat())
    try:
        rendered = report_render(packet=packet, case=case_summary(packet), report=report, by=signed_in_user(request))
    except RenderError as error:
        messages.error(request, _("The report PDF was not built: %(reason)s") % {"reason": str(error)})
        return back
    messages.success(
        request,
        ngettext(
            "The report PDF is ready (%(pages)s page).",
            "The report PDF is ready (%(pages)s pages).",
            rendered.page_count,
        )
        % {"pages": rendered.page_count},
    )
    return back
