import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from members.thumbnails import thumbnail_url
from members.towns import town_label

register = template.Library()


@register.filter
def thumbnail(logo, size="small"):
    """Return the URL of a logo's thumbnail ("small" or "large"), or "" without one."""
    return thumbnail_url(logo, size) or ""


@register.filter
def town(name):
    """Return a town as pages in the visitor's language write it ("Barcelone" in French)."""
    return town_label(name)


@register.filter
def getlist(query_dict, key):
    """Return every value of ``key`` in a QueryDict (``request.GET|getlist:"sector"``)."""
    return query_dict.getlist(key)


@register.filter
def has_filters(query_dict):
    """Return whether a query string filters (anything but the page number and the words
    searched, whose box is always in sight).

    The filter panels start open then, and folded on phones otherwise.
    """
    return any(value.strip() for key, value in query_dict.items() if key not in {"page", "q"})


@register.filter
def organization_json_ld(company, request):
    """Return the schema.org Organization of a company as a JSON-LD script element."""
    site = f"{request.scheme}://{request.get_host()}"
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": company.display_name,
        "legalName": company.legal_name,
        "url": site + company.get_absolute_url(),
        "description": company.description,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": company.street,
            "postalCode": company.postcode,
            "addressLocality": company.city,
            "addressCountry": company.country,
        },
    }
    if company.website:
        data["sameAs"] = [company.website]
    if company.siret:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "SIRET",
            "value": company.siret,
        }
    logo = thumbnail_url(company.logo, "large")
    if logo:
        data["logo"] = site + logo
    payload = json.dumps(data, ensure_ascii=False)
    # Escape what could close the script element; JSON-LD is data, never executed.
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag
def my_space_tabs(company):
    """Return the extra tabs of the representatives' space, with their URLs."""
    from django.urls import reverse

    from members.my_space import tabs

    return [{**tab, "url": reverse(tab["url_name"], args=[company.slug])} for tab in tabs()]
