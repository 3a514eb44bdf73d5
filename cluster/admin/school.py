"""The school in the admin: programmes, students (for staff allowed to see them) and
placements, with the placement statistics."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.admin import AllOrNothingImportAdmin
from members.admin.columns import period

from .. import services
from ..models import Placement, Programme, Student
from ..resources import StudentResource

HIDDEN = "—"


def can_view_students(user):
    """Say whether this user may see students: only staff given ``cluster.view_student``.

    Django lets the change permission imply the view permission; students are personal
    data, so here the view permission is required in every case.
    """
    return user.has_perm("cluster.view_student")


class StudentWritesMixin:
    """Only staff who may see students may add, change or delete what names them."""

    def has_add_permission(self, request):
        return can_view_students(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return can_view_students(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can_view_students(request.user) and super().has_delete_permission(request, obj)


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = (
        "title",
        "title_en",
        "level",
        "training_type",
        "duration_months",
        "student_count",
    )
    list_filter = ("training_type", "level")
    search_fields = ("title", "title_en", "level")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(student_count=Count("students"))

    @admin.display(description=_("students"), ordering="student_count")
    def student_count(self, obj):
        return obj.student_count


class PlacementInline(admin.TabularInline):
    """A student's placements, shown on their page; recorded from the placements' admin."""

    model = Placement
    extra = 0
    fields = ("kind", "company", "start", "end", "tutor", "weekly_hours", "hourly_stipend")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        # Recorded on their own form: here a new student has no id yet, and the
        # internship rules, which look at the student's other placements, would be skipped.
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Student)
class StudentAdmin(StudentWritesMixin, AllOrNothingImportAdmin):
    resource_classes = [StudentResource]
    list_display = (
        "last_name",
        "first_name",
        "email",
        "programme",
        "cohort_year",
        "status",
        "status_changed_on",
        "anonymised_on",
    )
    list_display_links = ("last_name", "first_name")
    list_filter = ("programme", "programme__training_type", "cohort_year", "status")
    search_fields = ("last_name", "first_name", "email")
    list_select_related = ("programme",)
    readonly_fields = ("anonymised_on",)
    inlines = [PlacementInline]
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "email")}),
        (
            _("Studies"),
            {"fields": ("programme", "cohort_year", "status", "status_changed_on")},
        ),
        (_("Consent"), {"fields": ("consent_share_with_companies", "consent_news")}),
        (_("Record"), {"fields": ("anonymised_on",), "classes": ("collapse",)}),
    )

    def has_view_permission(self, request, obj=None):
        return can_view_students(request.user)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def save_model(self, request, obj, form, change):
        services.student_date_status(obj)
        super().save_model(request, obj, form, change)


@admin.register(Placement)
class PlacementAdmin(StudentWritesMixin, SimpleHistoryAdmin):
    """Placements for staff who may view them; the student's name only with view_student.

    A placement's own pages (form, history, deletion) are about one named student, so
    they need view_student too; without it, staff see the list and the statistics.
    """

    list_display = (
        "student_name",
        "programme",
        "company",
        "kind",
        period,
        "weekly_hours",
        "hourly_stipend",
    )
    list_filter = (
        "kind",
        "student__programme__training_type",
        "student__programme",
        "student__cohort_year",
    )
    search_fields = ("student__last_name", "student__first_name", "company__trade_name", "tutor")
    list_select_related = ("student", "student__programme", "company")
    date_hierarchy = "start"
    autocomplete_fields = ("student", "company", "offer")
    change_list_template = "admin/cluster/placement/change_list.html"
    fields = (
        "student",
        "company",
        "offer",
        "kind",
        "start",
        "end",
        "tutor",
        "weekly_hours",
        "hourly_stipend",
    )

    def get_list_display(self, request):
        if can_view_students(request.user):
            return self.list_display
        return ("student_hidden", *self.list_display[1:])

    def get_list_display_links(self, request, list_display):
        if can_view_students(request.user):
            return ("student_name",)
        return None  # no link: a placement's page is about a named student

    def get_search_fields(self, request):
        if can_view_students(request.user):
            return self.search_fields
        return tuple(field for field in self.search_fields if not field.startswith("student__"))

    def has_view_permission(self, request, obj=None):
        if obj is not None and not can_view_students(request.user):
            return False
        return super().has_view_permission(request, obj)

    @admin.display(description=_("student"), ordering="student__last_name")
    def student_name(self, obj):
        return str(obj.student)

    @admin.display(description=_("student"))
    def student_hidden(self, obj):
        return HIDDEN

    @admin.display(description=_("programme"), ordering="student__programme__title")
    def programme(self, obj):
        return obj.student.programme

    def get_urls(self):
        return [
            path(
                "statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="cluster_placement_statistics",
            ),
            *super().get_urls(),
        ]

    def statistics_view(self, request):
        """Show the placements by company, by programme and by school year."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Placement statistics"),
            "opts": self.opts,
            **services.placement_statistics(),
        }
        return TemplateResponse(request, "admin/cluster/placement/statistics.html", context)
