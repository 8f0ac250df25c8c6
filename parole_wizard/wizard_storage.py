"""formtools' wizard storage, with the packet in the database as the truth.

formtools' own storages hold every step's data in the session or a cookie, so a GET resets it, tabs share one slot
and expiry empties it (docs/architecture.md). Here nothing lives only in the storage: the current step is the one in the
URL, a valid step is saved to ``Packet.data`` before the wizard moves on and reaches the form again through
``get_form_initial``, and a file becomes an exhibit at once. What the storage keeps is a step's *draft* — input that
could not be saved because it was malformed, or because it was posted after the session had expired — in the session,
under a key of its packet, so tabs on different packets never share a slot. Losing a draft loses only that unsaved
input, never a saved answer.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from formtools.wizard.storage.base import BaseStorage

from parole_wizard.steps import STEP_BY_NAME

# Input posted without a login (the session expired while the user typed): see ``keep_until_login``.
KEPT_UNTIL_LOGIN = "wizard_kept_until_login"


class PacketStorage(BaseStorage):
    """The current step from the URL, each step's data from the packet, and the unsaved drafts of one packet."""

    def __init__(self, prefix: str, request: HttpRequest, file_storage: Any = None) -> None:
        super().__init__(prefix, request, file_storage)
        # ``prefix`` names the packet (``PacketWizardView.get_prefix``). The drafts sit where formtools' session
        # storage kept its step data, so drafts written before this storage existed are still found.
        self.session = request.session

    # ── the current step: the URL's ──────────────────────────────────────────────────────────────────────────────

    def _get_current_step(self) -> str | None:
        match = self.request.resolver_match
        return match.kwargs.get("step") if match else None

    def _set_current_step(self, step: Any) -> None:
        """Nothing to store: formtools sets the step just before it redirects to the step's URL, which carries it."""

    # ── step data: a draft, if there is one; otherwise the form is built from the packet ─────────────────────────

    def get_step_data(self, step: str) -> MultiValueDict[str, Any] | None:
        draft = self._drafts().get(step)
        return MultiValueDict(draft) if draft is not None else None

    def set_step_data(self, step: str, cleaned_data: Any) -> None:
        """Keep ``cleaned_data`` (the posted input) as the step's draft; ``None`` drops the draft."""
        drafts = self._drafts()
        if cleaned_data is None:
            if step not in drafts:
                return  # nothing to drop: the session is not written
            del drafts[step]
        else:
            if isinstance(cleaned_data, MultiValueDict):
                cleaned_data = dict(cleaned_data.lists())
            drafts[step] = cleaned_data
        # Written only on a change: a step GET must not rewrite the session row (a write transaction per page view).
        self.session[self.prefix] = {self.step_data_key: drafts}

    def get_step_files(self, step: str) -> None:
        """No file waits here: a valid step stores its files as exhibits, and a draft asks for them again."""
        return None

    def set_step_files(self, step: str, files: Any) -> None:
        """Files are never kept (see ``get_step_files``)."""

    def _drafts(self) -> dict[str, Any]:
        stored = self.session.get(self.prefix) or {}
        return dict(stored.get(self.step_data_key) or {})

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
