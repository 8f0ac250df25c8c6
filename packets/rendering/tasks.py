"""Background tasks (Django Tasks API: the database backend in production, the immediate one in tests), and the
function that queues each. A task imports the service it runs (``packets.rendering.versions``), never the reverse."""

from django.contrib.auth.models import User
from django_tasks import task

from packets.models import Packet, RenderJob
from packets.rendering.versions import render_job_run


@task()
def render_packet_task(job_id: str) -> str:
    """Render the packet of ``job_id``; the job row carries progress and the outcome, the result is its state."""
    return str(render_job_run(job_id=job_id).state)


def render_job_start(*, packet: Packet, by: User | None, final: bool = False) -> RenderJob:
    """Queue a render of ``packet``; the job is run by ``render_packet_task``."""
    job = RenderJob.objects.create(packet=packet, requested_by=by, final=final)
    # Enqueued directly, not on commit: with the database task backend the task row commits together with the job
    # row, so a worker can never see one without the other.
    render_packet_task.enqueue(str(job.pk))
    return job
