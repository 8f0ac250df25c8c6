"""Rendering a packet from the browser: start a render, follow its progress, download versions (whole, or split for
online filing), edit the letter."""

import io
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from packets.assembly.html import generated_cover_letter
from packets.assembly.narrative import PrintExhibit
from packets.assembly.splitting import SplitError
from packets.content.schema_types import LONG_TEXT_MAX
from packets.content.services import StaleEdit, packet_save_section
from packets.models import PacketVersion, RenderJob, RenderState
from packets.permissions import Action, packet_for_user, role_allows
from packets.rendering.forms import OnlineFilingForm
from packets.rendering.online import version_online_zip
from packets.rendering.progress import render_job_progress
from packets.rendering.tasks import render_job_start
from packets.rendering.versions import exhibit_sources, render_jobs_fail_stale
from packets.text_fields import counted_attrs, too_long_message

REFRESH_SECONDS = 2


@login_required
@require_POST
def render_start(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.RENDER)
    # Drafts only for now: counsel's approval (a later issue) decides when a render may be final.
    job = render_job_start(packet=packet, by=request.user, final=False)  # type: ignore[arg-type]
    return redirect("packet_render_job", packet_id=packet.pk, job_id=job.pk)


def _job(request: HttpRequest, packet_id: UUID, job_id: UUID) -> RenderJob:
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    render_jobs_fail_stale(packet=packet)  # a job whose worker died would otherwise be "laying out" forever
    job = get_object_or_404(RenderJob.objects.select_related("version"), pk=job_id, packet=packet)
    job.packet = packet  # the one that carries the user's role
    return job


@login_required
@require_GET
def render_job_view(request: HttpRequest, packet_id: UUID, job_id: UUID) -> HttpResponse:
    job = _job(request, packet_id, job_id)
    role = getattr(job.packet, "current_role", "")
    return render(
        request,
        "packets/render_job.html",
        {
            "packet": job.packet,
            "job": job,
            "progress": render_job_progress(job),
            "refresh_seconds": None if job.finished else REFRESH_SECONDS,
            "status_url": reverse("packet_render_status", args=[job.packet_id, job.pk]),
            # A failed draft can be started again from here; a final render goes back through counsel's page.
            "can_retry": job.state == RenderState.FAILED and not job.final and role_allows(role, Action.RENDER),
        },
    )


@login_required
@require_GET
def render_job_status(request: HttpRequest, packet_id: UUID, job_id: UUID) -> JsonResponse:
    return JsonResponse(render_job_progress(_job(request, packet_id, job_id)))


@login_required
@require_GET
def version_download(request: HttpRequest, packet_id: UUID, number: int) -> FileResponse:
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    version = get_object_or_404(PacketVersion, packet=packet, number=number)
    try:
        handle = version.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    suffix = "" if version.final else "-draft"
    name = f"{packet.name}-v{version.number}{suffix}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


@login_required
@require_GET
def version_online_filing(request: HttpRequest, packet_id: UUID) -> HttpResponse | FileResponse:
    """A rendered version as a ZIP of files under the chosen size limit; without a choice yet, the form."""
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    versions = list(PacketVersion.objects.filter(packet=packet))
    form = OnlineFilingForm(request.GET or None, versions=versions)
    if form.is_bound and form.is_valid():
        version = next(v for v in versions if v.number == form.cleaned_data["version"])
        try:
            archive = version_online_zip(version=version, limit_mb=form.cleaned_data["max_mb"])
        except FileNotFoundError as error:
            raise Http404 from error
        except SplitError as error:
            form.add_error("max_mb", str(error))
        else:
            suffix = "" if version.final else "-draft"
            name = f"{packet.name}-v{version.number}{suffix}-online-filing.zip"
            return FileResponse(io.BytesIO(archive), as_attachment=True, filename=name, content_type="application/zip")
    context = {"packet": packet, "form": form, "has_versions": bool(versions)}
    return render(request, "packets/online_filing.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def cover_letter_edit(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.EDIT)
    exhibits = [PrintExhibit(index=i, source=s, pages=1) for i, s in enumerate(exhibit_sources(packet))]
    with translation.override("en"):  # the letter as the packet prints it: in English, the filing language
        generated = generated_cover_letter(packet.content, exhibits)
    text = packet.content.cover_letter.text or generated
    error = ""
    if request.method == "POST":
        text = request.POST.get("text", "").replace("\r\n", "\n").strip()
        if request.POST.get("action") == "reset":
            text = ""
        # The generated letter is stored as "no edit", so it keeps following the answers.
        stored = "" if text == generated.strip() else text
        try:
            if len(stored) > LONG_TEXT_MAX:  # refused whole, in words; never cut by the browser (no maxlength)
                raise ValueError("too long")
            base = int(request.POST.get("revision", packet.revision))
            packet_save_section(
                packet=packet,
                section="cover_letter",
                value={"text": stored},
                base_revision=base,
                by=request.user,  # type: ignore[arg-type]
            )
        except StaleEdit:
            error = _("Someone else changed the cover letter since you opened it. Their text is shown below.")
            packet.refresh_from_db()
            text = packet.content.cover_letter.text or generated
        except (ValidationError, ValueError):
            error = too_long_message(stored, LONG_TEXT_MAX)
        else:
            messages.success(request, _("Cover letter saved."))
            return redirect("packet_detail", packet_id=packet.pk)
    return render(
        request,
        "packets/cover_letter.html",
        {
            "packet": packet,
            "text": text,
            "edited": bool(packet.content.cover_letter.text),
            "error": error,
            "revision": packet.revision,
            "counted": counted_attrs(LONG_TEXT_MAX),
        },
        status=400 if error else 200,
    )
