"""The profile page: the name others see on comments, history and emails, and counsel's firm and bar number."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from packets.people import profile_save, user_profile
from packets.permissions import signed_in_user
from packets.text_fields import LimitedTextField

_BAR_NUMBER = re.compile(r"[\w .,/#:()\-]+")


class ProfileForm(forms.Form):
    full_name = LimitedTextField(
        label=gettext_lazy("Full name"),
        max_length=120,
        help_text=gettext_lazy("As the others on your packets should see it, for example “Dana Whitfield”."),
        error_messages={"required": gettext_lazy("Enter your full name.")},
    )
    firm = LimitedTextField(
        label=gettext_lazy("Firm or organisation (counsel)"),
        max_length=160,
        required=False,
        help_text=gettext_lazy("Counsel only: the law firm or accredited organisation you work for."),
    )
    bar_number = LimitedTextField(
        label=gettext_lazy("Bar number or accreditation (counsel)"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Counsel only: for example “NY 4123456” or “DOJ accredited representative, full”."),
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not any(ch.isalpha() for ch in name):
            raise forms.ValidationError(_("Enter your name in letters."))
        return name

    def clean_bar_number(self) -> str:
        number = " ".join(self.cleaned_data["bar_number"].split())
        if number and not _BAR_NUMBER.fullmatch(number):
            raise forms.ValidationError(
                _("Use letters, digits, spaces and - . , / # : ( ) only, as on your bar card or accreditation.")
            )
        return number

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("bar_number") and not cleaned.get("firm"):
            self.add_error("firm", _("Add the firm or organisation that goes with the bar number or accreditation."))
        return cleaned


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    profile = user_profile(user)
    initial = {
        "full_name": (profile.full_name if profile else "") or user.get_full_name(),
        "firm": profile.firm if profile else "",
        "bar_number": profile.bar_number if profile else "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile_save(user=user, **form.cleaned_data)
        messages.success(request, _("Profile saved. This is how the others on your packets see you."))
        return redirect("profile")
    return render(request, "profile.html", {"form": form}, status=400 if form.errors else 200)
