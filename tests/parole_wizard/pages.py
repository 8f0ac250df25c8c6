"""Read a wizard page as a browser would: the values its form would submit, so a test changes only what a user types."""

from html.parser import HTMLParser
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse


class _FormReader(HTMLParser):
    """Collects the successful controls of one ``<form id=…>``: inputs, checked boxes, selected options, text areas."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option_value: str | None = None
        self._option_text = ""
        self._option_selected = False
        self._textarea: str | None = None
        self._textarea_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.append((name, a.get("value", "on")))
                return
            self.values.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_text = ""
            self._option_selected = "selected" in a
        elif tag == "textarea" and name:
            self._textarea, self._textarea_text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text += data
        elif self._option_value is None and self._select is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "option" and self._select is not None:
            value = self._option_value if self._option_value is not None else self._option_text.strip()
            if self._select_first is None:
                self._select_first = value
            if self._option_selected and not self._select_chosen:
                self.values.append((self._select, value))
                self._select_chosen = True
            self._option_value = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self.values.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.values.append((self._textarea, self._textarea_text.removeprefix("\n")))
            self._textarea = None


def form_values(response: HttpResponse, form_id: str = "step-form") -> dict[str, Any]:
    """What submitting the page's form unchanged would send (lists where a name repeats)."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    values: dict[str, Any] = {}
    for name, value in reader.values:
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    return values


def step_url(packet: Any, step: str) -> str:
    return reverse("wizard_step", kwargs={"packet_id": packet.pk, "step": step})


def open_step(client: Client, packet: Any, step: str) -> tuple[HttpResponse, dict[str, Any]]:
    """GET a step and read its form; fails loudly if the page did not render."""
    response = client.get(step_url(packet, step))
    assert response.status_code == 200, response.status_code
    return response, form_values(response)


def submit_step(
    client: Client,
    packet: Any,
    step: str,
    changes: dict[str, Any] | None = None,
    *,
    action: str = "next",
    goto: str | None = None,
    page: dict[str, Any] | None = None,
) -> HttpResponse:
    """Open ``step`` (unless ``page`` holds values read already), type ``changes`` and press a button.

    Keys in ``changes`` are the step's field names without the step prefix, e.g. ``full_name`` or
    ``prior_trips-0-status``; a value of ``None`` removes the field from the submission (an unticked box).
    """
    if page is None:
        _response, page = open_step(client, packet, step)
    data = dict(page)
    for name, value in (changes or {}).items():
        key = f"{step}-{name}"
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    if goto:
        data["wizard_goto_step"] = goto
    else:
        data["wizard_action"] = action
    return client.post(step_url(packet, step), data)


def messages_of(response: HttpResponse) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
