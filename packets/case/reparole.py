"""Re-parole: from an approved case, a new packet that asks for the parole period to be extended.

The new packet starts from the earlier packet's content as it is now and the exhibits the requester keeps (each file
copied: read through the storage, which decrypts it, and stored again under the new packet, encrypted anew), plus,
when asked, the PDFs of the earlier period's reports as new exhibits — a re-parole request's best evidence. It is
linked to the earlier case (``Packet.reparole_of``): its cover and cover letter say it is a re-parole request and name
the earlier receipt number and parole period (``packets.rendering.versions``), and its readiness checks the earlier
period (``packets.review.readiness_reparole``). Everyone on the earlier packet keeps their role on the new one.
"""

from dataclasses import dataclass
from uuid import UUID, uuid4

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from packets.case.log import case_log_record
from packets.content.services import (
    ExhibitUpload,
    delete_stored_files,
    exhibit_add,
    packet_create,
    unreference_exhibit,
)
from packets.models import (
    CaseRender,
    CaseRenderKind,
    Decision,
    DecisionOutcome,
    Exhibit,
    ExhibitKind,
    Membership,
    Packet,
    Role,
)
from packets.portability.archive_case_import import remap_ids
from packets.review.edits import review_record_edit
from packets.review.workflow import ReviewRefused

# What an exhibit's copy takes over as it is (the file is copied apart; id, packet, position and uploader are new).
_EXHIBIT_FIELDS = (
    "kind",
    "title",
    "issuer",
    "issued_on",
    "original_name",
    "content_type",
    "size",
    "page_count",
    "sha256",
    "text",
    "text_status",
    "markup",
)


class ReparoleRefused(ReviewRefused):
    """A re-parole request cannot be started as asked (the packet changed meanwhile); plain words."""


class ReparoleAlreadyStarted(Exception):
    """The same form was sent again (a double click, a reload): the request it started is ``packet``."""

    def __init__(self, packet: Packet) -> None:
        super().__init__(str(packet.pk))
        self.packet = packet


@dataclass(frozen=True)
class ReparoleChoice:
    """What the requester chose: the new packet's name, the earlier exhibits to keep and the report PDFs to add."""

    name: str
    exhibit_ids: frozenset[UUID]
    render_ids: frozenset[UUID]


def approved_decision(packet: Packet) -> Decision | None:
    """The case's decision if it was an approval (only an approved case can ask for re-parole), else None."""
    return Decision.objects.filter(packet=packet, outcome=DecisionOutcome.APPROVED).first()


def report_renders(packet: Packet) -> list[CaseRender]:
    """The newest PDF of each report of the case, in due-date order: the reports that can be attached."""
    renders = CaseRender.objects.filter(packet=packet, kind=CaseRenderKind.REPORT, report__isnull=False)
    newest: dict[UUID, CaseRender] = {}
    for render in renders.select_related("report__condition").order_by("created_at"):
        newest[render.report_id] = render  # type: ignore[index]
    return sorted(newest.values(), key=lambda render: (render.report.due_on, render.report.condition_id))  # type: ignore[union-attr]


def report_exhibit_title(render: CaseRender) -> str:
    report = render.report
    if report is None:  # report_renders only gives renders of a report
        return str(CaseRenderKind.REPORT.label)
    return _("Report to %(recipient)s due %(date)s (earlier parole period)") % {
        "recipient": report.condition.recipient,
        "date": report.due_on.isoformat(),
    }


def reparole_start(
    *, packet: Packet, by: User, choice: ReparoleChoice, revision: int, requests_seen: int | None = None
) -> Packet:
    """Start a re-parole request from the approved case ``packet``: a new packet, linked to it, with its content, the
    chosen exhibits (in their order) and the chosen report PDFs; logged in the earlier case. ``revision``: the
    earlier packet's revision the choice was made on — a packet changed since is refused (choose again).
    ``requests_seen``: how many re-parole requests the form showed; one started since by this person means the form
    was sent twice, and that request is raised as ``ReparoleAlreadyStarted`` instead of a second one."""
    stored: list[str | None] = []
    try:
        with transaction.atomic():
            earlier = Packet.objects.select_for_update().get(pk=packet.pk)
            if requests_seen is not None:
                started = list(earlier.reparole_requests.filter(memberships__user=by).order_by("-created_at"))
                if len(started) > requests_seen:
                    raise ReparoleAlreadyStarted(started[0])
            if earlier.revision != revision:
                raise ReparoleRefused(
                    _(
                        "The packet changed while you were choosing (an exhibit or an answer). Your choice is still "
                        "in the form: check the list of exhibits and start the request again."
                    )
                )
            new = _new_packet(earlier, by, choice.name)
            new_ids = _copy_exhibits(earlier, new, choice.exhibit_ids, stored)
            data = remap_ids(earlier.data, new_ids)
            for old_id in Exhibit.objects.filter(packet=earlier).exclude(pk__in=choice.exhibit_ids).values_list("pk"):
                data = unreference_exhibit(data, str(old_id[0]))
            new.data = data
            new.reparole_of = earlier
            new.save(update_fields=["data", "reparole_of", "updated_at"])
            review_record_edit(packet=new, by=by, sections=["reparole"], summary="started as a re-parole request")
            reports = [render for render in report_renders(earlier) if render.pk in choice.render_ids]
            stored.extend(_attach_report(new, render, by).file.name for render in reports)
            case_log_record(
                packet=earlier,
                by=by,
                summary=_(
                    "Re-parole request started: %(name)s, with %(exhibits)s exhibit(s) and %(reports)s report(s)."
                )
                % {"name": new.name, "exhibits": len(new_ids), "reports": len(reports)},
            )
    except BaseException:
        delete_stored_files(stored)
        raise
    return new


def _new_packet(earlier: Packet, by: User, name: str) -> Packet:
    """The new packet, owned by the earlier packet's owner; every other member keeps their role."""
    memberships = list(Membership.objects.filter(packet=earlier).select_related("user"))
    owner = next((member.user for member in memberships if member.role == Role.OWNER), by)
    new = packet_create(owner=owner, name=name)
    for member in memberships:
        if member.user != owner:
            Membership.objects.create(packet=new, user=member.user, role=member.role)
    return new


def _copy_exhibits(earlier: Packet, new: Packet, chosen: frozenset[UUID], stored: list[str | None]) -> dict[str, str]:
    """Copy the chosen exhibits, byte for byte, in their order; old id → new id."""
    new_ids: dict[str, str] = {}
    for position, source in enumerate(Exhibit.objects.filter(packet=earlier, pk__in=chosen)):
        copy = Exhibit(id=uuid4(), packet=new, position=position, uploaded_by=source.uploaded_by)
        for name in _EXHIBIT_FIELDS:
            setattr(copy, name, getattr(source, name))
        with source.file.open("rb") as handle:
            content = handle.read()
        copy.file.save("upload", ContentFile(content), save=False)
        stored.append(copy.file.name)
        copy.save()
        new_ids[str(source.pk)] = str(copy.pk)
    return new_ids


def _attach_report(new: Packet, render: CaseRender, by: User) -> Exhibit:
    with render.pdf.open("rb") as handle:
        content = handle.read()
    title = report_exhibit_title(render)
    upload = SimpleUploadedFile(f"report-{render.pk}.pdf", content, "application/pdf")
    return exhibit_add(packet=new, upload=ExhibitUpload(file=upload, kind=ExhibitKind.OTHER, title=title[:200]), by=by)
