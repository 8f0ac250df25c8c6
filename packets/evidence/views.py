"""Exhibit files and packet archives: served only through permission checks, always as attachments."""

import tempfile
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from packets.content.services import exhibit_move, exhibit_remove, exhibit_update
from packets.evidence.forms import ExhibitDetailsForm
from packets.models import Exhibit
from packets.permissions import Action, packet_for_user, signed_in_user


def _exhibit(request: HttpRequest, packet_id: UUID, exhibit_id: UUID, action: Action) -> Exhibit:
    packet = packet_for_user(request.user, packet_id, action)
    return get_object_or_404(Exhibit, pk=exhibit_id, packet=packet)


def _back(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("packet_detail", packet_id=packet_id)


@login_required
def exhibit_download(request: HttpRequest, packet_id: UUID, exhibit_id: UUID) -> FileResponse:
    exhibit = _exhibit(request, packet_id, exhibit_id, Action.VIEW)
    try:
        handle = exhibit.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(exhibit.content_type, "")
    name = exhibit.original_name if exhibit.original_name.lower().endswith(extension) else f"{exhibit.title}{extension}"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=exhibit.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def exhibit_remove_view(request: HttpRequest, packet_id: UUID, exhibit_id: UUID) -> HttpResponse:
    exhibit = _exhibit(request, packet_id, exhibit_id, Action.UPLOAD)
    title = exhibit.title
    exhibit_remove(exhibit=exhibit, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Removed “%(title)s”.") % {"title": title})
    return _back(request, packet_id)


@login_required
@require_POST
def exhibit_move_view(request: HttpRequest, packet_id: UUID, exhibit_id: UUID) -> HttpResponse:
    exhibit = _exhibit(request, packet_id, exhibit_id, Action.UPLOAD)
    exhibit_move(exhibit=exhibit, offset=-1 if request.POST.get("direction") == "up" else 1, by=signed_in_user(request))
    return _back(request, packet_id)


@login_required
@require_http_methods(["GET", "POST"])
def exhibit_edit_view(request: HttpRequest, packet_id: UUID, exhibit_id: UUID) -> HttpResponse:
    exhibit = _exhibit(request, packet_id, exhibit_id, Action.UPLOAD)
    form = ExhibitDetailsForm(
        request.POST or None,
        initial={
            "title": exhibit.title,
            "kind": exhibit.kind,
            "issuer": exhibit.issuer,
            "issued_on": exhibit.issued_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        exhibit_update(exhibit=exhibit, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Saved the details of “%(title)s”.") % {"title": exhibit.title})
        return _back(request, packet_id)
    return render(
        request,
        "packets/exhibit_edit.html",
        {"packet": exhibit.packet, "exhibit": exhibit, "form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@login_required
def packet_export_view(request: HttpRequest, packet_id: UUID) -> HttpResponseBase:
    """The packet as an archive (packet.json, exhibits, manifest) to move it to another installation."""
    from packets.portability.archive import ArchiveError, export_packet

    packet = packet_for_user(request.user, packet_id, Action.EXPORT)
    # Up to a packet's 250 MB: spill to a temporary file rather than holding it all in memory.
    buffer = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    try:
        export_packet(packet, buffer)
    except ArchiveError as error:
        buffer.close()
        messages.error(request, _("The packet could not be exported: %(reason)s") % {"reason": error})
        return redirect("packet_detail", packet_id=packet.pk)
    buffer.seek(0)
    slug = "".join(ch if ch.isalnum() else "-" for ch in packet.name).strip("-")[:60] or "packet"
    return FileResponse(buffer, as_attachment=True, filename=f"{slug}.zip", content_type="application/zip")
