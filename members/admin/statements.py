"""Bank statements in the admin: upload one, then confirm its proposed matches on one
screen, where the lines left unmatched stay listed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ..bank_files import MAX_STATEMENT_BYTES
from ..models import BankStatement, StatementLine
from ..services import statements

CONFIRM_PERMISSION = "members.change_statementline"


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Statement file"),
        help_text=_("CAMT.053 (XML) or OFX, as downloaded from the bank; at most 20 MB."),
    )


@admin.register(BankStatement)
class BankStatementAdmin(admin.ModelAdmin):
    list_display = ("filename", "format", "account", "imported_at", "imported_by")
    list_select_related = ("imported_by",)
    readonly_fields = ("filename", "format", "account", "imported_at", "imported_by")
    change_list_template = "admin/members/bankstatement/change_list.html"

    def has_add_permission(self, request):
        return False  # through the upload page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="members_bankstatement_upload"),
            path(
                "<int:pk>/matches/", wrap(self.matches_view), name="members_bankstatement_matches"
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_upload": request.user.has_perm("members.add_bankstatement"),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(
            reverse("admin:members_bankstatement_matches", args=[object_id])
        )

    def upload_view(self, request):
        if not request.user.has_perm("members.add_bankstatement"):
            raise PermissionDenied
        form = StatementUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                statement, added = statements.statement_import(
                    data=uploaded.read(MAX_STATEMENT_BYTES + 1),
                    filename=uploaded.name,
                    imported_by=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                if statement is None:
                    self.message_user(
                        request,
                        _("This statement was already imported: nothing was added."),
                        messages.WARNING,
                    )
                    return HttpResponseRedirect(reverse("admin:members_bankstatement_changelist"))
                self.message_user(
                    request, _("%(count)d lines imported.") % {"count": added}, messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:members_bankstatement_matches", args=[statement.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload a bank statement"),
            "intro": _(
                "Each credit is matched to an open invoice by the number in its reference, "
                "then by its amount and the payer's IBAN or name; you confirm the matches "
                "on the next screen."
            ),
            "form": form,
            "submit_label": _("Upload"),
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/members/sepa/form.html", context)

    def matches_view(self, request, pk):
        """The proposed matches, each ticked, and the lines that match nothing."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        statement = get_object_or_404(BankStatement, pk=pk)
        lines = statement.lines.select_related(
            "invoice", "invoice__company", "debit", "debit__invoice", "debit_file"
        )
        can_confirm = request.user.has_perm(CONFIRM_PERMISSION)
        if request.method == "POST":
            if not can_confirm:
                raise PermissionDenied
            chosen = lines.proposed().filter(pk__in=request.POST.getlist("line"))
            done, problems = statements.statement_lines_confirm(
                lines=list(chosen), confirmed_by=request.user
            )
            if done:
                self.message_user(
                    request,
                    _("%(count)d matches confirmed and recorded.") % {"count": done},
                    messages.SUCCESS,
                )
            for problem in problems:
                self.message_user(request, problem, messages.ERROR)
            if not done and not problems:
                self.message_user(request, _("No match was ticked."), messages.WARNING)
            return HttpResponseRedirect(request.path)
        lines = list(lines)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Matches of %(statement)s") % {"statement": statement},
            "opts": self.opts,
            "statement": statement,
            "proposed": [line for line in lines if line.status == StatementLine.Status.PROPOSED],
            "unmatched": [line for line in lines if line.status == StatementLine.Status.UNMATCHED],
            "confirmed": [line for line in lines if line.status == StatementLine.Status.CONFIRMED],
            "can_confirm": can_confirm,
        }
        return TemplateResponse(request, "admin/members/bankstatement/matches.html", context)


@admin.register(StatementLine)
class StatementLineAdmin(admin.ModelAdmin):
    list_display = ("booking_date", "amount", "name", "reference", "status", "match", "invoice")
    list_filter = ("status", "match")
    search_fields = ("name", "reference", "end_to_end_id", "invoice__number")
    list_select_related = ("invoice",)
    date_hierarchy = "booking_date"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in StatementLine._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
