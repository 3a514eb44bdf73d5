"""Bulk staff actions that show what they will do before they do it.

``confirmed_action`` turns a preview and a perform function into an admin action: the
first click shows a page listing what will change (and what will be left alone, and why),
with a total where it means something; nothing changes until staff confirm. Performing is
idempotent: confirming twice, or two staff confirming at once, does the work once, and
the second is told that there was nothing left to do.
"""

from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.template.response import TemplateResponse


@dataclass
class Preview:
    """What a bulk action will do: ``rows`` of cells under ``columns``, the items it leaves
    alone as ``(item, why)`` pairs, and an optional ``total``."""

    title: str
    intro: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    refused: list[tuple] = field(default_factory=list)
    total: str = ""
    empty: str = ""
    confirm_label: str = ""


def confirmation_page(request, modeladmin, preview, *, hidden=(), form=None):
    """Render the confirmation page of a bulk action; ``hidden`` are ``(name, value)``
    pairs posted back with the confirmation."""
    return TemplateResponse(
        request,
        "admin/confirm.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": preview.title,
            "intro": preview.intro,
            "columns": preview.columns,
            "rows": preview.rows,
            "refused": preview.refused,
            "total": preview.total,
            "empty": preview.empty,
            "confirm_label": preview.confirm_label,
            "hidden": hidden,
            "form": form,
        },
    )


def confirmed_action(*, description, preview, perform, permissions=("change",), form_class=None):
    """Return an admin action that previews, then performs on confirmation.

    ``preview(queryset)`` returns a ``Preview``; ``perform(request, queryset, data)``
    does the work (``data`` is the cleaned form, if any) and returns ``(level, message)``.
    """

    @admin.action(description=description, permissions=list(permissions))
    def action(modeladmin, request, queryset):
        form = None
        if form_class is not None:
            form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and (form is None or form.is_valid()):
            level, message = perform(request, queryset, form.cleaned_data if form else {})
            modeladmin.message_user(request, message, level)
            return None
        hidden = [("action", action.__name__)] + [
            (admin.helpers.ACTION_CHECKBOX_NAME, pk) for pk in queryset.values_list("pk", flat=True)
        ]
        return confirmation_page(request, modeladmin, preview(queryset), hidden=hidden, form=form)

    action.__name__ = perform.__name__.removeprefix("perform_")
    return action


def done(count, message_done, message_nothing):
    """Return the message of a performed action: what it did, or that nothing was left."""
    if count:
        return messages.SUCCESS, message_done % {"count": count}
    return messages.WARNING, message_nothing
