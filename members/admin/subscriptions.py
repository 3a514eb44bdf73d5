"""Mailing topics, and each address's consent to them, in the admin.

Staff record a consent they hold (a form signed at an event, say). An address that
unsubscribed stays unsubscribed: only the person can subscribe again (in their space).
"""

from django import forms
from django.contrib import admin
from django.utils import timezone

from ..models import Subscription, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name_fr", "name_en", "slug")
    search_fields = ("name_fr", "name_en")
    prepopulated_fields = {"slug": ("name_fr",)}


class SubscriptionForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["email", "topic", "language"]

    def clean_email(self):
        # Stored in lower case: the uniqueness check must see the stored form.
        return self.cleaned_data["email"].strip().lower()


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ("email", "topic", "language", "consented_at", "unsubscribed_at", "source")
    list_filter = ("topic", "source", ("unsubscribed_at", admin.EmptyFieldListFilter))
    search_fields = ("email",)
    list_select_related = ("topic",)
    fields = ("email", "topic", "language", "source", "consented_at", "unsubscribed_at")
    readonly_fields = ("source", "consented_at", "unsubscribed_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.readonly_fields, "email", "topic"]
        return self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # An unsubscription is the person's choice: staff cannot undo it.
        if obj is not None and obj.unsubscribed_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = Subscription.Source.STAFF
            obj.consented_at = timezone.now()
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
