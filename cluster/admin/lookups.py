"""Change lists that refuse lookup values the database cannot read, instead of a 500.

Django's admin lets a query string filter a change list by any field of the model
(``?ip_address__exact=abc``, ``?id__exact=99999999999999999999``) and drill down by date
(``?start__year=99999999999``). Values that PostgreSQL cannot parse, or that overflow
Python's dates, fail while the page is drawn. ``CheckedChangeList`` checks each value with
its field first, and an unreadable one gives the admin's "?e=1" page, as a wrong field does.
It serves every registered ModelAdmin, the third-party ones too (``use_checked_change_lists``,
called by ClusterConfig.ready once the admin modules are loaded).
"""

import functools

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError

# Lookups whose value is a value of the field itself (or a list of them).
VALUE_LOOKUPS = {"", "exact", "iexact", "gt", "gte", "lt", "lte"}
LIST_LOOKUPS = {"in", "range"}
DATE_PARTS = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}


def _split(model, key):
    """Return (field, lookup) for a lookup key, or (None, "") when it names no field."""
    parts = key.split("__")
    for cut in range(len(parts), 0, -1):
        try:
            field = get_fields_from_path(model, "__".join(parts[:cut]))[-1]
        except (FieldDoesNotExist, NotRelationField, AttributeError, IndexError):
            continue
        return field, "__".join(parts[cut:])
    return None, ""


def _check_value(field, value):
    if getattr(field, "is_relation", False):
        # A relation is filtered by the primary key (or to_field) of what it points to.
        field = getattr(field, "target_field", None)
    if not hasattr(field, "to_python"):
        return
    python = field.to_python(value)
    if python not in (None, ""):
        field.run_validators(python)


def check_lookup(model, key, value):
    """Raise IncorrectLookupParameters when ``value`` cannot be read for lookup ``key``."""
    field, lookup = _split(model, key)
    if field is None:
        return  # Django itself refuses a key that names no field
    try:
        if lookup in DATE_PARTS:
            low, high = DATE_PARTS[lookup]
            if not low <= int(value) <= high:
                raise ValueError(f"{lookup} out of range")
        elif lookup in VALUE_LOOKUPS:
            _check_value(field, value)
        elif lookup in LIST_LOOKUPS:
            for item in value.split(","):
                _check_value(field, item)
    except (ValidationError, ValueError, TypeError, OverflowError) as error:
        raise IncorrectLookupParameters(error) from error


class CheckedFilters:
    """A change-list mixin: check each filter value before the query is built."""

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        for key, values in lookup_params.items():
            for value in values:
                check_lookup(self.model, key, value)
        return lookup_params


class CheckedChangeList(CheckedFilters, ChangeList):
    pass


@functools.cache
def checked(change_list: type[ChangeList]) -> type[ChangeList]:
    """Return ``change_list`` with its filter values checked (one class per base)."""
    if issubclass(change_list, CheckedFilters):
        return change_list
    return type(f"Checked{change_list.__name__}", (CheckedFilters, change_list), {})


def use_checked_change_lists(site):
    """Make every ModelAdmin registered on ``site`` draw a checked change list, its own
    change list class included (the company admin's ranked one, for example)."""
    for model_admin in site._registry.values():
        own = model_admin.get_changelist

        def get_changelist(request, _own=own, **kwargs):
            return checked(_own(request, **kwargs))

        model_admin.get_changelist = get_changelist
