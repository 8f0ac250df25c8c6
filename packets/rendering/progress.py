"""How far a render job got, as its page and its status endpoint both show it: one status line and one step list from
the same state, so the page drawn by the server and the page updated by JavaScript always agree."""

from dataclasses import asdict, dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from packets.models import RenderJob, RenderState

# The stages a render goes through, in order (packets.assembly.render reports the middle two as it reaches them).
STEPS = [RenderState.QUEUED, RenderState.LAYING_OUT, RenderState.PLACING_EXHIBITS, RenderState.DONE]


@dataclass(frozen=True)
class ProgressStep:
    label: str
    # "done" (passed), "current" (the job is at it now; the last step once the render is done) or "todo".
    state: str


def render_job_steps(job: RenderJob) -> list[ProgressStep]:
    """Every stage with how far the job got: all done once it is done; a failed job shows none reached (where it
    stopped is not recorded)."""
    reached = STEPS.index(RenderState(job.state)) if job.state in STEPS else -1
    steps = []
    for index, step in enumerate(STEPS):
        if index < reached or job.state == RenderState.DONE:
            state = "done"
        else:
            state = "current" if index == reached else "todo"
        steps.append(ProgressStep(label=str(step.label), state=state))
    return steps


def render_job_status_line(job: RenderJob) -> str:
    return _("Status: %(state)s") % {"state": RenderState(job.state).label}


def render_job_progress(job: RenderJob) -> dict[str, Any]:
    """The job's progress as the status endpoint sends it and the page draws it."""
    version_url = reverse("packet_version_download", args=[job.packet_id, job.version.number]) if job.version else ""
    return {
        "state": job.state,
        "label": str(RenderState(job.state).label),
        "status_line": render_job_status_line(job),
        "steps": [asdict(step) for step in render_job_steps(job)],
        "message": _(job.message) if job.message else "",
        "finished": job.finished,
        "version_url": version_url,
    }
