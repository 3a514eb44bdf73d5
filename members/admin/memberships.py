"""Plans and memberships in the admin: invoices issued in bulk, resignations and
reinstatements, each after a page that shows what will change."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..invoice_document import euros
from ..models import (
    Membership,
    MembershipPlan,
)
from ..periods import format_period
from ..services import memberships as memberships_
from .columns import period
from .confirm import Preview, confirmed_action, done


class StartYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Membership.objects.dates("start", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(start__year=int(value)) if value and value.isdigit() else queryset


@admin.register(MembershipPlan)
class MembershipPlanAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "name_en",
        "organisation_kind",
        "annual_fee",
        "vat_applies",
        "vat_rate",
        "active",
    )
    list_filter = ("organisation_kind", "active", "vat_applies")
    search_fields = ("name", "name_en")


def preview_invoices(queryset):
    memberships = list(queryset.select_related("company", "plan").order_by("company__legal_name"))
    invoiced = services.invoiced_memberships(memberships)
    rows, total = [], Decimal("0.00")
    for membership in memberships:
        if membership.pk in invoiced:
            continue
        incl = services.dues_amounts(membership)[3]
        total += incl
        rows.append(
            [
                membership.company,
                membership.plan,
                format_period(membership.start, membership.end),
                euros(incl),
            ]
        )
    return Preview(
        title=_("Issue invoices"),
        intro=_("These invoices will be issued, numbered and emailed to each company:"),
        columns=[_("Company"), _("Plan"), _("Period"), _("Amount after tax")],
        rows=rows,
        refused=[(m.company, _("already invoiced")) for m in memberships if m.pk in invoiced],
        total=euros(total) if rows else "",
        empty=_("Every selected membership is already invoiced: nothing to issue."),
        confirm_label=_("Issue and email the invoices"),
    )


def perform_issue_invoices(request, queryset, data):
    pending = [m for m in queryset if m.pk not in services.invoiced_memberships(queryset)]
    try:
        invoices = (
            services.invoices_issue(memberships=pending, issued_by=request.user) if pending else []
        )
    except ValidationError as error:
        return messages.ERROR, " ".join(error.messages)
    return done(
        len(invoices),
        _("%(count)d invoices issued and emailed."),
        _("These memberships were already invoiced: nothing was issued."),
    )


issue_invoices = confirmed_action(
    description=_("Issue the invoice of the selected memberships"),
    preview=preview_invoices,
    perform=perform_issue_invoices,
    permissions=["add"],
)


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in each membership's history."),
    )


def transition_action(trigger, *, description, title, intro, done_message):
    """Return an admin action that moves the selected memberships along ``trigger``,
    after a page that shows which will change and which cannot, and asks why."""

    def preview(queryset):
        memberships = list(queryset.select_related("company").order_by("company__legal_name"))
        allowed = [m for m in memberships if memberships_.transition_allowed(m.status, trigger)]
        return Preview(
            title=title,
            intro=intro,
            columns=[_("Company"), _("Period"), _("Status")],
            rows=[
                [m.company, format_period(m.start, m.end), m.get_status_display()] for m in allowed
            ],
            refused=[
                (
                    m,
                    _("its status (%(status)s) does not allow it")
                    % {"status": m.get_status_display()},
                )
                for m in memberships
                if m not in allowed
            ],
            empty=_("No selected membership can change this way."),
            confirm_label=_("Confirm"),
        )

    class Form(TransitionForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["reason"].required = trigger in memberships_.REASON_REQUIRED

    def perform(request, queryset, data):
        moved = 0
        for membership in queryset.order_by("pk"):
            if memberships_.transition_allowed(membership.status, trigger):
                memberships_.membership_transition(
                    membership=membership, trigger=trigger, by=request.user, reason=data["reason"]
                )
                moved += 1
        return done(moved, done_message, _("Nothing changed: no membership could."))

    perform.__name__ = f"perform_{trigger}_memberships"
    return confirmed_action(
        description=description, preview=preview, perform=perform, form_class=Form
    )


resign_memberships = transition_action(
    memberships_.Trigger.RESIGNED,
    description=_("Record the resignation of the selected memberships"),
    title=_("Record resignations"),
    intro=_("These memberships will be resigned from today:"),
    done_message=_("%(count)d memberships resigned."),
)


reinstate_memberships = transition_action(
    memberships_.Trigger.REINSTATED,
    description=_("Reinstate the selected memberships"),
    title=_("Reinstate memberships"),
    intro=_("These memberships will be active again:"),
    done_message=_("%(count)d memberships reinstated."),
)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    """Memberships: the status changes only through the actions, never by hand."""

    list_display = ("company", period, "plan", "fee", "status", "status_since")
    list_filter = ("status", StartYearFilter, "plan")
    search_fields = ("company__trade_name", "company__legal_name")
    autocomplete_fields = ("company",)
    list_select_related = ("company", "plan")
    readonly_fields = ("status", "status_since")
    actions = [issue_invoices, resign_memberships, reinstate_memberships]
    date_hierarchy = "start"
