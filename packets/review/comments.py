"""Comments on a packet: anchored to a step, one field of it, or an exhibit; threaded; resolved and reopened.

Comments are notes between the people working on a packet. They never change its content, revision or section
revisions (so they never conflict with an edit), and the PDF never reads them.
"""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from packets.content.schema import SECTION_NAMES
from packets.content.sections import EVIDENCE
from packets.models import Comment, Exhibit, Packet
from packets.permissions import Action, role_allows
from packets.review.notifications import comment_notify
from packets.review.workflow import member_role
from packets.text_fields import too_long_message

EVIDENCE_STEP = EVIDENCE  # where comments on exhibits are counted
STEP_NAMES = frozenset({*SECTION_NAMES, EVIDENCE_STEP})
MAX_BODY = 5_000


class CommentRefused(Exception):
    """The comment cannot be written or changed; the message says why."""


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment]


def comment_add(
    *,
    packet: Packet,
    by: User,
    body: str,
    step: str = "",
    field: str = "",
    exhibit: Exhibit | None = None,
    parent: Comment | None = None,
) -> Comment:
    """A new comment, or a reply to ``parent`` (a reply takes its thread's anchor and reopens nothing)."""
    _require(packet, by)
    body = body.strip()
    if not body:
        raise CommentRefused(_("Write something first."))
    if len(body) > MAX_BODY:
        raise CommentRefused(too_long_message(body, MAX_BODY))
    if parent is not None:
        if parent.packet_id != packet.pk:
            raise CommentRefused(_("That comment belongs to another packet."))
        root = parent.parent or parent  # one level of threading: replies to replies join the thread
        step, field, exhibit = root.step, root.field, root.exhibit
        parent = root
    elif exhibit is not None:
        if exhibit.packet_id != packet.pk:
            raise CommentRefused(_("That exhibit belongs to another packet."))
        step = step or EVIDENCE_STEP
    if step not in STEP_NAMES:
        raise CommentRefused(_("Choose the step the comment is about."))
    with transaction.atomic():
        comment = Comment.objects.create(
            packet=packet,
            parent=parent,
            author=by,
            step=step,
            field=field[:64],
            exhibit=exhibit,
            body=body,
            revision=packet.revision,
        )
        comment_notify(comment=comment)
    return comment


def comment_resolve(*, comment: Comment, by: User) -> Comment:
    """Mark a thread resolved (a reply resolves its whole thread)."""
    root = comment.parent or comment
    _require(root.packet, by)
    root.resolved_at, root.resolved_by = timezone.now(), by
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root


def comment_reopen(*, comment: Comment, by: User) -> Comment:
    root = comment.parent or comment
    _require(root.packet, by)
    root.resolved_at, root.resolved_by = None, None
    root.save(update_fields=["resolved_at", "resolved_by"])
    return root


def comment_threads(packet: Packet, step: str | None = None) -> list[Thread]:
    """Threads (first comment and its replies, oldest first), optionally only those of ``step``."""
    comments = Comment.objects.filter(packet=packet).select_related("author", "exhibit")
    if step is not None:
        comments = comments.filter(step=step)
    threads: dict[object, Thread] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment, [])
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in threads:
            threads[reply.parent_id].replies.append(reply)
    return list(threads.values())


def step_comments_and_counts(packet: Packet, step: str) -> tuple[list[Thread], Counter[str]]:
    """A step page's comments: the threads of ``step``, and the unresolved threads of every step.

    Most step pages have no comments of their own, so a light read of where the packet's comments are comes first;
    the threads, with their authors and exhibits, are read only when the step has some.
    """
    rows = Comment.objects.filter(packet_id=packet.pk).values_list("step", "parent_id", "resolved_at")  # a few dozen
    counts = Counter(where for where, parent_id, resolved_at in rows if parent_id is None and resolved_at is None)
    threads = comment_threads(packet, step) if any(where == step for where, _parent, _resolved in rows) else []
    return threads, counts


def unresolved_counts(packet: Packet) -> Counter[str]:
    """Unresolved threads per step."""
    steps = Comment.objects.filter(packet=packet, parent__isnull=True, resolved_at__isnull=True)
    return Counter(steps.values_list("step", flat=True))


def _require(packet: Packet, by: User) -> None:
    if not role_allows(member_role(packet, by) or "", Action.COMMENT):
        raise CommentRefused(_("Your role on this packet does not allow comments."))
