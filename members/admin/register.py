"""The register in the admin: companies (with import and export), sectors and contacts."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..csv_export import EXPORT_FORMATS
from ..forms import InvitationForm, LogoField
from ..models import (
    Company,
    Contact,
    Membership,
    Representative,
    Sector,
)
from ..resources import CompanyResource, ContactResource, SectorResource
from ..spreadsheet import IMPORT_FORMATS, SpreadsheetError
from .confirm import Preview, confirmed_action, done
from .search import EngineSearchMixin


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("first_name", "last_name", "role", "email", "phone", "public_consent", "approved")


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("start", "end", "plan", "fee", "status")
    readonly_fields = ("status",)
    show_change_link = True


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


def _publication_action(published, *, description, title, intro, done_message):
    """Return the action that publishes (or unpublishes) the selected companies, after a
    page that lists them; one company at a time, so each change lands in its history."""

    def preview(queryset):
        changing = queryset.exclude(published=published).order_by("trade_name")
        return Preview(
            title=title,
            intro=intro,
            columns=[_("Company"), _("City")],
            rows=[[company, company.city] for company in changing],
            empty=_("Nothing to change: every selected company already is."),
            confirm_label=_("Confirm"),
        )

    def perform(request, queryset, data):
        companies = list(queryset.exclude(published=published))
        for company in companies:
            company.published = published
            company.save(update_fields=["published", "updated_at"])
        return done(len(companies), done_message, _("Nothing to change."))

    perform.__name__ = "perform_publish" if published else "perform_unpublish"
    return confirmed_action(description=description, preview=preview, perform=perform)


publish = _publication_action(
    True,
    description=_("Publish the selected companies"),
    title=_("Publish companies"),
    intro=_("These companies will appear in the public directory:"),
    done_message=_("%(count)d companies published."),
)
unpublish = _publication_action(
    False,
    description=_("Unpublish the selected companies"),
    title=_("Unpublish companies"),
    intro=_("These companies will leave the public directory (their profile is kept):"),
    done_message=_("%(count)d companies unpublished."),
)


class AllOrNothingImportAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Import and export in the admin, where a file with any bad row imports nothing.

    Files are read by ``members.spreadsheet``, as ``manage.py import_companies`` reads
    them: CSV (UTF-8, ``,`` or ``;``), XLSX or TSV. The preview is a dry run that lists
    every problem by row and column; the confirm step imports again in one transaction
    and rolls everything back if a row became invalid since the preview.
    """

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    import_template_name = "admin/members/import.html"

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, e):
        """Say what is wrong with a file that cannot be read, rather than name an exception."""
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", [str(problem) for problem in e.problems])
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                _("Nothing was imported. %(problems)s")
                % {"problems": "; ".join(str(problem) for problem in result.problems)},
                level=messages.ERROR,
            )
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_result(result, request)


# The company list's actions; another app adds its own with register_company_action (the
# mailings app: "write a mailing to the selected companies"), so members imports no app.
company_actions = [publish, unpublish]


def register_company_action(action):
    """Offer ``action`` on the admin's company list."""
    if action not in company_actions:
        company_actions.append(action)
    return action


@admin.register(Company)
class CompanyAdmin(EngineSearchMixin, AllOrNothingImportAdmin):
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
    # Searched with the directory's engine (EngineSearchMixin); an email address as typed.
    search_fields = ("email",)
    autocomplete_fields = ("sectors",)
    prepopulated_fields = {"slug": ("trade_name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = [ContactInline, RepresentativeInline, MembershipInline]
    actions = company_actions
    change_form_template = "admin/members/company/change_form.html"
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
        (
            _("Contact details"),
            {
                "fields": (
                    "website",
                    "email",
                    "phone",
                    "linkedin_url",
                    "instagram_url",
                    "facebook_url",
                    "youtube_url",
                )
            },
        ),
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

    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        # Staff's uploads go through the representatives' logo pipeline (pixel budget,
        # re-encoding), not Django's ImageField, which stores the file as it came.
        models.ImageField: {"form_class": LogoField},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sectors")

    def get_urls(self):
        return [
            path(
                "<int:pk>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="members_company_invite",
            ),
            *super().get_urls(),
        ]

    def invite_view(self, request, pk):
        """Invite a representative of this company (staff with the change permission)."""
        company = get_object_or_404(Company, pk=pk)
        if not self.has_change_permission(request, company):
            raise PermissionDenied
        form = InvitationForm(request.POST or None, company=company)
        if request.method == "POST" and form.is_valid():
            services.invitation_send(
                company=company,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                site_url=request.build_absolute_uri("/"),
            )
            self.message_user(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return HttpResponseRedirect(reverse("admin:members_company_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invite a representative of %(company)s") % {"company": company},
            "form": form,
            "opts": self.opts,
            "original": company,
        }
        return TemplateResponse(request, "admin/members/company/invite.html", context)

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


def preview_contacts(queryset):
    waiting = queryset.filter(approved=False).select_related("company")
    return Preview(
        title=_("Approve contacts"),
        intro=_("These contacts will appear on their company's public page if they consented:"),
        columns=[_("Contact"), _("Company"), _("Agrees to appear publicly")],
        rows=[[c, c.company, _("yes") if c.public_consent else _("no")] for c in waiting],
        empty=_("Every selected contact is already approved."),
        confirm_label=_("Approve"),
    )


def perform_approve_contacts(request, queryset, data):
    contacts = list(queryset.filter(approved=False))
    for contact in contacts:
        contact.approved = True
        contact.save(update_fields=["approved", "updated_at"])
    return done(len(contacts), _("%(count)d contacts approved."), _("Nothing to approve."))


approve_contacts = confirmed_action(
    description=_("Approve the selected contacts"),
    preview=preview_contacts,
    perform=perform_approve_contacts,
)


@admin.register(Contact)
class ContactAdmin(AllOrNothingImportAdmin):
    resource_classes = [ContactResource]
    list_display = ("__str__", "company", "role", "email", "public_consent", "approved")
    list_filter = ("approved", "public_consent")
    actions = [approve_contacts]
    search_fields = ("first_name", "last_name", "email", "company__trade_name")
    autocomplete_fields = ("company",)
    list_select_related = ("company",)
