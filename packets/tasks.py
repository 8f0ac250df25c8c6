"""Background tasks (Django Tasks API: the database backend in production, the immediate one in tests)."""

from django_tasks import task

from packets.assembly.versions import render_job_run


@task()
def render_packet_task(job_id: str) -> str:
    """Render the packet of ``job_id``; the job row carries progress and the outcome, the result is its state."""
    return str(render_job_run(job_id=job_id).state)
