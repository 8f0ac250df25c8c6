"""Building the case's PDFs from the case page and downloading them: who may build a draft or the final, where the
browser lands, failures in plain words with nothing stored, downloads as attachments and only through their packet."""

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from packets.models import AuditEntry, CaseRender, CaseRenderKind, Membership, Role
from tests.builders import make_user
from tests.case_builders import make_filed_case
from tests.packets.case.render_builders import approve, make_amendment, make_rfe

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _member(packet: Any, username: str, role: str) -> Any:
    user = make_user(username)
    Membership.objects.create(packet=packet, user=user, role=role)
    return user


def _messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def owner() -> Any:
    return make_user("owner")


@pytest.fixture
def packet(owner: Any) -> Any:
    return make_filed_case(owner)


def _render_url(packet: Any, rfe: Any) -> str:
    return reverse("case_rfe_render", kwargs={"packet_id": packet.pk, "rfe_id": rfe.pk})


def test_a_draft_is_built_and_the_browser_goes_back_where_it_came_from(owner: Any, packet: Any) -> None:
    rfe = make_rfe(packet, owner)
    back = f"/packets/{packet.pk}/case/rfe/{rfe.pk}/"
    response = _client(owner).post(_render_url(packet, rfe), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    render = CaseRender.objects.get(rfe=rfe)
    assert not render.final and render.kind == CaseRenderKind.RFE_RESPONSE and render.created_by == owner
    assert any("marked DRAFT" in message for message in _messages(response))


def test_a_foreign_next_falls_back_to_the_case_page(owner: Any, packet: Any) -> None:
    rfe = make_rfe(packet, owner, with_notice=False)
    response = _client(owner).post(_render_url(packet, rfe), {"next": "https://evil.example/"})
    assert response["Location"] == f"/packets/{packet.pk}/case/"


def test_the_final_waits_for_counsel_and_says_so(owner: Any, packet: Any) -> None:
    rfe = make_rfe(packet, owner, with_notice=False)
    response = _client(owner).post(_render_url(packet, rfe), {"final": "1"})
    assert response.status_code == 302
    assert not CaseRender.objects.exists()
    assert any("once counsel has approved it" in message for message in _messages(response))
    approve(rfe, packet.memberships.get(role=Role.COUNSEL).user)
    _client(owner).post(_render_url(packet, rfe), {"final": "1"})
    assert CaseRender.objects.get(rfe=rfe).final


def test_an_editor_builds_drafts_but_never_the_final(owner: Any, packet: Any) -> None:
    editor = _member(packet, "editor", Role.EDITOR)
    rfe = make_rfe(packet, owner, with_notice=False)
    approve(rfe, packet.memberships.get(role=Role.COUNSEL).user)
    assert _client(editor).post(_render_url(packet, rfe), {"final": "1"}).status_code == 404
    assert _client(editor).post(_render_url(packet, rfe)).status_code == 302
    assert CaseRender.objects.get(rfe=rfe).final is False


def test_a_viewer_cannot_build_but_can_download(owner: Any, packet: Any) -> None:
    viewer = _member(packet, "viewer", Role.VIEWER)
    rfe = make_rfe(packet, owner, with_notice=False)
    assert _client(viewer).post(_render_url(packet, rfe)).status_code == 404
    _client(owner).post(_render_url(packet, rfe))
    render = CaseRender.objects.get(rfe=rfe)
    url = reverse("case_render_download", kwargs={"packet_id": packet.pk, "render_id": render.pk})
    response = _client(viewer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "draft" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(packet=packet, user=viewer, action="download").exists()


def test_another_packet_s_render_is_not_found(owner: Any, packet: Any) -> None:
    rfe = make_rfe(packet, owner, with_notice=False)
    _client(owner).post(_render_url(packet, rfe))
    render = CaseRender.objects.get(rfe=rfe)
    other = make_filed_case(owner, packet.memberships.get(role=Role.COUNSEL).user, name="Another case")
    url = reverse("case_render_download", kwargs={"packet_id": other.pk, "render_id": render.pk})
    assert _client(owner).get(url).status_code == 404
    stranger = make_user("stranger")
    url = reverse("case_render_download", kwargs={"packet_id": packet.pk, "render_id": render.pk})
    assert _client(stranger).get(url).status_code == 404


def test_an_unreadable_exhibit_is_explained_and_nothing_is_stored(owner: Any, packet: Any) -> None:
    rfe = make_rfe(packet, owner, with_notice=False)
    for document in rfe.new_exhibits.all():  # the stored file changed behind the app's back
        document.sha256 = "0" * 64
        document.save(update_fields=["sha256"])
    response = _client(owner).post(_render_url(packet, rfe))
    assert response.status_code == 302
    assert not CaseRender.objects.exists()
    [message] = _messages(response)
    assert message.startswith("The response PDF was not built:")
    assert "Exhibit D" in message


def test_the_amendment_is_rendered_as_a_supplemental_letter(owner: Any, packet: Any) -> None:
    amendment = make_amendment(packet, owner)
    url = reverse("case_amendment_render", kwargs={"packet_id": packet.pk, "amendment_id": amendment.pk})
    response = _client(owner).post(url)
    assert response.status_code == 302
    render = CaseRender.objects.get(amendment=amendment)
    assert render.kind == CaseRenderKind.AMENDMENT
    assert render.layout == {"D": {"first_page": render.page_count, "pages": 1}}
    assert any("supplemental letter PDF is ready" in message for message in _messages(response))


def test_a_get_does_not_render(owner: Any, packet: Any) -> None:
    rfe = make_rfe(packet, owner, with_notice=False)
    assert _client(owner).get(_render_url(packet, rfe)).status_code == 405
