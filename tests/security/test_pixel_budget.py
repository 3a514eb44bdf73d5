"""The logo pipeline's pixel budget (25 Mpx), read from the header before any pixel is
decoded, for representatives' uploads, staff's uploads in the admin and thumbnails."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.images import MAX_PIXELS, process_logo
from members.models import Company
from members.thumbnails import thumbnail_url
from tests.members.factories import CompanyFactory, UserFactory, profile_data

from .test_hostile_uploads import png_declaring


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Ask for the English pages, so that assertions never depend on the French catalog."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def blank_png(width, height):
    """Return a real, valid 1-bit PNG of this size, written row by row: 9,400 × 9,400 pixels
    make about 350 kB, as in the report, without Pillow holding them in memory."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def huge_png():
    return blank_png(9_400, 9_400)


def test_the_reported_png_is_a_real_small_file_of_88_megapixels(huge_png):
    assert len(huge_png) < 500_000
    assert struct.unpack(">II", huge_png[16:24]) == (9_400, 9_400)
    # Pillow itself now refuses to open it anywhere in the process (twice the budget).
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(huge_png))


def test_a_9400_px_square_png_is_refused_naming_the_limit(huge_png):
    with pytest.raises(ValidationError) as caught:
        process_logo(SimpleUploadedFile("logo.png", huge_png))
    assert caught.value.code == "bomb"
    assert "25 megapixels" in caught.value.messages[0]


def test_one_pixel_over_the_budget_is_refused_from_the_header_alone():
    # The header claims 5,001 × 5,000 pixels and no pixel follows: a decoder would call the
    # file damaged, so "bomb" shows that nothing was decoded.
    with pytest.raises(ValidationError) as caught:
        process_logo(SimpleUploadedFile("logo.png", png_declaring(5_001, 5_000)))
    assert caught.value.code == "bomb"


def test_pillow_refuses_the_same_budget_everywhere_in_the_process():
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS == 25_000_000


@pytest.mark.django_db
def test_a_representative_gets_a_form_error_naming_the_limit(client, settings, huge_png):
    from tests.members.factories import RepresentativeFactory

    settings.CITE_MODERATE_PROFILES = False
    representative = RepresentativeFactory(role="admin")
    company = representative.company
    client.force_login(representative.user)
    response = client.post(
        reverse("members:my-profile", args=[company.slug]),
        {**profile_data(company), "new_logo": ContentFile(huge_png, "logo.png")},
    )
    assert response.status_code == 200
    assert "25 megapixels" in " ".join(response.context["form"].errors["new_logo"])
    company.refresh_from_db()
    assert not company.logo


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def admin_company_data(company, **changes):
    """Return the admin's change form for a company, as the browser posts it, unchanged."""
    data = {
        "trade_name": company.trade_name,
        "legal_name": company.legal_name,
        "slug": company.slug,
        "published": "on",
        "siren": company.siren,
        "siret": company.siret,
        "street": company.street,
        "postcode": company.postcode,
        "city": company.city,
        "country": company.country,
        "headcount_band": company.headcount_band,
        "description_fr": company.description_fr,
    }
    for prefix in ("contacts", "representatives", "memberships"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_staff_uploading_the_same_png_in_the_admin_get_the_same_error(staff_client, huge_png):
    company = CompanyFactory()
    url = reverse("admin:members_company_change", args=[company.pk])
    response = staff_client.post(
        url, admin_company_data(company, logo=ContentFile(huge_png, "logo.png"))
    )
    assert response.status_code == 200
    assert "25 megapixels" in " ".join(response.context["adminform"].form.errors["logo"])
    company.refresh_from_db()
    assert not company.logo


@pytest.mark.django_db
def test_a_logo_uploaded_in_the_admin_is_shrunk_and_re_encoded(staff_client):
    company = CompanyFactory()
    buffer = io.BytesIO()
    Image.new("RGB", (2_000, 1_000), (10, 20, 30)).save(buffer, format="PNG")
    url = reverse("admin:members_company_change", args=[company.pk])
    response = staff_client.post(
        url, admin_company_data(company, logo=ContentFile(buffer.getvalue(), "Logo Vroom.png"))
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    company = Company.objects.get(pk=company.pk)
    assert company.logo.name.startswith("logos/logo-vroom") and company.logo.name.endswith(".jpg")
    with company.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (1_024, 512)


@pytest.mark.django_db
def test_no_thumbnail_is_decoded_from_a_stored_logo_over_the_budget():
    company = CompanyFactory()
    company.logo.save("old.png", ContentFile(png_declaring(6_000, 5_000)))
    assert thumbnail_url(company.logo) is None
