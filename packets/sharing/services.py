"""Sharing a packet: invitations by email with a role, accepting them, revoking them, removing members.

Every service checks ``Action.MANAGE_MEMBERS`` itself through ``packet_for_user`` (404 otherwise), so no caller can
forget it. An invitation is a link carrying a random token; only its SHA-256 is stored and compared in constant time.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from packets.crypto import lookup_digest
from packets.models import Invitation, Membership, Packet, Role
from packets.people import person_display
from packets.permissions import Action, packet_for_user
from packets.sharing.addresses import user_has_unverified_address, user_has_verified_address

INVITATION_MAX_AGE = timedelta(days=7)
# The owner is whoever created the packet; an invitation never makes another.
INVITABLE_ROLES = (Role.EDITOR, Role.COUNSEL, Role.VIEWER)


class SharingRefused(Exception):
    """A sharing request that cannot be done; ``message`` tells the user why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def email_digest(email: str) -> str:
    """How an invitation's (encrypted) address is looked up: the same for any case and surrounding spaces."""
    return lookup_digest(email, purpose="email")


def masked_address(email: str) -> str:
    """``c…@example.org`` for ``counsel@example.org``: enough to recognise one's own address, not to learn another's."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def invitation_is_pending(invitation: Invitation) -> bool:
    return invitation.accepted_at is None and invitation.revoked_at is None


def invitation_is_expired(invitation: Invitation) -> bool:
    return invitation.expires_at <= timezone.now()


def _member_with_address(packet: Packet, email: str) -> Membership | None:
    return Membership.objects.select_related("user").filter(packet=packet, user__email__iexact=email.strip()).first()


def invitation_create(
    *, packet: Packet, email: str, role: str, by: User, build_url: Callable[[str], str]
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``packet`` as ``role`` and email them the link; returns the invitation and its token.

    ``build_url`` turns a path into an absolute URL (a view passes ``request.build_absolute_uri``). A pending
    invitation to the same address (in any case) is replaced, so only the newest link works. Refused
    (``SharingRefused``) for the owner role and for an address that already belongs to a member.
    """
    packet = packet_for_user(by, packet.pk, Action.MANAGE_MEMBERS)
    email = email.strip()
    if role not in INVITABLE_ROLES:
        raise SharingRefused(_("Choose editor, counsel or viewer."))
    member = _member_with_address(packet, email)
    if member is not None:
        raise SharingRefused(
            _("%(email)s is already a member of this packet (%(role)s).")
            % {"email": email, "role": Role(member.role).label}
        )
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            Invitation.objects.filter(
                packet=packet, email_digest=email_digest(email), accepted_at__isnull=True, revoked_at__isnull=True
            ).delete()
            invitation = Invitation.objects.create(
                packet=packet,
                email=email,
                email_digest=email_digest(email),
                role=role,
                token_hash=_token_hash(token),
                invited_by=by,
                expires_at=timezone.now() + INVITATION_MAX_AGE,
            )
    except IntegrityError as error:
        # Another request invited the same address at the same moment; theirs stands.
        raise SharingRefused(_("%(email)s was just invited by someone else.") % {"email": email}) from error
    url = build_url(reverse("invitation_accept", kwargs={"invitation_id": invitation.pk, "token": token}))
    _invitation_send(invitation=invitation, url=url)
    return invitation, token


def _invitation_send(*, invitation: Invitation, url: str) -> None:
    context = {
        "invitation": invitation,
        "url": url,
        "inviter": person_display(invitation.invited_by) if invitation.invited_by else "",
        "role": Role(invitation.role).label,
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("emails/invitation_subject.txt", context).strip()
    body = render_to_string("emails/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invitation_check(*, invitation_id: UUID | str, token: str) -> Invitation:
    """The invitation the link names, if its token matches and it can still be accepted; else ``SharingRefused``."""
    invitation = Invitation.objects.select_related("packet", "invited_by").filter(pk=invitation_id).first()
    # Hash whatever was given even when no invitation matched, so both refusals take the same time.
    given = _token_hash(token)
    if invitation is None or not hmac.compare_digest(given, invitation.token_hash):
        raise SharingRefused(
            _(
                "This invitation link is not valid. Check that you copied all of it, or ask the person who invited "
                "you to send a new one: a newer invitation replaces an older one."
            )
        )
    if invitation.accepted_at is not None:
        raise SharingRefused(
            _("This invitation has already been used. Each invitation link works only once; log in to open the packet.")
        )
    if invitation.revoked_at is not None:
        raise SharingRefused(
            _("This invitation was withdrawn. Ask the person who invited you if you should still have access.")
        )
    if invitation_is_expired(invitation):
        raise SharingRefused(
            _("This invitation has expired (invitations last %(days)s days). Ask for a new one.")
            % {"days": INVITATION_MAX_AGE.days}
        )
    return invitation


def invitation_refusal_for(*, invitation: Invitation, user: User) -> str:
    """Why ``user`` may not accept this (valid) invitation, or an empty string when they may."""
    # Only an address its owner has confirmed counts: anyone can sign up claiming the invited address.
    if user_has_unverified_address(user=user, email=invitation.email):
        return _(
            "Confirm your email address %(email)s first: open the link we emailed you, then come back to this page."
        ) % {"email": masked_address(invitation.email)}
    if not user_has_verified_address(user=user, email=invitation.email):
        return _("This invitation was sent to %(email)s; log in as that person to accept it.") % {
            "email": masked_address(invitation.email)
        }
    if Membership.objects.filter(packet=invitation.packet, user=user).exists():
        return _("You are already a member of this packet.")
    return ""


def invitation_accept(*, invitation_id: UUID | str, token: str, user: User) -> Membership:
    """Make ``user`` a member of the invitation's packet with its role, and use the invitation up.

    Only a confirmed address equal to the invited one (in any case) may accept: a forwarded link is useless to anyone
    else, and so is an account that merely claims the address. Refused
    (``SharingRefused``) for a wrong, used, withdrawn or expired link; the row is locked so a link works only once even
    when two requests race.
    """
    with transaction.atomic():
        invitation = invitation_check(invitation_id=invitation_id, token=token)
        invitation = Invitation.objects.select_for_update().select_related("packet").get(pk=invitation.pk)
        invitation = invitation_check(invitation_id=invitation.pk, token=token)  # re-read under the lock
        refusal = invitation_refusal_for(invitation=invitation, user=user)
        if refusal:
            raise SharingRefused(refusal)
        membership = Membership.objects.create(packet=invitation.packet, user=user, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invitation_revoke(*, packet: Packet, invitation_id: UUID | str, by: User) -> Invitation:
    """Withdraw a pending invitation of ``packet``: its link stops working at once."""
    packet = packet_for_user(by, packet.pk, Action.MANAGE_MEMBERS)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation_id, packet=packet, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if invitation is None:
            raise SharingRefused(_("That invitation was already accepted or withdrawn."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def membership_remove(*, packet: Packet, membership_id: int, by: User) -> Membership:
    """Remove a member from ``packet``; they lose access with their next request. The last owner stays."""
    packet = packet_for_user(by, packet.pk, Action.MANAGE_MEMBERS)
    with transaction.atomic():
        # Lock the packet's memberships so two removals cannot leave it without an owner.
        memberships = list(Membership.objects.select_for_update().filter(packet=packet).select_related("user"))
        membership = next((m for m in memberships if m.pk == membership_id), None)
        if membership is None:
            raise SharingRefused(_("That person is no longer a member of this packet."))
        owners = [m for m in memberships if m.role == Role.OWNER]
        if membership.role == Role.OWNER and len(owners) == 1:
            raise SharingRefused(_("A packet always keeps its owner. Delete the packet instead if nobody needs it."))
        membership.delete()
    return membership
