"""Counsel in the loop in the browser: review page, status changes, comments, overrides, what changed, final PDF."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from packets.content.diffs import packet_diff
from packets.content.sections import SECTIONS, section_title
from packets.models import Comment, Exhibit, Membership, Packet, PacketStatus, PacketVersion, ReviewEvent
from packets.permissions import Action, packet_for_user, role_allows, signed_in_user
from packets.review import workflow as review
from packets.review.approval import approver_differences
from packets.review.comment_drafts import comment_draft_keep
from packets.review.comments import CommentRefused, comment_add, comment_reopen, comment_resolve, comment_threads
from packets.review.comments import unresolved_counts as comment_counts
from packets.review.edits import revision_snapshot
from packets.review.filing import MarkFiledForm, final_version, packet_counsel_members, packet_filing, packet_mark_filed

TRANSITION_ACTIONS = {
    "submit": Action.SUBMIT,
    "request_changes": Action.REVIEW,
    "approve": Action.REVIEW,
    "file_without_counsel": Action.FILE_WITHOUT_COUNSEL,
    "mark_filed": Action.MARK_FILED,
}


@login_required
@require_GET
def packet_counsel(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """Status, what each side can do next, unresolved comments per step, and the history."""
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    role = packet.current_role  # type: ignore[attr-defined]
    counts = comment_counts(packet)
    counsel = packet_counsel_members(packet)
    return render(
        request,
        "packets/review_status.html",
        {
            "packet": packet,
            "role": role,
            "status_label": PacketStatus(packet.status).label,
            "transitions": review.transitions_for(packet, role),
            "steps": [(name, section_title(name), counts[name]) for name in _step_names()],
            "unresolved": sum(counts.values()),
            "threads": [thread for thread in comment_threads(packet) if thread.comment.resolved_at is None],
            "history": review.packet_history(packet),
            "final_problems": review.final_render_problems(packet=packet, by=signed_in_user(request)),
            "approver_notes": approver_differences(packet),
            "can_render_final": role_allows(role, Action.RENDER_FINAL),
            "versions": list(packet.versions.all()[:20]),
            "counsel": counsel,
            "has_counsel": bool(counsel),
            "filing": packet_filing(packet),
            "last_change_request": ReviewEvent.objects.filter(
                packet=packet, to_status=PacketStatus.CHANGES_REQUESTED
            ).first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def packet_transition(request: HttpRequest, packet_id: UUID, transition: str) -> HttpResponse:
    if transition not in TRANSITION_ACTIONS:
        raise Http404
    packet = packet_for_user(request.user, packet_id, TRANSITION_ACTIONS[transition])
    if transition == "file_without_counsel" and request.method == "GET":
        return render(request, "packets/review_file_without_counsel.html", {"packet": packet})
    if transition == "mark_filed":
        return _mark_filed(request, packet)
    if request.method != "POST":
        return redirect("packet_counsel", packet_id=packet.pk)
    note = request.POST.get("note", "")
    revision = _int(request.POST.get("revision"))
    try:
        if transition == "submit":
            review.packet_submit(packet=packet, by=request.user, note=note)  # type: ignore[arg-type]
            messages.success(request, _("Sent to counsel for review."))
        elif transition == "request_changes":
            review.packet_request_changes(packet=packet, by=request.user, note=note, revision=revision)  # type: ignore[arg-type]
            messages.success(request, _("Changes requested. The applicant has been told."))
        elif transition == "approve":
            if revision is None:
                raise review.ReviewRefused(_("Reload the page and approve again."))
            review.packet_approve(packet=packet, by=request.user, revision=revision, note=note)  # type: ignore[arg-type]
            messages.success(request, _("Approved. A final PDF can now be rendered from this revision."))
        else:
            review.packet_file_without_counsel(
                packet=packet,
                by=request.user,  # type: ignore[arg-type]
                confirmed=request.POST.get("confirm") == "1",
                note=note,
            )
            messages.warning(request, _("Recorded: filed without counsel review. The cover page says so."))
    except review.ReviewRefused as refused:
        messages.error(request, str(refused))
        if transition == "file_without_counsel":
            return render(
                request,
                "packets/review_file_without_counsel.html",
                {"packet": packet, "error": str(refused)},
                status=400,
            )
    return redirect("packet_counsel", packet_id=packet.pk)


def _mark_filed(request: HttpRequest, packet: Packet) -> HttpResponse:
    """A confirmation page: the filing date, how it was filed and the receipt number, then the packet is filed."""
    if packet.status != PacketStatus.APPROVED:
        messages.error(request, _("Only an approved packet can be marked as filed."))
        return redirect("packet_counsel", packet_id=packet.pk)
    form = MarkFiledForm(request.POST or None, packet=packet)
    if request.method == "POST" and form.is_valid():
        try:
            packet_mark_filed(packet=packet, by=signed_in_user(request), **form.cleaned_data)
        except review.ReviewRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Marked as filed. The filing date and receipt number are on the packet page."))
            return redirect("packet_counsel", packet_id=packet.pk)
    return render(
        request,
        "packets/review_mark_filed.html",
        {"packet": packet, "form": form, "final_version": final_version(packet)},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def packet_render_final(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """Queue the final (unmarked) PDF, only from the approved revision and with no blocker left."""
    from packets.rendering.tasks import render_job_start

    packet = packet_for_user(request.user, packet_id, Action.RENDER_FINAL)
    try:
        review.packet_final_render_check(packet=packet, by=signed_in_user(request))
    except review.ReviewRefused as refused:
        messages.error(request, str(refused))
        return redirect("packet_counsel", packet_id=packet.pk)
    job = render_job_start(packet=packet, by=signed_in_user(request), final=True)
    return redirect("packet_render_job", packet_id=packet.pk, job_id=job.pk)


@login_required
@require_GET
def packet_changes(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """What changed since you last reviewed — or between any two revisions (r3) or rendered versions (v2)."""
    packet = packet_for_user(request.user, packet_id, Action.VIEW)
    base = _default_base(packet, request.user)
    start = request.GET.get("from") or f"r{base}"
    end = request.GET.get("to") or f"r{packet.revision}"
    before, after = _version(packet, start), _version(packet, end)
    if before is None or after is None:
        messages.error(request, _("That version is not available for comparison."))
        return redirect("packet_counsel", packet_id=packet.pk)
    diff = packet_diff(before[0], after[0], before[1], after[1])
    choices = [f"r{n}" for n in range(packet.revision, -1, -1)]
    choices += [f"v{version.number}" for version in packet.versions.all()]
    return render(
        request,
        "packets/review_changes.html",
        {
            "packet": packet,
            "diff": diff,
            "start": start,
            "end": end,
            "since_review": "from" not in request.GET and "to" not in request.GET,
            "choices": choices,
            "can_review": role_allows(packet.current_role, Action.REVIEW),  # type: ignore[attr-defined]
            "transitions": review.transitions_for(packet, packet.current_role),  # type: ignore[attr-defined]
        },
    )


@login_required
@require_POST
def comment_create(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.COMMENT)
    exhibit = None
    if request.POST.get("exhibit"):
        exhibit = get_object_or_404(Exhibit, pk=_uuid(request.POST["exhibit"]), packet=packet)
    try:
        comment_add(
            packet=packet,
            by=request.user,  # type: ignore[arg-type]
            body=request.POST.get("body", ""),
            step=request.POST.get("step", ""),
            field=request.POST.get("field", ""),
            exhibit=exhibit,
        )
    except CommentRefused as refused:
        messages.error(request, str(refused))
        comment_draft_keep(request, f"step:{request.POST.get('step', '')}", request.POST.get("body", ""))
    else:
        messages.success(request, _("Comment added."))
    return _back(request, packet)


@login_required
@require_POST
def comment_action(request: HttpRequest, packet_id: UUID, comment_id: UUID, action: str) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.COMMENT)
    comment = get_object_or_404(Comment, pk=comment_id, packet=packet)
    try:
        if action == "reply":
            comment_add(packet=packet, by=request.user, body=request.POST.get("body", ""), parent=comment)  # type: ignore[arg-type]
            messages.success(request, _("Reply added."))
        elif action == "resolve":
            comment_resolve(comment=comment, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Comment resolved."))
        elif action == "reopen":
            comment_reopen(comment=comment, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Comment reopened."))
        else:
            raise Http404
    except CommentRefused as refused:
        messages.error(request, str(refused))
        comment_draft_keep(request, f"reply:{comment.pk}", request.POST.get("body", ""))
    return _back(request, packet)


@login_required
@require_POST
def finding_override_create(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.REVIEW)
    try:
        review.finding_override_add(
            packet=packet,
            by=request.user,  # type: ignore[arg-type]
            rule=request.POST.get("rule", ""),
            step=request.POST.get("step", ""),
            field=request.POST.get("field", ""),
            reason=request.POST.get("reason", ""),
        )
    except review.ReviewRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Blocker overridden; the reason is kept in the packet history."))
    return _back(request, packet)


# ── helpers ────────────────────────────────────────────────────────────────────────────────────────────────────────


def _step_names() -> list[str]:
    return [section.name for section in SECTIONS]


def _default_base(packet: Packet, user: Any) -> int:
    """The revision this member last reviewed; for others, the one counsel last reviewed; else the beginning."""
    mine = Membership.objects.filter(packet=packet, user=user).values_list("last_reviewed_revision", flat=True).first()
    if mine is not None:
        return mine
    event = ReviewEvent.objects.filter(
        packet=packet, to_status__in=[PacketStatus.CHANGES_REQUESTED, PacketStatus.APPROVED]
    ).first()
    return event.revision if event else 0


def _version(packet: Packet, name: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    number = _int(name[1:]) if name[:1] in ("r", "v") else None
    if number is None:
        return None
    if name[0] == "r":
        return revision_snapshot(packet, number) if number <= packet.revision else None
    version = PacketVersion.objects.filter(packet=packet, number=number).first()
    return (version.data, version.exhibits) if version else None


def _back(request: HttpRequest, packet: Packet) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("packet_counsel", args=[packet.pk]))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as error:
        raise Http404 from error
