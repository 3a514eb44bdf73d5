"""The staff dashboard and the annual report: every figure against a count made by hand on a
small fixed dataset (the comments give the count)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from cluster import dashboard
from cluster.models import Student
from cluster.templatetags import charts
from members import services
from members.models import Membership
from startups.models import Incubation, KpiSnapshot
from startups.models import Programme as IncubationProgramme
from tests.cluster.factories import PlacementFactory, ProgrammeFactory, StudentFactory
from tests.members.factories import CompanyFactory, MembershipPlanFactory
from tests.startups.factories import BuildingFactory, LeaseFactory, OfficeFactory

pytestmark = pytest.mark.django_db

S = Membership.Status


def figure(key, year):
    return next(f for f in dashboard.dashboard(year).figures if f.key == key)


def tile(key, year):
    return next(t for t in dashboard.dashboard(year).key_figures if t.key == key)


def values(key, year):
    return [row[1] for row in figure(key, year).rows]


def membership(company, plan, start, status):
    member = services.membership_create(company=company, plan=plan, start=start, prorate=False)
    member.status = status
    member.save()
    return member


@pytest.fixture
def register(settings):
    """Ten companies over three calendar membership years.

    2024: a, b, f members.
    2025: a, b, c, d, g, h members; e joined but never paid (lapsed).
    2026: a renewed (active), b renewed (grace); c lapsed, d did not renew, g resigned
          (3 left); h's renewal awaits payment; e paid this time (first time a member:
          new), i is new, f comes back after a year away (returning); j awaits its first
          payment.
    """
    settings.CITE_MEMBERSHIP_YEAR_START_MONTH = 1
    plan = MembershipPlanFactory()
    a, b, c, d, e, f, g, h, i, j = (CompanyFactory() for _ in range(10))
    for company in (a, b, f):
        membership(company, plan, date(2024, 1, 1), S.ACTIVE)
    for company in (a, b, c, d, g, h):
        membership(company, plan, date(2025, 1, 1), S.ACTIVE)
    membership(e, plan, date(2025, 1, 1), S.LAPSED)
    for company, status in [
        (a, S.ACTIVE),
        (b, S.GRACE),
        (c, S.LAPSED),
        (g, S.RESIGNED),
        (h, S.PENDING),
        (e, S.ACTIVE),
        (i, S.ACTIVE),
        (f, S.ACTIVE),
        (j, S.PENDING),
    ]:
        membership(company, plan, date(2026, 1, 1), status)


def test_the_members_of_a_year_add_up_from_the_year_before(register):
    flows = dashboard.members.flows(dashboard.Period.membership(2026))
    # 6 members in 2025; 3 left (c lapsed, d did not renew, g resigned); h awaits payment;
    # 2 new (e, i), 1 returning (f): 6 − 3 − 1 + 2 + 1 = 5 members (a, b, e, f, i).
    assert flows == {
        "previous": 6,
        "renewed": 2,
        "not_renewed": 1,
        "lapsed": 1,
        "resigned": 1,
        "left": 3,
        "awaiting": 1,
        "new": 2,
        "returning": 1,
        "members": 5,
        "joining": 1,
        "renewal_rate": Decimal("33.3"),  # 2 renewed ÷ 6
    }
    assert (
        flows["previous"] - flows["left"] - flows["awaiting"] + flows["new"] + flows["returning"]
        == flows["members"]
    )
    # The table shows the same, outflows negative, and the members of 2025 first.
    assert values("members", 2026) == [6, -1, -1, -1, -1, 2, 1, 5, 2, Decimal("33.3"), 1]


def test_the_year_before_has_its_own_flows_and_the_history_counts_members(register):
    # 2025: 3 members in 2024; f did not renew; c, d, g, h are new (e never paid).
    flows = dashboard.members.flows(dashboard.Period.membership(2025))
    assert (flows["previous"], flows["left"], flows["new"], flows["members"]) == (3, 1, 4, 6)
    assert flows["renewal_rate"] == Decimal("66.7")  # 2 ÷ 3
    history = dict(figure("members-by-year", 2026).rows)
    assert len(history) == 10
    assert (history["2024"], history["2025"], history["2026"], history["2017"]) == (3, 6, 5, 0)


def test_member_tiles_compare_with_the_year_before(register):
    members, rate = tile("members", 2026), tile("renewal-rate", 2026)
    assert (members.value, members.previous, members.change) == (5, 6, -1)
    assert (rate.value, rate.previous) == (Decimal("33.3"), Decimal("66.7"))
    assert charts.change(rate) == "\u221233,4\xa0pts"
    assert charts.comparison(members) == "\u22121 par rapport à 2025 (6)"


def test_a_membership_year_from_september_counts_memberships_joined_mid_year(settings):
    settings.CITE_MEMBERSHIP_YEAR_START_MONTH = 9
    plan = MembershipPlanFactory()
    renewing, joining = CompanyFactory(), CompanyFactory()
    membership(renewing, plan, date(2024, 9, 1), S.ACTIVE)
    membership(renewing, plan, date(2025, 9, 1), S.ACTIVE)
    membership(joining, plan, date(2026, 3, 1), S.ACTIVE)  # still the year 2025–2026
    period = dashboard.Period.membership(2025)
    flows = dashboard.members.flows(period)
    assert (flows["previous"], flows["renewed"], flows["new"], flows["members"]) == (1, 1, 1, 2)
    assert period.label == "2025–2026"
    assert figure("members", 2025).counted_over == (
        "Année d’adhésion 2025–2026 (1er septembre 2025 au 31 août 2026)"
    )


def test_dues_count_the_calendar_year_and_compare_what_was_collected():
    plan = MembershipPlanFactory(annual_fee=Decimal("300.00"))
    paid, unpaid, last_year = (
        services.membership_create(company=CompanyFactory(), plan=plan, start=start, prorate=False)
        for start in (date(2026, 1, 1), date(2026, 1, 1), date(2025, 1, 1))
    )
    invoice = services.invoice_issue(membership=paid, issue_date=date(2026, 1, 2))
    services.invoice_issue(membership=unpaid, issue_date=date(2026, 1, 2))
    old = services.invoice_issue(membership=last_year, issue_date=date(2025, 1, 2))
    services.payment_record(
        invoice=invoice, amount=Decimal("100.00"), date=date(2026, 2, 1), method="cheque"
    )
    services.payment_record(
        invoice=old, amount=Decimal("300.00"), date=date(2025, 3, 1), method="card"
    )
    # 2026: two fees of 300 expected and invoiced, 100 collected, 500 overdue (due 1 Feb).
    assert values("dues", 2026) == [
        Decimal("600.00"),
        Decimal("600.00"),
        Decimal("100.00"),
        Decimal("500.00"),
    ]
    collected = tile("dues-collected", 2026)
    assert (collected.value, collected.previous) == (Decimal("100.00"), Decimal("300.00"))
    assert charts.comparison(collected) == "\u2212200\xa0€ par rapport à 2025 (300\xa0€)"
    assert figure("dues", 2026).period.kind == "calendar"


@pytest.fixture
def incubator():
    """Six stays, counted for 2026 by hand:

    s1 incubation from 2024-03-01, open: continuing from 2025.
    s2 acceleration 2025-06-01 to 2026-06-01, graduated: continuing, then an exit.
    s3 pre-incubation from 2026-02-01, open: an entry.
    s4 pre-incubation 2026-05-01 to 2027-01-01, stopped: an entry, and an exit (its last
       day is 31 December 2026).
    s5 incubation 2025-01-01 to 2026-01-01, moved out: its last day was in 2025.
    s6 incubation from 2027-01-01: not yet.
    """
    stage = {
        value: IncubationProgramme.objects.create(name=value, stage=value)
        for value in ("pre", "incubation", "acceleration")
    }
    stays = [
        ("incubation", date(2024, 3, 1), None, ""),
        ("acceleration", date(2025, 6, 1), date(2026, 6, 1), "graduated"),
        ("pre", date(2026, 2, 1), None, ""),
        ("pre", date(2026, 5, 1), date(2027, 1, 1), "stopped"),
        ("incubation", date(2025, 1, 1), date(2026, 1, 1), "moved_out"),
        ("incubation", date(2027, 1, 1), None, ""),
    ]
    return [
        Incubation.objects.create(
            company=CompanyFactory(),
            programme=stage[programme],
            cohort=str(start.year),
            start=start,
            planned_end=date(start.year + 2, 1, 1),
            end=end,
            outcome=outcome,
        )
        for programme, start, end, outcome in stays
    ]


def test_the_incubator_counts_stays_in_and_out_of_the_calendar_year(incubator):
    # Continuing 2 (s1, s2) + entries 2 (s3, s4) = 4 hosted; exits: graduated 1 (s2),
    # moved out 0, stopped 1 (s4); 4 − 2 = 2 continuing into 2027 (s1, s3).
    assert values("incubator", 2026)[:7] == [2, 2, 4, -1, 0, -1, 2]
    assert dict(figure("startups-by-stage", 2026).rows) == {
        "pré-incubation": 2,
        "incubation": 1,
        "accélération": 1,
        "autre (définie par l’équipe)": 0,
    }
    # 2025: s1 continuing; s2 and s5 entries; s5 left on its last day, 31 December 2025.
    assert values("incubator", 2025)[:7] == [1, 2, 3, 0, -1, 0, 2]
    hosted = tile("startups", 2026)
    assert (hosted.value, hosted.previous) == (4, 3)


def test_funds_and_jobs_are_each_stays_latest_report_by_the_years_end(incubator):
    s1 = incubator[0]
    for day, funds, jobs in [
        (date(2026, 6, 30), "50000", 2),
        (date(2026, 9, 30), "80000", 3),
        (date(2027, 3, 1), "999999", 9),  # after 2026: not counted for 2026
    ]:
        KpiSnapshot.objects.create(
            incubation=s1, date=day, headcount=3, revenue=0, funds_raised=funds, jobs_created=jobs
        )
    assert values("incubator", 2026)[-2:] == [Decimal("80000"), 3]
    assert values("incubator", 2025)[-2:] == [Decimal("0.00"), 0]


def test_a_past_years_occupancy_covers_that_years_twelve_months():
    building = BuildingFactory()
    old = OfficeFactory(building=building, area=Decimal("100"), delivery_date=date(2020, 1, 1))
    new = OfficeFactory(building=building, area=Decimal("100"), delivery_date=date(2024, 7, 1))
    LeaseFactory(office=old, start=date(2023, 1, 1))
    LeaseFactory(office=new, start=date(2024, 9, 15))  # counts from 1 October
    rows = figure("occupancy", 2024).rows
    assert [row[0] for row in rows] == [date(2024, month, 1) for month in range(1, 13)]
    # January to June 100 of 100 m²; July to September 100 of 200; then 200 of 200.
    assert [row[3] for row in rows] == [Decimal("100.0")] * 6 + [Decimal("50.0")] * 3 + [
        Decimal("100.0")
    ] * 3
    # The year: (6 × 100 + 3 × 100 + 3 × 200) ÷ (6 × 100 + 6 × 200) = 1 500 ÷ 1 800.
    occupancy = tile("occupancy", 2024)
    assert (occupancy.value, occupancy.previous) == (Decimal("83.3"), Decimal("100.0"))
    assert charts.change(occupancy) == "\u221216,7\xa0pts"


def test_students_count_in_the_school_years_they_were_enrolled():
    initial = ProgrammeFactory(training_type="initial")
    continuing = ProgrammeFactory(training_type="continuing")
    StudentFactory(programme=initial, cohort_year=2023)  # enrolled: 2023–24 and 2024–25
    StudentFactory(  # graduated in June 2024: 2023–24 only
        programme=initial,
        cohort_year=2022,
        status=Student.Status.GRADUATED,
        status_changed_on=date(2024, 6, 30),
    )
    StudentFactory(  # left in February 2025: 2024–25 only
        programme=continuing,
        cohort_year=2024,
        status=Student.Status.LEFT,
        status_changed_on=date(2025, 2, 1),
    )
    StudentFactory(programme=initial, cohort_year=2025)  # not yet in 2024–25
    StudentFactory(programme=initial, cohort_year=2020, status=Student.Status.GRADUATED)  # no date
    assert values("students", 2024) == [1, 1, 0]  # initial, continuing, work-study
    students = tile("students", 2024)
    assert (students.value, students.previous) == (2, 2)
    assert students.period.label == "2024–2025"


def test_a_placement_over_two_school_years_counts_in_both():
    placement = PlacementFactory(
        student=StudentFactory(programme=ProgrammeFactory(title="Bachelor 3D")),
        company=CompanyFactory(trade_name="Vroom"),
        kind="work_study",
        start=date(2026, 6, 1),
        end=date(2026, 11, 1),
    )
    assert placement.pk
    for year in (2025, 2026):
        assert figure("placements-by-company", year).rows == [("Vroom", 1)]
        assert figure("placements-by-programme", year).rows == [("Bachelor 3D", 1)]
    assert figure("placements-by-company", 2027).rows == []
    placements = tile("placements", 2026)
    assert (placements.value, placements.previous) == (1, 1)


def test_placements_by_company_show_ten_hosts_and_the_others_add_up():
    busy = CompanyFactory(trade_name="AAA Studio")
    PlacementFactory.create_batch(2, company=busy, start=date(2025, 10, 6))
    for index in range(11):
        PlacementFactory(company=CompanyFactory(trade_name=f"Host {index:02d}"))
    rows = figure("placements-by-company", 2025).rows
    # 13 placements: AAA Studio 2, then nine hosts with 1 shown, and 2 others.
    assert rows[0] == ("AAA Studio", 2)
    assert len(rows) == 11 and rows[-1][1] == 2
    assert sum(n for _name, n in rows) == tile("placements", 2025).value == 13


def test_axes_take_round_steps_and_never_repeat_a_label():
    assert charts.nice_axis(93) == [0, 20, 40, 60, 80, 100]
    assert charts.nice_axis(3) == [0, 1, 2, 3]
    assert charts.nice_axis(7) == [0, 2, 4, 6, 8]
    assert charts.nice_axis(0) == [0, 1]
    assert charts.nice_axis(1_000_132) == [0, 500_000, 1_000_000, 1_500_000]
    for top in range(1, 300):
        ticks = charts.nice_axis(top)
        steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
        assert len(steps) == 1 and steps.pop() in {1, 2, 5, 10, 20, 50, 100}
        assert ticks[-1] >= top and len(set(ticks)) == len(ticks)


def test_numbers_follow_the_locale():
    with translation.override("fr"):
        assert charts.value_as(7276877, "count") == "7\xa0276\xa0877"
        assert charts.value_as(Decimal("1234.5"), "money") == "1\xa0234,50\xa0€"
        assert charts.value_as(Decimal("83.3"), "percent") == "83,3\xa0%"
        assert charts.value_as(-3, "delta") == "\u22123"
        assert charts.value_as(date(2024, 2, 1), "month") == "février 2024"
    with translation.override("en"):
        assert charts.value_as(7276877, "count") == "7,276,877"
        assert charts.value_as(Decimal("1234.5"), "money") == "€1,234.50"
        assert charts.value_as(Decimal("83.3"), "percent") == "83.3%"


def test_long_labels_wrap_and_are_never_cut():
    label = "Alternance Chargé de communication digitale et réseaux sociaux"
    lines = charts.wrap(label, 40)
    assert " ".join(lines) == label and all(len(line) <= 40 for line in lines)


def test_a_past_years_report_shows_that_years_figures_and_says_which_year(admin_client):
    building = BuildingFactory()
    LeaseFactory(office=OfficeFactory(building=building), start=date(2020, 1, 1))
    report = admin_client.get(reverse("annual-report", args=[2024]))
    assert report.status_code == 200
    html = report.text
    assert "Janvier 2024" in html and "Décembre 2024" in html
    assert "Janvier 2026" not in html and "2027" not in html.replace("2024–2025", "")
    assert "Année d’adhésion 2024 (1er janvier 2024 au 31 décembre 2024)" in html
    assert "Année scolaire 2024–2025 (1er septembre 2024 au 31 août 2025)" in html
    assert html.count('class="chart-frame__period"') == len(dashboard.dashboard(2024).figures)
    assert "Comment les chiffres sont comptés" in html  # the definitions


def test_the_dashboard_shows_key_figures_first_then_charts_with_their_tables(
    admin_client, register
):
    html = admin_client.get(reverse("staff-dashboard"), {"year": 2026}).text
    assert (
        html.count('class="key-figure"') == 11
    )  # collection (issue 20) adds two, rent and events one each
    assert html.index('class="key-figure"') < html.index('class="chart-frame')
    assert "\u22121 par rapport à 2025 (6)" in html
    figures = dashboard.dashboard(2026).figures
    assert html.count('class="data-table"') == len(figures)
    charted = [f for f in figures if f.series]
    assert html.count('<svg class="chart') == html.count("<desc") == len(charted) >= 6
    # Month labels are separate texts, not one run of "2025-112026-01…".
    assert "2025-11" not in html


def test_the_dashboard_costs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    plan = MembershipPlanFactory()
    for _ in range(3):
        membership(CompanyFactory(), plan, date(2026, 1, 1), S.ACTIVE)
    with django_assert_max_num_queries(35) as few:
        admin_client.get(reverse("staff-dashboard"), {"year": 2026})
    for _ in range(20):
        membership(CompanyFactory(), plan, date(2025, 1, 1), S.ACTIVE)
        PlacementFactory(start=date(2026, 10, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(reverse("staff-dashboard"), {"year": 2026})
    assert response.status_code == 200


def test_staff_switch_the_year_and_download_a_figure_as_csv(admin_client, register):
    page = admin_client.get(reverse("staff-dashboard"), {"year": "2025"})
    assert page.context["year"] == 2025
    csv = admin_client.get(reverse("staff-dashboard-csv"), {"year": 2025, "figure": "members"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[1].endswith(",3") and lines[8].endswith(",6")  # members in 2024, in 2025
    assert admin_client.get(reverse("staff-dashboard-csv"), {"figure": "nope"}).status_code == 404
    assert admin_client.get(reverse("staff-dashboard"), {"year": "abc"}).status_code == 404


def test_the_dashboard_needs_staff_and_the_dedicated_permission(client, django_user_model):
    url = reverse("staff-dashboard")
    assert client.get(url).status_code == 302
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 403
    assert client.get(reverse("annual-report", args=[2026])).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    assert client.get(url).status_code == 200
