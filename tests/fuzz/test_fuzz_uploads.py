"""A CI-sized fuzz run: malformed files and hostile names at the upload and render paths, 0 crashes, 0 hangs."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from packets.content.services import ExhibitUpload, exhibit_add
from packets.models import Exhibit, RenderJob, RenderState
from packets.rendering.tasks import render_job_start
from tests.builders import make_packet, pdf_bytes, upload
from tests.fuzz.harness import (
    HOSTILE_NAMES,
    Tally,
    attack_samples,
    check_inspect,
    check_normalise,
    content_type_of,
    mutated_samples,
)
from tests.parole_wizard.pages import open_step, step_url

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

GENERATED_NAME = re.compile(r"exhibits/[0-9a-f-]{36}/[0-9a-f]{32}")


@pytest.fixture
def ci_limits(settings: Any) -> None:
    # Tighter than production, so a file that must be killed costs seconds of CI time, not a minute.
    settings.INSPECT_CPU_SECONDS = 5
    settings.INSPECT_WALL_SECONDS = 10


def test_sixty_malformed_files_are_refused_or_rendered_without_a_crash_or_a_hang(ci_limits: None, user: Any) -> None:
    samples = [*attack_samples(big=False), *mutated_samples(31, seed=6)]
    tally = Tally()
    rendered = [
        sample
        for sample in samples
        if check_inspect(tally, sample) and check_normalise(tally, sample, content_type_of(sample.data))
    ]
    # The whole render path once: every accepted, convertible file in one packet.
    packet = make_packet(user, project={"title": "Fuzz", "summary": "Malformed files."})
    for sample in rendered[:12]:
        exhibit_add(
            packet=packet,
            upload=ExhibitUpload(file=upload(sample.name, sample.data), kind="other", title=sample.name),
            by=user,
        )
    job = RenderJob.objects.get(pk=render_job_start(packet=packet, by=user).pk)

    print(tally.line())  # noqa: T201 - the figure CI logs show
    assert len(samples) >= 60
    assert tally.crashes == []
    assert tally.hangs == []
    assert job.state == RenderState.DONE, job.message


def _files_in_media() -> list[str]:
    media = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_file_name_never_reaches_the_filesystem_and_is_shown_escaped(
    name: str, logged_in_client: Client, user: Any
) -> None:
    packet = make_packet(user)
    _response, page = open_step(logged_in_client, packet, "evidence")
    data = {**page, "evidence-title": "Plan", "evidence-kind": "plan", "wizard_action": "next"}
    data["evidence-file"] = upload(name, pdf_bytes())
    assert logged_in_client.post(step_url(packet, "evidence"), data).status_code == 302
    # The service itself, as an archive import or another caller uses it: the name exactly as given.
    exhibit_add(
        packet=packet,
        upload=ExhibitUpload(file=upload(name, pdf_bytes()), kind="other", title="Plan again"),
        by=user,
    )

    stored = _files_in_media()
    assert stored
    assert all(GENERATED_NAME.fullmatch(path) for path in stored), stored
    for exhibit in Exhibit.objects.filter(packet=packet):
        url = reverse("exhibit_edit", kwargs={"packet_id": packet.pk, "exhibit_id": exhibit.pk})
        html = logged_in_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "{% debug %}" not in html or "{% debug %}" in exhibit.original_name
        assert "\x00" not in html
