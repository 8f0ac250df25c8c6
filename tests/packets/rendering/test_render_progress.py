"""The render progress page and its status endpoint tell one story, and a render no worker takes up ends as failed
with a way to try again instead of waiting in the queue for ever."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from packets.models import PacketVersion, RenderJob, RenderState
from packets.rendering.tasks import render_job_start
from packets.rendering.versions import render_job_run
from tests.builders import make_packet

pytestmark = pytest.mark.django_db


def job_in(user: Any, state: str) -> RenderJob:
    return RenderJob.objects.create(packet=make_packet(user), requested_by=user, state=state)


def page_steps(html: str) -> list[tuple[str, str]]:
    """(state, label) of each item of the page's step list."""
    return re.findall(r'<li class="step-(\w+)"[^>]*>([^<]+)</li>', html)


def age(job: RenderJob, minutes: int) -> None:
    RenderJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (RenderState.QUEUED, ["current", "todo", "todo", "todo"]),
        (RenderState.LAYING_OUT, ["done", "current", "todo", "todo"]),
        (RenderState.PLACING_EXHIBITS, ["done", "done", "current", "todo"]),
        (RenderState.DONE, ["done", "done", "done", "done"]),
    ],
)
def test_the_step_list_agrees_with_the_status_line_on_the_page_and_in_the_status(
    logged_in_client, user, state, expected
) -> None:
    job = job_in(user, state)
    html = logged_in_client.get(reverse("packet_render_job", args=[job.packet_id, job.pk])).content.decode()
    status = logged_in_client.get(reverse("packet_render_status", args=[job.packet_id, job.pk])).json()
    label = str(RenderState(state).label)
    current = [step["label"] for step in status["steps"] if step["state"] == "current"]
    assert current == ([] if state == RenderState.DONE else [label])
    assert [step["state"] for step in status["steps"]] == expected
    assert page_steps(html) == [(step["state"], step["label"]) for step in status["steps"]]
    assert status["status_line"] == f"Status: {label}"
    assert f'<p role="status" class="render-state">Status: {label}</p>' in html


def test_without_javascript_the_page_refreshes_itself_and_with_it_the_script_updates_in_place(
    logged_in_client, user
) -> None:
    job = job_in(user, RenderState.LAYING_OUT)
    html = logged_in_client.get(reverse("packet_render_job", args=[job.packet_id, job.pk])).content.decode()
    head = html.split("</head>")[0]
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in head
    assert "packets/render-progress.js" in head
    assert "<script>" not in html  # no inline script: the content security policy allows none


def test_a_render_no_worker_took_up_fails_after_the_stale_minutes_with_a_try_again_button(
    logged_in_client, user, settings
) -> None:
    settings.RENDER_STALE_MINUTES = 15
    job = job_in(user, RenderState.QUEUED)
    url = reverse("packet_render_job", args=[job.packet_id, job.pk])
    age(job, 14)
    assert logged_in_client.get(url).context["job"].state == RenderState.QUEUED
    age(job, 16)
    page = logged_in_client.get(url)
    job.refresh_from_db()
    assert job.state == RenderState.FAILED
    html = page.content.decode()
    assert "The render never started" in html
    assert 'http-equiv="refresh"' not in html
    assert f'action="{reverse("packet_render", args=[job.packet_id])}"' in html
    assert ">Try again</button>" in html
    detail = logged_in_client.get(reverse("packet_detail", args=[job.packet_id])).content.decode()
    assert "A render is in progress" not in detail
    assert "The last render failed: The render never started" in detail


def test_trying_again_renders_the_packet(logged_in_client, user, settings) -> None:
    job = job_in(user, RenderState.QUEUED)
    age(job, settings.RENDER_STALE_MINUTES + 1)
    logged_in_client.get(reverse("packet_render_job", args=[job.packet_id, job.pk]))
    response = logged_in_client.post(reverse("packet_render", args=[job.packet_id]), follow=True)
    assert b"Download version 1" in response.content


def test_a_render_queued_in_the_database_that_no_worker_ran_fails_and_a_late_worker_leaves_it(
    logged_in_client, user, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    packet = make_packet(user)
    job = render_job_start(packet=packet, by=user)
    assert DBTaskResult.objects.get().status == "READY"  # queued, and no worker is running
    age(job, settings.RENDER_STALE_MINUTES + 1)
    status = logged_in_client.get(reverse("packet_render_status", args=[packet.pk, job.pk])).json()
    assert status["state"] == "failed" and status["finished"]
    assert status["message"].startswith("The render never started")
    # A worker that starts later runs the task (what db_worker calls), which leaves the failed job alone: no version
    # appears behind the person's back after they were told nothing was made. The task runs here rather than through
    # an in-process db_worker, which closes the test's database connection on PostgreSQL.
    render_job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.state == RenderState.FAILED
    assert not PacketVersion.objects.filter(packet=packet).exists()


def test_a_worker_that_took_a_job_but_never_reported_leaves_it_failed_after_the_stale_minutes(
    logged_in_client, user, settings
) -> None:
    job = job_in(user, RenderState.QUEUED)  # taken (updated_at touched) by a worker that then died
    age(job, settings.RENDER_STALE_MINUTES + 1)
    render_job_run(job_id=str(job_in(user, RenderState.QUEUED).pk))  # any worker's next render sweeps stale jobs
    job.refresh_from_db()
    assert job.state == RenderState.FAILED
