"""A readiness blocker stops a final render until counsel overrides that finding with a written reason."""

from typing import Any

import pytest

from packets.content.services import packet_save_section
from packets.models import FindingOverride, Membership, Role
from packets.rendering.versions import packet_render
from packets.review.workflow import (
    ReviewRefused,
    finding_override_add,
    packet_approve,
    packet_history,
    packet_submit,
)
from tests.builders import make_complete_packet, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def counsel() -> Any:
    return make_user("lawyer")


@pytest.fixture
def approved_with_blocker(user: Any, counsel: Any) -> Any:
    packet = make_complete_packet(user)
    Membership.objects.create(packet=packet, user=counsel, role=Role.COUNSEL)
    packet = packet_save_section(
        packet=packet, section="logistics", value={**packet.data["logistics"], "supervision": ""},
        base_revision=packet.revision, by=user,
    )  # fmt: skip
    packet = packet_submit(packet=packet, by=user)
    return packet_approve(packet=packet, by=counsel, revision=packet.revision)


def test_a_blocker_stops_a_final_render_and_an_override_lets_it_through(
    approved_with_blocker: Any, counsel: Any, user: Any
) -> None:
    packet = approved_with_blocker
    with pytest.raises(ReviewRefused, match="Blocker not resolved"):
        packet_render(packet=packet, final=True, by=counsel)
    with pytest.raises(ReviewRefused, match="Only counsel"):
        finding_override_add(
            packet=packet, by=user, rule="no-supervision", step="logistics", field="supervision", reason="I say so, ok."
        )
    with pytest.raises(ReviewRefused, match="reason"):
        finding_override_add(
            packet=packet, by=counsel, rule="no-supervision", step="logistics", field="supervision", reason="ok"
        )
    reason = "Supervision is described in the host agency's letter (Exhibit F)."
    finding_override_add(
        packet=packet, by=counsel, rule="no-supervision", step="logistics", field="supervision", reason=reason
    )
    version = packet_render(packet=packet, final=True, by=counsel)
    assert version.final
    override = FindingOverride.objects.get(packet=packet)
    assert (override.by, override.reason) == (counsel, reason)
    assert any(item.kind == "override" and item.note == reason for item in packet_history(packet))


def test_only_a_current_blocker_can_be_overridden(approved_with_blocker: Any, counsel: Any) -> None:
    with pytest.raises(ReviewRefused, match="no longer found"):
        finding_override_add(
            packet=approved_with_blocker, by=counsel, rule="no-exit-strategy", step="exit", field="strategy",
            reason="Not applicable to this case at all.",
        )  # fmt: skip


def test_the_override_form_is_shown_to_counsel_only(
    client: Any, approved_with_blocker: Any, counsel: Any, user: Any
) -> None:
    url = f"/packets/{approved_with_blocker.pk}/review/"
    client.force_login(counsel)
    assert "Override this blocker" in client.get(url).content.decode()
    client.force_login(user)
    assert "Override this blocker" not in client.get(url).content.decode()
