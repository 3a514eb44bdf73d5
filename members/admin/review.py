"""The admin of what is submitted for staff review: a decision, and a reason to reject."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
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

    def approve(self, request, obj, form):
        """Approve through the service; return the message that tells staff what was done."""
        raise NotImplementedError

    def reject(self, request, obj, reason):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "approve":
                request.review_outcome = (messages.SUCCESS, self.approve(request, obj, form))
            elif decision == "reject":
                self.reject(request, obj, form.cleaned_data["reason_text"])
                request.review_outcome = (messages.SUCCESS, _("Rejected; the reason was sent."))
        except (services.ModerationError, ValidationError) as error:
            request.review_outcome = (messages.ERROR, " ".join(messages_of(error)))

    def save_related(self, request, form, formsets, change):
        pass  # nothing related to save: the services did the work

    def response_change(self, request, obj):
        """Say what the decision did, or why it failed, and nothing else: never "changed
        successfully" after a refusal."""
        outcome = getattr(request, "review_outcome", None)
        if outcome is None:
            return super().response_change(request, obj)
        level, message = outcome
        self.message_user(request, message, level)
        if level == messages.ERROR:
            return HttpResponseRedirect(request.get_full_path())
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))


def messages_of(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]
