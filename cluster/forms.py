"""How every form of the site draws itself: one error summary at the top, then each field
with its label, help and errors tied to the input (``templates/includes/_form*.html``)."""

from django import forms
from django.forms.renderers import TemplatesSetting

from .models import StaffPreferences


class FormRenderer(TemplatesSetting):
    """Render ``{{ form }}`` and ``{{ field.as_field_group }}`` with the site's includes.

    ``TemplatesSetting`` looks templates up in ``templates/`` like any page, so a form
    rendered whole and a form laid out field by field share the same two includes.
    """

    form_template_name = "includes/_form.html"
    field_template_name = "includes/_form_field.html"

    def render(self, template_name, context, request=None):
        form = context.get("form")
        if template_name == self.form_template_name and form is not None and form.errors:
            # The error summary takes the focus; a field's own autofocus (the log-in
            # form's username) would take it back, and two autofocus are invalid HTML.
            for field in form.fields.values():
                field.widget.attrs.pop("autofocus", None)
        return super().render(template_name, context, request)


class StaffPreferencesForm(forms.ModelForm):
    """A staff member's choice of emails; the notice of new applications only for staff
    who review them."""

    class Meta:
        model = StaffPreferences
        fields = ["daily_digest", "application_notice"]

    def __init__(self, *args, may_review_applications: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_review_applications:
            del self.fields["application_notice"]
