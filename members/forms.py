import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .images import process_logo
from .models import (
    Application,
    ClusterIdentity,
    Company,
    Contact,
    MembershipPlan,
    Offer,
    Representative,
    Sector,
)
from .services import PROFILE_FIELDS
from .services.email import email_send


class DateInput(forms.DateInput):
    """A date picker. type="date" holds ISO dates only, whatever the language, so the
    value is written that way, and a value it cannot hold (a hand-edited URL's) is left
    out rather than written into the page."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        value = super().format_value(value)
        return value if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None


def _https_by_default(model_field, **kwargs):
    """Make URL fields read "example.org" as https://example.org (Django 6's default).

    They are text inputs with a URL keyboard, not type="url": that one holds absolute
    URLs only, so "example.org", which the form accepts, could not be shown back.
    """
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
        kwargs["widget"] = forms.TextInput(attrs={"inputmode": "url"})
    return model_field.formfield(**kwargs)


class LogoField(forms.FileField):
    """A logo upload through the logo pipeline (members.images.process_logo): its header
    checked before any pixel is decoded, then shrunk and re-encoded without metadata. For
    forms that set the model's ImageField directly (the admin's company form)."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return process_logo(value)
        return value


class ProfileForm(forms.ModelForm):
    """The public profile, as a representative may edit it. Identity fields are not here."""

    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    new_logo = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB. It is resized to 1024 px at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = Company
        fields = list(PROFILE_FIELDS)
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
        }
        formfield_callback = _https_by_default

    def __init__(self, *args, pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pending and not self.is_bound:
            # Show the representative what they last submitted, even before approval.
            self.initial.update({k: v for k, v in pending.items() if k != "logo"})

    def clean_new_logo(self):
        upload = self.cleaned_data.get("new_logo")
        return process_logo(upload) if upload else None


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "role", "email", "phone", "public_consent"]
        labels = {"public_consent": _("This person agrees to appear on the public page")}


class OfferForm(forms.ModelForm):
    """An offer as a representative writes it; status and review stay with the staff."""

    class Meta:
        model = Offer
        fields = [
            "title",
            "description_fr",
            "description_en",
            "kind",
            "start_date",
            "duration_months",
            "place",
            "remote",
            "monthly_stipend",
            "expires_on",
            "apply_email",
            "apply_url",
        ]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 8}),
            "description_en": forms.Textarea(attrs={"rows": 8}),
            "start_date": DateInput(),
            "expires_on": DateInput(),
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=Representative.Role.choices)

    def __init__(self, *args, company, **kwargs):
        self.company = company
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if self.company.representatives.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person already represents the company."))
        return email


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            from django.contrib.auth import get_user_model

            user = get_user_model()(
                username=self.email,
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def _plan_choice_label(plan):
    """Name a plan with its yearly fee, the figure applicants compare."""
    fee = floatformat(plan.annual_fee, "-2g")
    if plan.vat_applies:
        return gettext("%(plan)s — %(fee)s € before tax a year") % {"plan": plan, "fee": fee}
    return gettext("%(plan)s — %(fee)s € a year") % {"plan": plan, "fee": fee}


class ApplicationForm(forms.ModelForm):
    """The public form to apply for membership. ``fax`` is a honeypot for robots."""

    fax = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Application
        fields = [
            "legal_name",
            "trade_name",
            "siret",
            "siren",
            "vat_number",
            "street",
            "postcode",
            "city",
            "country",
            "website",
            "contact_first_name",
            "contact_last_name",
            "contact_email",
            "contact_phone",
            "contact_role",
            "plan",
            "motivation",
            "consent",
        ]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        formfield_callback = _https_by_default

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = MembershipPlan.objects.filter(active=True)
        # No plan chosen in advance: the cheapest one (free, for partners) came first and
        # was sent by applicants who never looked. An empty choice makes them pick.
        self.fields["plan"].label_from_instance = _plan_choice_label
        self.fields["consent"].required = True
        self.fields["consent"].label = _(
            "I agree that %(name)s processes these data to review this application and, if "
            "it is accepted, to manage the membership."
        ) % {"name": ClusterIdentity.objects.current().display_name}

    @property
    def is_spam(self):
        return bool(self.data.get("fax"))


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's password reset, its email sent through the one email path (logged, from a
    thread after the commit, a failure recorded rather than raised)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        email_send(
            to=[to_email],
            subject=render_to_string(subject_template_name, context),
            template=email_template_name,
            context=context,
            kind="password_reset",
        )
