"""allauth's login and sign-up forms, with labels and hints in the plain words the rest of the site uses."""

from typing import Any

from allauth.account.forms import LoginForm, SignupForm
from django.utils.translation import gettext_lazy as _


class PlainLoginForm(LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email address")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""  # the page links to the reset below the form


class PlainSignupForm(SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].help_text = _(
            "We send a link to confirm it. Used to reset your password, to accept invitations to a packet and for "
            "notices about your packets."
        )
        self.fields["password2"].label = _("Password again")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
