from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin.columns import period
from members.csv_export import csv_response, variant_of
from members.models import Company
from members.periods import last_day

from .. import services
from ..models import Building, Incubation, KpiSnapshot, Lease, Milestone, Office, Programme
from . import rent


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_en", "stage")
    list_filter = ("stage",)
    search_fields = ("name", "name_en")


class KpiInline(admin.TabularInline):
    model = KpiSnapshot
    extra = 0
    fields = ("date", "headcount", "revenue", "funds_raised", "jobs_created", "entered_by")
    readonly_fields = ("entered_by",)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ("title", "target_date", "done_date")


class HostedFilter(admin.SimpleListFilter):
    title = _("hosted today")
    parameter_name = "hosted"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request, queryset):
        hosted = queryset.hosted_on(timezone.localdate())
        if self.value() == "yes":
            return hosted
        if self.value() == "no":
            return queryset.exclude(pk__in=hosted.values("pk"))
        return queryset


@admin.register(Incubation)
class IncubationAdmin(SimpleHistoryAdmin):
    list_display = (
        "company",
        "programme",
        "cohort",
        "start",
        "planned_end",
        "end",
        "outcome",
        "timeline_link",
    )
    list_filter = (HostedFilter, "programme", "outcome", "cohort")
    search_fields = ("company__trade_name", "cohort")
    autocomplete_fields = ("company", "mentor_user", "mentor_contact")
    list_select_related = ("company", "programme")
    inlines = [MilestoneInline, KpiInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, KpiSnapshot) and not instance.entered_by_id:
                instance.entered_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    @admin.display(description=_("timeline"))
    def timeline_link(self, obj):
        from django.utils.html import format_html

        url = reverse("admin:startups_incubation_timeline", args=[obj.company_id])
        return format_html('<a href="{}">{}</a>', url, _("timeline"))

    def get_urls(self):
        return [
            path(
                "timeline/<int:company_id>/",
                self.admin_site.admin_view(self.timeline_view),
                name="startups_incubation_timeline",
            ),
            *super().get_urls(),
        ]

    def timeline_view(self, request, company_id):
        """Show a start-up's incubations, leases, KPIs and milestones in date order."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        company = get_object_or_404(Company, pk=company_id)
        events = []
        for incubation in company.incubations.select_related("programme"):
            events.append((incubation.start, _("Entry"), str(incubation.programme), incubation))
            if incubation.end:
                label = incubation.get_outcome_display() or _("Exit")
                events.append((incubation.end, _("Exit"), label, incubation))
            for milestone in incubation.milestones.all():
                state = _("done") if milestone.done_date else _("planned")
                day = milestone.done_date or milestone.target_date
                events.append((day, _("Milestone"), f"{milestone.title} ({state})", milestone))
            for kpi in incubation.kpis.all():
                text = _(
                    "%(headcount)s people, %(revenue)s € revenue, %(funds)s € raised, "
                    "%(jobs)s jobs created"
                ) % {
                    "headcount": kpi.headcount,
                    "revenue": kpi.revenue,
                    "funds": kpi.funds_raised,
                    "jobs": kpi.jobs_created,
                }
                events.append((kpi.date, _("KPIs"), text, kpi))
        for lease in company.leases.select_related("office__building"):
            events.append((lease.start, _("Lease starts"), str(lease.office), lease))
            if lease.end:
                events.append(
                    (last_day(lease.end), _("Last day of the lease"), str(lease.office), lease)
                )
        events.sort(key=lambda event: event[0])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Timeline of %(company)s") % {"company": company},
            "company": company,
            "events": events,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/startups/timeline.html", context)


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(SimpleHistoryAdmin):
    list_display = ("incubation", "date", "headcount", "revenue", "funds_raised", "jobs_created")
    list_filter = ("date",)
    search_fields = ("incubation__company__trade_name",)
    list_select_related = ("incubation__company",)
    autocomplete_fields = ("incubation",)


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ("title", "incubation", "target_date", "done_date")
    search_fields = ("title", "incubation__company__trade_name")
    list_select_related = ("incubation__company",)
    autocomplete_fields = ("incubation",)


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0
    fields = ("code", "floor", "kind", "area", "desks", "list_rent", "delivery_date", "active")


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_en", "street", "postcode", "city", "vat_rate")
    search_fields = ("name", "name_en")
    inlines = [OfficeInline]


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "kind",
        "area",
        "desks",
        "list_rent",
        "delivery_date",
        "active",
    )
    list_filter = ("building", "kind", "active")
    search_fields = ("code", "building__name")
    list_select_related = ("building",)


class EndingSoonFilter(admin.SimpleListFilter):
    title = _("ending")
    parameter_name = "ending"

    def lookups(self, request, model_admin):
        return [("90", _("in the next 90 days")), ("current", _("current leases"))]

    def queryset(self, request, queryset):
        if self.value() == "90":
            return queryset.ending_within(90)
        if self.value() == "current":
            return queryset.active_on(timezone.localdate())
        return queryset


class LeaseForm(forms.ModelForm):
    class Meta:
        model = Lease
        fields = [
            "office",
            "company",
            "start",
            "end",
            "monthly_rent",
            "notice_months",
            "deposit",
            "contract",
            "billing_period",
            "billing_timing",
            "service_charges",
            "rent_index",
            "deposit_received_on",
        ]


@admin.register(Lease)
class LeaseAdmin(SimpleHistoryAdmin):
    form = LeaseForm
    list_display = (
        "office",
        "company",
        period,
        "monthly_rent",
        "service_charges",
        "billing_period",
        "billing_timing",
        "contract",
    )
    list_filter = (EndingSoonFilter, "contract", "billing_period", "office__building")
    search_fields = ("company__trade_name", "office__code")
    autocomplete_fields = ("company",)
    list_select_related = ("office__building", "company")
    date_hierarchy = "start"
    change_list_template = "admin/startups/lease/change_list.html"
    inlines = [rent.RevisionInline]
    readonly_fields = ("deposit_return",)

    @admin.display(description=_("deposit returned"))
    def deposit_return(self, obj):
        return rent.deposit_state(obj)

    def save_model(self, request, obj, form, change):
        services.lease_save(lease=obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form validated the lease; a concurrent booking that slipped in between is
        # refused by the database, and the service says so.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_urls(self):
        return [
            path(
                "rent-roll.csv",
                self.admin_site.admin_view(self.rent_roll_view),
                name="startups_lease_rent_roll",
            ),
            path(
                "issue-rent/",
                self.admin_site.admin_view(partial(rent.issue_rent_view, self)),
                name="startups_lease_issue_rent",
            ),
            path(
                "<int:pk>/deposit/",
                self.admin_site.admin_view(partial(rent.deposit_return_view, self)),
                name="startups_lease_deposit_return",
            ),
            *super().get_urls(),
        ]

    def rent_roll_view(self, request):
        """Download the rent roll: every current lease with its rent, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        header = [
            _("building"),
            _("office"),
            _("area (m²)"),
            _("company"),
            _("start"),
            _("last day"),
            _("rent (€ a month)"),
            _("deposit (€)"),
            _("notice (months)"),
            _("contract"),
        ]
        leases = (
            Lease.objects.active_on(timezone.localdate())
            .select_related("office__building", "company")
            .order_by("office__building__name", "office__code")
        )
        rows = [
            (
                str(lease.office.building),
                lease.office.code,
                lease.office.area,
                lease.company.legal_name,
                lease.start,
                last_day(lease.end),
                lease.monthly_rent,
                lease.deposit,
                lease.notice_months,
                lease.get_contract_display(),
            )
            for lease in leases
        ]
        return csv_response("rent-roll.csv", [header, *rows], variant_of(request))
