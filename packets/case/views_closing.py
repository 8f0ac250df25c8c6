"""The closing report (after the departure), its PDF, and the publishable summary: its preview with what is left
out, its own text, its PDF and its Markdown."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from packets.assembly.render import RenderError
from packets.case.access import case_packet_for_user
from packets.case.closing import (
    ClosingRefused,
    closing_available,
    closing_milestones,
    closing_outcomes,
    closing_render,
    closing_renders,
    closing_save,
    compliance_lines,
    departure_proof,
)
from packets.case.public_summary import (
    public_summary,
    public_summary_render,
    public_summary_save,
    summary_markdown,
    summary_text,
)
from packets.case.report_forms import ClosingForm, PublicSummaryForm
from packets.case.summary import CaseSummary, case_summary
from packets.models import CaseRenderKind, ClosingReport, Packet
from packets.permissions import Action, signed_in_user


def _not_yet(request: HttpRequest, packet: Packet, case: CaseSummary, template: str) -> HttpResponse:
    """Before the departure: the page says why there is nothing to write yet (a POST is refused, 400)."""
    context = {"packet": packet, "case": case, "available": False}
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def case_closing(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.VIEW if request.method == "GET" else Action.EDIT)
    case = case_summary(packet)
    if not closing_available(case):
        return _not_yet(request, packet, case, "case/closing.html")
    closing = case.closing
    initial: dict[str, object] = {"revision": closing.revision if closing else 0}
    if closing:
        initial |= {
            name: getattr(closing, name) for name in ("capacity_built", "continued_by", "compliance", "lessons")
        }
    form = ClosingForm(
        request.POST or None,
        initial=initial,
        rows=closing_outcomes(packet, case, closing),
        milestones=closing_milestones(packet, closing),
    )
    if request.method == "POST" and form.is_valid():
        try:
            closing_save(
                packet=packet,
                case=case,
                by=signed_in_user(request),
                revision=form.cleaned_data["revision"],
                outcomes=form.achieved_rows(),
                milestones=form.milestones(),
                texts=form.texts(),
            )
        except ClosingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The closing report is saved. Build its PDF below when it is ready."))
            return redirect("case_closing", packet_id=packet.pk)
    context = {
        "packet": packet,
        "case": case,
        "available": True,
        "closing": closing,
        "form": form,
        "compliance": compliance_lines(case),
        "proof": departure_proof(case),
        "renders": closing_renders(packet, CaseRenderKind.CLOSING),
    }
    return render(request, "case/closing.html", context, status=400 if form.errors else 200)


def _saved_closing(request: HttpRequest, packet_id: UUID, action: Action) -> tuple[Packet, CaseSummary, ClosingReport]:
    packet = case_packet_for_user(request.user, packet_id, action)
    case = case_summary(packet)
    if not closing_available(case) or case.closing is None:
        raise ClosingRefused(_("Write and save the closing report first."))
    return packet, case, case.closing


@login_required
@require_POST
def case_closing_pdf(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    back = redirect("case_closing", packet_id=packet_id)
    try:
        packet, case, closing = _saved_closing(request, packet_id, Action.RENDER)
        rendered = closing_render(packet=packet, case=case, closing=closing, by=signed_in_user(request))
    except (ClosingRefused, RenderError) as error:
        messages.error(request, _("The closing report PDF was not built: %(reason)s") % {"reason": str(error)})
        return back
    messages.success(
        request,
        ngettext(
            "The closing report PDF is ready (%(pages)s page).",
            "The closing report PDF is ready (%(pages)s pages).",
            rendered.page_count,
        )
        % {"pages": rendered.page_count},
    )
    return back


@login_required
@require_http_methods(["GET", "POST"])
def case_public_summary(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.VIEW if request.method == "GET" else Action.EDIT)
    case = case_summary(packet)
    if not closing_available(case):
        return _not_yet(request, packet, case, "case/public_summary.html")
    closing = case.closing
    initial = {"revision": closing.revision if closing else 0, "text": summary_text(packet, case, closing)}
    form = PublicSummaryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            public_summary_save(
                packet=packet,
                case=case,
                by=signed_in_user(request),
                revision=form.cleaned_data["revision"],
                text=form.cleaned_data["text"],
            )
        except ClosingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The summary is saved. The preview below shows what will be published."))
            return redirect("case_public_summary", packet_id=packet.pk)
    context = {
        "packet": packet,
        "case": case,
        "available": True,
        "closing": closing,
        "form": form,
        "redaction": public_summary(packet, case, closing),
        "renders": closing_renders(packet, CaseRenderKind.PUBLIC_SUMMARY),
        "today": timezone.localdate(),
    }
    return render(request, "case/public_summary.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def case_public_summary_pdf(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    back = redirect("case_public_summary", packet_id=packet_id)
    try:
        packet, case, closing = _saved_closing(request, packet_id, Action.RENDER)
        rendered = public_summary_render(packet=packet, case=case, closing=closing, by=signed_in_user(request))
    except (ClosingRefused, RenderError) as error:
        messages.error(request, _("The summary PDF was not built: %(reason)s") % {"reason": str(error)})
        return back
    messages.success(
        request,
        ngettext(
            "The summary PDF is ready (%(pages)s page).",
            "The summary PDF is ready (%(pages)s pages).",
            rendered.page_count,
        )
        % {"pages": rendered.page_count},
    )
    return back


@login_required
@require_GET
def case_public_summary_markdown(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.VIEW)
    case = case_summary(packet)
    if not closing_available(case):
        return _not_yet(request, packet, case, "case/public_summary.html")
    name, text = summary_markdown(packet, case, case.closing)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
