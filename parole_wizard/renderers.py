"""How every form on the site is shown: Django's form rendering with our layout of a field (``FORM_RENDERER``).

Each field is written by ``templates/forms/field.html`` (its label, the "needed" mark, the hint, the error message and
the control, tied together by the ids Django's ``aria-describedby`` names); the controls themselves by Django's own
widget templates. The templates come from ``settings.TEMPLATES``, so they are read once by its cached loader.
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
