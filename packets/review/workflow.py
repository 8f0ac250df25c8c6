"""Counsel in the loop: the review workflow, approval pinned to a revision, the final-render gate and overrides.

``draft → in_review → changes_requested → in_review → … → approved → filed``; any edit after approval moves the
packet to ``changed_since_approval``. Status changes lock the packet row but never touch its content, revision or
section revisions, so they can never conflict with an edit in progress.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from packets.content.sections import section_title
from packets.models import (
    FindingOverride,
    Membership,
    Packet,
    PacketChange,
    PacketStatus,
    ReviewEvent,
    Role,
)
from packets.people import person_display
from packets.permissions import Action, role_allows
from packets.review.notifications import review_notify

S = PacketStatus


class ReviewRefused(Exception):
    """The transition or render is not allowed now; the message says why, in words for the user."""


@dataclass(frozen=True)
class Transition:
    name: str
    actions: frozenset[Action]  # any one of these lets a member make the transition
    sources: frozenset[str]
    target: str
    notify: frozenset[str]  # roles told by email


TRANSITIONS: dict[str, Transition] = {
    item.name: item
    for item in (
        Transition(
            "submit",
            frozenset({Action.SUBMIT}),
            frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.CHANGED_SINCE_APPROVAL}),
            S.IN_REVIEW,
            frozenset({Role.COUNSEL}),
        ),
        Transition(
            "request_changes",
            frozenset({Action.REVIEW}),
            frozenset({S.IN_REVIEW, S.APPROVED, S.CHANGED_SINCE_APPROVAL}),
            S.CHANGES_REQUESTED,
            frozenset({Role.OWNER, Role.EDITOR}),
        ),
        Transition(
            "approve",
            frozenset({Action.REVIEW}),
            frozenset({S.IN_REVIEW, S.CHANGED_SINCE_APPROVAL}),
            S.APPROVED,
            frozenset({Role.OWNER, Role.EDITOR}),
        ),
        Transition(
            "mark_filed",
            frozenset({Action.MARK_FILED}),
            frozenset({S.APPROVED}),
            S.FILED,
            frozenset({Role.OWNER, Role.EDITOR, Role.COUNSEL}),
        ),
        Transition(
            "file_without_counsel",
            frozenset({Action.FILE_WITHOUT_COUNSEL}),
            frozenset({S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.CHANGED_SINCE_APPROVAL}),
            S.FILED,
            frozenset({Role.EDITOR}),
        ),
    )
}


def member_role(packet: Packet, user: User | None) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(packet_id=packet.pk, user_id=user.pk).values_list("role", flat=True).first()


def transitions_for(packet: Packet, role: str | None) -> list[str]:
    """The transitions ``role`` may make from the packet's status now (the buttons to show)."""
    return [
        item.name
        for item in TRANSITIONS.values()
        if packet.status in item.sources and role and any(role_allows(role, action) for action in item.actions)
    ]


def packet_submit(*, packet: Packet, by: User, note: str = "") -> Packet:
    """Send the packet to counsel for review (again, after changes were requested or made)."""
    return review_transition(packet=packet, by=by, name="submit", note=note)


def packet_request_changes(*, packet: Packet, by: User, note: str, revision: int | None = None) -> Packet:
    """Counsel sends the packet back with a note saying what to change; ``revision`` is the one counsel looked at."""
    if not note.strip():
        raise ReviewRefused(_("Say what needs to change: the note is sent to the applicant."))
    return review_transition(packet=packet, by=by, name="request_changes", note=note, revision=revision)


def packet_approve(*, packet: Packet, by: User, revision: int, note: str = "") -> Packet:
    """Counsel approves ``revision`` — the one on their screen; refused if the packet changed since they loaded it."""
    return review_transition(packet=packet, by=by, name="approve", note=note, revision=revision)


def packet_file_without_counsel(*, packet: Packet, by: User, confirmed: bool, note: str = "") -> Packet:
    """The owner files without any counsel review, having read the warning; recorded and printed on the cover."""
    if not confirmed:
        raise ReviewRefused(_("Tick the box to confirm that you read the warning and file without counsel review."))
    if Membership.objects.filter(packet_id=packet.pk, role=Role.COUNSEL).exists():
        raise ReviewRefused(_("This packet has counsel. Ask them to review and approve it instead."))
    return review_transition(packet=packet, by=by, name="file_without_counsel", note=note)


def review_transition(
    *,
    packet: Packet,
    by: User,
    name: str,
    note: str = "",
    revision: int | None = None,
    before_notify: Callable[[Packet], None] | None = None,
) -> Packet:
    """Make transition ``name`` under the packet's lock; ``before_notify`` writes what goes with it (the filing
    record) in the same transaction, before the other side is emailed. Marking as filed: ``packets.review.filing``."""
    transition = TRANSITIONS[name]
    with transaction.atomic():
        locked = Packet.objects.select_for_update().get(pk=packet.pk)
        role = member_role(locked, by)
        if role is None or not any(role_allows(role, action) for action in transition.actions):
            raise ReviewRefused(_("Your role on this packet does not allow that."))
        if locked.status not in transition.sources:
            raise ReviewRefused(
                _("A packet that is “%(status)s” cannot be %(action)s.")
                % {"status": PacketStatus(locked.status).label, "action": _action_words(name)}
            )
        if revision is not None and revision != locked.revision:
            raise ReviewRefused(
                _(
                    "The packet changed since you opened it (now revision %(now)s, you saw %(seen)s). "
                    "Look at what changed first."
                )
                % {"now": locked.revision, "seen": revision}
            )
        now = timezone.now()
        previous = locked.status
        locked.status = transition.target
        fields = ["status"]
        if name == "approve":
            locked.approved_revision, locked.approved_by, locked.approved_at = locked.revision, by, now
            fields += ["approved_revision", "approved_by", "approved_at"]
        elif name == "file_without_counsel":
            # The revision the owner files is pinned the same way an approval is: only it may be rendered final.
            locked.approved_revision, locked.approved_by, locked.approved_at = locked.revision, None, None
            locked.filed_without_counsel_at, locked.filed_without_counsel_by = now, by
            fields += [
                "approved_revision",
                "approved_by",
                "approved_at",
                "filed_without_counsel_at",
                "filed_without_counsel_by",
            ]
        # update_fields: content, revision and section revisions are never written here, so no edit can conflict.
        locked.save(update_fields=fields)
        if name in ("approve", "request_changes"):
            Membership.objects.filter(packet_id=locked.pk, user_id=by.pk).update(last_reviewed_revision=locked.revision)
        event = ReviewEvent.objects.create(
            packet=locked,
            user=by,
            from_status=previous,
            to_status=locked.status,
            note=note.strip(),
            revision=locked.revision,
        )
        if before_notify is not None:
            before_notify(locked)
        review_notify(packet=locked, event=event, name=name, roles=transition.notify, actor=by)
    return locked


def _action_words(name: str) -> str:
    return {
        "submit": _("submitted for review"),
        "request_changes": _("sent back with changes requested"),
        "approve": _("approved"),
        "mark_filed": _("marked as filed"),
        "file_without_counsel": _("filed without counsel review"),
    }[name]


# ── Final render gate and overrides ─────────────────────────────────────────────────────────────────────────────────


def open_blockers(packet: Packet) -> list[Any]:
    """Readiness blockers that counsel has not overridden."""
    from packets.review.readiness import Severity, packet_readiness

    overridden = set(FindingOverride.objects.filter(packet_id=packet.pk).values_list("rule", "step", "field"))
    return [
        finding
        for finding in packet_readiness(packet=packet)
        if finding.severity is Severity.BLOCKER and (finding.rule, finding.step, finding.field) not in overridden
    ]


def final_render_problems(*, packet: Packet, by: User | None) -> list[str]:
    """Why a final PDF may not be rendered from the packet as it is now (empty when it may)."""
    role = member_role(packet, by)
    if role is None or not role_allows(role, Action.RENDER_FINAL):
        return [_("Only counsel or the owner can render the final PDF.")]
    if packet.approved_revision is not None and packet.revision != packet.approved_revision:
        return [
            _(
                "The packet changed after revision %(approved)s was approved (it is now at %(now)s); "
                "it needs a new approval."
            )
            % {"approved": packet.approved_revision, "now": packet.revision}
        ]
    if packet.approved_revision is None or packet.status not in (S.APPROVED, S.FILED):
        return [_("A final PDF needs counsel's approval (or the owner's choice to file without counsel review).")]
    blockers = open_blockers(packet)
    if blockers:
        return [_("Blocker not resolved: %(message)s") % {"message": finding.message} for finding in blockers]
    return []


def packet_final_render_check(*, packet: Packet, by: User | None) -> None:
    """Raise ``ReviewRefused`` unless a final PDF may be rendered now; the render service calls it too."""
    problems = final_render_problems(packet=packet, by=by)
    if problems:
        raise ReviewRefused(" ".join(problems))


def finding_override_add(*, packet: Packet, by: User, rule: str, step: str, field: str, reason: str) -> FindingOverride:
    """Counsel lets one readiness blocker through a final render, with a written reason kept in the history."""
    from packets.review.readiness import Severity, packet_readiness

    if not role_allows(member_role(packet, by) or "", Action.REVIEW):
        raise ReviewRefused(_("Only counsel can override a blocker."))
    if len(reason.strip()) < 10:
        raise ReviewRefused(_("Write the reason for the override (at least a sentence); it is kept in the history."))
    blockers = {
        (item.rule, item.step, item.field)
        for item in packet_readiness(packet=packet)
        if item.severity is Severity.BLOCKER
    }
    if (rule, step, field) not in blockers:
        raise ReviewRefused(_("That blocker is no longer found, so there is nothing to override."))
    if FindingOverride.objects.filter(packet_id=packet.pk, rule=rule, step=step, field=field).exists():
        raise ReviewRefused(_("That blocker is already overridden."))
    return FindingOverride.objects.create(
        packet=packet, rule=rule, step=step, field=field, reason=reason.strip(), revision=packet.revision, by=by
    )


# ── History ────────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    kind: str  # "change", "review", "override"
    user: str
    text: str
    note: str
    revision: int


def packet_history(packet: Packet, limit: int = 200) -> list[HistoryItem]:
    """Edits, review steps and overrides, newest first."""
    items = [
        HistoryItem(
            event.created_at,
            "review",
            person_display(event.user),
            _("%(from)s → %(to)s")
            % {"from": PacketStatus(event.from_status).label, "to": PacketStatus(event.to_status).label},
            event.note,
            event.revision,
        )
        for event in ReviewEvent.objects.filter(packet_id=packet.pk).select_related("user")[:limit]
    ]
    items += [
        HistoryItem(
            item.created_at,
            "override",
            person_display(item.by),
            _("Blocker overridden: %(rule)s (%(step)s %(field)s)")
            % {"rule": item.rule, "step": item.step, "field": item.field},
            item.reason,
            item.revision,
        )
        for item in FindingOverride.objects.filter(packet_id=packet.pk).select_related("by")[:limit]
    ]
    items += [
        HistoryItem(
            change.created_at,
            "change",
            person_display(change.user),
            _("Changed “%(section)s”") % {"section": section_title(change.section)} if change.section else _("Created"),
            change.summary,
            change.revision,
        )
        for change in PacketChange.objects.filter(packet_id=packet.pk).select_related("user")[:limit]
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)[:limit]
