"""SEPA direct debit in the admin: the collect tool (date, preview, file), the files
(downloadable again) and each debit, with the actions that record a settlement or a
rejection."""

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

from ..forms import DateInput
from ..invoice_document import euros
from ..models import DirectDebit, DirectDebitFile
from ..sepa_calendar import earliest_collection_date
from ..services import direct_debits
from .confirm import Preview, confirmation_page, confirmed_action, done

COLLECT_PERMISSION = "members.add_directdebitfile"


class CollectForm(forms.Form):
    collection_date = forms.DateField(label=_("Collection date"), widget=DateInput())

    def clean_collection_date(self):
        day = self.cleaned_data["collection_date"]
        direct_debits.collection_date_check(day)
        return day


class RejectForm(forms.Form):
    rejected_on = forms.DateField(label=_("Rejected on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason given by the bank"), max_length=200, required=False)


def collection_preview(pairs, refused, collection_date=None):
    total = sum((invoice.balance for invoice, _mandate in pairs), Decimal("0.00"))
    intro = _("These invoices will be collected; each debtor is told the amount and the date:")
    if collection_date:
        intro = _(
            "These invoices will be collected on %(date)s; each debtor is told the amount "
            "and the date by email:"
        ) % {"date": collection_date.strftime("%d/%m/%Y")}
    return Preview(
        title=_("Collect by SEPA direct debit"),
        intro=intro,
        columns=[_("Invoice"), _("Company"), _("Mandate"), _("Sequence"), _("Amount")],
        rows=[
            [
                invoice.number,
                invoice.buyer_name,
                mandate.reference,
                mandate.get_sequence_type_display(),
                euros(invoice.balance),
            ]
            for invoice, mandate in pairs
        ],
        refused=refused,
        total=euros(total) if pairs else "",
        empty=_("No invoice to collect: none is open, due and covered by an active mandate."),
        confirm_label=_("Build the SEPA file of %(count)d debits") % {"count": len(pairs)},
    )


def _build(request, invoices, collection_date):
    """Build the file; return ``(level, message)``."""
    try:
        file = direct_debits.direct_debit_file_build(
            invoices=invoices, collection_date=collection_date, built_by=request.user
        )
    except ValidationError as error:
        return messages.ERROR, " ".join(error.messages)
    if file is None:
        return messages.WARNING, _("Nothing to collect: every invoice is paid or in a file.")
    return messages.SUCCESS, _(
        "SEPA file %(id)s built: %(count)d debits, %(total)s, on %(date)s. Debtors are notified."
    ) % {
        "id": file.message_id,
        "count": file.count,
        "total": euros(file.total),
        "date": file.collection_date.strftime("%d/%m/%Y"),
    }


def _preview_selected(queryset):
    kept, refused = direct_debits.collection_split(queryset)
    return collection_preview(kept, [(i.number, why) for i, why in refused])


def perform_collect(request, queryset, data):
    return _build(request, list(queryset), data["collection_date"])


# The invoice list's action: collect the selected invoices (InvoiceAdmin.actions).
collect_invoices = confirmed_action(
    description=_("Collect by SEPA direct debit"),
    preview=_preview_selected,
    perform=perform_collect,
    permissions=("collect",),
    form_class=CollectForm,
)


@admin.register(DirectDebitFile)
class DirectDebitFileAdmin(admin.ModelAdmin):
    list_display = ("message_id", "collection_date", "count", "total", "created_at", "created_by")
    date_hierarchy = "collection_date"
    list_select_related = ("created_by",)
    readonly_fields = (
        "message_id",
        "collection_date",
        "count",
        "total",
        "created_at",
        "created_by",
    )
    change_list_template = "admin/members/directdebitfile/change_list.html"
    change_form_template = "admin/members/directdebitfile/change_form.html"

    def has_add_permission(self, request):
        return False  # built by the collect tool

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("collect/", wrap(self.collect_view), name="members_directdebitfile_collect"),
            path("<int:pk>/xml/", wrap(self.xml_view), name="members_directdebitfile_xml"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_collect": request.user.has_perm(COLLECT_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "xml_url": reverse("admin:members_directdebitfile_xml", args=[object_id]),
            "debits_url": reverse("admin:members_directdebit_changelist")
            + f"?file__id__exact={object_id}",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def xml_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        file = get_object_or_404(DirectDebitFile, pk=pk)
        response = HttpResponse(bytes(file.xml), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
        return response

    def collect_view(self, request):
        """The collection date, then the due invoices it will collect, then the file."""
        if not request.user.has_perm(COLLECT_PERMISSION):
            raise PermissionDenied
        earliest = earliest_collection_date(timezone.localdate())
        form = CollectForm(
            request.POST or request.GET or None, initial={"collection_date": earliest}
        )
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Collect the due invoices by SEPA direct debit"),
                "intro": _(
                    "The earliest collection date is %(date)s: debtors are told the amount "
                    "and date ahead, and the bank needs the file one or two business days "
                    "before."
                )
                % {"date": earliest.strftime("%d/%m/%Y")},
                "form": form,
                "method": "get",
                "submit_label": _("Preview"),
                "opts": self.opts,
            }
            return TemplateResponse(request, "admin/members/sepa/form.html", context)
        day = form.cleaned_data["collection_date"]
        due = direct_debits.due_for_collection(day)
        if request.method == "POST" and "apply" in request.POST:
            level, message = _build(request, [invoice for invoice, _m in due], day)
            self.message_user(request, message, level)
            return HttpResponseRedirect(reverse("admin:members_directdebitfile_changelist"))
        preview = collection_preview(due, [], day)
        return confirmation_page(
            request, self, preview, hidden=[("collection_date", day.isoformat())]
        )


def perform_reject(request, queryset, data):
    count = 0
    for debit in queryset.exclude(status=DirectDebit.Status.REJECTED):
        direct_debits.direct_debit_reject(
            debit=debit, date=data["rejected_on"], reason=data["reason"], recorded_by=request.user
        )
        count += 1
    return done(
        count,
        _("%(count)d debits recorded as rejected: their invoices are open again."),
        _("These debits were already recorded as rejected."),
    )


def perform_settle(request, queryset, data):
    today = timezone.localdate()
    pending = list(
        queryset.filter(
            status=DirectDebit.Status.PENDING, file__collection_date__lte=today
        ).select_related("file")
    )
    for debit in pending:
        direct_debits.direct_debits_collect(
            debits=[debit], date=debit.file.collection_date, recorded_by=request.user
        )
    return done(
        len(pending),
        _("%(count)d debits recorded as collected."),
        _("Nothing to record: only debits being collected, on or after their date, can be."),
    )


def perform_follow_up(request, queryset, data):
    count = queryset.filter(status=DirectDebit.Status.REJECTED, followed_up=False).update(
        followed_up=True
    )
    return done(count, _("%(count)d rejections followed up."), _("Nothing to follow up."))


def _preview_debits(title, intro, confirm):
    def preview(queryset):
        rows = [
            [
                debit.end_to_end_id,
                debit.invoice.buyer_name,
                euros(debit.amount),
                debit.get_status_display(),
            ]
            for debit in queryset.select_related("invoice")
        ]
        return Preview(
            title=title,
            intro=intro,
            columns=[_("Debit"), _("Company"), _("Amount"), _("Status")],
            rows=rows,
            confirm_label=confirm,
            empty=_("No debit selected."),
        )

    return preview


@admin.register(DirectDebit)
class DirectDebitAdmin(SimpleHistoryAdmin):
    list_display = (
        "end_to_end_id",
        "invoice",
        "company",
        "amount",
        "sequence_type",
        "status",
        "rejected_on",
        "followed_up",
    )
    list_filter = ("status", "followed_up", "sequence_type")
    search_fields = ("end_to_end_id", "invoice__number", "invoice__buyer_name")
    list_select_related = ("invoice", "invoice__company", "file")
    readonly_fields = (
        "file",
        "invoice",
        "mandate",
        "sequence_type",
        "amount",
        "end_to_end_id",
        "status",
        "payment",
        "rejected_on",
        "reject_reason",
    )
    fields = (*readonly_fields, "followed_up")
    actions = [
        confirmed_action(
            description=_("Record as rejected by the bank"),
            preview=_preview_debits(
                _("Record rejected debits"),
                _("These debits will be recorded as rejected; their invoices open again:"),
                _("Record the rejection"),
            ),
            perform=perform_reject,
            form_class=RejectForm,
        ),
        confirmed_action(
            description=_("Record as collected (settled by the bank)"),
            preview=_preview_debits(
                _("Record collected debits"),
                _("A payment by direct debit will be recorded on each invoice:"),
                _("Record the payments"),
            ),
            perform=perform_settle,
        ),
        confirmed_action(
            description=_("Mark the rejections as followed up"),
            preview=_preview_debits(
                _("Follow up rejections"),
                _("These rejections leave the staff's to-do:"),
                _("Mark as followed up"),
            ),
            perform=perform_follow_up,
        ),
    ]

    @admin.display(description=_("company"), ordering="invoice__buyer_name")
    def company(self, obj):
        return obj.invoice.company

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def has_collect_permission(modeladmin, request):
    """Whether this staff member may build SEPA files (the invoice list's action)."""
    return request.user.has_perm(COLLECT_PERMISSION)
