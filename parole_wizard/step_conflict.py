"""The page shown when a step's section was saved by someone else after the form was loaded (a stale edit)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from packets.content.services import StaleEdit
from packets.models import Packet
from parole_wizard.steps import Step


def conflict_page(
    request: HttpRequest, *, packet: Packet, step: Step, form: Any, conflict: StaleEdit, step_url: str
) -> HttpResponse:
    """Both versions side by side, each question marked where they differ (409: nothing was saved)."""
    submitted = form.section_value or form.to_section()
    rows = []
    for name in (*form.field_names, *form.lists):
        saved_value, mine = conflict.saved.get(name), submitted.get(name)
        label = form.fields[name].label if name in form.fields else form.lists[name].title
        rows.append(
            {
                "label": label,
                "saved": _display(saved_value),
                "mine": _display(mine),
                "differs": _display(saved_value) != _display(mine),
            }
        )
    context = {
        "packet": packet,
        "step": step,
        "rows": rows,
        "had_files": bool(request.FILES),
        "step_url": step_url,
    }
    return render(request, "wizard/conflict.html", context, status=409)


def request_data_with_revision(data: Any, revision: int, *, key: str) -> dict[str, list[str]]:
    """The posted answers, rebased on ``revision`` so that saving them again deliberately replaces the saved ones."""
    draft = {name: data.getlist(name) for name in data}
    # ``key`` is the revision field's prefixed name ("beneficiary-revision"): the form reads only that one.
    draft[key] = [str(revision)]
    return draft


def _display(value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "\n".join(
            " · ".join(str(v) for k, v in item.items() if v not in (None, "") and not k.endswith("id"))
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return str(value)
