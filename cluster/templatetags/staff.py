"""What the admin's home page shows a staff member: their to-do."""

from django import template

from cluster import services

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_todo(context):
    """Return the to-do of the staff member viewing the page (see ``services.todo``)."""
    request = context.get("request")
    if request is None:
        return []
    return services.staff_todo(user=request.user)
