"""Markup, CSS and template syntax typed into any free-text field stay text: in every page, the emails and the PDF.

The hostile packet is generated from the schema (``PacketData``): every string field of every section and of every
kind of row gets the payload, and narrative fields get it repeated up to their limit, so a field added later is
attacked without anyone remembering to. A field whose validator refuses the payload (email, phone) is listed and must
refuse it. tests/assembly/test_safety_and_cache.py checks the PDF against remote-resource markup; here the payload
adds script, template syntax and length.
"""

import types
import typing
from datetime import UTC, datetime
from html import escape
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pydantic import BaseModel, ValidationError

from packets.content.schema import PacketData
from packets.content.services import ExhibitUpload, exhibit_add, packet_save_section
from packets.models import Membership, Packet, Role
from packets.rendering.versions import packet_pdf
from packets.review.comments import comment_add
from packets.review.workflow import packet_submit
from parole_wizard.steps import STEPS
from tests.assembly.pdfread import page_texts, squash
from tests.builders import make_packet, make_user, pdf_bytes, upload
from tests.parole_wizard.pages import open_step
from tests.test_permission_walk import _fill, _url, packet_routes

# Script, an inline style, an event handler, Django template syntax ({{ }} and {% %}) that would print "14" and
# "lorem ipsum" if a template ever evaluated it. No quotes, so its escaped form is predictable.
PAYLOAD = (
    "<script>alert(1)</script><style>body{display:none}</style><b onmouseover=alert(2)>{{ 7|add:7 }}{% lorem 2 w %}</b>"
)
ESCAPED = escape(PAYLOAD, quote=True)
INTERPRETED = ("<script>alert(1)", "<b onmouseover", "lorem ipsum", "<style>body")
LONG_OVER = 1000  # a narrative field longer than this gets the payload repeated to its limit


def _unwrap(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
    return annotation


def _max_length(info: Any) -> int | None:
    return next((int(item.max_length) for item in info.metadata if getattr(item, "max_length", None)), None)


def _text_for(info: Any) -> str:
    limit = _max_length(info)
    if limit is not None and limit > LONG_OVER:
        return (PAYLOAD * (limit // len(PAYLOAD) + 1))[:limit]
    return PAYLOAD


def hostile_value(model: type[BaseModel]) -> dict[str, Any]:
    """Every string field of ``model``, its rows and sub-models, set to the payload; other fields left empty."""
    value: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        origin = typing.get_origin(annotation)
        if annotation is str:
            value[name] = _text_for(info)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            value[name] = hostile_value(annotation)
        elif origin is list and issubclass(_unwrap(typing.get_args(annotation)[0]), BaseModel):
            value[name] = [hostile_value(_unwrap(typing.get_args(annotation)[0]))]
    return value


def _drop(value: dict[str, Any], location: tuple[Any, ...]) -> None:
    """Remove the field at ``location`` (a pydantic error location) from ``value``."""
    *path, last = location
    target: Any = value
    for key in path:
        target = target[key]
    target.pop(last, None)


def hostile_section(section: str) -> tuple[dict[str, Any], list[str]]:
    """The hostile value of one section, and the fields whose validation refuses the payload (they keep no markup)."""
    model = PacketData.model_fields[section].annotation
    value = hostile_value(model)
    refused = []
    for _attempt in range(50):
        try:
            model.model_validate(value)
        except ValidationError as error:
            for problem in error.errors():
                refused.append(".".join(str(part) for part in problem["loc"]))
                _drop(value, problem["loc"])
            continue
        return value, refused
    raise AssertionError(f"{section}: the payload is refused everywhere")


SECTIONS = [name for name in PacketData.model_fields if name != "schema_version"]


def string_fields(model: type[BaseModel], prefix: str = "") -> list[str]:
    found = []
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        if annotation is str:
            found.append(prefix + name)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += string_fields(annotation, f"{prefix}{name}.")
        elif typing.get_origin(annotation) is list:
            found += string_fields(_unwrap(typing.get_args(annotation)[0]), f"{prefix}{name}.0.")
    return found


def test_the_generator_attacks_every_string_field_and_only_validated_ones_refuse() -> None:
    attacked, refused = 0, []
    for section in SECTIONS:
        value, section_refused = hostile_section(section)
        attacked += len(string_fields(PacketData.model_fields[section].annotation))
        refused += [f"{section}.{field}" for field in section_refused]

    assert attacked > 60
    # Only fields with a format of their own refuse markup; every other text field must take it as typed.
    assert refused, "email and phone fields refuse the payload"
    assert all(path.rsplit(".", 1)[-1].endswith(("email", "phone")) for path in refused), refused


def make_hostile_packet(owner: Any) -> Packet:
    packet = make_packet(owner, name=PAYLOAD[:120], project={"title": "A first title"})
    for section in SECTIONS:
        value, _refused = hostile_section(section)
        if section == "requestor":
            value["requested_by"] = "organisation"  # so the organisation step is shown too
        packet = packet_save_section(
            packet=packet, section=section, value=value, base_revision=packet.revision, by=owner
        )
    exhibit_add(
        packet=packet,
        upload=ExhibitUpload(file=upload("letter.pdf", pdf_bytes()), kind="other", title=PAYLOAD, issuer=PAYLOAD),
        by=owner,
    )
    comment_add(packet=packet, by=owner, body=PAYLOAD, step="project")
    return packet


@pytest.fixture
def hostile(db: None) -> tuple[Any, Packet]:
    owner = make_user("ana")
    return owner, make_hostile_packet(owner)


def assert_not_interpreted(html: str, where: str) -> None:
    for marker in INTERPRETED:
        assert marker not in html, f"{where}: {marker!r} reached the page as markup"


# ── Pages ───────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_every_wizard_step_shows_the_payload_as_text(client: Client, hostile: tuple[Any, Packet]) -> None:
    owner, packet = hostile
    client.force_login(owner)

    shown = 0
    assert all(step.applies(packet.content) for step in STEPS)
    for step in STEPS:
        response, _page = open_step(client, packet, step.name)
        html = response.content.decode()
        assert_not_interpreted(html, step.name)
        shown += html.count(ESCAPED)

    assert shown > 60


def test_every_packet_page_shows_the_payload_as_text(client: Client, hostile: tuple[Any, Packet]) -> None:
    owner, packet = hostile
    packet_submit(packet=packet, by=owner, note=PAYLOAD)
    client.force_login(owner)

    pages = {}
    for route in packet_routes():
        response = client.get(_url(route, _fill(route, _Values(packet))))
        if response.streaming:
            b"".join(response.streaming_content)
        elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[route.name] = response.content.decode()
    pages["dashboard"] = client.get(reverse("dashboard")).content.decode()

    for name, html in pages.items():
        assert_not_interpreted(html, name)
    for name in ("packet_detail", "packet_review", "packet_counsel", "packet_changes", "dashboard"):
        assert ESCAPED in pages[name], f"{name} does not show the payload as text"
    assert pages["packet_review"].count(ESCAPED) > 60


class _Values:
    """The URL values of one packet, for the permission walk's URL builder (only the packet and its first exhibit)."""

    def __init__(self, packet: Packet) -> None:
        self.packet = packet
        self.exhibit = packet.exhibits.first()

    def value(self, kwarg: str, converter: str) -> Any:
        known = {
            "packet_id": self.packet.pk,
            "exhibit_id": self.exhibit.pk if self.exhibit else None,
            "step": "project",
        }
        return known.get(kwarg, {"uuid": "00000000-0000-0000-0000-000000000000", "int": 1}.get(converter, "x"))


def test_the_diff_of_a_hostile_edit_shows_both_sides_as_text(client: Client, db: None) -> None:
    owner = make_user("ana")
    packet = make_packet(owner, project={"title": PAYLOAD})
    packet = packet_save_section(
        packet=packet, section="project", value={"title": PAYLOAD + " v2"}, base_revision=packet.revision, by=owner
    )
    client.force_login(owner)

    html = client.get(reverse("packet_changes", args=[packet.pk]), {"from": "r1"}).content.decode()

    assert_not_interpreted(html, "changes")
    assert ESCAPED in html


def test_text_longer_than_a_field_allows_is_refused_with_a_message_not_an_error(client: Client, db: None) -> None:
    owner = make_user("ana")
    packet = make_packet(owner)
    client.force_login(owner)
    _response, page = open_step(client, packet, "project")
    limit = PacketData.model_fields["project"].annotation.model_fields["public_benefit"].metadata
    longest = next(int(item.max_length) for item in limit if getattr(item, "max_length", None))

    response = client.post(
        reverse("wizard_step", args=[packet.pk, "project"]),
        {**page, "project-public_benefit": PAYLOAD * (longest // len(PAYLOAD) + 2), "wizard_action": "next"},
    )

    assert response.status_code == 400  # the step shown again with its errors
    assert "at most" in response.content.decode()
    packet.refresh_from_db()
    assert packet.content.project.public_benefit == ""


# ── Emails ──────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_emails_carry_the_payload_as_plain_text(
    hostile: tuple[Any, Packet], django_capture_on_commit_callbacks: Any
) -> None:
    owner, packet = hostile
    counsel = make_user("carla", email="carla@example.org")
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    from packets.sharing.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(packet=packet, email="newcomer@example.org", role=Role.VIEWER, by=owner, build_url=str)
        packet_submit(packet=packet, by=owner, note=PAYLOAD)

    assert len(mail.outbox) >= 2
    for message in mail.outbox:
        assert not getattr(message, "alternatives", None), "an HTML part would need escaping"
        assert "lorem ipsum" not in message.body
        assert "&lt;" not in message.body, "plain text must not be HTML-escaped"
        assert "\n" not in message.subject
    bodies = " ".join(message.body for message in mail.outbox)
    assert PAYLOAD[:120] in bodies  # the packet name, as typed
    assert PAYLOAD in bodies  # the note


# ── The PDF ─────────────────────────────────────────────────────────────────────────────────────────────────────────


def test_the_pdf_prints_the_payload_literally(hostile: tuple[Any, Packet]) -> None:
    _owner, packet = hostile

    rendered, _sources = packet_pdf(
        packet=packet, final=False, version_number=1, created_at=datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    )

    text = squash(" ".join(page_texts(rendered.pdf)))
    assert text.count("{{ 7|add:7 }}{% lorem 2 w %}") > 60
    assert text.count("<script>alert(1)</script>") > 60
    assert "lorem ipsum" not in text
