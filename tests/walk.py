"""The walk: every page a visitor or a representative meets, for the outside judges.

The browser tests walk it for reflow and axe-core (tests/browser/test_walk.py), and
tests/cluster/test_markup.py fetches it with Django's test client to check the markup and
to save the HTML that .ci/run hands to the Nu HTML Checker. Both start from the demo data
(seed_demo), plus a representative of a hosted start-up and a company whose name is too
long for its card.
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from members import services
from members.models import Company, Contact, Invitation, Representative
from tests.members.factories import CompanyFactory, UserFactory

PASSWORD = "walk-pass-2026!"
LONG_NAME = "Abracadabrantesquementnumériques Productions Audiovisuelles Transfrontalières"


@dataclass(frozen=True)
class Step:
    """One page of the walk. With ``submit``, the page's form is sent with these values
    typed in (an empty dict sends it as it is), and the page that answers is judged."""

    name: str
    path: str
    submit: dict | None = field(default=None)
    representative: bool = False
    status: int = 200
    search_errors: bool = False

    @property
    def shows_errors(self):
        """Whether the page answers with a form's errors (a failed submit, a bad search)."""
        return self.submit is not None or self.search_errors


@dataclass(frozen=True)
class Walk:
    steps: list
    username: str
    password: str

    @property
    def public_steps(self):
        return [step for step in self.steps if not step.representative]

    @property
    def representative_steps(self):
        return [step for step in self.steps if step.representative]


def seed_walk():
    """Load the demo, add what the walk needs, and return the walk."""
    call_command("seed_demo", stdout=io.StringIO())
    company = Company.objects.get(slug="vroom")  # a hosted start-up: every tab of /my/
    user = UserFactory(username="anna@vroom.example", password=PASSWORD)
    Representative.objects.create(user=user, company=company, role=Representative.Role.ADMIN)
    contact = Contact.objects.filter(company=company).first() or Contact.objects.create(
        company=company, first_name="Anna", last_name="Garcia", email="anna@vroom.example"
    )
    Invitation.objects.create(company=company, email="jordi@vroom.example", invited_by=user)
    newcomer = Invitation.objects.create(company=company, email="new@vroom.example")
    offer = company.offers.order_by("pk").first()
    invoice = company.invoices.order_by("pk").first()
    long_named = CompanyFactory(trade_name=LONG_NAME, slug="long-name", city="Perpignan")
    my = f"/my/{company.slug}"
    soon = (timezone.localdate() + timedelta(days=30)).isoformat()
    steps = [
        Step("home", "/"),
        Step("directory", "/directory/"),
        Step("directory search", "/directory/?q=r%C3%A9alit%C3%A9+virtuelle"),
        Step(
            "directory bad search",
            "/directory/?kind=nothing&q=" + "x" * 201,
            status=400,
            search_errors=True,
        ),
        Step("directory page 2", "/directory/?page=2"),
        Step("company", company.get_absolute_url()),
        Step("company with a long name", long_named.get_absolute_url()),
        Step("offers", "/offers/"),
        Step("offers bad search", "/offers/?start=someday", status=400, search_errors=True),
        Step("offer", offer.get_absolute_url()),
        Step("events", "/events/"),
        Step("past events", "/events/?when=past"),
        Step("events bad search", "/events/?month=2027-13", status=400, search_errors=True),
        Step("event", "/events/portes-ouvertes-extension/"),
        Step(
            "event registration failed",
            "/events/portes-ouvertes-extension/",
            submit={"email": "not an address"},
            status=400,
        ),
        Step("start-ups", "/startups/"),
        Step("offices", "/offices/"),
        Step("offices search", f"/offices/?start={soon}&min_desks=1"),
        Step(
            "offices bad search",
            "/offices/?start=someday&min_area=-3",
            status=400,
            search_errors=True,
        ),
        Step("join", "/join/"),
        Step("join failed", "/join/", submit={"contact_email": "not an address"}),
        Step("join thanks", "/join/thanks/"),
        Step("log in", "/accounts/login/"),
        Step("log in failed", "/accounts/login/", submit={}),
        Step("password reset", "/accounts/password_reset/"),
        Step("password reset failed", "/accounts/password_reset/", submit={"email": "nope"}),
        Step("password reset sent", "/accounts/password_reset/done/"),
        Step("password reset bad link", "/accounts/reset/MQ/bad-token/"),
        Step("password reset complete", "/accounts/reset/done/"),
        Step("invitation", f"/invitations/{services.invitation_token(newcomer)}/"),
        Step(
            "invitation failed",
            f"/invitations/{services.invitation_token(newcomer)}/",
            submit={"password1": "short"},
        ),
        Step("invitation bad link", "/invitations/bad-token/", status=400),
        Step("contact", "/contact/"),
        Step("legal notice", "/legal/"),
        Step("privacy policy", "/privacy/"),
        Step("not found", "/directory/no-such-company/", status=404),
    ]
    steps += [
        Step(name, path, submit, representative=True)
        for name, path, submit in [
            ("my space", "/my/", None),
            ("profile", f"{my}/", None),
            ("profile failed", f"{my}/", {"trade_name": "", "website": "not a site"}),
            ("contacts", f"{my}/contacts/", None),
            ("contact add", f"{my}/contacts/add/", None),
            ("contact add failed", f"{my}/contacts/add/", {"email": "nope"}),
            ("contact edit", f"{my}/contacts/{contact.pk}/", None),
            ("contact delete", f"{my}/contacts/{contact.pk}/delete/", None),
            ("my offers", f"{my}/offers/", None),
            ("offer add", f"{my}/offers/add/", None),
            ("offer add failed", f"{my}/offers/add/", {"monthly_stipend": "-5"}),
            ("offer edit", f"{my}/offers/{offer.pk}/", None),
            ("offer delete", f"{my}/offers/{offer.pk}/delete/", None),
            ("team", f"{my}/team/", None),
            ("team failed", f"{my}/team/", {"email": "nope"}),
            ("membership", f"{my}/membership/", None),
            ("invoice", f"/invoices/{invoice.number}/", None),
            ("my events", f"{my}/events/", None),
            ("event proposal", f"{my}/events/propose/", None),
            ("event proposal failed", f"{my}/events/propose/", {"capacity": "0"}),
            ("key figures", f"{my}/kpis/", None),
            ("key figures failed", f"{my}/kpis/", {"headcount": "-1"}),
            ("password change", "/accounts/password_change/", None),
            ("password change failed", "/accounts/password_change/", {}),
            ("password change done", "/accounts/password_change/done/", None),
        ]
    ]
    return Walk(steps=steps, username=user.username, password=PASSWORD)
