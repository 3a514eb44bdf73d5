"""How every form of the site draws itself: one error summary at the top, then each field
with its label, help and errors tied to the input (``templates/includes/_form*.html``)."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from members.images import process_logo

from .models import Event, Registration, StaffPreferences


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


class DateTimeInput(forms.DateTimeInput):
    """A date and time picker (type="datetime-local", ISO values whatever the language)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


ISO_DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class EventRegistrationForm(forms.Form):
    """A visitor's registration. ``website`` is a honeypot for robots."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Your company, school or association, if any."),
        widget=forms.TextInput(
            attrs={"list": "event-organisations", "autocomplete": "organization"}
        ),
    )
    category = forms.ChoiceField(label=_("You are"), choices=Registration.Category.choices)
    # Asked for a paid event only; the service says when they are needed.
    billing_name = forms.CharField(label=_("Name to invoice"), max_length=200, required=False)
    billing_street = forms.CharField(
        label=_("Street"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    billing_postcode = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    billing_city = forms.CharField(
        label=_("Town"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the cluster processes these data to manage my registration; they "
            "are anonymised a year after the event."
        )
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self):
        return bool(self.data.get("website"))


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Registration.Category.choices)


class EventProposalForm(forms.ModelForm):
    """An event a representative proposes; staff review it before it is published."""

    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DateTimeInput(), input_formats=ISO_DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DateTimeInput(), input_formats=ISO_DATETIME_FORMATS
    )
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("Sent only to confirmed registrants, never shown publicly."),
    )
    new_image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = Event
        fields = [
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "kind",
            "audience",
            "starts_at",
            "ends_at",
            "address",
            "online_url",
            "capacity",
        ]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_new_image(self):
        upload = self.cleaned_data.get("new_image")
        return process_logo(upload) if upload else None
