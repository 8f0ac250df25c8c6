"""The case page, the filing record, the case log and the case's documents."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from packets.case.access import case_packet_for_user
from packets.case.documents import case_document_remove
from packets.case.filing_record import FilingRecordForm, filing_record_update
from packets.case.log_forms import CaseLogForm, case_log_save
from packets.case.summary import case_summary
from packets.evidence.uploads import UploadRejected
from packets.models import CHANGE_KINDS, CaseDocument, CaseLogEntry, CaseLogKind, Filing
from packets.permissions import Action, signed_in_user

_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@login_required
@require_GET
def case_page(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.VIEW)
    case = case_summary(packet)
    log = list(CaseLogEntry.objects.filter(packet=packet).prefetch_related("attachments").select_related("created_by"))
    return render(
        request,
        "case/case_page.html",
        {
            "packet": packet,
            "case": case,
            "filing": case.filing,
            "today": timezone.localdate(),
            "log": log,
            "change_kinds": [str(kind) for kind in CHANGE_KINDS],
            "reparole_requests": list(packet.reparole_requests.filter(memberships__user=signed_in_user(request))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_filing_edit(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.EDIT)
    filing = Filing.objects.select_related("filed_version", "receipt_notice").get(packet_id=packet.pk)
    initial = {
        "receipt_number": filing.receipt_number,
        "receipt_on": filing.receipt_on,
        "e_notification_requested": filing.e_notification_requested,
    }
    form = FilingRecordForm(request.POST or None, request.FILES or None, initial=initial, filing=filing)
    if request.method == "POST" and form.is_valid():
        try:
            filing_record_update(packet=packet, by=signed_in_user(request), form=form)
        except UploadRejected as error:
            form.add_error("receipt_notice", str(error))
        else:
            messages.success(request, _("The filing record is saved."))
            return redirect("case_page", packet_id=packet.pk)
    return render(
        request,
        "case/filing_edit.html",
        {"packet": packet, "filing": filing, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_log_add(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    return _log_form(request, packet_id, None)


@login_required
@require_http_methods(["GET", "POST"])
def case_log_edit(request: HttpRequest, packet_id: UUID, entry_id: UUID) -> HttpResponse:
    return _log_form(request, packet_id, entry_id)


def _log_form(request: HttpRequest, packet_id: UUID, entry_id: UUID | None) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.EDIT)
    filing = Filing.objects.get(packet_id=packet.pk)
    entry = None
    initial: dict[str, object] = {"happened_on": timezone.localdate()}
    if entry_id is not None:
        entry = get_object_or_404(CaseLogEntry.objects.exclude(kind=CaseLogKind.EVENT), pk=entry_id, packet=packet)
        initial = {"happened_on": entry.happened_on, "kind": entry.kind, "who": entry.who, "summary": entry.summary}
    form = CaseLogForm(request.POST or None, request.FILES or None, initial=initial, filing=filing)
    if request.method == "POST" and form.is_valid():
        try:
            case_log_save(packet=packet, by=signed_in_user(request), form=form, entry=entry)
        except UploadRejected as error:
            form.add_error("attachment", str(error))
        else:
            messages.success(request, _("The case log is saved."))
            return redirect(f"/packets/{packet.pk}/case/#case-log")
    return render(
        request,
        "case/log_form.html",
        {"packet": packet, "form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def case_log_delete(request: HttpRequest, packet_id: UUID, entry_id: UUID) -> HttpResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.EDIT)
    entry = get_object_or_404(CaseLogEntry.objects.exclude(kind=CaseLogKind.EVENT), pk=entry_id, packet=packet)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick “Yes, delete this entry” to delete it. Nothing was deleted."))
        return redirect("case_log_edit", packet_id=packet.pk, entry_id=entry.pk)
    for document in entry.attachments.all():
        case_document_remove(document=document)
    entry.delete()
    messages.success(request, _("The entry was deleted from the case log."))
    return redirect(f"/packets/{packet.pk}/case/#case-log")


@login_required
@require_GET
def case_document_download(request: HttpRequest, packet_id: UUID, document_id: UUID) -> FileResponse:
    packet = case_packet_for_user(request.user, packet_id, Action.VIEW)
    document = get_object_or_404(CaseDocument, pk=document_id, packet=packet)
    extension = _EXTENSIONS.get(document.content_type, "bin")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"case-{document.kind.replace('_', '-')}-{str(document.pk)[:8]}.{extension}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
