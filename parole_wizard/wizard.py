"""The questionnaire: django-formtools' named-URL wizard, with the packet in the database as the truth.

The packet is in the URL with the step; ``PacketStorage`` takes the step from there and keeps nothing but drafts, so
formtools' traps (a GET resetting storage, tabs sharing one slot, expiry emptying it) cannot happen. Every valid step
is saved to ``Packet.data`` at once (``process_step``), before any navigation; forms load their initial values from
the packet (``get_form_initial``); which steps exist follows the answers (``condition_dict``); and formtools' own
``render_next_step``/``render_goto_step``/``render_done`` redirect to the next page.
"""

import logging
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from formtools.wizard.views import NamedUrlWizardView
from pydantic import ValidationError

from packets.content.schema_messages import schema_errors_message
from packets.content.services import StaleEdit, exhibit_add, packet_save_section
from packets.evidence.uploads import UploadRejected
from packets.models import DraftKind, Exhibit, Packet
from packets.permissions import Action, packet_for_user
from parole_wizard.step_conflict import MergeConflict, conflict_page, stale_merge
from parole_wizard.step_context import step_page_context
from parole_wizard.step_messages import say_draft_kept, say_markup_found, say_row_added, say_saved
from parole_wizard.steps import STEP_BY_NAME, STEPS
from parole_wizard.wizard_storage import PacketStorage, keep_until_login

logger = logging.getLogger(__name__)

NAVIGATION = ("next", "previous", "save_exit", "goto")


class PacketWizardView(LoginRequiredMixin, NamedUrlWizardView):
    form_list = [(step.name, step.form) for step in STEPS]
    condition_dict = {
        step.name: (lambda wizard, step=step: step.applies(wizard.content)) for step in STEPS if step.condition
    }
    template_name = "wizard/step.html"
    storage_name = "parole_wizard.wizard_storage.PacketStorage"
    # formtools refuses a step with a file field unless the view names a file storage. None: no file ever waits in
    # the wizard's storage — a valid step stores its files as exhibits at once, a draft asks for them again.
    file_storage = None

    packet: Packet
    storage: PacketStorage

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Overridden because formtools' NamedUrlWizardView.get sends an unknown step, or one its condition_dict
        # leaves out, to the first step, and its post does not check the step at all: here the packet is looked up
        # first (with its access check), an unknown step is not found, and a step that does not apply leads back to
        # the packet with a notice.
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        action = Action.EDIT if request.method == "POST" else Action.VIEW
        self.packet = packet_for_user(request.user, kwargs["packet_id"], action)
        self.content = self.packet.content
        if kwargs.get("step") not in self.form_list:
            raise Http404
        if kwargs["step"] not in self.get_form_list():
            messages.info(request, _("That step does not apply to this packet with the answers given so far."))
            return redirect("packet_detail", packet_id=self.packet.pk)
        return super().dispatch(request, *args, **kwargs)

    def handle_no_permission(self) -> HttpResponseRedirect:
        if self.request.method == "POST":
            keep_until_login(self.request, self.kwargs)
        return super().handle_no_permission()

    @cached_property
    def exhibits(self) -> dict[str, Exhibit]:
        """The packet's exhibits by id: read only when a page shows or counts them (a save of a section does not)."""
        # Without the letters' text: decrypting it for every exhibit on every step page would be wasted work.
        exhibits = Exhibit.objects.filter(packet_id=self.packet.pk).defer("text")
        return {str(exhibit.pk): exhibit for exhibit in exhibits}

    # ── formtools' hooks ─────────────────────────────────────────────────────────────────────────────────────────

    def get_prefix(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return f"packet_{kwargs['packet_id']}"  # the storage's drafts are kept per packet

    def get_step_url(self, step: str) -> str:
        if step == self.done_step_name:
            # The finish check is a view of its own (it re-checks the whole packet, as formtools' done step would).
            return reverse("packet_finish", kwargs={"packet_id": self.packet.pk})
        return reverse(self.url_name, kwargs={"packet_id": self.packet.pk, "step": step})

    def get_template_names(self) -> list[str]:
        # A step may have its own page (wizard/step_evidence.html); every other step uses the common one.
        return [f"wizard/step_{self.steps.current}.html", self.template_name]

    def get_form_initial(self, step: str) -> dict[str, Any]:
        form_class = STEP_BY_NAME[step].form
        section = STEP_BY_NAME[step].section
        if section is None:
            return {"revision": self.packet.revision}
        draft = self.storage.draft(step)
        if draft is not None and draft.kind == DraftKind.MERGED:
            # A merge with a later save still to be checked: the form shows it, based on the revision it was merged
            # with, so a save made after that is merged again rather than replaced.
            return form_class.initial_from(draft.data, draft.base_revision)
        return form_class.initial_from(self.packet.data.get(section) or {}, self.packet.revision)

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        section = STEP_BY_NAME[step or self.steps.current].section
        return {"stored": self.packet.data.get(section) or {} if section else {}, "content": self.content}

    def process_step(self, form: Any) -> None:
        """Save a valid step to the packet at once (formtools would keep its data in the storage instead).

        A section saved since the form was loaded is merged three ways (``step_conflict``): answers to different
        questions are saved together; ``MergeConflict`` when both changed the same question. Raises what the save
        refuses (``UploadRejected``, pydantic's ``ValidationError``) and ``DatabaseError``; ``post`` turns each into a
        page.
        """
        section = STEP_BY_NAME[self.steps.current].section
        if section is None:
            for upload in form.submitted_uploads():
                exhibit_add(packet=self.packet, upload=upload, by=self.request.user)
            return
        value = form.section_value or form.to_section()
        base_revision = form.cleaned_data.get("revision") or 0
        uploads = form.submitted_uploads()
        for _attempt in range(3):  # another save may land between the merge and its save: merge with that one too
            try:
                packet_save_section(
                    packet=self.packet,
                    section=section,
                    value=value,
                    base_revision=base_revision,
                    by=self.request.user,
                    uploads=uploads,
                )
                break
            except StaleEdit:
                latest = Packet.objects.get(pk=self.packet.pk)
                merge, base = stale_merge(packet=latest, section=section, base_revision=base_revision, mine=value)
                if merge.conflicts:
                    raise MergeConflict(packet=latest, merge=merge, base=base) from None
                value, base_revision = merge.value, latest.revision
        else:
            raise StaleEdit(packet=self.packet, section=section, saved=self.packet.data.get(section) or {})
        self.content = self.packet.content
        # The answers may change which steps apply (condition_dict): formtools' post forgets its list here too.
        self.__dict__.pop("_resolved_form_list", None)

    # ── GET: the step, with any unsaved draft ────────────────────────────────────────────────────────────────────

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Extended, as formtools offers no hook before its get reads the step's data from the storage: the user may
        # discard the draft, answers kept through a login become the draft, and a draft older than the step's last
        # save is merged with it first. formtools' get then shows the draft as a bound form, or the saved answers.
        step = self.steps.current
        if request.GET.get("discard_draft"):
            self.storage.drop_draft(step)
        self.storage.take_kept_until_login(str(self.packet.pk), step)
        page = self._stale_draft_page(step)
        return page or super().get(request, *args, **kwargs)

    def _stale_draft_page(self, step: str) -> HttpResponse | None:
        """A draft typed before the step's last save never replaces it: merged with that save, the conflicting
        questions side by side; None when the step's page shows the draft as it is (or there is none)."""
        draft, section = self.storage.draft(step), STEP_BY_NAME[step].section
        if draft is None or section is None or self.packet.section_revisions.get(section, 0) <= draft.base_revision:
            return None
        if draft.kind == DraftKind.MERGED:
            mine = draft.data
        else:
            form = self.get_form(data=MultiValueDict(draft.data))
            if not form.is_valid():
                return None  # shown with its errors; its save is merged against the revision it was typed on
            mine = form.section_value or form.to_section()
        merge, base = stale_merge(packet=self.packet, section=section, base_revision=draft.base_revision, mine=mine)
        self.storage.keep_draft(step, kind=DraftKind.MERGED, data=merge.value, base_revision=self.packet.revision)
        if not merge.conflicts:
            return None
        conflict = MergeConflict(packet=self.packet, merge=merge, base=base)
        return self._conflict(self.get_form(), conflict, status=200)

    # ── POST: save first, then navigate ──────────────────────────────────────────────────────────────────────────

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        # Overridden because formtools' post takes the step from a posted ManagementForm (refusing a page without
        # one), follows wizard_goto_step before validating, so that the typed answers are dropped, and shows an
        # invalid form with status 200. Here the step is the URL's, every valid step is saved first (process_step),
        # input that cannot be saved stays as the step's draft, and formtools' render_* hooks then lead to the next
        # page.
        request = self.request
        step = self.steps.current
        navigation = request.POST.get("wizard_action", "next")
        if request.POST.get("wizard_goto_step"):
            navigation = "goto"
        if navigation not in NAVIGATION:
            navigation = "next"
        form = self.get_form(data=request.POST, files=request.FILES)
        if request.POST.get("wizard_add_row") in getattr(form, "lists", {}):
            return self._add_row(form, request.POST["wizard_add_row"])
        if not form.is_valid():
            # Kept whatever the button: a menu link, a reload or a closed tab after this page must not lose it.
            self.storage.set_step_data(step, self.get_form_step_data(form))
            # A refused file cannot be kept in a draft, so its reason is shown here, whatever button was pressed.
            if navigation in ("previous", "goto") and not request.FILES:
                say_draft_kept(request, STEP_BY_NAME[step])
                return self._navigate(form, navigation)
            return self.render(form, status=400)
        try:
            self.process_step(form)
        except MergeConflict as conflict:
            return self._conflict(form, conflict, status=409)
        except StaleEdit:
            form.add_error(None, _("This step was saved again several times just now, so yours was not: save again."))
            return self.render(form, status=409)
        except UploadRejected as error:
            form.add_error(None, str(error))
            return self.render(form, status=400)
        except ValidationError as error:
            form.add_error(None, schema_errors_message(error))
            return self.render(form, status=400)
        except DatabaseError:
            return self._database_unavailable(form)
        self.storage.drop_draft(step)  # saved: the step's draft, if any, is done with
        say_saved(request, STEP_BY_NAME[step], self.content, exiting=navigation == "save_exit")
        say_markup_found(request, form.uploads())
        return self._navigate(form, navigation)

    def _add_row(self, form: Any, list_name: str) -> HttpResponse:
        """ "Add another" (works without JavaScript): nothing is saved; what was typed becomes the step's draft with
        one more empty entry, and the step is shown again at that entry."""
        data = {key: self.request.POST.getlist(key) for key in self.request.POST if key.startswith(f"{form.prefix}-")}
        formset = form.formsets[list_name]
        total = formset.management_form.add_prefix("TOTAL_FORMS")
        count = int(data.get(total, ["0"])[0]) if str(data.get(total, ["0"])[0]).isdigit() else 0
        data[total] = [str(min(count + 1, formset.absolute_max))]
        self.storage.set_step_data(self.steps.current, data)
        say_row_added(self.request, files_dropped=bool(self.request.FILES))
        return HttpResponseRedirect(f"{self.get_step_url(self.steps.current)}#rows-{list_name}")

    def _navigate(self, form: Any, navigation: str) -> HttpResponse:
        """The page after a posted step: formtools' redirects to a step, or the dashboard, review or packet page."""
        if navigation == "save_exit":
            return redirect("dashboard")
        if navigation == "previous":
            return self.render_goto_step(self.steps.prev or self.steps.current)
        if navigation == "goto":
            goto = self.request.POST.get("wizard_goto_step", "")
            if goto in self.get_form_list():
                return self.render_goto_step(goto)
            if goto == "review":
                return redirect("packet_review", packet_id=self.packet.pk)
            return redirect("packet_detail", packet_id=self.packet.pk)
        if self.steps.next:
            return self.render_next_step(form)
        return self.render_done(form, **self.kwargs)  # redirects to the finish check

    def _conflict(self, form: Any, conflict: MergeConflict, *, status: int) -> HttpResponse:
        """Both sides changed the same question: everything else is merged into the draft, the rest side by side."""
        step = self.steps.current
        latest = conflict.packet
        self.storage.keep_draft(step, kind=DraftKind.MERGED, data=conflict.merge.value, base_revision=latest.revision)
        return conflict_page(
            self.request,
            packet=latest,
            step=STEP_BY_NAME[step],
            form=form,
            conflict=conflict,
            step_url=self.get_step_url(step),
            status=status,
        )

    def _database_unavailable(self, form: Any) -> HttpResponse:
        # The database went away mid-save (restart, failover): the transaction was rolled back, so nothing was
        # saved. The answers stay on the page, and as this step's draft if the database takes it a moment later.
        step = self.steps.current
        logger.exception("saving step %s of packet %s failed", step, self.packet.pk)
        try:
            self.storage.set_step_data(step, self.get_form_step_data(form))
        except DatabaseError:
            logger.warning("the draft of step %s could not be kept either", step)
        form.add_error(
            None,
            _(
                "The database could not be reached, so nothing was saved. Your answers are still on this page: "
                "save again in a moment."
            ),
        )
        return self.render(form, status=503)

    # ── the page ─────────────────────────────────────────────────────────────────────────────────────────────────

    def render(self, form: Any = None, **kwargs: Any) -> HttpResponse:
        status = kwargs.pop("status", 200)
        response = super().render(form, **kwargs)
        response.status_code = status
        return response

    def _draft_context(self) -> dict[str, Any]:
        step = self.steps.current
        draft = self.storage.draft(step) if self.request.method == "GET" else None
        section = STEP_BY_NAME[step].section
        return {
            "draft": draft,
            "draft_merged": draft is not None and draft.kind == DraftKind.MERGED,
            # Typed before the step's last save: its save will be merged with that one, never replace it.
            "draft_behind": draft is not None
            and section is not None
            and self.packet.section_revisions.get(section, 0) > draft.base_revision,
        }

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        if form.is_bound:
            form.is_valid()  # a draft shows why it could not be saved
        context.update(
            step_page_context(
                packet=self.packet,
                content=self.content,
                step=STEP_BY_NAME[self.steps.current],
                steps=[STEP_BY_NAME[name] for name in self.steps.all],
                form=form,
                exhibits=list(self.exhibits.values()),
            )
        )
        context.update(
            {
                "step_number": self.steps.step1,
                "step_total": self.steps.count,
                "previous_step": self.steps.prev,
                # On a GET, the step's draft (input kept but not saved, or a merge to check) is on the page.
                **self._draft_context(),
            }
        )
        return context
