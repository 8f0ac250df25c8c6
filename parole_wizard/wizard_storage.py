"""formtools' wizard storage, with the packet in the database as the truth.

formtools' own storages hold every step's data in the session or a cookie, so a GET resets it, tabs share one slot
and expiry empties it (docs/architecture.md). Here nothing lives only in the storage: the current step is the one in the
URL, a valid step is saved to ``Packet.data`` before the wizard moves on and reaches the form again through
``get_form_initial``, and a file becomes an exhibit at once. What the storage keeps is a step's *draft* — input that
could not be saved (malformed, or posted after the session had expired), or a merge with a later save still to be
settled — in the database (``StepDraft``, encrypted), per packet, step and person: it survives leaving the page, a
reload, a closed tab, logging out and another device, until that person saves the step or discards the draft.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from formtools.wizard.storage.base import BaseStorage

from packets.models import DraftKind, StepDraft
from parole_wizard.steps import STEP_BY_NAME

# Input posted without a login (the session expired while the user typed): see ``keep_until_login``.
KEPT_UNTIL_LOGIN = "wizard_kept_until_login"


class PacketStorage(BaseStorage):
    """The current step from the URL, each step's data from the packet, and the unsaved drafts of one packet."""

    def __init__(self, prefix: str, request: HttpRequest, file_storage: Any = None) -> None:
        super().__init__(prefix, request, file_storage)
        # ``prefix`` names the packet (``PacketWizardView.get_prefix``): "packet_<uuid>".
        self.session = request.session
        self.packet_id = prefix.removeprefix("packet_")
        self._read: dict[str, StepDraft | None] = {}

    # ── the current step: the URL's ──────────────────────────────────────────────────────────────────────────────

    def _get_current_step(self) -> str | None:
        match = self.request.resolver_match
        return match.kwargs.get("step") if match else None

    def _set_current_step(self, step: Any) -> None:
        """Nothing to store: formtools sets the step just before it redirects to the step's URL, which carries it."""

    # ── step data: a draft, if there is one; otherwise the form is built from the packet ─────────────────────────

    def draft(self, step: str) -> StepDraft | None:
        """This person's draft of ``step``, read once per request."""
        if step not in self._read:
            user = self.request.user
            found = (
                StepDraft.objects.filter(packet_id=self.packet_id, user_id=user.pk, step=step).first()
                if user.is_authenticated
                else None
            )
            self._read[step] = found
        return self._read[step]

    def get_step_data(self, step: str) -> MultiValueDict[str, Any] | None:
        """The posted input of an ``INPUT`` draft (formtools binds the step's form to it); None otherwise."""
        draft = self.draft(step)
        if draft is None or draft.kind != DraftKind.INPUT:
            return None
        return MultiValueDict(draft.data)

    def set_step_data(self, step: str, cleaned_data: Any) -> None:
        """Keep ``cleaned_data`` (the posted input) as the step's draft; ``None`` drops the draft."""
        if cleaned_data is None:
            self.drop_draft(step)
            return
        if isinstance(cleaned_data, MultiValueDict):
            cleaned_data = dict(cleaned_data.lists())
        # Only the step's own fields (named "<step>-…"): not the CSRF token, not the button pressed.
        data = {
            key: [str(item) for item in values] for key, values in cleaned_data.items() if key.startswith(f"{step}-")
        }
        revision = (data.get(f"{step}-revision") or ["0"])[0]
        self.keep_draft(step, kind=DraftKind.INPUT, data=data, base_revision=int(revision) if revision.isdigit() else 0)

    def keep_draft(self, step: str, *, kind: str, data: dict[str, Any], base_revision: int) -> None:
        """Keep (or replace) this person's draft of ``step``."""
        draft, _created = StepDraft.objects.update_or_create(
            packet_id=self.packet_id,
            user_id=self.request.user.pk,
            step=step,
            defaults={"kind": kind, "data": data, "base_revision": base_revision},
        )
        self._read[step] = draft

    def drop_draft(self, step: str) -> None:
        """The step was saved, or the person chose the saved answers: the draft is done with."""
        if self._read.get(step, True) is None:
            return  # known to have none: no write
        StepDraft.objects.filter(packet_id=self.packet_id, user_id=self.request.user.pk, step=step).delete()
        self._read[step] = None

    def get_step_files(self, step: str) -> None:
        """No file waits here: a valid step stores its files as exhibits, and a draft asks for them again."""
        return None

    def set_step_files(self, step: str, files: Any) -> None:
        """Files are never kept (see ``get_step_files``)."""

    # ── what formtools' session storage held beside the steps ────────────────────────────────────────────────────

    def _get_extra_data(self) -> dict[str, Any]:
        return {}

    def _set_extra_data(self, extra_data: Any) -> None:
        raise TypeError("The packet wizard keeps no extra data: it would live only in the session.")

    def reset(self) -> None:
        """Nothing to reset: saved answers are the packet's, and a draft stays until it is saved or discarded."""

    # ── answers posted after the session expired ─────────────────────────────────────────────────────────────────

    def take_kept_until_login(self, packet_id: str, step: str) -> None:
        """Answers kept by ``keep_until_login`` for this packet's step become the step's draft (never saved as such)."""
        kept = self.session.get(KEPT_UNTIL_LOGIN)
        if kept and kept.get("packet") == packet_id and kept.get("step") == step:
            self.set_step_data(step, kept["data"])
            del self.session[KEPT_UNTIL_LOGIN]


def keep_until_login(request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """A step posted without a login (the session expired while the user typed): keep the answers for after login.

    Login keeps an anonymous session's data, and the answers come back only as a draft of that step, for a member of
    that packet (``PacketStorage.take_kept_until_login``), so nothing is saved or shown on anyone's behalf.
    """
    step = kwargs.get("step")
    if step not in STEP_BY_NAME:
        return
    prefix = f"{step}-"
    request.session[KEPT_UNTIL_LOGIN] = {
        "packet": str(kwargs["packet_id"]),
        "step": step,
        "data": {key: request.POST.getlist(key) for key in request.POST if key.startswith(prefix)},
    }
