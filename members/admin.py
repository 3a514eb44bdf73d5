from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Company, Contact, Sector
from .resources import CompanyResource, ContactResource, SectorResource, row_errors


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("first_name", "last_name", "role", "email", "phone", "public_consent")


class CityFilter(admin.SimpleListFilter):
    title = _("city")
    parameter_name = "city"

    def lookups(self, request, model_admin):
        cities = (
            Company.objects.exclude(city="")
            .order_by("city")
            .values_list("city", flat=True)
            .distinct()
        )
        return [(city, city) for city in cities]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(city=self.value())
        return queryset


def _set_published(queryset, published):
    """Save one company at a time, so that each change lands in its history."""
    companies = list(queryset.exclude(published=published))
    for company in companies:
        company.published = published
        company.save(update_fields=["published", "updated_at"])
    return len(companies)


@admin.action(description=_("Publish the selected companies"))
def publish(modeladmin, request, queryset):
    count = _set_published(queryset, True)
    modeladmin.message_user(request, _("%(count)d companies published.") % {"count": count})


@admin.action(description=_("Unpublish the selected companies"))
def unpublish(modeladmin, request, queryset):
    count = _set_published(queryset, False)
    modeladmin.message_user(request, _("%(count)d companies unpublished.") % {"count": count})


class AllOrNothingImportAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Import and export in the admin, where a file with any bad row imports nothing.

    The preview is a dry run; the confirm step imports again in one transaction and rolls
    everything back if a row became invalid since the preview.
    """

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            problems = row_errors(self.resource_classes[0](), result)
            self.message_user(
                request,
                _("Nothing was imported. %(problems)s")
                % {
                    "problems": "; ".join(
                        _("row %(row)s, column %(column)s: %(message)s")
                        % {"row": row, "column": column, "message": message}
                        for row, column, message in problems
                    )
                },
                level=messages.ERROR,
            )
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_result(result, request)


@admin.register(Company)
class CompanyAdmin(AllOrNothingImportAdmin):
    resource_classes = [CompanyResource]
    list_display = (
        "trade_name",
        "legal_name",
        "siret",
        "city",
        "sector_list",
        "published",
        "updated_at",
    )
    list_display_links = ("trade_name",)
    list_filter = ("published", "sectors", CityFilter, "country", "headcount_band")
    search_fields = ("trade_name", "legal_name", "siren", "siret", "city", "email")
    autocomplete_fields = ("sectors",)
    prepopulated_fields = {"slug": ("trade_name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = [ContactInline]
    actions = [publish, unpublish]
    list_per_page = 50
    show_full_result_count = False
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("trade_name", "legal_name", "slug", "published")}),
        (
            _("Legal identity"),
            {"fields": ("siren", "siret", "vat_number", "naf_code", "legal_form")},
        ),
        (_("Address"), {"fields": ("street", "postcode", "city", "country")}),
        (_("Contact details"), {"fields": ("website", "email", "phone")}),
        (
            _("Profile"),
            {
                "fields": (
                    "sectors",
                    "headcount_band",
                    "year_founded",
                    "description_fr",
                    "description_en",
                    "logo",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    )

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sectors")

    @admin.display(description=_("sectors"))
    def sector_list(self, obj):
        return ", ".join(sector.label for sector in obj.sectors.all())


@admin.register(Sector)
class SectorAdmin(AllOrNothingImportAdmin):
    resource_classes = [SectorResource]
    list_display = ("name", "name_en", "slug", "company_count")
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(company_count=Count("companies"))

    @admin.display(description=_("companies"), ordering="company_count")
    def company_count(self, obj):
        return obj.company_count


@admin.register(Contact)
class ContactAdmin(AllOrNothingImportAdmin):
    resource_classes = [ContactResource]
    list_display = ("__str__", "company", "role", "email", "public_consent")
    list_filter = ("public_consent",)
    search_fields = ("first_name", "last_name", "email", "company__trade_name")
    autocomplete_fields = ("company",)
    list_select_related = ("company",)
