"""The rent run in the admin: a month, then the invoices it will issue with their total,
then, once confirmed, the invoices (the renewals' preview and confirmation)."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin.confirm import Preview, confirmation_page, done
from members.forms import DateInput
from members.invoice_document import euros
from members.periods import format_period, human_date

from ..billing_periods import parse_month
from ..models import Lease, RentIndex, RentRevision
from ..services.deposits import deposit_return
from ..services.rent import rent_due, rent_invoices_issue


@admin.register(RentIndex)
class RentIndexAdmin(SimpleHistoryAdmin):
    """The ILAT and ILC values, entered by staff each quarter as INSEE publishes them."""

    list_display = ("__str__", "kind", "year", "quarter", "value", "entered_by")
    list_select_related = ("entered_by",)
    change_list_template = "admin/startups/rentindex/change_list.html"
    list_filter = ("kind", "year")
    fields = ("kind", "year", "quarter", "value")

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


class RevisionInline(admin.TabularInline):
    """The rent revisions a run applied; they are computed, never typed in."""

    model = RentRevision
    extra = 0
    fields = ("effective", "old_rent", "old_index", "new_index", "new_rent", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RentRunForm(forms.Form):
    period = forms.CharField(
        label=_("Month"), max_length=7, help_text=_("As YYYY-MM, for example 2027-01.")
    )

    def clean_period(self):
        return parse_month(self.cleaned_data["period"])


def rent_preview(month, period_text):
    due, refused = rent_due(month)
    rows, total = [], Decimal("0.00")
    for each in due:
        excl, vat, incl = each.amounts
        total += incl
        rows.append(
            [
                each.lease.company,
                each.lease.office,
                format_period(each.start, each.end, "SHORT_DATE_FORMAT"),
                euros(excl),
                euros(vat),
                euros(incl),
            ]
        )
    return Preview(
        title=_("Rent of %(period)s") % {"period": period_text},
        intro=_("These rent invoices will be issued, numbered and emailed to each tenant:"),
        columns=[
            _("Tenant"),
            _("Office"),
            _("Period"),
            _("Before tax"),
            _("VAT"),
            _("After tax"),
        ],
        rows=rows,
        refused=refused,
        total=euros(total) if rows else "",
        empty=_("Nothing to invoice for %(period)s: every lease is already invoiced.")
        % {"period": period_text},
        confirm_label=_("Issue and email the %(count)d invoices") % {"count": len(rows)},
    )


def issue_rent_view(modeladmin, request):
    """Issue a month's rent: the month, the preview, then the invoices once confirmed."""
    if not request.user.has_perm("members.add_invoice"):
        raise PermissionDenied
    form = RentRunForm(request.POST or request.GET or None)
    if not form.is_valid():
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Issue the rent invoices of a month"),
            "form": form,
            "opts": modeladmin.opts,
        }
        return TemplateResponse(request, "admin/startups/lease/form.html", context)
    month = form.cleaned_data["period"]
    period_text = month.strftime("%Y-%m")
    if request.method == "POST" and "apply" in request.POST:
        try:
            invoices, _refused = rent_invoices_issue(month=month, issued_by=request.user)
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            level, message = done(
                len(invoices),
                _("%(count)d rent invoices issued and emailed."),
                _("The rent of %(period)s was already issued: nothing more to issue.")
                % {"period": period_text},
            )
            modeladmin.message_user(request, message, level)
        return HttpResponseRedirect(reverse("admin:members_invoice_changelist"))
    preview = rent_preview(month, period_text)
    return confirmation_page(request, modeladmin, preview, hidden=[("period", period_text)])


class DepositReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput())
    amount = forms.DecimalField(label=_("Amount returned (€)"), max_digits=10, decimal_places=2)
    reason = forms.CharField(
        label=_("Why part of it is kept"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def deposit_state(lease):
    """Return, for the lease's page, the deposit's return or the link to record it."""
    if lease.pk is None:
        return "—"
    if lease.deposit_returned_on:
        return _("%(amount)s on %(date)s") % {
            "amount": euros(lease.deposit_returned),
            "date": human_date(lease.deposit_returned_on),
        }
    url = reverse("admin:startups_lease_deposit_return", args=[lease.pk])
    return format_html('<a href="{}">{}</a>', url, _("Record the deposit's return"))


def deposit_return_view(modeladmin, request, pk):
    """Record the return of an ended lease's deposit, in full or in part."""
    lease = get_object_or_404(Lease.objects.select_related("office", "company"), pk=pk)
    if not modeladmin.has_change_permission(request, lease):
        raise PermissionDenied
    form = DepositReturnForm(
        request.POST or None,
        initial={"returned_on": timezone.localdate(), "amount": lease.deposit},
    )
    if request.method == "POST" and form.is_valid():
        try:
            deposit_return(lease=lease, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            modeladmin.message_user(request, _("Deposit return recorded."))
            return HttpResponseRedirect(reverse("admin:startups_lease_change", args=[pk]))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Return the deposit of %(lease)s (%(deposit)s)")
        % {"lease": lease, "deposit": euros(lease.deposit)},
        "form": form,
        "opts": modeladmin.opts,
        "method": "post",
    }
    return TemplateResponse(request, "admin/startups/lease/form.html", context)
