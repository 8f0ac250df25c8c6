"""Role × action × object: every packet URL, tried by every role and by a stranger.

``REQUIRED`` says which action each URL (and method) needs; ``ROLE_ACTIONS`` says which actions each role has. A member
whose role has the action gets an answer (a page, a file, a redirect, a form error), one whose role lacks it gets the
same 404 a stranger gets, and nothing changes. A URL that takes a packet id and is missing from ``REQUIRED`` fails the
suite, so a new view cannot be forgotten. The objects come from the permission walk's ``make_side``.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse

from packets.models import Invitation, Membership, Role
from packets.permissions import ROLE_ACTIONS, Action
from packets.sharing.services import SharingRefused, invitation_create, invitation_revoke, membership_remove
from tests.builders import make_user
from tests.test_permission_walk import Side, make_side, packet_routes

A = Action


@dataclass(frozen=True)
class Use:
    """One way to call a URL: the action each method needs, and any URL values that choose what it does."""

    methods: dict[str, Action]
    kwargs: dict[str, Any] = field(default_factory=dict)


# URL name → the ways to use it. A method not listed must be refused (405) whoever asks.
REQUIRED: dict[str, list[Use]] = {
    "packet_detail": [Use({"GET": A.VIEW, "POST": A.VIEW})],
    "packet_review": [Use({"GET": A.VIEW, "POST": A.VIEW})],
    "packet_finish": [Use({"GET": A.VIEW, "POST": A.VIEW})],
    "packet_checklist": [Use({"GET": A.VIEW, "POST": A.VIEW})],
    "packet_resume": [Use({"GET": A.VIEW})],
    "packet_rename": [Use({"GET": A.RENAME, "POST": A.RENAME})],
    "packet_delete": [Use({"GET": A.DELETE, "POST": A.DELETE})],
    "wizard_step": [Use({"GET": A.VIEW, "POST": A.EDIT})],
    "packet_export": [Use({"GET": A.EXPORT, "POST": A.EXPORT})],
    "exhibit_download": [Use({"GET": A.VIEW, "POST": A.VIEW})],
    "exhibit_edit": [Use({"GET": A.UPLOAD, "POST": A.UPLOAD})],
    "exhibit_remove": [Use({"POST": A.UPLOAD})],
    "exhibit_move": [Use({"POST": A.UPLOAD})],
    "packet_render": [Use({"POST": A.RENDER})],
    "packet_render_job": [Use({"GET": A.VIEW})],
    "packet_render_status": [Use({"GET": A.VIEW})],
    "packet_version_download": [Use({"GET": A.VIEW})],
    "packet_online_filing": [Use({"GET": A.VIEW})],
    "packet_cover_letter": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "packet_members": [Use({"GET": A.MANAGE_MEMBERS, "POST": A.MANAGE_MEMBERS})],
    "member_remove": [Use({"POST": A.MANAGE_MEMBERS})],
    "invitation_revoke": [Use({"POST": A.MANAGE_MEMBERS})],
    "packet_counsel": [Use({"GET": A.VIEW})],
    "packet_changes": [Use({"GET": A.VIEW})],
    "packet_transition": [
        Use({"GET": A.SUBMIT, "POST": A.SUBMIT}, {"transition": "submit"}),
        Use({"GET": A.REVIEW, "POST": A.REVIEW}, {"transition": "request_changes"}),
        Use({"GET": A.REVIEW, "POST": A.REVIEW}, {"transition": "approve"}),
        Use({"GET": A.FILE_WITHOUT_COUNSEL, "POST": A.FILE_WITHOUT_COUNSEL}, {"transition": "file_without_counsel"}),
        # Owner (submit) or counsel (review) may mark filed; the view lets members in and the service decides.
        Use({"GET": A.MARK_FILED, "POST": A.MARK_FILED}, {"transition": "mark_filed"}),
    ],
    "packet_render_final": [Use({"POST": A.RENDER_FINAL})],
    "comment_create": [Use({"POST": A.COMMENT})],
    "comment_action": [
        Use({"POST": A.COMMENT}, {"action": "reply"}),
        Use({"POST": A.COMMENT}, {"action": "resolve"}),
        Use({"POST": A.COMMENT}, {"action": "reopen"}),
    ],
    "finding_override_create": [Use({"POST": A.REVIEW})],
    "packet_audit": [Use({"GET": A.READ_AUDIT})],
    # The case after filing (packets.case): reading it is VIEW, recording what happened EDIT, files UPLOAD.
    "case_page": [Use({"GET": A.VIEW})],
    "case_filing_edit": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "case_log_add": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "case_log_edit": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "case_log_delete": [Use({"POST": A.EDIT})],
    "case_document_download": [Use({"GET": A.VIEW})],
    "case_rfe_new": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "case_rfe": [Use({"GET": A.VIEW, "POST": A.EDIT})],
    "case_rfe_item_add": [Use({"POST": A.EDIT})],
    "case_rfe_exhibit_add": [Use({"POST": A.UPLOAD})],
    "case_rfe_exhibit_remove": [Use({"POST": A.UPLOAD})],
    "case_rfe_step": [
        Use({"POST": A.EDIT}, {"step": "submit"}),
        Use({"POST": A.REVIEW}, {"step": "request_changes"}),
        Use({"POST": A.REVIEW}, {"step": "approve"}),
    ],
    "case_rfe_sent": [Use({"POST": A.RENDER_FINAL})],
    "case_rfe_comment": [Use({"POST": A.COMMENT})],
    "case_rfe_render": [Use({"POST": A.RENDER})],
    "case_amendment_new": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "case_amendment": [Use({"GET": A.VIEW, "POST": A.EDIT})],
    "case_amendment_exhibit_add": [Use({"POST": A.UPLOAD})],
    "case_amendment_exhibit_remove": [Use({"POST": A.UPLOAD})],
    "case_amendment_sent": [Use({"POST": A.RENDER_FINAL})],
    "case_amendment_render": [Use({"POST": A.RENDER})],
    "case_render_download": [Use({"GET": A.VIEW})],
    "case_decision": [Use({"GET": A.VIEW, "POST": A.EDIT})],
    "case_departure": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "case_condition_new": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "case_condition_edit": [Use({"GET": A.EDIT, "POST": A.EDIT})],
    "case_condition_remove": [Use({"POST": A.EDIT})],
    "case_report": [Use({"GET": A.VIEW, "POST": A.EDIT})],
    "case_report_pdf": [Use({"POST": A.RENDER})],
    "case_reparole": [Use({"GET": A.REQUEST_REPAROLE, "POST": A.REQUEST_REPAROLE})],
    "case_closing": [Use({"GET": A.VIEW, "POST": A.EDIT})],
    "case_closing_pdf": [Use({"POST": A.RENDER})],
    "case_public_summary": [Use({"GET": A.VIEW, "POST": A.EDIT})],
    "case_public_summary_pdf": [Use({"POST": A.RENDER})],
    "case_public_summary_markdown": [Use({"GET": A.VIEW})],
}

ROLES: list[str | None] = [*Role.values, None]  # None: logged in, not a member

# Enough fields for any of the forms to do something when the role allows it.
PAYLOAD = {
    "confirm_name": "Riverton",
    "name": "Renamed by the matrix",
    "email": "newcomer@example.org",
    "role": "viewer",
    "text": "A letter from the matrix.",
    "direction": "up",
    "title": "Retitled",
    "kind": "plan",
    "note": "From the matrix.",
    "body": "A comment from the matrix.",
    "step": "beneficiary",
}


def _cases() -> list[Any]:
    cases = []
    for name, uses in sorted(REQUIRED.items()):
        for index, use in enumerate(uses):
            label = "-".join(str(value) for value in use.kwargs.values()) or str(index)
            cases += [pytest.param(name, use, method, id=f"{name}[{label}]-{method}") for method in ("GET", "POST")]
    return cases


def _actor(side: Side, role: str | None) -> Any:
    if role == Role.OWNER:
        return side.user
    user = make_user(f"as-{role or 'stranger'}")
    if role is not None:
        Membership.objects.create(packet=side.packet, user=user, role=role)
    return user


def _url(side: Side, name: str, use: Use) -> str:
    route = next(route for route in packet_routes() if route.name == name)
    values = {kwarg: side.value(kwarg, converter) for kwarg, converter in route.kwargs.items()}
    return reverse(name, kwargs=values | use.kwargs)


def _send(client: Client, method: str, url: str) -> Any:
    response = client.get(url) if method == "GET" else client.post(url, PAYLOAD)
    if response.streaming:
        # Read to the end: the test client then closes the file without firing request_finished, which would close
        # the test's database connection (see the permission walk).
        b"".join(response.streaming_content)
    return response


# ── The table is complete and the roles say what the issue says ─────────────────────────────────────────────────


def test_every_url_that_takes_a_packet_is_in_the_table() -> None:
    names = {route.name for route in packet_routes()}

    assert sorted(names - set(REQUIRED)) == [], "say which action the new view needs in REQUIRED"
    assert sorted(set(REQUIRED) - names) == [], "a view in REQUIRED no longer exists"


def test_each_role_has_exactly_the_actions_it_was_given() -> None:
    given = dict(ROLE_ACTIONS)

    assert given == {
        Role.OWNER: frozenset(Action) - {A.REVIEW},
        Role.EDITOR: {A.VIEW, A.COMMENT, A.EDIT, A.UPLOAD, A.RENDER, A.EXPORT},
        Role.COUNSEL: {
            *(A.VIEW, A.COMMENT, A.EDIT, A.UPLOAD, A.RENDER, A.EXPORT),
            *(A.REVIEW, A.RENDER_FINAL, A.MARK_FILED, A.READ_AUDIT, A.REQUEST_REPAROLE),
        },
        Role.VIEWER: {A.VIEW, A.COMMENT},
    }


def test_every_action_is_needed_by_some_url_or_service() -> None:
    used = {action for uses in REQUIRED.values() for use in uses for action in use.methods.values()}
    used |= {service.action for service in SERVICES}

    assert set(Action) - used == set()


# ── Views ───────────────────────────────────────────────────────────────────────────────────────────────────────


def _verdict(side: Side, client: Client, name: str, use: Use, method: str, role: str | None) -> str:
    """What is wrong with the answer ``role`` gets, or an empty string when it is right."""
    client.force_login(_actor(side, role))
    before = side.snapshot()
    required = use.methods.get(method)
    status = _send(client, method, _url(side, name, use)).status_code
    who = role or "a stranger"
    if required is None and status != 405:
        return f"{method} {name} as {who}: {status}, expected 405 (the method is not used)"
    if required is not None and role is not None and required in ROLE_ACTIONS[role]:
        if status >= 500 or status in (403, 404, 405):
            return f"{method} {name} as {who} (may {required}): {status}"
    elif required is not None and status != 404:
        return f"{method} {name} as {who} (may not {required}): {status}, expected 404"
    if status in (404, 405) and side.snapshot() != before:
        return f"{method} {name} as {who} was refused but changed the packet"
    return ""


@pytest.mark.parametrize(("name", "use", "method"), _cases())
def test_a_member_does_what_the_role_allows_and_nothing_else(
    name: str, use: Use, method: str, client: Client, db: None
) -> None:
    side = make_side("alice", "Riverton", version_number=3)
    problems = []
    for role in ROLES:
        # Each role starts from the same packet: whatever the previous one was allowed to do is rolled back.
        with transaction.atomic():
            problems.append(_verdict(side, client, name, use, method, role))
            transaction.set_rollback(True)

    assert [problem for problem in problems if problem] == []


# ── Services that check the role themselves ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Service:
    name: str
    action: Action
    call: Any  # (side, user) → None; raises Http404 when the role lacks the action


def _invite(side: Side, user: Any) -> None:
    invitation_create(packet=side.packet, email="newcomer@example.org", role=Role.VIEWER, by=user, build_url=str)


def _revoke(side: Side, user: Any) -> None:
    invitation_revoke(packet=side.packet, invitation_id=side.invitation.pk, by=user)


def _remove(side: Side, user: Any) -> None:
    membership_remove(packet=side.packet, membership_id=side.member.pk, by=user)


SERVICES = [
    Service("invitation_create", A.MANAGE_MEMBERS, _invite),
    Service("invitation_revoke", A.MANAGE_MEMBERS, _revoke),
    Service("membership_remove", A.MANAGE_MEMBERS, _remove),
]


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "stranger")
@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.name)
def test_a_service_does_what_the_role_allows_and_nothing_else(service: Service, role: str | None, db: None) -> None:
    side = make_side("alice", "Riverton", version_number=3)
    user = _actor(side, role)
    before = side.snapshot()

    if role is not None and service.action in ROLE_ACTIONS[role]:
        service.call(side, user)
        assert side.snapshot() != before
    else:
        with pytest.raises(Http404):
            service.call(side, user)
        assert side.snapshot() == before


def test_the_services_refuse_objects_of_another_packet(db: None) -> None:
    alice = make_side("alice", "Riverton", version_number=3)
    bob = make_side("bob", "Salem", version_number=1)

    with pytest.raises(SharingRefused):
        invitation_revoke(packet=bob.packet, invitation_id=alice.invitation.pk, by=bob.user)
    with pytest.raises(SharingRefused):
        membership_remove(packet=bob.packet, membership_id=alice.member.pk, by=bob.user)
    assert Invitation.objects.get(pk=alice.invitation.pk).revoked_at is None
    assert Membership.objects.filter(pk=alice.member.pk).exists()
