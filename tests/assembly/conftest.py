"""Rendered packets shared by a module: each is built and rendered once, inside a transaction that is rolled back."""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from packets.assembly.exhibits import ExhibitSource
from packets.content.services import ExhibitUpload, exhibit_add
from packets.models import Packet
from packets.rendering.versions import packet_pdf
from tests.builders import make_user, upload

RENDERED_AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    sources: list[ExhibitSource]
    exhibit_pages: list[int]
    data: Any


def rotated_pdf_bytes(pdf: bytes, rotate: int) -> bytes:
    """``pdf`` with /Rotate set on every page (the content stays as drawn; viewers turn the page)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            page.obj.Rotate = rotate
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def add_exhibit(packet: Packet, user: Any, name: str, content: bytes, title: str, kind: str = "other") -> None:
    content_type = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}[name.rsplit(".", 1)[1]]
    exhibit_add(
        packet=packet,
        upload=ExhibitUpload(file=upload(name, content, content_type), kind=kind, title=title, issuer="Issuer"),
        by=user,
    )


def render_rolled_back(media: Path, build: Callable[[Any], Packet], *, final: bool = False) -> Rendered:
    """Build a packet with ``build(user)``, render it, and roll every database change back."""
    storages = {name: dict(config) for name, config in settings.STORAGES.items()}
    storages["default"]["OPTIONS"] = {"location": str(media)}
    with override_settings(MEDIA_ROOT=media, STORAGES=storages), transaction.atomic():
        user = make_user("render-fixture")
        packet = build(user)
        rendered, sources = packet_pdf(packet=packet, final=final, version_number=1, created_at=RENDERED_AT)
        pages = [exhibit.page_count for exhibit in packet.exhibits.all()]
        data = packet.content
        transaction.set_rollback(True)
    return Rendered(rendered.pdf, sources, pages, data)


@pytest.fixture(scope="module")
def module_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def render_once(django_db_setup: None, django_db_blocker: Any, module_media: Path) -> Iterator[Callable[..., Rendered]]:
    def render(build: Callable[[Any], Packet], *, final: bool = False) -> Rendered:
        with django_db_blocker.unblock():
            return render_rolled_back(module_media, build, final=final)

    yield render
