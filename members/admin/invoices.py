"""Invoices and payments in the admin, with the dues tools: payments, credit notes,
renewals (previewed), the dues per year and the ledger."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..csv_export import csv_response, variant_of
from ..fields import BoundedDateFormField
from ..forms import DateInput
from ..invoice_document import euros
from ..models import (
    Invoice,
    Payment,
    PaymentStatus,
)
from ..money import money
from ..services.fec import fec_export, fec_filename, fiscal_year
from ..services.renewals import renewals_due
from .confirm import Preview, confirmation_page, done
from .direct_debits import collect_invoices, has_collect_permission


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (€)"), max_digits=10, decimal_places=2)
    date = BoundedDateFormField(label=_("Date"), widget=DateInput())
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


class PaymentStatusFilter(admin.SimpleListFilter):
    """The status the list computes (``with_balance``), as ``?payment_status=overdue``."""

    title = _("status")
    parameter_name = "payment_status"

    def lookups(self, request, model_admin):
        return PaymentStatus.choices

    def queryset(self, request, queryset):
        if self.value() in PaymentStatus.values:
            return queryset.filter(payment_status=self.value())
        return queryset


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
    list_filter = ("year", "kind", PaymentStatusFilter)
    search_fields = ("number", "company__trade_name", "buyer_name")
    list_select_related = ("company",)
    inlines = [PaymentInline]
    actions = [collect_invoices]
    has_collect_permission = has_collect_permission
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
        return PaymentStatus(obj.payment_status).label

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("summary/", wrap(self.summary_view), name="members_invoice_summary"),
            path("ledger.csv", wrap(self.ledger_view), name="members_invoice_ledger"),
            path("renew/", wrap(self.renew_view), name="members_invoice_renew"),
            path("fec/", wrap(self.fec_view), name="members_invoice_fec"),
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
        """Issue the next year's memberships and invoices in bulk: the year, then the list
        of what will be issued with its total, then, once confirmed, the invoices."""
        if not request.user.has_perm("members.add_invoice"):
            raise PermissionDenied
        form = RenewalForm(request.POST or request.GET or None)
        if not form.is_valid():
            return self._form_page(request, None, form, _("Issue the renewal invoices of a year"))
        year = form.cleaned_data["year"]
        if request.method == "POST" and "apply" in request.POST:
            try:
                invoices = services.renewals_issue(year=year, issued_by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                level, message = done(
                    len(invoices),
                    _("%(count)d renewal invoices issued and emailed."),
                    _("The renewals of %(year)d were already issued: nothing more to issue.")
                    % {"year": year},
                )
                self.message_user(request, message, level)
            return HttpResponseRedirect(reverse("admin:members_invoice_changelist"))
        due = list(renewals_due(year).order_by("company__legal_name"))
        total = sum((money(m.plan.annual_fee) for m in due), Decimal("0.00"))
        preview = Preview(
            title=_("Renewals of %(year)d") % {"year": year},
            intro=_(
                "These memberships will be renewed for %(year)d; each company gets its "
                "invoice by email:"
            )
            % {"year": year},
            columns=[_("Company"), _("Plan"), _("Amount before tax")],
            rows=[[m.company, m.plan, euros(money(m.plan.annual_fee))] for m in due],
            total=euros(total) if due else "",
            empty=_("Nothing to renew for %(year)d: every member already has its membership.")
            % {"year": year},
            confirm_label=_("Issue and email the %(count)d invoices") % {"count": len(due)},
        )
        return confirmation_page(request, self, preview, hidden=[("year", year)])

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
        return csv_response("dues-ledger.csv", services.ledger_rows(), variant_of(request))

    def fec_view(self, request):
        """The accountant's FEC of a fiscal year or of a date range, as a download.

        Whoever may read payments (accounting, management) may export the accounts."""
        if not request.user.has_perm("members.view_payment"):
            raise PermissionDenied
        form = FecForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            start, end = form.period()
            response = HttpResponse(
                fec_export(start, end), content_type="text/plain; charset=iso-8859-15"
            )
            response["Content-Disposition"] = f'attachment; filename="{fec_filename(end)}"'
            return response
        return self._form_page(request, None, form, _("Accounting entries file (FEC)"))

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


class FecForm(forms.Form):
    """A fiscal year, or a date range with its first and last days."""

    year = forms.IntegerField(
        label=_("Fiscal year starting in"), min_value=2000, max_value=2100, required=False
    )
    start = forms.DateField(label=_("Or from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("to (included)"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        year, start, end = data.get("year"), data.get("start"), data.get("end")
        if self.errors:
            return data
        if year and (start or end):
            raise ValidationError(_("Give either a fiscal year or a date range, not both."))
        if not year:
            if not (start and end):
                raise ValidationError(
                    _("Give a fiscal year, or the first and last days of the period.")
                )
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif (end - start).days > 731:
                self.add_error("end", _("A period covers two years at most."))
        return data

    def period(self):
        """Return the first and last days of the period asked for."""
        if self.cleaned_data["year"]:
            return fiscal_year(self.cleaned_data["year"])
        return self.cleaned_data["start"], self.cleaned_data["end"]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ("invoice", "date", "amount", "method", "reference", "recorded_by")
    list_filter = ("method",)
    search_fields = ("invoice__number", "reference", "invoice__company__trade_name")
    list_select_related = ("invoice", "recorded_by")
    readonly_fields = ("invoice", "recorded_by", "created_at")

    def has_add_permission(self, request):
        return False  # recorded from the invoice, which checks the balance
