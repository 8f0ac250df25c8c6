"""Where "Resume" leads: the step this person last edited (saved, or left as an unsaved draft)."""

from typing import Any

from packets.models import Packet, PacketChange, StepDraft
from parole_wizard.steps import StepState, evidence_count, step_state, steps_for


def packet_resume_step(*, packet: Packet, user: Any) -> str:
    """The name of the step to reopen for ``user``: the one they last saved or left a draft on, if it still applies;
    else the first step not complete; else the first step."""
    steps = steps_for(packet.content)
    by_section = {step.section or step.name: step.name for step in steps}
    # A handful of rows is enough: a change of a section whose step no longer applies is passed over.
    changes = PacketChange.objects.filter(packet=packet, user_id=user.pk).exclude(section="").order_by("-revision")
    last_saved = next(((c.section, c.created_at) for c in changes[:20] if c.section in by_section), None)
    draft = (
        StepDraft.objects.filter(packet=packet, user_id=user.pk, step__in=[step.name for step in steps])
        .order_by("-updated_at")
        .first()
    )
    if draft is not None and (last_saved is None or draft.updated_at >= last_saved[1]):
        return draft.step
    if last_saved is not None:
        return by_section[last_saved[0]]
    evidence = evidence_count(packet.exhibits.all())
    open_step = next((s for s in steps if step_state(s, packet.content, evidence)[0] is not StepState.COMPLETE), None)
    return (open_step or steps[0]).name
