"""The admin of what is submitted for staff review: a decision, and a reason to reject."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import services


class ReviewForm(forms.ModelForm):
    """Staff's decision on something submitted for review: approve, or reject with a
    reason that the person who submitted it is told."""

    approve_label = _("Approve")
    reason_help = _("Required to reject; it is emailed to the representative.")
    reason_needed = _("Say why: the representative is told.")

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason_text = forms.CharField(
        label=_("Reason for rejection"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("approve", self.approve_label), ("reject", _("Reject"))]
        self.fields["reason_text"].help_text = self.reason_help

    def clean(self):
        cleaned = super().clean()
        if self.instance.status != "pending":
            raise forms.ValidationError(_("This was already reviewed."))
        if cleaned.get("decision") == "reject" and not cleaned.get("reason_text", "").strip():
            self.add_error("reason_text", self.reason_needed)
        return cleaned


class ReviewAdmin(admin.ModelAdmin):
    """The admin of things submitted for review: read-only fields, and the decision while
    pending; the decision goes through the services' ``approve`` and ``reject``."""

    def get_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj and obj.status == "pending":
            fields += ["decision", "reason_text"]
        return fields

    def has_add_permission(self, request):
        return False  # submitted from the public site or the representatives' space

    def approve(self, request, obj):
        raise NotImplementedError

    def reject(self, request, obj, reason):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "approve":
                self.approve(request, obj)
            elif decision == "reject":
                self.reject(request, obj, form.cleaned_data["reason_text"])
        except (services.ModerationError, ValidationError) as error:
            self.message_user(request, " ".join(messages_of(error)), level=messages.ERROR)

    def save_related(self, request, form, formsets, change):
        pass  # nothing related to save: the services did the work


def messages_of(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]
