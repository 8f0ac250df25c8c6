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
from django.utils.translation import gettext as _
from formtools.wizard.views import NamedUrlWizardView
from pydantic import ValidationError

from packets.content.schema_messages import schema_errors_message
from packets.content.services import StaleEdit, exhibit_add, packet_save_section
from packets.evidence.uploads import UploadRejected
from packets.models import Exhibit, Packet
from packets.permissions import Action, packet_for_user
from parole_wizard.step_conflict import conflict_page, request_data_with_revision
from parole_wizard.step_context import step_page_context
from parole_wizard.step_messages import say_draft_kept, say_markup_found, say_saved
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
        return form_class.initial_from(self.packet.data.get(section) or {}, self.packet.revision)

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        section = STEP_BY_NAME[step or self.steps.current].section
        return {"stored": self.packet.data.get(section) or {} if section else {}, "content": self.content}

    def process_step(self, form: Any) -> None:
        """Save a valid step to the packet at once (formtools would keep its data in the storage instead).

        Raises what the save refuses (``StaleEdit``, ``UploadRejected``, pydantic's ``ValidationError``) and
        ``DatabaseError``; ``post`` turns each into a page.
        """
        section = STEP_BY_NAME[self.steps.current].section
        if section is None:
            for upload in form.submitted_uploads():
                exhibit_add(packet=self.packet, upload=upload, by=self.request.user)
            return
        packet_save_section(
            packet=self.packet,
            section=section,
            value=form.section_value or form.to_section(),
            base_revision=form.cleaned_data.get("revision") or 0,
            by=self.request.user,
            uploads=form.submitted_uploads(),
        )
        self.content = self.packet.content
        # The answers may change which steps apply (condition_dict): formtools' post forgets its list here too.
        self.__dict__.pop("_resolved_form_list", None)

    # ── GET: the step, with any unsaved draft ────────────────────────────────────────────────────────────────────

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Extended, as formtools offers no hook before its get reads the step's data from the storage: the user may
        # discard the draft, and answers kept through a login become the draft. formtools' get then shows the draft
        # as a bound form, or the saved answers.
        step = self.steps.current
        if request.GET.get("discard_draft"):
            self.storage.set_step_data(step, None)
        self.storage.take_kept_until_login(str(self.packet.pk), step)
        return super().get(request, *args, **kwargs)

    # ── POST: save first, then navigate ──────────────────────────────────────────────────────────────────────────

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        # Overridden because formtools' post takes the step from a posted ManagementForm (refusing a page without
        # one), follows wizard_goto_step before validating, so that the typed answers are dropped, and shows an
        # invalid form with status 200. Here the step is the URL's, every valid step is saved first (process_step),
        # input that cannot be saved stays as a draft when the user leaves the step, and formtools' render_* hooks
        # then lead to the next page.
        request = self.request
        step = self.steps.current
        navigation = request.POST.get("wizard_action", "next")
        if request.POST.get("wizard_goto_step"):
            navigation = "goto"
        if navigation not in NAVIGATION:
            navigation = "next"
        form = self.get_form(data=request.POST, files=request.FILES)
        if not form.is_valid():
            if navigation in ("previous", "goto"):
                self.storage.set_step_data(step, self.get_form_step_data(form))
                say_draft_kept(request, STEP_BY_NAME[step])
                return self._navigate(form, navigation)
            return self.render(form, status=400)
        try:
            self.process_step(form)
        except StaleEdit as conflict:
            return self._conflict(form, conflict)
        except UploadRejected as error:
            form.add_error(None, str(error))
            return self.render(form, status=400)
        except ValidationError as error:
            form.add_error(None, schema_errors_message(error))
            return self.render(form, status=400)
        except DatabaseError:
            return self._database_unavailable(form)
        self.storage.set_step_data(step, None)  # saved: the step's draft, if any, is done with
        say_saved(request, STEP_BY_NAME[step], self.content, exiting=navigation == "save_exit")
        say_markup_found(request, form.uploads())
        return self._navigate(form, navigation)

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

    def _conflict(self, form: Any, conflict: StaleEdit) -> HttpResponse:
        """Someone saved this section after the form was loaded: show both, keep the user's answers as a draft."""
        step = self.steps.current
        latest = Packet.objects.get(pk=self.packet.pk)
        draft = request_data_with_revision(self.request.POST, latest.revision, key=form.add_prefix("revision"))
        self.storage.set_step_data(step, draft)
        return conflict_page(
            self.request,
            packet=latest,
            step=STEP_BY_NAME[step],
            form=form,
            conflict=conflict,
            step_url=self.get_step_url(step),
        )

    def _database_unavailable(self, form: Any) -> HttpResponse:
        # The database went away mid-save (restart, failover): the transaction was rolled back, so nothing was
        # saved. The answers stay on the page, and as this step's draft if the session can still be written.
        step = self.steps.current
        logger.exception("saving step %s of packet %s failed", step, self.packet.pk)
        self.storage.set_step_data(step, self.get_form_step_data(form))
        try:  # Django does not save the session of a 5xx response by itself
            self.request.session.save()
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

    # ── the page ─────────────────────────────────────────────────────────────────────────────────────────────────

    def render(self, form: Any = None, **kwargs: Any) -> HttpResponse:
        status = kwargs.pop("status", 200)
        response = super().render(form, **kwargs)
        response.status_code = status
        return response

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
                # A bound form on a GET is the step's draft: input kept but not saved.
                "draft": form.is_bound and self.request.method == "GET",
            }
        )
        return context
