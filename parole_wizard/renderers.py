"""How every form on the site is shown: Django's form rendering with our layout of a field (``FORM_RENDERER``).

Each field is written by ``templates/forms/field.html`` (its label, the "needed" mark, the hint, the error message and
the control, tied together by the ids Django's ``aria-describedby`` names), found through ``settings.TEMPLATES`` and
read once by its cached loader. The controls themselves are Django's own widget templates in their Jinja2 version,
which Django ships beside the Django-language ones for its ``Jinja2`` form renderer: the same markup, drawn in about a
fifth of the time. A step page draws a few hundred controls, and with the Django-language widget templates they were
about a third of its CPU (benchmarks/wizard_cpu.py).
"""

from functools import cached_property
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import TemplatesSetting
from django.template.backends.jinja2 import Jinja2

WIDGETS = "django/forms/widgets/"


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"

    @cached_property
    def widget_engine(self) -> Jinja2:
        return Jinja2(
            {
                "APP_DIRS": False,
                "DIRS": [Path(django.forms.__file__).parent / "jinja2"],
                "NAME": "form-widgets",
                "OPTIONS": {},
            }
        )

    def get_template(self, template_name: str) -> Any:
        if template_name.startswith(WIDGETS):
            return self.widget_engine.get_template(template_name)
        return super().get_template(template_name)
