"""Tabs of the representatives' space that other apps add (the incubator's KPIs), so
that members never imports them: each app registers its URL name and label."""

_tabs = []


def register_tab(*, key, url_name, label):
    """Add a tab whose URL takes the company's slug (``url_name`` reversed with it)."""
    _tabs.append({"key": key, "url_name": url_name, "label": label})


def tabs():
    return list(_tabs)
