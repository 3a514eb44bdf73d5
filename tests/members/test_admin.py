"""The staff admin of the register: pages, filters, actions, import and export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Company, Contact, Sector

from .factories import CompanyFactory, ContactFactory, SectorFactory

pytestmark = pytest.mark.django_db

ACME_SIRET = "73282932000074"
BETA_SIRET = "55210055400013"
BAD_SIRET = "73282932000075"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="unused-password"
    )


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def register():
    """A small register: two sectors, three companies in two cities, two contacts."""
    games = SectorFactory(name="Jeu vidéo", name_en="Video games", slug="jeu-video")
    health = SectorFactory(name="E-santé", name_en="E-health", slug="e-sante")
    acme = CompanyFactory(
        trade_name="Acme Studio", city="Perpignan", published=True, sectors=[games]
    )
    beta = CompanyFactory(
        trade_name="Beta Santé", city="Le Soler", published=False, sectors=[health]
    )
    gamma = CompanyFactory(
        trade_name="Gamma Jeux", city="Perpignan", published=False, sectors=[games, health]
    )
    ContactFactory(company=acme, first_name="Marie", last_name="Curie", role="CEO")
    ContactFactory(company=acme, first_name="Pablo", last_name="Casals", role="CTO")
    return {"games": games, "health": health, "acme": acme, "beta": beta, "gamma": gamma}


def changelist_names(response):
    return {company.trade_name for company in response.context["cl"].result_list}


# --- Access ---


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:members_company_changelist",
        "admin:members_company_import",
        "admin:members_company_export",
    ],
)
def test_anonymous_visitor_is_sent_to_the_login_page(client, url_name):
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_non_staff_user_is_sent_to_the_login_page(client, django_user_model):
    member = django_user_model.objects.create_user(username="member", password="unused")
    client.force_login(member)

    response = client.get(reverse("admin:members_company_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- Pages load ---


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:members_company_changelist",
        "admin:members_company_add",
        "admin:members_sector_changelist",
        "admin:members_sector_add",
        "admin:members_contact_changelist",
        "admin:members_contact_add",
    ],
)
def test_changelist_and_add_pages_load(admin_client, register, url_name):
    response = admin_client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url_name", "obj"),
    [
        ("admin:members_company_change", "acme"),
        ("admin:members_sector_change", "games"),
        ("admin:members_company_history", "acme"),
        ("admin:members_sector_history", "games"),
    ],
)
def test_change_and_history_pages_load(admin_client, register, url_name, obj):
    response = admin_client.get(reverse(url_name, args=[register[obj].pk]))

    assert response.status_code == 200


def test_contact_change_and_history_pages_load(admin_client, register):
    contact = Contact.objects.get(last_name="Curie")

    change = admin_client.get(reverse("admin:members_contact_change", args=[contact.pk]))
    history = admin_client.get(reverse("admin:members_contact_history", args=[contact.pk]))

    assert change.status_code == 200
    assert history.status_code == 200
    assert "Marie" in change.content.decode()


def test_company_change_page_shows_its_contacts_inline(admin_client, register):
    url = reverse("admin:members_company_change", args=[register["acme"].pk])

    response = admin_client.get(url)

    page = response.content.decode()
    assert 'value="Curie"' in page
    assert 'value="Casals"' in page
    inline = response.context["inline_admin_formsets"][0]
    assert {form.instance.last_name for form in inline.formset.forms} == {"Curie", "Casals"}


def test_company_history_page_lists_the_changes(admin_client, register):
    acme = register["acme"]
    url = reverse("admin:members_company_history", args=[acme.pk])
    before = len(admin_client.get(url).context["page_obj"].object_list)
    acme.city = "Thuir"
    acme.save()

    response = admin_client.get(url)

    assert response.status_code == 200
    records = response.context["page_obj"].object_list
    assert len(records) == before + 1
    assert records[0].city == "Thuir"


def test_sector_changelist_counts_the_companies_of_each_sector(admin_client, register):
    response = admin_client.get(reverse("admin:members_sector_changelist"))

    counts = {sector.slug: sector.company_count for sector in response.context["cl"].result_list}
    assert counts == {"jeu-video": 2, "e-sante": 2}


# --- Search and filters ---


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=Acme", {"Acme Studio"}),
        ("q=perpignan", {"Acme Studio", "Gamma Jeux"}),
        ("published__exact=1", {"Acme Studio"}),
        ("published__exact=0", {"Beta Santé", "Gamma Jeux"}),
        ("city=Perpignan", {"Acme Studio", "Gamma Jeux"}),
        ("city=Le+Soler", {"Beta Santé"}),
        ("city=Perpignan&published__exact=0", {"Gamma Jeux"}),
    ],
)
def test_company_changelist_search_and_filters(admin_client, register, query, expected):
    url = reverse("admin:members_company_changelist") + "?" + query

    response = admin_client.get(url)

    assert response.status_code == 200
    assert changelist_names(response) == expected


def test_company_changelist_filters_by_sector(admin_client, register):
    url = reverse("admin:members_company_changelist")

    response = admin_client.get(url, {"sectors__id__exact": register["health"].pk})

    assert changelist_names(response) == {"Beta Santé", "Gamma Jeux"}


def test_company_changelist_search_finds_a_siret(admin_client, register):
    url = reverse("admin:members_company_changelist")

    response = admin_client.get(url, {"q": register["beta"].siret})

    assert changelist_names(response) == {"Beta Santé"}


def test_company_city_filter_offers_each_city_once(admin_client, register):
    response = admin_client.get(reverse("admin:members_company_changelist"))

    city_filter = next(
        f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "city"
    )
    assert [value for value, _label in city_filter.lookup_choices] == ["Le Soler", "Perpignan"]


def test_sector_and_contact_search(admin_client, register):
    sectors = admin_client.get(reverse("admin:members_sector_changelist"), {"q": "health"})
    contacts = admin_client.get(reverse("admin:members_contact_changelist"), {"q": "Acme"})

    assert [s.slug for s in sectors.context["cl"].result_list] == ["e-sante"]
    assert {c.last_name for c in contacts.context["cl"].result_list} == {"Curie", "Casals"}


def test_contact_changelist_filters_by_consent(admin_client, register):
    Contact.objects.filter(last_name="Curie").update(public_consent=True)

    response = admin_client.get(
        reverse("admin:members_contact_changelist"), {"public_consent__exact": "1"}
    )

    assert [c.last_name for c in response.context["cl"].result_list] == ["Curie"]


# --- Actions ---


def test_publish_action_publishes_the_selected_companies(admin_client, register):
    selected = [register["beta"].pk, register["acme"].pk]
    url = reverse("admin:members_company_changelist")
    selection = {"action": "publish", "_selected_action": selected}

    preview = admin_client.post(url, selection)
    assert "Beta Santé" in preview.text  # listed first; nothing changed yet
    assert not Company.objects.filter(pk=register["beta"].pk, published=True).exists()
    response = admin_client.post(url, {**selection, "apply": "1"}, follow=True)

    assert response.status_code == 200
    assert set(Company.objects.filter(published=True).values_list("trade_name", flat=True)) == {
        "Acme Studio",
        "Beta Santé",
    }
    assert "1 companies published." in [str(m) for m in response.context["messages"]]
    assert register["beta"].history.first().published is True


def test_unpublish_action_unpublishes_the_selected_companies(admin_client, register):
    response = admin_client.post(
        reverse("admin:members_company_changelist"),
        {"action": "unpublish", "_selected_action": [register["acme"].pk], "apply": "1"},
        follow=True,
    )

    assert not Company.objects.filter(published=True).exists()
    assert "1 companies unpublished." in [str(m) for m in response.context["messages"]]


# --- Saving a company through the admin form ---


def company_form_data(**overrides):
    data = {
        "trade_name": "Delta",
        "legal_name": "Delta SAS",
        "slug": "delta",
        "siren": "",
        "siret": "",
        "vat_number": "",
        "naf_code": "",
        "legal_form": "",
        "street": "",
        "postcode": "",
        "city": "",
        "country": "FR",
        "website": "",
        "email": "",
        "phone": "",
        "headcount_band": "",
        "year_founded": "",
        "description_fr": "",
        "description_en": "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "representatives-TOTAL_FORMS": "0",
        "representatives-INITIAL_FORMS": "0",
        "representatives-MIN_NUM_FORMS": "0",
        "representatives-MAX_NUM_FORMS": "1000",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_add_company_form_stores_identifiers_compact(admin_client):
    data = company_form_data(siret="732 829 320 00074", naf_code="6201z")

    response = admin_client.post(reverse("admin:members_company_add"), data)

    assert response.status_code == 302
    company = Company.objects.get(slug="delta")
    assert (company.siret, company.siren, company.naf_code) == (
        ACME_SIRET,
        ACME_SIRET[:9],
        "62.01Z",
    )


def test_add_company_form_shows_an_invalid_siret_on_its_field(admin_client):
    data = company_form_data(siret=BAD_SIRET)

    response = admin_client.post(reverse("admin:members_company_add"), data)

    assert response.status_code == 200
    assert "siret" in response.context["adminform"].form.errors
    assert not Company.objects.exists()


def test_add_company_form_shows_a_vat_number_of_unknown_country_on_its_field(admin_client):
    data = company_form_data(vat_number="XX123")

    response = admin_client.post(reverse("admin:members_company_add"), data)

    assert response.status_code == 200
    assert "vat_number" in response.context["adminform"].form.errors


# --- Query count ---


def test_company_changelist_of_30_companies_with_sectors_needs_few_queries(
    admin_client, django_assert_max_num_queries
):
    sectors = [SectorFactory(name=f"Trade {n}", name_en="") for n in range(4)]
    for number in range(30):
        CompanyFactory(sectors=sectors[number % 4 : number % 4 + 2])
    url = reverse("admin:members_company_changelist")

    # 9 today: session, user, sector and city filters, count, companies, their sectors
    # (one prefetch), and two for the date hierarchy.
    with django_assert_max_num_queries(10):
        response = admin_client.get(url)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 30
    assert "Trade 0, Trade 1" in response.content.decode()


# --- Import through the admin ---


def import_form_data(admin_client, content, name="companies.csv"):
    """Return the POST data of the import form for a CSV file, reading the format index."""
    form = admin_client.get(reverse("admin:members_company_import")).context["form"]
    csv_index = next(value for value, label in form.fields["format"].choices if label == "csv")
    data = {
        "import_file": SimpleUploadedFile(name, content.encode("utf-8"), "text/csv"),
        "format": csv_index,
    }
    if "resource" in form.fields:
        data["resource"] = "0"
    return data


def test_import_page_loads_and_offers_csv(admin_client):
    response = admin_client.get(reverse("admin:members_company_import"))

    assert response.status_code == 200
    labels = [label for _value, label in response.context["form"].fields["format"].choices]
    assert "csv" in labels


def test_import_shows_a_preview_and_saves_nothing_yet(admin_client, register):
    content = f"name,siret,city,sectors\nDelta,{ACME_SIRET},Thuir,jeu-video\nEpsilon,,Elne,\n"

    response = admin_client.post(
        reverse("admin:members_company_import"), import_form_data(admin_client, content)
    )

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["new"] == 2
    assert response.context["confirm_form"] is not None
    assert "Delta" in response.content.decode()
    assert not Company.objects.filter(trade_name__in=["Delta", "Epsilon"]).exists()


def test_import_with_one_bad_row_shows_the_error_and_offers_no_confirmation(admin_client):
    content = f"name,siret,city\nDelta,,Thuir\nBad,{BAD_SIRET},Elne\n"

    response = admin_client.post(
        reverse("admin:members_company_import"), import_form_data(admin_client, content)
    )

    assert response.status_code == 200
    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context
    assert "fails its check digit" in response.content.decode()
    assert not Company.objects.filter(trade_name__in=["Delta", "Bad"]).exists()


def test_confirmed_import_creates_the_companies(admin_client, register):
    content = f"name,siret,city,sectors\nDelta,{ACME_SIRET},Thuir,jeu-video\nEpsilon,,Elne,\n"
    preview = admin_client.post(
        reverse("admin:members_company_import"), import_form_data(admin_client, content)
    )
    confirm_form = preview.context["confirm_form"]
    data = {name: confirm_form.initial[name] for name in confirm_form.fields}

    response = admin_client.post(reverse("admin:members_company_process_import"), data)

    assert response.status_code == 302
    assert response.url == reverse("admin:members_company_changelist")
    delta = Company.objects.get(trade_name="Delta")
    assert (delta.siret, delta.city, delta.published, delta.slug) == (
        ACME_SIRET,
        "Thuir",
        True,
        "delta",
    )
    assert list(delta.sectors.values_list("slug", flat=True)) == ["jeu-video"]
    assert Company.objects.get(trade_name="Epsilon").city == "Elne"


def test_confirmed_import_saves_nothing_if_a_row_became_invalid_since_the_preview(
    admin_client,
):
    content = "name,city\nDelta,Thuir\nEpsilon,Elne\n"
    preview = admin_client.post(
        reverse("admin:members_company_import"), import_form_data(admin_client, content)
    )
    confirm_form = preview.context["confirm_form"]
    # Meanwhile, someone adds two companies called Epsilon: the row is now ambiguous.
    CompanyFactory(trade_name="Epsilon", siret="")
    CompanyFactory(trade_name="Epsilon", siret="")

    response = admin_client.post(
        reverse("admin:members_company_process_import"),
        {name: confirm_form.initial[name] for name in confirm_form.fields},
        follow=True,
    )

    assert not Company.objects.filter(trade_name="Delta").exists()
    assert not any("Import finished" in str(m) for m in response.context["messages"])


def test_import_uses_the_full_set_of_register_columns(admin_client):
    content = (
        "name,legal_name,siret,vat_number,naf_code,legal_form,year_founded,published\n"
        f"Delta,Delta Holding,{ACME_SIRET},FR44732829320,6201z,SAS,2015,0\n"
    )
    preview = admin_client.post(
        reverse("admin:members_company_import"), import_form_data(admin_client, content)
    )
    confirm_form = preview.context["confirm_form"]

    admin_client.post(
        reverse("admin:members_company_process_import"),
        {name: confirm_form.initial[name] for name in confirm_form.fields},
    )

    delta = Company.objects.get(trade_name="Delta")
    assert delta.legal_name == "Delta Holding"
    assert (delta.vat_number, delta.naf_code, delta.legal_form) == (
        "FR44732829320",
        "62.01Z",
        "SAS",
    )
    assert (delta.year_founded, delta.published) == (2015, False)


# --- Export ---


def export_csv(admin_client):
    """Export every company as CSV through the admin and return the parsed rows."""
    url = reverse("admin:members_company_export")
    form = admin_client.get(url).context["form"]
    csv_index = next(value for value, label in form.fields["format"].choices if label == "csv")
    data = {"format": csv_index, "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if field.initial is True})

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_has_the_register_columns(admin_client, register):
    rows = export_csv(admin_client)

    assert list(rows[0]) == [
        "name",
        "legal_name",
        "siren",
        "siret",
        "vat_number",
        "naf_code",
        "legal_form",
        "street",
        "postcode",
        "city",
        "country",
        "website",
        "email",
        "phone",
        "headcount_band",
        "year_founded",
        "sectors",
        "description_fr",
        "description_en",
        "published",
    ]


def test_exported_file_imports_back_without_the_quotes(admin_client, register):
    CompanyFactory(
        trade_name="Risky",
        siret=BETA_SIRET,
        siren=BETA_SIRET[:9],
        description_fr="=HYPERLINK(1)",
        phone="+33 4 68 00 00 00",
    )
    rows = export_csv(admin_client)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        if row["siret"] == BETA_SIRET:
            row["city"] = "Figueres"
        writer.writerow(row)
    Company.objects.filter(siret=BETA_SIRET).update(description_fr="changed", phone="")

    preview = admin_client.post(
        reverse("admin:members_company_import"),
        import_form_data(admin_client, buffer.getvalue()),
    )
    assert preview.context["result"].totals["update"] == 4
    confirm_form = preview.context["confirm_form"]
    admin_client.post(
        reverse("admin:members_company_process_import"),
        {name: confirm_form.initial[name] for name in confirm_form.fields},
    )

    risky = Company.objects.get(siret=BETA_SIRET)
    assert risky.description_fr == "=HYPERLINK(1)"
    assert risky.phone == "+33 4 68 00 00 00"
    assert risky.city == "Figueres"
    assert Company.objects.count() == 4
    assert Sector.objects.count() == 2
    assert set(Company.objects.filter(published=False).values_list("trade_name", flat=True)) == {
        "Beta Santé",
        "Gamma Jeux",
    }
    assert set(register["gamma"].sectors.values_list("slug", flat=True)) == {
        "jeu-video",
        "e-sante",
    }
