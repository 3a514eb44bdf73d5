"""Help on a list that its filters emptied: each filter the visitor set, to remove, with
the number of results the list would then have."""

import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _

from .pagination import count_up_to

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


def filters_to_remove(params, filterset, *, build, cap=None):
    """Return, for each filter set in ``params`` (a QueryDict) that the valid
    ``filterset`` applies, ``{"label", "value", "query", "count", "capped"}``: the
    filter's label and value as shown, the query string of the same list without it (on
    its first page), and its number of results, counted up to ``cap`` if given
    (``capped`` past it). ``build(params)`` returns the filterset of other parameters.
    One count a filter: for an empty list only."""
    data = filterset.form.cleaned_data
    found = []
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if name in ORDER_FILTERS or name not in params or value is None:
            continue
        shown = _shown(field, value)
        if not shown:  # set to nothing ("", no sector): nothing to remove
            continue
        others = params.copy()
        others.pop(name, None)
        others.pop("page", None)
        without = build(others)
        if not without.is_valid():
            continue
        count = count_up_to(without.qs, cap)
        capped = cap is not None and count > cap
        found.append(
            {
                "label": field.label,
                "value": shown,
                "query": others.urlencode(),
                "count": cap if capped else count,
                "capped": capped,
            }
        )
    return found
