"""What several security tests share: valid form data for the representatives' space (so
that a refusal is never just a form error), a snapshot of everything an attack on a
company could change, and a site whose every public text is an XSS payload."""

from datetime import timedelta

from django.utils import timezone

from cluster.models import Registration
from members import services
from members.models import Company, Contact, Offer, Sector
from startups.models import Building, Incubation, Office, Programme
from tests.members.factories import CompanyFactory, OfferFactory


def offer_data(**changes):
    """Return a valid offer form's data, with ``changes``."""
    today = timezone.localdate()
    data = {
        "title": "Stage en animation 3D",
        "description_fr": "Rejoignez notre studio.",
        "description_en": "Join our studio.",
        "kind": "internship",
        "start_date": (today + timedelta(days=30)).isoformat(),
        "duration_months": "6",
        "place": "Le Soler",
        "remote": "partly",
        "monthly_stipend": "650.00",
        "expires_on": (today + timedelta(days=20)).isoformat(),
    }
    data.update(changes)
    return data


def kpi_data(**changes):
    """Return a valid KPI form's data for today, with ``changes``."""
    data = {
        "date": timezone.localdate().isoformat(),
        "headcount": 5,
        "revenue": "12000",
        "funds_raised": "50000",
        "jobs_created": 2,
    }
    data.update(changes)
    return data


def company_state(company):
    """Return everything about ``company`` that a representative's action could change."""
    company.refresh_from_db()
    return (
        services.profile_values(company),
        list(company.contacts.values_list("pk", "first_name", "last_name", "public_consent")),
        list(company.offers.values_list("pk", "title", "status", "description_fr")),
        list(company.incubations.values_list("kpis__date", "kpis__headcount")),
        company.revisions.count(),
        company.invitations.count(),
        company.representatives.count(),
        list(company.organised_events.values_list("pk", "title_fr", "status")),
        Registration.objects.of_company(company).count(),
    )


# --- XSS: a site whose every public text is a payload ---------------------------------------

# Each payload sets window.__xss and calls alert(1) if a browser ever runs it.
XSS_PAYLOADS = {
    "script": "<script>window.__xss=1;alert(1)</script>",
    "img-onerror": '"><img src=x onerror="window.__xss=1;alert(1)">',
    "close-script": "</script><script>window.__xss=1;alert(1)</script>",
    "attribute": "' onmouseover='window.__xss=1;alert(1)' autofocus onfocus='window.__xss=1'",
    "template": "{{ 7*7 }}",
}
# For fields too short for the payloads above.
SHORT_XSS_PAYLOADS = ("<svg/onload=__xss=1>", '"><script>')


def fit(payload, max_length):
    """Return ``payload``, or the longest short payload that fits in ``max_length``."""
    if max_length is None or len(payload) <= max_length:
        return payload
    return next(short for short in SHORT_XSS_PAYLOADS if len(short) <= max_length)


def xss_url(payload):
    """Return a URL that URLValidator accepts and that carries the payload in its path."""
    return "https://example.org/" + payload.replace(" ", "/")


def xss_email(payload):
    """Return an address that EmailValidator accepts (a quoted local part) with the payload."""
    return '"' + payload.replace('"', "'").replace(" ", "/") + '"@example.org'


def xss_values(model, payload, *fields):
    """Return the payload, fitted to each field, for ``fields`` of ``model``."""
    return {name: fit(payload, model._meta.get_field(name).max_length) for name in fields}


def hostile_company(key, payload):
    """Create a public start-up whose every text shown to the public is ``payload``: its
    profile, a sector, a consented contact, an open offer, its incubation and programme,
    and a free office in a building. Return the company."""
    sector = Sector.objects.create(
        slug=f"xss-{key}", **xss_values(Sector, payload, "name", "name_en")
    )
    url = xss_url(payload)
    company = CompanyFactory(
        slug=f"xss-{key}",
        **xss_values(
            Company,
            payload,
            "trade_name",
            "legal_name",
            "street",
            "postcode",
            "city",
            "phone",
            "description_fr",
            "description_en",
        ),
        website=url,
        linkedin_url=url,
        instagram_url=url,
        facebook_url=url,
        youtube_url=url,
        email=xss_email(payload),
        sectors=[sector],
    )
    Contact.objects.create(
        company=company,
        **xss_values(Contact, payload, "first_name", "last_name", "role", "phone"),
        email=xss_email(payload),
        public_consent=True,
        approved=True,
    )
    OfferFactory(
        company=company,
        **xss_values(Offer, payload, "title", "description_fr", "description_en", "place"),
    )
    programme = Programme.objects.create(
        stage=Programme.Stage.INCUBATION,
        **xss_values(Programme, payload, "name", "description"),
    )
    today = timezone.localdate()
    Incubation.objects.create(
        company=company,
        programme=programme,
        start=today - timedelta(days=30),
        planned_end=today + timedelta(days=300),
        **xss_values(Incubation, payload, "cohort"),
    )
    building = Building.objects.create(
        **xss_values(Building, payload, "name", "street", "postcode", "city")
    )
    Office.objects.create(
        building=building,
        area="20.00",
        desks=2,
        list_rent="400.00",
        delivery_date=today - timedelta(days=365),
        **xss_values(Office, payload, "code"),
    )
    return company


def hostile_site():
    """Create a hostile company for every payload; return them by payload key."""
    return {key: hostile_company(key, payload) for key, payload in XSS_PAYLOADS.items()}
