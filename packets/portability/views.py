"""The page that turns a packet archive (made with “Export as archive”) into a new packet of one's own."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from packets.portability.archive import ArchiveError, archive_max_bytes
from packets.portability.archive_import import import_packet


class PacketImportForm(forms.Form):
    archive = forms.FileField(
        label=gettext_lazy("Packet archive (.zip)"),
        help_text=gettext_lazy(
            "A .zip file made with “Export as archive”, here or on another installation. "
            "It becomes a new packet that you own; the original is not changed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self) -> UploadedFile:
        archive: UploadedFile = self.cleaned_data["archive"]
        if (archive.size or 0) > archive_max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB, more than a packet may hold.")
                % {"limit": archive_max_bytes() // (1024 * 1024)}
            )
        return archive


@login_required
@require_http_methods(["GET", "POST"])
def packet_import_view(request: HttpRequest) -> HttpResponse:
    # Bound on every POST, even an empty one (no file chosen), so the form can say what is missing.
    form = PacketImportForm(request.POST, request.FILES) if request.method == "POST" else PacketImportForm()
    if form.is_bound and form.is_valid():
        try:
            packet = import_packet(form.cleaned_data["archive"], owner=request.user)  # type: ignore[arg-type]
        except ArchiveError as error:
            form.add_error("archive", str(error))
        else:
            messages.success(
                request,
                _("Imported “%(name)s”. It is a new packet; check it before you use it.") % {"name": packet.name},
            )
            return redirect("packet_detail", packet_id=packet.pk)
    return render(request, "packets/import.html", {"form": form}, status=400 if form.errors else 200)
