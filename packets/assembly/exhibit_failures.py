"""What a person is told when an exhibit cannot be made into packet pages at render time: which exhibit, what is
wrong with its file and what to do, in plain words. The PDF library's own text (object numbers, streams, xref
tables) goes to the log only (``exhibits.normalised_exhibit``)."""

from django.utils.translation import gettext as _


def exhibit_failure_message(*, label: str, title: str, content_type: str, problem: str, reason: str = "") -> str:
    """The message for exhibit ``label`` (``title``) whose file failed with ``problem`` (an ``ExhibitError`` word);
    ``reason`` is a plain phrase from the sandbox ("it took too long to read") for ``problem == "limits"``."""
    exhibit = _("Exhibit %(label)s (%(title)s)") % {"label": label, "title": title}
    again = _("Remove this exhibit from the packet and upload the file again.")
    if problem == "changed":
        what = _("%(exhibit)s could not be used: the stored file is missing or is not the one that was uploaded.")
    elif problem == "no_pages":
        what = _("%(exhibit)s has no pages.")
    elif problem == "no_area":
        what = _("%(exhibit)s has a page with no size, so it cannot be printed.")
        again = _("Open the file and print it again as PDF, then remove this exhibit and upload the new copy.")
    elif problem == "unsupported":
        what = _("%(exhibit)s is not a PDF, JPEG or PNG file.")
        again = _("Save it as PDF, then remove this exhibit and upload the new copy.")
    elif problem == "limits":
        what = _("%(exhibit)s could not be prepared: %(reason)s.")
        again = _("Save it again as PDF or scan it, then remove this exhibit and upload the copy.")
    elif content_type.startswith("image/"):
        what = _("%(exhibit)s is damaged: part of the picture could not be read.")
        again = _("Take or export the picture again, then remove this exhibit and upload the new file.")
    else:
        what = _("%(exhibit)s is damaged: part of the file could not be read.")
        again = _("Open the file and save or print it again as PDF, then remove this exhibit and upload the new copy.")
    return (what % {"exhibit": exhibit, "reason": reason}) + " " + again
