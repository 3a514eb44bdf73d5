"""Help on a list that its filters emptied: each filter the visitor set, to remove, with
the number of results the list would then have."""

import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _

from .pagination import capped_count

# Filters that order the list: removing one never brings a result back.
ORDER_FILTERS = {"sort"}


def _shown(field, value):
    """Return a filter's value as the filter panel shows it."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(item) for item in value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value).strip()


def filters_to_remove(params, filterset, *, results, cap=None):
    """Return, for each filter set in ``params`` (a QueryDict) that the valid
    ``filterset`` applies, ``{"label", "value", "query", "count", "capped"}``: the
    filter's label and value as shown, the query string of the same list without it (on
    its first page), and its number of results, ``results(params)`` (None when those
    parameters are not valid), shown up to ``cap`` if given (``capped`` past it).

    Only when two filters or more are set: without the only one, the list is whole (the
    empty state's own link). One count a filter, for an empty list only."""
    data = filterset.form.cleaned_data
    set_filters = []
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if name in ORDER_FILTERS or name not in params or value is None:
            continue
        shown = _shown(field, value)
        if shown:  # set to nothing ("", no sector): nothing to remove
            set_filters.append((name, field.label, shown))
    if len(set_filters) < 2:
        return []
    found = []
    for name, label, shown in set_filters:
        others = params.copy()
        others.pop(name, None)
        others.pop("page", None)
        count = results(others)
        if count is not None:
            found.append(
                {
                    "label": label,
                    "value": shown,
                    "query": others.urlencode(),
                    **capped_count(count, cap),
                }
            )
    return found
