"""Rendering a stored packet into a new immutable ``PacketVersion``, and the render jobs the browser follows."""

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from packets.assembly.exhibits import ExhibitError, ExhibitSource
from packets.assembly.html import PrintApproval, PrintMeta, PrintReparole
from packets.assembly.partcache import PartCache
from packets.assembly.render import RenderedPacket, RenderError, render_packet_pdf
from packets.evidence.labels import exhibit_label
from packets.models import Decision, Exhibit, ExhibitKind, Filing, Packet, PacketVersion, RenderJob, RenderState
from packets.review.approval import packet_approver
from packets.review.workflow import ReviewRefused, packet_final_render_check

logger = logging.getLogger(__name__)


def exhibit_sources(packet: Packet) -> list[ExhibitSource]:
    """The packet's exhibits in their order, labelled A, B, … as everywhere in the app."""
    sources = []
    for index, exhibit in enumerate(Exhibit.objects.filter(packet=packet)):
        sources.append(
            ExhibitSource(
                id=str(exhibit.pk),
                label=exhibit_label(index),
                kind=exhibit.kind,
                kind_label=str(ExhibitKind(exhibit.kind).label) if exhibit.kind in ExhibitKind.values else "",
                title=exhibit.title,
                issuer=exhibit.issuer,
                issued_on=exhibit.issued_on.isoformat() if exhibit.issued_on else "",
                sha256=exhibit.sha256,
                content_type=exhibit.content_type,
                read=_reader(exhibit),
                pages=exhibit.page_count,
            )
        )
    return sources


def _print_approval(packet: Packet) -> PrintApproval | None:
    approver = packet_approver(packet)
    if approver is None:
        return None
    return PrintApproval(approver.name, approver.firm, approver.approved_on, approver.revision)


def print_reparole(packet: Packet) -> PrintReparole | None:
    """The earlier case a re-parole request extends (its receipt number and parole period), or None."""
    if packet.reparole_of_id is None:
        return None
    filing = Filing.objects.filter(packet_id=packet.reparole_of_id).first()
    decision = Decision.objects.filter(packet_id=packet.reparole_of_id).first()
    return PrintReparole(
        receipt_number=filing.receipt_number if filing else "",
        parole_from=decision.parole_from if decision else None,
        parole_to=decision.parole_to if decision else None,
    )


def _reader(exhibit: Exhibit) -> Callable[[], bytes]:
    def read() -> bytes:
        with exhibit.file.open("rb") as handle:
            return handle.read()

    return read


def packet_pdf(
    *,
    packet: Packet,
    final: bool,
    version_number: int,
    created_at: datetime,
    progress: Callable[[str], None] | None = None,
) -> tuple[RenderedPacket, list[ExhibitSource]]:
    """Render ``packet`` as it is stored now, without saving anything.

    In English, whatever the active language: English is the filing language (the exhibit kinds are labelled here).
    """
    with translation.override("en"):
        sources = exhibit_sources(packet)
        meta = PrintMeta(
            packet_name=packet.name,
            version_number=version_number,
            final=final,
            rendered_on=timezone.localdate(created_at),
            filed_without_counsel_on=(
                timezone.localdate(packet.filed_without_counsel_at) if packet.filed_without_counsel_at else None
            ),
            approval=_print_approval(packet) if final else None,
            reparole=print_reparole(packet),
        )
        rendered = render_packet_pdf(
            data=packet.content,
            exhibits=sources,
            meta=meta,
            created_at=created_at,
            progress=progress,
            cache=PartCache(str(packet.pk)),
        )
    return rendered, sources


def packet_render(
    *, packet: Packet, final: bool, by: User | None, progress: Callable[[str], None] | None = None
) -> PacketVersion:
    """Render the packet and store the result as its next ``PacketVersion`` (earlier versions are kept)."""
    if final:  # only from the approved revision, with no blocker left (packets.review.workflow raises ReviewRefused)
        packet_final_render_check(packet=packet, by=by)
    created_at = timezone.now()
    data = packet.data
    number = _next_number(packet)
    rendered, sources = packet_pdf(
        packet=packet, final=final, version_number=number, created_at=created_at, progress=progress
    )
    with transaction.atomic():
        Packet.objects.select_for_update().get(pk=packet.pk)
        # Another render may have taken the number meanwhile; the PDF prints it, so render again in that (rare) case.
        if _next_number(packet) != number:
            return packet_render(packet=packet, final=final, by=by, progress=progress)
        version = PacketVersion(
            packet=packet,
            number=number,
            data=data,
            exhibits=[{"label": s.label, "id": s.id, "title": s.title, "sha256": s.sha256} for s in sources],
            sha256=hashlib.sha256(rendered.pdf).hexdigest(),
            page_count=rendered.page_count,
            size=len(rendered.pdf),
            final=final,
            created_by=by,
            created_at=created_at,
        )
        version.pdf.save(f"packet-v{number}.pdf", ContentFile(rendered.pdf), save=False)
        version.save()
    return version


def _next_number(packet: Packet) -> int:
    last = PacketVersion.objects.filter(packet=packet).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


# A job's message is stored in English (the render runs in English) and translated where it is shown.
STALE_MESSAGE = gettext_noop(
    "The render stopped unexpectedly (its worker was interrupted); nothing was saved. Start it again."
)
NEVER_STARTED_MESSAGE = gettext_noop(
    "The render never started: no background worker took it up in time, so nothing was made. Try again. If it "
    "happens again, the site's worker may be stopped: tell the person who runs this site."
)
INTERNAL_ERROR_MESSAGE = gettext_noop("The packet could not be rendered because of an internal error.")


def render_jobs_fail_stale(*, packet: Packet | None = None, exclude: str | None = None) -> int:
    """Mark jobs whose worker died, or that no worker took up, as failed, so their page stops waiting; returns how
    many.

    A running render updates its job at every stage; one not updated for ``RENDER_STALE_MINUTES`` lost its worker
    (killed, out of memory, machine restarted): its transaction was rolled back, so no version was saved. A job still
    queued that long was never taken up (no worker running, or one that died as it took the job): it fails too, and
    ``render_job_run`` will not run it if a worker reaches its task later. Called when a job's page or its packet's
    render panel is viewed and whenever a worker starts a render.
    """
    cutoff = timezone.now() - timedelta(minutes=settings.RENDER_STALE_MINUTES)
    jobs = RenderJob.objects.filter(updated_at__lt=cutoff)
    if packet is not None:
        jobs = jobs.filter(packet=packet)
    if exclude is not None:
        jobs = jobs.exclude(pk=exclude)
    now = timezone.now()
    started = jobs.filter(state__in=[RenderState.LAYING_OUT, RenderState.PLACING_EXHIBITS])
    failed = started.update(state=RenderState.FAILED, message=STALE_MESSAGE, updated_at=now)
    queued = jobs.filter(state=RenderState.QUEUED)
    return failed + queued.update(state=RenderState.FAILED, message=NEVER_STARTED_MESSAGE, updated_at=now)


def render_job_run(*, job_id: str) -> RenderJob:
    """Run a queued render job, recording each stage and the outcome on the job."""
    render_jobs_fail_stale(exclude=job_id)
    # Take the job only while it is still queued (one UPDATE, so it races safely with render_jobs_fail_stale): a job
    # already failed as never started, or already run, is left as it is.
    taken = RenderJob.objects.filter(pk=job_id, state=RenderState.QUEUED).update(updated_at=timezone.now())
    job = RenderJob.objects.select_related("packet", "requested_by").get(pk=job_id)
    if not taken:
        logger.warning("render job %s is %s, not queued: not run", job.pk, job.state)
        return job

    def progress(state: str) -> None:
        RenderJob.objects.filter(pk=job.pk).update(state=state, updated_at=timezone.now())

    try:
        version = packet_render(packet=job.packet, final=job.final, by=job.requested_by, progress=progress)
    except (RenderError, ExhibitError, ReviewRefused) as error:
        job.state, job.message = RenderState.FAILED, str(error)
        job.save(update_fields=["state", "message", "updated_at"])
        return job
    except Exception:
        # Anything else is our bug; the job must still end, or the progress page would wait forever.
        logger.exception("render job %s failed", job.pk)
        job.state, job.message = RenderState.FAILED, INTERNAL_ERROR_MESSAGE
        job.save(update_fields=["state", "message", "updated_at"])
        return job
    job.state, job.version, job.message = RenderState.DONE, version, ""
    job.save(update_fields=["state", "version", "message", "updated_at"])
    return job
