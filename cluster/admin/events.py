"""Events in the admin: create, duplicate, review proposals, cancel, registrations inline,
a CSV of registrants, an email to all of them, and each event's figures."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.csv_export import csv_response, variant_of
from members.images import process_logo

from ..models import Event, Registration
from ..services import events as services
from ..services.events.figures import event_figures


class EventAdminForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("Sent only to confirmed registrants, never shown publicly."),
    )
    new_image = forms.FileField(
        label=_("New image"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB. It is resized to 1024 px at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    decision = forms.ChoiceField(
        label=_("Decision on the proposal"),
        required=False,
        choices=[("", "—"), ("approve", _("Approve: publish")), ("reject", _("Reject"))],
    )
    reason_text = forms.CharField(
        label=_("Reason for rejection"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Event
        fields = [
            "title_fr",
            "title_en",
            "slug",
            "description_fr",
            "description_en",
            "kind",
            "audience",
            "starts_at",
            "ends_at",
            "building",
            "office",
            "address",
            "online_url",
            "capacity",
            "organiser",
            "partners",
            "registration_opens_at",
            "registration_closes_at",
            "fee_member",
            "fee_non_member",
            "cancellation_deadline",
            "status",
        ]

    def clean_new_image(self):
        upload = self.cleaned_data.get("new_image")
        return process_logo(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") and self.instance.status != Event.Status.PROPOSED:
            self.add_error("decision", _("Only a proposed event waits for a decision."))
        if cleaned.get("decision") == "reject" and not cleaned.get("reason_text", "").strip():
            self.add_error("reason_text", _("Say why: the representative is told."))
        return cleaned


class RegistrationInline(admin.TabularInline):
    """The registrants; statuses change through the check-in page and the actions only."""

    model = Registration
    extra = 0
    fields = ("name", "email", "organisation", "category", "status", "ticket_code", "checked_in_at")
    readonly_fields = ("status", "ticket_code", "checked_in_at")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # registered through the form, /my/ or a walk-in at check-in


@admin.action(description=_("Duplicate as a draft"), permissions=["add"])
def duplicate_events(modeladmin, request, queryset):
    for event in queryset:
        copy = services.event_duplicate(event=event)
        modeladmin.message_user(
            request,
            _("“%(title)s” duplicated as a draft: give it its dates.") % {"title": copy.title},
        )


@admin.action(description=_("Cancel and tell every registrant"), permissions=["change"])
def cancel_events(modeladmin, request, queryset):
    told = sum(services.event_cancel(event=event) for event in queryset)
    modeladmin.message_user(request, _("Cancelled; %(count)s registrants told.") % {"count": told})


@admin.action(description=_("Export the registrants (CSV)"), permissions=["view"])
def export_registrations(modeladmin, request, queryset):
    header = [
        _("event"),
        _("name"),
        _("email"),
        _("organisation"),
        _("category"),
        _("status"),
        _("ticket code"),
        _("checked in"),
    ]
    registrations = Registration.objects.filter(event__in=queryset).select_related("event")
    rows = (
        [
            r.event.title,
            r.name,
            r.email,
            r.organisation,
            r.get_category_display(),
            r.get_status_display(),
            r.ticket_code,
            timezone.localtime(r.checked_in_at).strftime("%d/%m/%Y %H:%M")
            if r.checked_in_at
            else "",
        ]
        for r in registrations.order_by("event__starts_at", "created_at", "pk")
    )
    return csv_response("registrations.csv", [header, *rows], variant_of(request))


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    form = EventAdminForm
    list_display = ("title_fr", "kind", "audience", "starts_at", "status", "organiser", "capacity")
    list_filter = (
        "status",
        "kind",
        "audience",
        ("starts_at", admin.DateFieldListFilter),
        ("organiser", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title_fr", "title_en", "slug")
    list_select_related = ("organiser",)
    autocomplete_fields = ("organiser", "partners")
    prepopulated_fields = {"slug": ("title_fr",)}
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]
    actions = [duplicate_events, cancel_events, export_registrations]
    readonly_fields = ("current_image", "figures", "staff_links", "proposed_by", "reason")

    def get_fieldsets(self, request, obj=None):
        main = [*EventAdminForm.Meta.fields, "new_image", "current_image"]
        fieldsets = [(None, {"fields": main})]
        if obj is not None:
            fieldsets.append((_("Registrations"), {"fields": ["figures", "staff_links"]}))
            if obj.status == Event.Status.PROPOSED:
                fieldsets.append(
                    (_("Proposal"), {"fields": ["proposed_by", "decision", "reason_text"]})
                )
            elif obj.reason:
                fieldsets.append((_("Proposal"), {"fields": ["proposed_by", "reason"]}))
        return fieldsets

    @admin.display(description=_("current image"))
    def current_image(self, obj):
        return format_html('<img src="{}" alt="" width="160">', obj.image.url) if obj.image else "—"

    @admin.display(description=_("figures"))
    def figures(self, obj):
        f = event_figures(obj)
        categories = ", ".join(f"{label}: {count}" for label, count in f["by_category"])
        return format_html(
            "{}: {} · {}: {} · {}: {} · {}: {}<br>{}",
            _("registered"),
            f["confirmed"],
            _("waiting"),
            f["waiting"],
            _("present"),
            f["present"],
            _("no-show rate"),
            f["no_show_rate"],
            categories or "—",
        )

    @admin.display(description=_("tools"))
    def staff_links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("events:check-in", args=[obj.slug]),
            _("Check-in page"),
            reverse("admin:cluster_event_email", args=[obj.pk]),
            _("Email every registrant"),
        )

    def save_model(self, request, obj, form, change):
        services.store_image(obj, form.cleaned_data.get("new_image"))
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        decision, obj = form.cleaned_data.get("decision"), form.instance
        try:
            if decision == "approve":
                services.event_approve(event=obj, reviewer=request.user)
                self.message_user(request, _("The event is published; its proposer is told."))
            elif decision == "reject":
                services.event_reject(
                    event=obj, reviewer=request.user, reason=form.cleaned_data["reason_text"]
                )
                self.message_user(request, _("Rejected; the reason was sent."))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def get_urls(self):
        return [
            path(
                "<int:pk>/email/",
                self.admin_site.admin_view(self.email_view),
                name="cluster_event_email",
            ),
            *super().get_urls(),
        ]

    def email_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=pk)
        form = RegistrantsEmailForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            count = services.registrants_email(event=event, **form.cleaned_data)
            self.message_user(request, _("Sent to %(count)s registrants.") % {"count": count})
            return redirect("admin:cluster_event_change", event.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Email every registrant of “%(title)s”") % {"title": event.title},
            "event": event,
            "form": form,
        }
        return TemplateResponse(request, "admin/cluster/event_email.html", context)


class RegistrantsEmailForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))


@admin.action(description=_("Cancel (frees the seat for the waiting list)"), permissions=["change"])
def cancel_registrations(modeladmin, request, queryset):
    for registration in queryset.select_related("event"):
        try:
            services.registration_cancel(registration=registration)
        except ValidationError:
            continue


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "event", "category", "status", "checked_in_at", "created_at")
    list_filter = ("status", "category", "walk_in", "event__kind")
    search_fields = ("name", "email", "organisation", "ticket_code", "event__title_fr")
    list_select_related = ("event",)
    autocomplete_fields = ("event", "company")
    fields = (
        "event",
        "name",
        "email",
        "organisation",
        "company",
        "category",
        "status",
        "ticket_code",
        "walk_in",
        "checked_in_at",
        "created_at",
        "cancelled_at",
    )
    readonly_fields = (
        "event",
        "status",
        "ticket_code",
        "walk_in",
        "checked_in_at",
        "created_at",
        "cancelled_at",
    )
    actions = [cancel_registrations]

    def has_add_permission(self, request):
        return False
