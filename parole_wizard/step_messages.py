"""What the wizard tells the user after a step is posted: saved, saved but incomplete, or kept as a draft."""

from django.contrib import messages
from django.contrib.messages.storage.base import BaseStorage
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from packets.content.schema import PacketData
from packets.content.services import ExhibitUpload
from packets.evidence.markup_words import markup_things, markup_words
from packets.evidence.uploads import display_file_name, inspected_before
from parole_wizard.steps import Step, StepState, step_state


def say_saved(request: HttpRequest, step: Step, content: PacketData, *, exiting: bool) -> None:
    """After a valid step was saved: "Saved", or what the step still needs (``content``: the packet after the save)."""
    if exiting:
        say_once(request, messages.SUCCESS, _("Saved. You can come back to this packet at any time."))
        return
    # The state and count the task list shows (steps.step_state), so the notice never disagrees with it.
    state, missing = step_state(step, content, evidence=0) if step.section else (StepState.COMPLETE, [])
    if state is StepState.IN_PROGRESS:
        say_once(
            request,
            messages.INFO,
            ngettext(
                "Saved “%(step)s”. It still needs %(count)s answer; the task list shows the step as in progress.",
                "Saved “%(step)s”. It still needs %(count)s answers; the task list shows the step as in progress.",
                len(missing),
            )
            % {"step": step.title, "count": len(missing)},
        )
    elif state is StepState.PROBLEMS:
        say_once(
            request,
            messages.WARNING,
            _("Saved “%(step)s”, but some answers contradict others; the task list shows the step as having problems.")
            % {"step": step.title},
        )
    elif state is StepState.NOT_STARTED:
        say_once(request, messages.INFO, _("Saved “%(step)s”. Nothing on it is answered yet.") % {"step": step.title})
    else:
        say_once(request, messages.SUCCESS, _("Saved “%(step)s”.") % {"step": step.title})


def say_markup_found(request: HttpRequest, uploads: list[ExhibitUpload]) -> None:
    """For each file just stored that holds what a person added on screen: what was found, and that it prints."""
    for upload in uploads:
        inspected = inspected_before(upload.file)
        if inspected is None or not inspected.markup:
            continue
        messages.info(
            request,
            ngettext(
                "The file “%(name)s” has %(found)s. It will be printed in the packet as it appears on screen.",
                "The file “%(name)s” has %(found)s. They will be printed in the packet as they appear on screen.",
                markup_things(inspected.markup),
            )
            % {"name": display_file_name(upload.file.name), "found": markup_words(inspected.markup)},
        )


def say_draft_kept(request: HttpRequest, step: Step) -> None:
    """The user left a step whose input could not be saved: it is kept as the step's draft."""
    messages.warning(
        request,
        _(
            "Your answers on “%(step)s” are kept but not saved yet: some need correcting. Open the step again to see "
            "what needs fixing."
        )
        % {"step": step.title},
    )


def say_row_added(request: HttpRequest, *, files_dropped: bool) -> None:
    """ "Add another" was pressed: an empty entry was added, and nothing was saved."""
    text = _("An empty entry was added. Nothing is saved until you press a Save button.")
    if files_dropped:
        text += " " + _("A file you chose was not kept: choose it again before saving.")
    say_once(request, messages.INFO, text)


def say_once(request: HttpRequest, level: int, text: str) -> None:
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
