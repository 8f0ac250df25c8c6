"""A packet's own name, as its owner and members see it (never in the PDF)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from packets.text_fields import LimitedTextField


class PacketNameForm(forms.Form):
    name = LimitedTextField(
        label=_("Packet name"),
        max_length=120,
        help_text=_("Only you and the people you share it with see this, for example: Riverton schools 2027."),
    )
