"""A response's review, the packet's workflow in small: the owner or an editor submits it, counsel comments, asks
for changes or approves the revision in front of them; once approved at the current revision it is sent, once."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from packets.case.log import case_log_record
from packets.models import CaseComment, CaseReviewEvent, RequestForEvidence, ReviewState, RfeItem, SentMethod
from packets.permissions import Action, role_allows
from packets.review.workflow import ReviewRefused, member_role

S = ReviewState


@dataclass(frozen=True)
class Step:
    name: str
    action: Action
    sources: frozenset[str]
    target: str


STEPS = {
    step.name: step
    for step in (
        Step("submit", Action.EDIT, frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.IN_REVIEW),
        Step("request_changes", Action.REVIEW, frozenset({S.IN_REVIEW, S.APPROVED}), S.CHANGES_REQUESTED),
        Step("approve", Action.REVIEW, frozenset({S.IN_REVIEW}), S.APPROVED),
    )
}


def rfe_steps_for(rfe: RequestForEvidence, role: str | None) -> list[str]:
    return [
        name
        for name, step in STEPS.items()
        if rfe.review_state in step.sources and role_allows(role or "", step.action)
    ]


def rfe_transition(
    *, rfe: RequestForEvidence, by: User, name: str, note: str = "", revision: int | None = None
) -> None:
    """Move the response's review along; refused (ReviewRefused, plain words) when the role or the state says no."""
    step = STEPS.get(name)
    if step is None:
        raise ReviewRefused(_("That is not a step of the review."))
    with transaction.atomic():
        locked = RequestForEvidence.objects.select_for_update().get(pk=rfe.pk)
        if not role_allows(member_role(locked.packet, by) or "", step.action):
            raise ReviewRefused(_("Your role on this packet does not allow that."))
        if locked.review_state not in step.sources:
            raise ReviewRefused(
                _("The response is “%(state)s”; that step is not possible now.")
                % {"state": locked.get_review_state_display()}
            )
        if name == "approve":
            if revision != locked.revision:
                raise ReviewRefused(
                    _("The response changed while you were reading it. Read it again, then approve what you see.")
                )
            locked.approved_revision, locked.approved_by, locked.approved_at = locked.revision, by, timezone.now()
        if name == "request_changes" and not note.strip():
            raise ReviewRefused(_("Say what should change, so the applicant knows what to do."))
        CaseReviewEvent.objects.create(
            packet_id=locked.packet_id,
            rfe=locked,
            user=by,
            from_state=locked.review_state,
            to_state=step.target,
            note=note,
            revision=locked.revision,
        )
        locked.review_state = step.target
        locked.save()
        rfe.refresh_from_db()


def rfe_mark_sent(*, rfe: RequestForEvidence, by: User, sent_on: date, method: str) -> None:
    """Record that the approved response was sent: once, and only as approved."""
    if method not in SentMethod.values:
        raise ReviewRefused(_("Choose how the response was sent."))
    with transaction.atomic():
        locked = RequestForEvidence.objects.select_for_update().get(pk=rfe.pk)
        if not role_allows(member_role(locked.packet, by) or "", Action.RENDER_FINAL):
            raise ReviewRefused(_("Only the owner or counsel records that the response was sent."))
        if locked.review_state == S.SENT:
            raise ReviewRefused(_("This response was already recorded as sent. Only one response is possible."))
        if locked.review_state != S.APPROVED or locked.approved_revision != locked.revision:
            raise ReviewRefused(_("Counsel must approve the response as it is now before it is sent."))
        if sent_on > timezone.localdate() or sent_on < locked.issued_on:
            raise ReviewRefused(_("The date sent must be between the notice's date and today."))
        CaseReviewEvent.objects.create(
            packet_id=locked.packet_id,
            rfe=locked,
            user=by,
            from_state=locked.review_state,
            to_state=S.SENT,
            note="",
            revision=locked.revision,
        )
        locked.review_state, locked.sent_on, locked.sent_method = S.SENT, sent_on, method
        locked.save()
        case_log_record(
            packet=locked.packet,
            by=by,
            happened_on=sent_on,
            summary=_("Response to the request for evidence of %(date)s sent (%(method)s).")
            % {"date": locked.issued_on.isoformat(), "method": locked.get_sent_method_display()},
        )
        rfe.refresh_from_db()


def rfe_comment_add(*, rfe: RequestForEvidence, by: User, body: str, item: RfeItem | None = None) -> CaseComment:
    if not body.strip():
        raise ReviewRefused(_("Write the comment first."))
    return CaseComment.objects.create(
        packet_id=rfe.packet_id, rfe=rfe, item=item, author=by, body=body.strip(), revision=rfe.revision
    )


def rfe_comment_resolve(*, comment: CaseComment, by: User) -> None:
    comment.resolved_at, comment.resolved_by = timezone.now(), by
    comment.save(update_fields=["resolved_at", "resolved_by"])
