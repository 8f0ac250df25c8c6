"""Sharing pages: a packet's members and invitations, accepting an invitation, and the packets shared with me."""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from packets.links import absolute_url
from packets.models import Invitation, Membership, Packet, Role
from packets.permissions import Action, packet_for_user
from packets.review.readiness import Severity, packet_readiness
from packets.sharing.addresses import email_address_send_confirmation, user_has_unverified_address
from packets.sharing.services import (
    INVITABLE_ROLES,
    SharingRefused,
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_is_expired,
    invitation_refusal_for,
    invitation_revoke,
    masked_address,
    membership_remove,
)
from packets.text_fields import LimitedEmailField


class InvitationForm(forms.Form):
    email = LimitedEmailField(label=gettext_lazy("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[(role.value, role.label) for role in INVITABLE_ROLES],
        initial=Role.COUNSEL,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Counsel reads, edits, comments, requests changes and approves. An editor helps fill it in. "
            "A viewer reads and comments."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def packet_members(request: HttpRequest, packet_id: UUID) -> HttpResponse:
    """Who is in the packet, who is invited, and the form to invite someone."""
    packet = packet_for_user(request.user, packet_id, Action.MANAGE_MEMBERS)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = invitation_create(
                packet=packet,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,  # type: ignore[arg-type]  # login_required: never anonymous
                build_url=absolute_url,  # SITE_URL, never the Host header a request claims
            )
        except SharingRefused as refusal:
            form.add_error("email", refusal.message)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s as %(role)s. The link works once, for 7 days.")
                % {"email": invitation.email, "role": Role(invitation.role).label},
            )
            return redirect("packet_members", packet_id=packet.pk)
    memberships = Membership.objects.filter(packet=packet).select_related("user").order_by("created_at")
    invitations = list(
        Invitation.objects.filter(packet=packet, accepted_at__isnull=True, revoked_at__isnull=True).select_related(
            "invited_by"
        )
    )
    for invitation in invitations:
        invitation.expired = invitation_is_expired(invitation)  # type: ignore[attr-defined]
    return render(
        request,
        "packets/members.html",
        {"packet": packet, "form": form, "memberships": memberships, "invitations": invitations},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, packet_id: UUID, invitation_id: UUID) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.MANAGE_MEMBERS)
    get_object_or_404(Invitation, pk=invitation_id, packet=packet)  # another packet's: as if it did not exist
    try:
        invitation = invitation_revoke(packet=packet, invitation_id=invitation_id, by=request.user)  # type: ignore[arg-type]
    except SharingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Withdrew the invitation to %(email)s.") % {"email": invitation.email})
    return redirect("packet_members", packet_id=packet.pk)


@login_required
@require_POST
def membership_remove_view(request: HttpRequest, packet_id: UUID, membership_id: int) -> HttpResponse:
    packet = packet_for_user(request.user, packet_id, Action.MANAGE_MEMBERS)
    get_object_or_404(Membership, pk=membership_id, packet=packet)  # another packet's: as if it did not exist
    try:
        membership = membership_remove(packet=packet, membership_id=membership_id, by=request.user)  # type: ignore[arg-type]
    except SharingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Removed %(name)s from this packet.") % {"name": membership.user.get_username()})
    return redirect("packet_members", packet_id=packet.pk)


# Where the confirmation link sends someone back to (parole_wizard.account_adapter): the invitation they came from.
INVITATION_RETURN_KEY = "invitation_return"


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, invitation_id: UUID, token: str) -> HttpResponse:
    """The invitation link: explains the invitation, sends a visitor to log in or sign up and back, asks them to
    confirm the invited address when they have not yet, then accepts."""
    try:
        invitation = invitation_check(invitation_id=invitation_id, token=token)
    except SharingRefused as refused:
        return render(request, "packets/invitation_refused.html", {"reason": refused.message}, status=410)
    context: dict[str, Any] = {
        "invitation": invitation,
        "role": Role(invitation.role).label,
        "address": masked_address(invitation.email),
    }
    request.session[INVITATION_RETURN_KEY] = request.get_full_path()
    if not request.user.is_authenticated:
        back = urlencode({"next": request.get_full_path()})
        context |= {"login_url": f"{reverse('login')}?{back}", "signup_url": f"{reverse('signup')}?{back}"}
        return render(request, "packets/invitation.html", context)
    if user_has_unverified_address(user=request.user, email=invitation.email):
        if request.method == "POST" and "send_confirmation" in request.POST:
            email_address_send_confirmation(request=request, user=request.user, email=invitation.email)
            return redirect(request.get_full_path())
        return render(request, "packets/invitation_confirm_email.html", context)
    wrong_person = invitation_refusal_for(invitation=invitation, user=request.user)  # type: ignore[arg-type]
    if wrong_person:
        return render(request, "packets/invitation_refused.html", {"reason": wrong_person, **context}, status=403)
    if request.method == "POST":
        try:
            membership = invitation_accept(invitation_id=invitation_id, token=token, user=request.user)  # type: ignore[arg-type]
        except SharingRefused as refused:
            return render(request, "packets/invitation_refused.html", {"reason": refused.message}, status=410)
        request.session.pop(INVITATION_RETURN_KEY, None)
        messages.success(
            request,
            _("You joined “%(name)s” as %(role)s.")
            % {"name": membership.packet.name, "role": Role(membership.role).label},
        )
        return redirect("packet_detail", packet_id=membership.packet_id)
    return render(request, "packets/invitation.html", context)


def _unresolved_comments(packet: Packet) -> int | None:
    """Unresolved comments on ``packet``, or None while comments do not exist yet."""
    comments = getattr(packet, "comments", None)
    if comments is None:
        return None
    model = comments.model
    field_names = {field.name for field in model._meta.get_fields()}
    if "resolved_at" not in field_names:
        return None
    unresolved = comments.filter(resolved_at__isnull=True)
    if "parent" in field_names:  # a thread is resolved as a whole: count threads, not replies
        unresolved = unresolved.filter(parent__isnull=True)
    return int(unresolved.count())


@login_required
def shared_with_me(request: HttpRequest) -> HttpResponse:
    """Packets I am a member of but do not own: counsel's home."""
    return render(request, "packets/shared.html", {"rows": shared_rows(request.user)})  # type: ignore[arg-type]


def shared_rows(user: Any) -> list[dict[str, Any]]:
    """One row per packet shared with ``user``: my role, its status, unresolved comments, last change and by whom."""
    memberships = (
        Membership.objects.filter(user=user)
        .filter(~Q(role=Role.OWNER))
        .select_related("packet", "packet__updated_by")
        .order_by("-packet__updated_at")
    )
    rows = []
    for membership in memberships:
        packet = membership.packet
        status = getattr(packet, "get_status_display", None)
        findings = packet_readiness(packet=packet)
        rows.append(
            {
                "packet": packet,
                "role": Role(membership.role).label,
                "status": status() if callable(status) else None,
                "unresolved": _unresolved_comments(packet),
                "blockers": sum(finding.severity is Severity.BLOCKER for finding in findings),
                "warnings": sum(finding.severity is Severity.WARNING for finding in findings),
            }
        )
    return rows
