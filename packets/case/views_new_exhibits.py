"""The step both a response and an amendment take to add a new exhibit (its label continues after the filed ones):
the file and title checked, the service called, the label said, and the page again (400, nothing lost) on a refusal."""

from collections.abc import Callable

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from packets.case.labels import new_exhibit_labels
from packets.case.rfe_forms import RfeExhibitForm
from packets.evidence.uploads import UploadRejected
from packets.models import CaseDocument, Filing, Packet
from packets.permissions import signed_in_user
from packets.review.workflow import ReviewRefused

# The service, bound to its response or amendment: (by=, file=, title=, form_token=) → the new exhibit.
AddExhibit = Callable[..., CaseDocument]


def new_exhibit_post(
    request: HttpRequest,
    packet: Packet,
    *,
    form_class: type[RfeExhibitForm],
    add: AddExhibit,
    added: str | Promise,
    back: Callable[[], HttpResponse],
    page: Callable[[RfeExhibitForm], HttpResponse],
) -> HttpResponse:
    """Add the posted file as a new exhibit with ``add``; ``added`` is the message (with ``%(label)s``), ``back`` the
    redirect after it, ``page`` the page again with the form when the file or the title is refused."""
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        file: UploadedFile = form.cleaned_data["file"]
        try:
            document = add(
                by=signed_in_user(request),
                file=file,
                title=form.cleaned_data["title"],
                form_token=form.cleaned_data.get("form_token", ""),
            )
        except (UploadRejected, ReviewRefused) as error:  # AmendmentRefused is a ReviewRefused
            form.add_error("file", str(error))
        else:
            label = new_exhibit_labels(Filing.objects.get(packet_id=packet.pk)).get(document.pk, "")
            messages.success(request, str(added) % {"label": label})
            return back()
    return page(form)
