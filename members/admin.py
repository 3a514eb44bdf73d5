from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import DateInput, InvitationForm
from .models import (
    Application,
    Company,
    Contact,
    EmailLog,
    Invitation,
    Invoice,
    Membership,
    MembershipPlan,
    Offer,
    Payment,
    ProfileRevision,
    Representative,
    Sector,
)
from .resources import CompanyResource, ContactResource, SectorResource, row_errors


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
    inlines = [ContactInline, RepresentativeInline]
    actions = [publish, unpublish]
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

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

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


@admin.action(description=_("Approve the selected contacts"))
def approve_contacts(modeladmin, request, queryset):
    count = 0
    for contact in queryset.filter(approved=False):
        contact.approved = True
        contact.save(update_fields=["approved", "updated_at"])
        count += 1
    modeladmin.message_user(request, _("%(count)d contacts approved.") % {"count": count})


@admin.register(Contact)
class ContactAdmin(AllOrNothingImportAdmin):
    resource_classes = [ContactResource]
    list_display = ("__str__", "company", "role", "email", "public_consent", "approved")
    list_filter = ("approved", "public_consent")
    actions = [approve_contacts]
    search_fields = ("first_name", "last_name", "email", "company__trade_name")
    autocomplete_fields = ("company",)
    list_select_related = ("company",)


@admin.register(Representative)
class RepresentativeAdmin(SimpleHistoryAdmin):
    list_display = ("user", "company", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "user__last_name", "company__trade_name")
    autocomplete_fields = ("user", "company")
    list_select_related = ("user", "company")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "company", "role", "invited_by", "created_at", "accepted_at")
    list_filter = ("role", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "company__trade_name")
    list_select_related = ("company", "invited_by")
    readonly_fields = ("company", "email", "role", "invited_by", "created_at", "accepted_at")

    def has_add_permission(self, request):
        return False  # invitations are sent from the company's page, which emails them


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
            self.message_user(request, " ".join(_messages_of(error)), level=messages.ERROR)

    def save_related(self, request, form, formsets, change):
        pass  # nothing related to save: the services did the work


class RevisionReviewForm(ReviewForm):
    approve_label = _("Approve: the change goes live")

    class Meta(ReviewForm.Meta):
        model = ProfileRevision


@admin.register(ProfileRevision)
class ProfileRevisionAdmin(ReviewAdmin):
    list_display = ("company", "status", "submitted_by", "submitted_at", "reviewed_by")
    list_filter = ("status",)
    search_fields = ("company__trade_name",)
    list_select_related = ("company", "submitted_by", "reviewed_by")
    readonly_fields = (
        "company",
        "status",
        "submitted_by",
        "submitted_at",
        "comparison",
        "reviewed_by",
        "reviewed_at",
        "reason",
    )
    form = RevisionReviewForm

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=ProfileRevision.Status.SUPERSEDED)

    @admin.display(description=_("Before and after"))
    def comparison(self, obj):
        """Show each changed field with the public value and the proposed one."""
        current = services.profile_values(obj.company)
        rows = []
        for field, new in obj.changes.items():
            label = _("logo") if field == "logo" else Company._meta.get_field(field).verbose_name
            rows.append(
                format_html(
                    "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
                    capfirst(label),
                    _render_value(field, current.get(field)),
                    _render_value(field, new),
                )
            )
        return format_html(
            "<table class='revision-diff'><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("Field"),
            _("Public now"),
            _("Proposed"),
            format_html_join("", "{}", ((row,) for row in rows)),
        )

    def approve(self, request, obj):
        services.revision_approve(revision=obj, reviewer=request.user)

    def reject(self, request, obj, reason):
        services.revision_reject(revision=obj, reviewer=request.user, reason=reason)


class OfferReviewForm(ReviewForm):
    approve_label = _("Approve: the offer is published")

    class Meta(ReviewForm.Meta):
        model = Offer


@admin.action(description=_("Approve the selected pending offers"), permissions=["change"])
def approve_offers(modeladmin, request, queryset):
    count, problems = 0, []
    for offer in queryset.filter(status=Offer.Status.PENDING):
        try:
            services.offer_approve(offer=offer, reviewer=request.user)
            count += 1
        except (services.ModerationError, ValidationError) as error:
            problems.append(f"{offer}: {' '.join(_messages_of(error))}")
    modeladmin.message_user(request, _("%(count)d offers approved.") % {"count": count})
    if problems:
        modeladmin.message_user(request, "; ".join(problems), level=messages.WARNING)


@admin.register(Offer)
class OfferAdmin(ReviewAdmin, SimpleHistoryAdmin):
    """Offers come from representatives; staff review them here (one by one or in bulk)."""

    list_display = (
        "title",
        "company",
        "kind",
        "status",
        "start_date",
        "expires_on",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("title", "company__trade_name", "place")
    list_select_related = ("company", "created_by")
    date_hierarchy = "created_at"
    actions = [approve_offers]
    form = OfferReviewForm
    readonly_fields = (
        "company",
        "title",
        "kind",
        "description_fr",
        "description_en",
        "start_date",
        "duration_months",
        "place",
        "remote",
        "monthly_stipend",
        "expires_on",
        "status",
        "created_by",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "reason",
    )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Offer.Status.PENDING:
            return False  # a reviewed offer is read-only; the representative edits it
        return super().has_change_permission(request, obj)

    def approve(self, request, obj):
        services.offer_approve(offer=obj, reviewer=request.user)

    def reject(self, request, obj, reason):
        services.offer_reject(offer=obj, reviewer=request.user, reason=reason)


def _messages_of(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def _render_value(field, value):
    if field == "logo":
        if not value:
            return "—"
        url = default_storage.url(value)
        return format_html('<img src="{}" alt="" style="max-width:128px;max-height:128px">', url)
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return value or "—"


# --- Membership and dues -------------------------------------------------------------------


class StartYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Membership.objects.dates("start", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(start__year=int(value)) if value and value.isdigit() else queryset


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("start", "end", "plan", "fee", "status")
    show_change_link = True


CompanyAdmin.inlines = [ContactInline, RepresentativeInline, MembershipInline]


@admin.register(MembershipPlan)
class MembershipPlanAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organisation_kind", "annual_fee", "vat_applies", "vat_rate", "active")
    list_filter = ("organisation_kind", "active", "vat_applies")
    search_fields = ("name",)


@admin.action(description=_("Issue the invoice of the selected memberships"))
def issue_invoices(modeladmin, request, queryset):
    issued, problems = 0, []
    for membership in queryset.select_related("company"):
        try:
            services.invoice_issue(membership=membership, issued_by=request.user)
            issued += 1
        except ValidationError as error:
            problems.append(f"{membership.company}: {' '.join(error.messages)}")
    modeladmin.message_user(request, _("%(count)d invoices issued.") % {"count": issued})
    if problems:
        modeladmin.message_user(request, "; ".join(problems), level=messages.WARNING)


@admin.action(description=_("Mark the selected memberships as resigned"))
def resign_memberships(modeladmin, request, queryset):
    for membership in queryset:
        services.membership_resign(membership=membership)
    modeladmin.message_user(
        request, _("%(count)d memberships resigned.") % {"count": len(queryset)}
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("company", "start", "end", "plan", "fee", "status")
    list_filter = ("status", StartYearFilter, "plan")
    search_fields = ("company__trade_name", "company__legal_name")
    autocomplete_fields = ("company",)
    list_select_related = ("company", "plan")
    actions = [issue_invoices, resign_memberships]
    date_hierarchy = "start"


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (€)"), max_digits=10, decimal_places=2)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100)


class CreditNoteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ("date", "amount", "method", "reference", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    """Invoices are issued by actions and never edited; payments are recorded here."""

    list_display = (
        "number",
        "kind",
        "company",
        "issue_date",
        "due_date",
        "amount_incl_tax",
        "balance_display",
        "status_display",
    )
    list_filter = ("year", "kind")
    search_fields = ("number", "company__trade_name", "buyer_name")
    list_select_related = ("company",)
    inlines = [PaymentInline]
    change_list_template = "admin/members/invoice/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_balance()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Invoice._meta.fields]

    @admin.display(description=_("balance"), ordering="balance")
    def balance_display(self, obj):
        return obj.balance if obj.kind == Invoice.Kind.INVOICE else "—"

    @admin.display(description=_("status"), ordering="payment_status")
    def status_display(self, obj):
        return {
            "paid": _("paid"),
            "overdue": _("overdue"),
            "unpaid": _("unpaid"),
            "credit": _("credit note"),
        }[obj.payment_status]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("summary/", wrap(self.summary_view), name="members_invoice_summary"),
            path("ledger.csv", wrap(self.ledger_view), name="members_invoice_ledger"),
            path("renew/", wrap(self.renew_view), name="members_invoice_renew"),
            path("<int:pk>/pay/", wrap(self.payment_view), name="members_invoice_pay"),
            path("<int:pk>/credit/", wrap(self.credit_view), name="members_invoice_credit"),
            *super().get_urls(),
        ]

    def _form_page(self, request, invoice, form, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "opts": self.opts,
            "original": invoice,
        }
        return TemplateResponse(request, "admin/members/invoice/form.html", context)

    def payment_view(self, request, pk):
        invoice = get_object_or_404(Invoice.objects.with_balance(), pk=pk)
        if not request.user.has_perm("members.add_payment"):
            raise PermissionDenied
        form = PaymentForm(
            request.POST or None,
            initial={"amount": invoice.balance, "date": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.payment_record(
                    invoice=invoice, recorded_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(request, _("Payment recorded."))
                return HttpResponseRedirect(reverse("admin:members_invoice_change", args=[pk]))
        title = _("Record a payment on %(number)s") % {"number": invoice.number}
        return self._form_page(request, invoice, form, title)

    def credit_view(self, request, pk):
        invoice = get_object_or_404(Invoice, pk=pk)
        if not request.user.has_perm("members.change_invoice"):
            raise PermissionDenied
        form = CreditNoteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                credit = services.credit_note_issue(
                    invoice=invoice, reason=form.cleaned_data["reason"], issued_by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request, _("Credit note %(number)s issued.") % {"number": credit.number}
                )
                return HttpResponseRedirect(
                    reverse("admin:members_invoice_change", args=[credit.pk])
                )
        title = _("Credit invoice %(number)s") % {"number": invoice.number}
        return self._form_page(request, invoice, form, title)

    def renew_view(self, request):
        """Issue the next year's memberships and invoices in bulk."""
        if not request.user.has_perm("members.add_invoice"):
            raise PermissionDenied
        form = RenewalForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            invoices = services.renewals_issue(
                year=form.cleaned_data["year"], issued_by=request.user
            )
            self.message_user(
                request, _("%(count)d renewal invoices issued.") % {"count": len(invoices)}
            )
            return HttpResponseRedirect(reverse("admin:members_invoice_changelist"))
        return self._form_page(request, None, form, _("Issue the renewal invoices of a year"))

    def summary_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dues per year"),
            "opts": self.opts,
            "rows": services.yearly_summary(),
        }
        return TemplateResponse(request, "admin/members/invoice/summary.html", context)

    def ledger_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="dues-ledger.csv"'
        services.ledger_csv(response)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "payment_url": reverse("admin:members_invoice_pay", args=[object_id]),
            "credit_url": reverse("admin:members_invoice_credit", args=[object_id]),
            "print_url": reverse(
                "members:invoice-detail", args=[get_object_or_404(Invoice, pk=object_id).number]
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)


class RenewalForm(forms.Form):
    year = forms.IntegerField(
        label=_("Membership year starting in"), min_value=2000, max_value=2100
    )


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ("invoice", "date", "amount", "method", "reference", "recorded_by")
    list_filter = ("method",)
    search_fields = ("invoice__number", "reference", "invoice__company__trade_name")
    list_select_related = ("invoice", "recorded_by")
    readonly_fields = ("invoice", "recorded_by", "created_at")

    def has_add_permission(self, request):
        return False  # recorded from the invoice, which checks the balance


class ApplicationReviewForm(ReviewForm):
    approve_label = _("Approve: create the company, its membership and invoice, invite")
    reason_help = _("Required to reject; it is emailed to the applicant.")
    reason_needed = _("Say why: the applicant is told.")

    class Meta(ReviewForm.Meta):
        model = Application


@admin.register(Application)
class ApplicationAdmin(ReviewAdmin):
    list_display = ("__str__", "siret", "city", "plan", "contact_email", "status", "created_at")
    list_filter = ("status", "plan")
    search_fields = ("legal_name", "trade_name", "siret", "contact_email")
    list_select_related = ("plan",)
    form = ApplicationReviewForm
    readonly_fields = (
        "legal_name",
        "trade_name",
        "siret",
        "siren",
        "city",
        "website",
        "contact_first_name",
        "contact_last_name",
        "contact_email",
        "contact_phone",
        "contact_role",
        "plan",
        "motivation",
        "consent",
        "status",
        "reason",
        "company",
        "created_at",
        "reviewed_by",
        "reviewed_at",
    )

    def approve(self, request, obj):
        services.application_approve(
            application=obj, reviewer=request.user, site_url=request.build_absolute_uri("/")
        )

    def reject(self, request, obj, reason):
        services.application_reject(application=obj, reviewer=request.user, reason=reason)


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "kind", "company", "to", "subject")
    list_filter = ("kind",)
    search_fields = ("to", "subject", "company__trade_name")
    list_select_related = ("company",)
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
