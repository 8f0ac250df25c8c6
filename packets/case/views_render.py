"""Building and downloading the case's PDFs that carry exhibits (a response to a request for evidence, a
supplemental letter). Rendered in the request: a letter and a few exhibits take a few seconds, not minutes.

Who may build what: a draft needs Action.RENDER (owner, editor, counsel); the final response (no DRAFT mark) needs
Action.RENDER_FINAL (owner, counsel) — and, in the service, counsel's approval of the response as it is now. So
counsel approves, and then the owner or counsel builds the final; an editor can only ever build drafts.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from packets.assembly.exhibits import ExhibitError
from packets.assembly.render import RenderError
from packets.case.access import case_packet_for_user
from packets.case.rendering import amendment_render, rfe_response_render
from packets.models import Amendment, CaseRender, RequestForEvidence
from packets.permissions import Action, signed_in_user
from packets.review.workflow import ReviewRefused

FAILED = (RenderError, ExhibitError, ReviewRefused)


def _back(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(f"/packets/{packet_id}/case/")


def _final(request: HttpRequest) -> bool:
    return request.POST.get("final") == "1"


@login_required
@require_POST
def case_rfe_render(request: HttpRequest, packet_id: UUID, rfe_id: UUID) -> HttpResponse:
    final = _final(request)
    packet = case_packet_for_user(request.user, packet_id, Action.RENDER_FINAL if final else Action.RENDER)
    rfe = get_object_or_404(RequestForEvidence, pk=rfe_id, packet=packet)
    try:
        rendered = rfe_response_render(rfe=rfe, by=signed_in_user(request), final=final)
    except FAILED as error:
        messages.error(request, _("The response PDF was not built: %(reason)s") % {"reason": _(str(error))})
        return _back(request, packet_id)
    messages.success(
        request,
        (
            _("The final response PDF is ready (%(pages)s pages).")
            if final
            else _("A draft of the response PDF is ready (%(pages)s pages, marked DRAFT).")
        )
        % {"pages": rendered.page_count},
    )
    return _back(request, packet_id)


@login_required
@require_POST
def case_amendment_render(request: HttpRequest, packet_id: UUID, amendment_id: UUID) -> HttpResponse:
    final = _final(request)
    packet = case_packet_for_user(request.user, packet_id, Action.RENDER_FINAL if final else Action.RENDER)
    amendment = get_object_or_404(Amendment, pk=amendment_id, packet=packet)
    try:
        rendered = amendment_render(amendment=amendment, by=signed_in_user(request), final=final)
    except FAILED as error:
        messages.error(request, _("The supplemental letter PDF was not built: %(reason)s") % {"reason": _(str(error))})
        return _back(request, packet_id)
    messages.success(
        request, _("The supplemental letter PDF is ready (%(pages)s pages).") % {"pages": rendered.page_count}
    )
    return _back(request, packet_id)


@login_required
@require_GET
def case_render_download(request: HttpRequest, packet_id: UUID, render_id: UUID) -> FileResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.VIEW)
    render = get_object_or_404(CaseRender, pk=render_id, packet=packet)
    try:
        handle = render.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = f"{render.kind.replace('_', '-')}-{render.created_at:%Y-%m-%d}{'' if render.final else '-draft'}.pdf"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
