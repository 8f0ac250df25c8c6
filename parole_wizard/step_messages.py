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
from parole_wizard.steps import Step, step_state


def say_saved(request: HttpRequest, step: Step, content: PacketData, *, exiting: bool) -> None:
    """After a valid step was saved: "Saved", or what the step still needs (``content``: the packet after the save)."""
    if exiting:
        say_once(request, messages.SUCCESS, _("Saved. You can come back to this packet at any time."))
        return
    # What the step still needs; the evidence step (no section) never lists anything, so its exhibits go uncounted.
    missing = step_state(step, content, evidence=0)[1] if step.section else []
    if not missing:
        say_once(request, messages.SUCCESS, _("Saved “%(step)s”.") % {"step": step.title})
    else:
        say_once(
            request,
            messages.INFO,
            _("Saved “%(step)s”. It still needs %(count)s answer(s); the task list shows the step as in progress.")
            % {"step": step.title, "count": len(missing)},
        )


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
        _("Your answers on “%(step)s” are kept but not saved yet: some need correcting.") % {"step": step.title},
    )


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
