"""Students' personal data: never on a public page, exported on request, anonymised when
the retention period is over."""

import io
import json
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone, translation

from cluster import services
from cluster.models import Placement, Student
from tests.members.factories import CompanyFactory, ContactFactory, OfferFactory, UserFactory

from .factories import PlacementFactory, ProgrammeFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Run in English so that assertions on messages do not depend on the French catalog."""
    with translation.override("en"):
        yield


def run(command, *args, **options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


# --- Every public page, without a student in it ------------------------------------------

SKIPPED_PREFIXES = ("admin/", "accounts/", "my/", "invitations/", "language/", "media/")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
PUBLIC_COMPANIES = 25  # more than a page of the directory and of the API (20)
SECRET_STUDENTS = [
    ("Xanthippe", "Quibbleworth", "xanthippe.quibbleworth@secret-etudiant.example"),
    ("Zephyrinus", "Oddlyfellow", "zephyrinus.oddlyfellow@secret-etudiant.example"),
    ("Philomene", "Ravensclaw", "philomene.ravensclaw@secret-etudiant.example"),
]


@pytest.fixture
def school_at_public_companies():
    """Students with unmistakable names, placed at public companies and on public offers."""
    cache.clear()  # public pages are cached; a page cached by another test would hide ours
    companies = [
        CompanyFactory(trade_name=f"Studio Public {n:02d}", published=True)
        for n in range(PUBLIC_COMPANIES)
    ]
    today = timezone.localdate()
    programme = ProgrammeFactory(title="Bachelor Animation 3D")
    for number, (first, last, email) in enumerate(SECRET_STUDENTS):
        company = companies[number]
        offer = OfferFactory(
            company=company,
            start_date=today + timedelta(days=30),
            expires_on=today + timedelta(days=60),
        )
        student = StudentFactory(
            first_name=first,
            last_name=last,
            email=email,
            programme=programme,
            consent_share_with_companies=True,  # consent to companies is not consent to all
        )
        PlacementFactory(student=student, company=company, offer=offer, tutor="Tuteur Public")
    return companies


def public_routes(resolver=None, prefix=""):
    """Yield ``(route, pattern)`` for every URL pattern outside the private prefixes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.lstrip("^").startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry, route)
        else:
            yield route, entry


class PublicWalk:
    """Visit public URLs as an anonymous visitor, following every page of every list."""

    def __init__(self, client):
        self.client = client
        self.visited = {}  # URL -> status code
        self.contents = {}  # URL -> decoded body
        self.company_slugs = set()
        self.offer_ids = set()

    def visit(self, url):
        if url in self.visited:
            return
        response = self.client.get(url)
        self.visited[url] = response.status_code
        content = response.content.decode("utf-8", errors="replace")
        self.contents[url] = content
        if response.status_code != 200:
            return
        if response["Content-Type"].startswith("application/json"):
            self.follow_json(url, json.loads(content))
        elif "page=2" in content and "page=" not in url:
            self.follow_html_pages(url, content)

    def follow_json(self, url, data):
        if not isinstance(data, dict):
            return
        for item in data.get("results") or []:
            if url.startswith(reverse("members:api-company-list")) and item.get("slug"):
                self.company_slugs.add(item["slug"])
            if url.startswith(self.offer_api or "\0") and item.get("id"):
                self.offer_ids.add(item["id"])
        if data.get("next"):
            next_url = urlsplit(data["next"])
            self.visit(f"{next_url.path}?{next_url.query}")

    def follow_html_pages(self, url, content):
        number = 2
        separator = "&" if "?" in url else "?"
        while f"page={number}" in content:
            page_url = f"{url}{separator}page={number}"
            self.visit(page_url)
            content = self.contents[page_url]
            number += 1

    @property
    def offer_api(self):
        try:
            return reverse("members:api-offer-list")
        except NoReverseMatch:
            return None  # the offers' API is not there (yet)


def test_no_public_page_or_api_shows_a_student(client, school_at_public_companies):
    walk = PublicWalk(client)
    with_parameters, unhandled = [], []
    for route, pattern in public_routes():
        if not isinstance(pattern.pattern, RoutePattern):
            unhandled.append(route)
        elif PARAMETER.search(route):
            with_parameters.append(route)
        else:
            walk.visit("/" + route)
    # The lists above gave the public objects; now their pages.
    for route in with_parameters:
        for url in urls_for(route, walk):
            walk.visit(url)

    assert unhandled == [], "re_path patterns: teach this test to fill their parameters"
    assert len(walk.visited) >= 2 * PUBLIC_COMPANIES + 6
    assert walk.company_slugs >= {company.slug for company in school_at_public_companies}
    assert "/directory/?page=2" in walk.visited
    assert any(url.startswith("/api/companies/?") for url in walk.visited)
    if walk.offer_api:
        assert len(walk.offer_ids) == len(SECRET_STUDENTS)
    assert not [url for url, status in walk.visited.items() if status >= 500]
    for url, content in walk.contents.items():
        lowered = content.lower()
        for first, last, email in SECRET_STUDENTS:
            for secret in (first, last, email):
                assert secret.lower() not in lowered, f"{secret} appears on {url}"


def urls_for(route, walk):
    """Return the URLs of a route with parameters, filled with the public objects."""
    names = [match["name"] for match in PARAMETER.finditer(route)]
    converters = {match["name"]: match["converter"] or "str" for match in PARAMETER.finditer(route)}
    if "offer" in route and "pk" in names:
        values = [{"pk": pk} for pk in sorted(walk.offer_ids)]
    elif "slug" in names:
        values = [{"slug": slug} for slug in sorted(walk.company_slugs)]
    elif "year" in names:
        values = [{"year": timezone.localdate().year}]
    else:  # a parameter of no public object: one made-up value still runs the view
        values = [{name: 1 if converters[name] == "int" else "x" for name in names}]
    urls = []
    for kwargs in values:
        filled = route
        for name in names:
            filled = re.sub(rf"<(?:[^>:]+:)?{name}>", str(kwargs.get(name, "x")), filled)
        urls.append("/" + filled)
    return urls


# --- Export on request (right of access) ---------------------------------------------------


@pytest.fixture
def student_with_history():
    user = UserFactory(username="secretariat@example.org")
    student = StudentFactory(
        first_name="Xanthippe",
        last_name="Quibbleworth",
        email="xanthippe@example.org",
        programme=ProgrammeFactory(title="Bachelor Game Design"),
    )
    student.cohort_year = 2026
    student._history_user = user
    student.save()
    PlacementFactory(
        student=student, company=CompanyFactory(trade_name="Studio Tramontane"), tutor="Jordi"
    )
    return student, user


def test_export_writes_the_student_record_placements_and_history_as_json(student_with_history):
    student, user = student_with_history

    stdout, _stderr = run("export_personal_data", "--student", str(student.pk))

    data = json.loads(stdout)
    assert (data["kind"], data["id"]) == ("student", student.pk)
    assert data["record"]["last_name"] == "Quibbleworth"
    assert data["record"]["email"] == "xanthippe@example.org"
    assert data["record"]["programme"] == {
        "id": student.programme_id,
        "label": "Bachelor Game Design",
    }
    assert [(row["type"], row["user_id"]) for row in data["history"]] == [
        ("created", None),
        ("changed", user.pk),
    ]
    assert data["history"][0]["fields"]["cohort_year"] == 2025
    assert data["history"][1]["fields"]["cohort_year"] == 2026
    assert all(row["date"] for row in data["history"])
    [placement] = data["placements"]
    assert placement["record"]["company"]["label"] == "Studio Tramontane"
    assert placement["record"]["tutor"] == "Jordi"
    assert placement["record"]["start"] == "2025-10-06"
    assert [row["type"] for row in placement["history"]] == ["created"]


def test_export_writes_a_contact_and_its_history(tmp_path):
    contact = ContactFactory(
        first_name="Marie", last_name="Curie", email="marie@example.org", role="CEO"
    )
    contact.role = "CTO"
    contact.save()
    output = tmp_path / "contact.json"

    stdout, _stderr = run("export_personal_data", "--contact", str(contact.pk), "--output", output)

    data = json.loads(output.read_text(encoding="utf-8"))
    assert (data["kind"], data["record"]["email"]) == ("contact", "marie@example.org")
    assert data["record"]["company"]["id"] == contact.company_id
    assert [row["fields"]["role"] for row in data["history"]] == ["CEO", "CTO"]
    assert "placements" not in data
    assert str(output) in stdout


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--student", "There is no student with id 999999."),
        ("--contact", "There is no contact with id 999999."),
    ],
)
def test_export_of_an_unknown_id_fails_with_a_clear_message(option, message):
    with pytest.raises(CommandError, match=message):
        run("export_personal_data", option, "999999")


@pytest.mark.parametrize(
    "args", [[], ["--student", "1", "--contact", "1"]], ids=["neither", "both"]
)
def test_export_takes_exactly_one_person(args):
    with pytest.raises(CommandError, match="--student"):
        run("export_personal_data", *args)


# --- Anonymisation after the retention period -----------------------------------------------


def years_ago(years, *, days=0):
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = date(today.year - years, 2, 28)
    return day - timedelta(days=days)


@pytest.fixture
def former_students():
    """One student a day past the 3 years, one on the very day, one enrolled long ago."""
    programme = ProgrammeFactory(title="Bachelor Animation 3D")
    past = StudentFactory(
        first_name="Xanthippe",
        last_name="Quibbleworth",
        email="xanthippe@example.org",
        programme=programme,
        cohort_year=2019,
        status=Student.Status.GRADUATED,
        status_changed_on=years_ago(3, days=1),
        consent_news=True,
        consent_share_with_companies=True,
    )
    on_the_day = StudentFactory(
        last_name="Ondeday",
        programme=programme,
        status=Student.Status.LEFT,
        status_changed_on=years_ago(3),
    )
    enrolled = StudentFactory(last_name="Stillhere", programme=programme, cohort_year=2015)
    for student in (past, on_the_day, enrolled):
        PlacementFactory(student=student, company=CompanyFactory(trade_name="Studio Canigou"))
    return {"past": past, "on_the_day": on_the_day, "enrolled": enrolled}


def test_purge_anonymises_only_students_gone_for_more_than_the_retention_period(
    former_students,
):
    stdout, _stderr = run("purge_students")

    past = Student.objects.get(pk=former_students["past"].pk)
    assert stdout.startswith("1 student anonymised")
    assert (past.first_name, past.last_name, past.email) == (
        "Anonymised",
        f"Student-{past.pk}",
        "",
    )
    assert (past.consent_news, past.consent_share_with_companies) == (False, False)
    assert past.anonymised_on == timezone.localdate()
    assert (past.programme.title, past.cohort_year, past.status) == (
        "Bachelor Animation 3D",
        2019,
        Student.Status.GRADUATED,
    )
    assert past.placements.count() == 1
    assert Student.objects.get(pk=former_students["on_the_day"].pk).last_name == "Ondeday"
    assert Student.objects.get(pk=former_students["enrolled"].pk).last_name == "Stillhere"


def test_purge_deletes_the_history_that_still_holds_the_names(former_students):
    past = former_students["past"]
    past.cohort_year = 2020
    past.save()  # a second history row with the name

    run("purge_students")

    assert not Student.history.filter(last_name="Quibbleworth").exists()
    assert not Student.history.filter(email="xanthippe@example.org").exists()
    assert [row.last_name for row in Student.history.filter(id=past.pk)] == [f"Student-{past.pk}"]
    assert Student.history.filter(last_name="Ondeday").exists()


def test_purge_removes_the_names_from_the_admin_log(former_students, django_user_model):
    past = former_students["past"]
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "unused")
    LogEntry.objects.log_actions(user.pk, [past, past.placements.get()], CHANGE)

    run("purge_students")

    reprs = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert len(reprs) == 2
    assert not [text for text in reprs if "Quibbleworth" in text or "Xanthippe" in text]


def test_purge_leaves_the_statistics_unchanged(former_students):
    before = services.placement_statistics()

    run("purge_students")

    assert Student.objects.filter(anonymised_on__isnull=False).count() == 1
    assert services.placement_statistics() == before


def test_purge_is_idempotent(former_students):
    run("purge_students")
    anonymised = list(Student.objects.order_by("pk").values())

    stdout, _stderr = run("purge_students")

    assert stdout.startswith("0 students anonymised")
    assert list(Student.objects.order_by("pk").values()) == anonymised
    assert Student.history.filter(id=former_students["past"].pk).count() == 1


def test_purge_dry_run_says_how_many_and_changes_nothing(former_students):
    stdout, _stderr = run("purge_students", "--dry-run")

    assert stdout.startswith("1 student would be anonymised")
    assert "Dry run: nothing changed." in stdout
    assert not Student.objects.filter(anonymised_on__isnull=False).exists()
    assert Student.objects.filter(last_name="Quibbleworth").exists()


def test_purge_follows_the_retention_setting(settings, former_students):
    settings.CITE_STUDENT_RETENTION_YEARS = 2

    stdout, _stderr = run("purge_students")

    assert stdout.startswith("2 students anonymised (left or graduated more than 2 years ago)")


def test_purge_warns_about_former_students_without_a_date(former_students):
    StudentFactory(status=Student.Status.LEFT, status_changed_on=None)

    _stdout, stderr = run("purge_students")

    assert "1 student left or graduated with no date" in stderr


def test_anonymised_students_keep_their_placements_in_the_statistics(former_students):
    run("purge_students")

    rows = services.placements_by_programme()

    assert [(row["programme"], row["total"]) for row in rows] == [("Bachelor Animation 3D", 3)]
    assert Placement.objects.filter(student__anonymised_on__isnull=False).count() == 1
