"""The questionnaire: django-formtools' named-URL wizard, with the database as the truth.

formtools keeps step data in the session and loses it in several ways (see ARCHITECTURE.md). Here every valid step is
saved to ``Packet.data`` at once, before any navigation; the session holds only *drafts* — input that could not be saved
yet because it was malformed — keyed per packet, so tabs on different packets never share a slot. Forms load their
initial values from the packet, the step comes from the URL (never from a posted management form), and GET never
resets anything.
"""

import logging
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.storage.base import BaseStorage
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from formtools.wizard.storage.session import SessionStorage
from formtools.wizard.views import NamedUrlSessionWizardView
from pydantic import ValidationError

from packets.comments import step_comments_and_counts
from packets.models import Exhibit, Packet
from packets.permissions import Action, packet_for_user
from packets.readiness import Severity, packet_readiness
from packets.services import StaleEdit, exhibit_add, packet_save_section
from packets.uploads import UploadRejected
from parole_wizard.steps import STATE_LABELS, STEP_BY_NAME, STEPS, StepState, evidence_count, step_state, steps_for

logger = logging.getLogger(__name__)

NAVIGATION = ("next", "previous", "save_exit", "goto")


class QuietSessionStorage(SessionStorage):
    """formtools' session storage, but the session is written only when the wizard's data really changes.

    formtools marks the session modified on every *read* of its data, so every step view (even a GET) rewrote the
    session row: a write transaction per page view, which the latency benchmark showed as a quarter of a step GET's
    time and, on SQLite, as contention between workers. Every write path below marks the session itself.
    """

    def _get_data(self) -> Any:
        return self.request.session[self.prefix]

    data = property(_get_data, SessionStorage._set_data)

    def _set_current_step(self, step: Any) -> None:
        if self.data[self.step_key] != step:
            self.data[self.step_key] = step
            self.request.session.modified = True

    def _set_extra_data(self, extra_data: Any) -> None:
        super()._set_extra_data(extra_data)
        self.request.session.modified = True

    def set_step_data(self, step: Any, cleaned_data: Any) -> None:
        if cleaned_data is None and self.data[self.step_data_key].get(step) is None:
            return  # no draft to clear
        super().set_step_data(step, cleaned_data)
        self.request.session.modified = True

    def set_step_files(self, step: Any, files: Any) -> None:
        super().set_step_files(step, files)
        self.request.session.modified = True


class PacketWizardView(LoginRequiredMixin, NamedUrlSessionWizardView):
    form_list = [(step.name, step.form) for step in STEPS]
    condition_dict = {
        step.name: (lambda wizard, step=step: step.applies(wizard.content)) for step in STEPS if step.condition
    }
    template_name = "wizard/step.html"
    storage_name = "parole_wizard.wizard.QuietSessionStorage"
    # formtools insists on a file storage when a step has a file field. Uploads never wait in it: a valid step stores
    # its files as exhibits at once, and a draft keeps only text (the user is told to choose files again).
    file_storage = FileSystemStorage(location=settings.MEDIA_ROOT / "wizard-unused")

    packet: Packet

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            if request.method == "POST":
                _keep_until_login(request, kwargs)
            return self.handle_no_permission()
        action = Action.EDIT if request.method == "POST" else Action.VIEW
        self.packet = packet_for_user(request.user, kwargs["packet_id"], action)
        self.content = self.packet.content
        if kwargs.get("step") not in STEP_BY_NAME:
            raise Http404
        if not STEP_BY_NAME[kwargs["step"]].applies(self.content):
            messages.info(request, _("That step does not apply to this packet with the answers given so far."))
            return redirect("packet_detail", packet_id=self.packet.pk)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def exhibits(self) -> dict[str, Exhibit]:
        """The packet's exhibits by id: read only when a page shows or counts them (a save of a section does not)."""
        exhibits = Exhibit.objects.filter(packet_id=self.packet.pk)
        return {str(exhibit.pk): exhibit for exhibit in exhibits}

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"packet_{kwargs['packet_id']}"

    def get_step_url(self, step: str) -> str:
        return reverse("wizard_step", kwargs={"packet_id": self.packet.pk, "step": step})

    def get_form_initial(self, step: str) -> dict[str, Any]:
        form_class = STEP_BY_NAME[step].form
        section = STEP_BY_NAME[step].section
        if section is None:
            return {"revision": self.packet.revision}
        return form_class.initial_from(self.packet.data.get(section) or {}, self.packet.revision)

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        section = STEP_BY_NAME[step or self.steps.current].section
        return {"stored": self.packet.data.get(section) or {} if section else {}, "content": self.content}

    # ── GET: show the step, with any unsaved draft ───────────────────────────────────────────────────────────────

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        step = kwargs["step"]
        self.storage.current_step = step
        if request.GET.get("discard_draft"):
            self.storage.set_step_data(step, None)
        kept = request.session.get(_KEPT_UNTIL_LOGIN)
        if kept and kept.get("packet") == str(self.packet.pk) and kept.get("step") == step:
            # Answers sent after the session had expired: shown as a draft, saved only when the user saves them.
            self.storage.set_step_data(step, kept["data"])
            del request.session[_KEPT_UNTIL_LOGIN]
        draft = self.storage.get_step_data(step)
        form = self.get_form(step, data=draft) if draft else self.get_form(step)
        if draft:
            form.is_valid()  # show why it could not be saved
        return self.render(form, draft=bool(draft))

    # ── POST: save first, then navigate ──────────────────────────────────────────────────────────────────────────

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        request = self.request
        step = kwargs["step"]
        self.storage.current_step = step
        navigation = request.POST.get("wizard_action", "next")
        if request.POST.get("wizard_goto_step"):
            navigation = "goto"
        if navigation not in NAVIGATION:
            navigation = "next"
        form = self.get_form(step, data=request.POST, files=request.FILES)
        if not form.is_valid():
            if navigation in ("previous", "goto"):
                self.storage.set_step_data(step, request.POST)
                messages.warning(
                    request,
                    _("Your answers on “%(step)s” are kept but not saved yet: some need correcting.")
                    % {"step": STEP_BY_NAME[step].title},
                )
                return redirect(self._target(step, navigation))
            return self.render(form, status=400)
        try:
            self._save(step, form)
        except StaleEdit as conflict:
            return self._conflict(step, form, conflict)
        except UploadRejected as error:
            form.add_error(None, str(error))
            return self.render(form, status=400)
        except ValidationError as error:
            form.add_error(None, "; ".join(str(item["msg"]).removeprefix("Value error, ") for item in error.errors()))
            return self.render(form, status=400)
        except DatabaseError:
            # The database went away mid-save (restart, failover): the transaction was rolled back, so nothing was
            # saved. The answers stay on the page, and as this step's draft if the session can still be written.
            logger.exception("saving step %s of packet %s failed", step, self.packet.pk)
            self.storage.set_step_data(step, request.POST)
            try:  # Django does not save the session of a 5xx response by itself
                request.session.save()
            except DatabaseError:
                logger.warning("the draft of step %s could not be kept in the session either", step)
            form.add_error(
                None,
                _(
                    "The database could not be reached, so nothing was saved. Your answers are still on this page: "
                    "save again in a moment."
                ),
            )
            return self.render(form, status=503)
        self.storage.set_step_data(step, None)
        self._say_saved(step, navigation)
        return redirect(self._target(step, navigation))

    def _save(self, step: str, form: Any) -> None:
        section = STEP_BY_NAME[step].section
        base_revision = form.cleaned_data.get("revision") or 0
        if section is None:
            for upload in form.uploads():
                exhibit_add(packet=self.packet, upload=upload, by=self.request.user)
            return
        packet_save_section(
            packet=self.packet,
            section=section,
            value=form.section_value or form.to_section(),
            base_revision=base_revision,
            by=self.request.user,
            uploads=form.uploads(),
        )
        self.content = self.packet.content

    def _say_saved(self, step: str, navigation: str) -> None:
        if navigation == "save_exit":
            _say_once(self.request, messages.SUCCESS, _("Saved. You can come back to this packet at any time."))
            return
        # What the step still needs; the evidence step (no section) never lists anything, so its exhibits go uncounted.
        missing = step_state(STEP_BY_NAME[step], self.content, evidence=0)[1] if STEP_BY_NAME[step].section else []
        if not missing:
            _say_once(self.request, messages.SUCCESS, _("Saved “%(step)s”.") % {"step": STEP_BY_NAME[step].title})
        else:
            _say_once(
                self.request,
                messages.INFO,
                _("Saved “%(step)s”. It still needs %(count)s answer(s); the task list shows the step as in progress.")
                % {"step": STEP_BY_NAME[step].title, "count": len(missing)},
            )

    def _target(self, step: str, navigation: str) -> str:
        names = [item.name for item in steps_for(self.content)]
        index = names.index(step) if step in names else 0
        if navigation == "save_exit":
            return reverse("dashboard")
        if navigation == "previous":
            return self.get_step_url(names[max(index - 1, 0)])
        if navigation == "goto":
            goto = self.request.POST.get("wizard_goto_step", "")
            if goto in names:
                return self.get_step_url(goto)
            if goto == "review":
                return reverse("packet_review", kwargs={"packet_id": self.packet.pk})
            return reverse("packet_detail", kwargs={"packet_id": self.packet.pk})
        if index + 1 < len(names):
            return self.get_step_url(names[index + 1])
        return reverse("packet_finish", kwargs={"packet_id": self.packet.pk})

    def _conflict(self, step: str, form: Any, conflict: StaleEdit) -> HttpResponse:
        """Someone saved this section after the form was loaded: show both, keep the user's answers as a draft."""
        latest = Packet.objects.get(pk=self.packet.pk)
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
        draft = request_data_with_revision(self.request.POST, latest.revision, key=form.add_prefix("revision"))
        self.storage.set_step_data(step, draft)
        return render(
            self.request,
            "wizard/conflict.html",
            {
                "packet": latest,
                "step": STEP_BY_NAME[step],
                "rows": rows,
                "had_files": bool(self.request.FILES),
                "step_url": self.get_step_url(step),
            },
            status=409,
        )

    def render(self, form: Any = None, **kwargs: Any) -> HttpResponse:
        status = kwargs.pop("status", 200)
        response = super().render(form, **kwargs)
        response.status_code = status
        return response

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        step = STEP_BY_NAME[self.steps.current]
        applicable = steps_for(self.content)
        names = [item.name for item in applicable]
        section = step.section
        missing: list[Any] = []
        if section:
            state, missing = step_state(step, self.content, evidence_count(self.exhibits.values()))
            if state is StepState.NOT_STARTED:
                missing = []  # a list of everything on a blank page helps nobody
        findings = packet_readiness(packet=self.packet, exhibits=self.exhibits.values())
        threads, unresolved = step_comments_and_counts(self.packet, step.name)
        evidence = evidence_count(self.exhibits.values())
        exhibit_list = _labelled(list(self.exhibits.values()))
        task_list = [
            {
                "step": item,
                "state": step_state(item, self.content, evidence)[0],
                "blockers": sum(f.step == item.name and f.severity is Severity.BLOCKER for f in findings),
                "warnings": sum(f.step == item.name and f.severity is Severity.WARNING for f in findings),
            }
            for item in applicable
        ]
        context.update(
            {
                "packet": self.packet,
                "step": step,
                "step_number": names.index(step.name) + 1,
                "step_total": len(names),
                "previous_step": names[names.index(step.name) - 1] if names.index(step.name) > 0 else None,
                "task_list": task_list,
                "state_labels": STATE_LABELS,
                "comment_threads": threads,
                "unresolved": unresolved,
                "missing": missing,
                "missing_fields": {item.field for item in missing if item.row is None},
                "errors": form.all_errors() if form.is_bound else [],
                "exhibit_list": exhibit_list,
                # Lists, not dicts: a template's ``formsets.items`` would find a formset named "items".
                "slot_list": _slots(form, exhibit_list),
                "letters": _letters(form, exhibit_list),
                "list_blocks": [(name, spec, form.formsets[name]) for name, spec in getattr(form, "lists", {}).items()],
            }
        )
        return context

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:  # pragma: no cover - finish has its own view
        return HttpResponseRedirect(reverse("packet_finish", kwargs={"packet_id": self.packet.pk}))


_KEPT_UNTIL_LOGIN = "wizard_kept_until_login"


def _keep_until_login(request: HttpRequest, kwargs: dict[str, Any]) -> None:
    """A step posted without a login (the session expired while the user typed): keep the answers for after login.

    Login keeps an anonymous session's data, and the answers come back only as a draft of that step, for a member of
    that packet (see ``get``), so nothing is saved or shown on anyone's behalf.
    """
    step = kwargs.get("step")
    if step not in STEP_BY_NAME:
        return
    prefix = f"{step}-"
    request.session[_KEPT_UNTIL_LOGIN] = {
        "packet": str(kwargs["packet_id"]),
        "step": step,
        "data": {key: request.POST.getlist(key) for key in request.POST if key.startswith(prefix)},
    }


def _say_once(request: HttpRequest, level: int, text: str) -> None:
    """Queue a notice for the next page, unless the very same one is already waiting there.

    Two saves whose pages were never shown (a double click on Save; a client that does not follow redirects) would
    otherwise say "Saved" twice, and the queue of notices, kept in a cookie and then in the session, would grow with
    every save.
    """
    waiting = messages.get_messages(request)
    already = any(notice.level == level and notice.message == text for notice in waiting)
    if isinstance(waiting, BaseStorage):
        waiting.used = False  # only looked at: the notices stay for the next page (as Django's documentation shows)
    if not already:
        messages.add_message(request, level, text)


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


def _slots(form: Any, exhibits: list[Any]) -> list[dict[str, Any]]:
    """Each file slot of the step (passport page, CV): its title, the stored exhibit, its file and remove fields."""
    by_id = {str(exhibit.pk): exhibit for exhibit in exhibits}
    slots = []
    for id_field, (_kind, title) in getattr(form, "slots", {}).items():
        base, stored = id_field.removesuffix("_exhibit_id"), form.stored.get(id_field)
        slots.append(
            {
                "title": title,
                "current": by_id.get(str(stored)) if stored else None,
                "file": form[f"{base}_file"],
                "remove": form[f"{base}_remove"] if stored else None,
            }
        )
    return slots


def _letters(form: Any, exhibits: list[Any]) -> dict[str, Any]:
    """The stored support letter of each partner row, by the partner's id."""
    by_id = {str(exhibit.pk): exhibit for exhibit in exhibits}
    rows = form.stored.get("items") or [] if "items" in getattr(form, "lists", {}) else []
    return {
        str(row.get("id")): by_id[str(row["letter_exhibit_id"])]
        for row in rows
        if row.get("letter_exhibit_id") and str(row["letter_exhibit_id"]) in by_id
    }


def _labelled(exhibits: list[Any]) -> list[Any]:
    from packets.services import exhibit_label

    ordered = sorted(exhibits, key=lambda exhibit: (exhibit.position, exhibit.created_at))
    for index, exhibit in enumerate(ordered):
        exhibit.label = exhibit_label(index)
    return ordered
