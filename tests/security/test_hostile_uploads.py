"""Hostile uploads: what a logo upload may carry (SVG with scripts, HTML, PDF, bombs,
truncated or damaged images, oversized or lying files, path tricks in the name) is refused
with a clear message, by ``process_logo`` and through the representatives' profile form,
and nothing is stored."""

import contextlib
import io
import os
import random
import struct
import warnings
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.images import MAX_UPLOAD_BYTES, process_logo
from tests.members.factories import profile_data

from .support import company_state


def encode(image, image_format, **options):
    """Return the bytes of the image saved in the format."""
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def noise(size, mode="RGB"):
    """Return an image of random pixels, which compresses badly (like a photo)."""
    rng = random.Random(f"{mode}{size}")  # the same pixels on every run
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))


def upload(content, name="logo.png"):
    return SimpleUploadedFile(name, content)


def refusal(uploaded):
    """Return the ValidationError that process_logo raises for the upload."""
    with pytest.raises(ValidationError) as caught:
        process_logo(uploaded)
    return caught.value


def png_declaring(width, height):
    """Return a tiny 1-bit PNG whose header claims the given dimensions.

    Pillow would need one byte per pixel to make such an image for real (400 MB for the bomb),
    so a small one is made and its IHDR chunk rewritten, with a valid checksum.
    """
    data = bytearray(encode(Image.new("1", (8, 8)), "PNG"))
    ihdr = 8  # the chunk right after the signature: length, type, data, CRC
    assert data[ihdr + 4 : ihdr + 8] == b"IHDR"
    data[ihdr + 8 : ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(data[ihdr + 4 : ihdr + 8 + 13])
    data[ihdr + 21 : ihdr + 25] = struct.pack(">I", crc)
    return bytes(data)


class Stream:
    """A bare file-like upload that may lie about its size and counts what is read from it."""

    def __init__(self, content, size, name="logo.png"):
        self.buffer = io.BytesIO(content)
        self.size = size
        self.name = name
        self.bytes_read = 0

    def read(self, count=-1):
        chunk = self.buffer.read(count)
        self.bytes_read += len(chunk)
        return chunk

    def seek(self, position):
        return self.buffer.seek(position)


# The logo function


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Société Générale — Logo 2024.PNG", "societe-generale-logo-2024.jpg"),
        ("C:\\Users\\jane\\Desktop\\acme.png", "acme.jpg"),
        ("../../etc/passwd.png", "passwd.jpg"),
        ("???.png", "logo.jpg"),
        ("", "logo.jpg"),
        ("a" * 60 + ".png", "a" * 40 + ".jpg"),
        ("x" * 39 + " y.png", "x" * 39 + ".jpg"),
    ],
)
def test_the_new_name_is_a_short_slug_of_the_original_stem(original, expected):
    png = encode(Image.new("RGB", (8, 8)), "PNG")

    assert process_logo(Stream(png, len(png), name=original)).name == expected


def test_a_file_over_5_mb_is_rejected_as_too_large_before_being_read():
    uploaded = Stream(bytes(MAX_UPLOAD_BYTES + 1), MAX_UPLOAD_BYTES + 1)

    error = refusal(uploaded)

    assert error.code == "too_large"
    assert "5 MB" in error.messages[0]
    assert uploaded.bytes_read == 0


def test_a_file_lying_about_its_size_is_rejected_as_too_large_reading_at_most_5_mb_and_a_byte():
    uploaded = Stream(bytes(3 * MAX_UPLOAD_BYTES), size=1000)

    assert refusal(uploaded).code == "too_large"
    assert uploaded.bytes_read == MAX_UPLOAD_BYTES + 1


def test_a_file_of_exactly_5_mb_is_not_refused_for_its_size():
    assert refusal(upload(bytes(MAX_UPLOAD_BYTES))).code == "not_an_image"


def test_an_empty_file_is_rejected_as_empty():
    assert refusal(upload(b"")).code == "empty"


def test_a_text_file_renamed_png_is_rejected_as_not_an_image():
    error = refusal(upload(b"Our logo is attached.\nBest regards,\nJane\n"))

    assert error.code == "not_an_image"
    assert "PNG, JPEG or WebP" in error.messages[0]


def test_an_html_file_is_rejected_as_not_an_image():
    page = b"<!DOCTYPE html><html><body><svg width='10'></svg>Acme</body></html>"

    assert refusal(upload(page, "logo.html")).code == "not_an_image"


def test_a_pdf_renamed_png_is_rejected_as_not_an_image():
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

    assert refusal(upload(pdf)).code == "not_an_image"


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>',
        b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"\xef\xbb\xbf<?xml version='1.0'?><!DOCTYPE svg PUBLIC '-//W3C//DTD SVG 1.1//EN'>",
    ],
    ids=["bare", "xml-declaration", "bom-and-doctype"],
)
def test_an_svg_is_rejected_with_advice_to_export_a_png(svg):
    error = refusal(upload(svg, "logo.svg"))

    assert error.code == "svg"
    assert "SVG" in error.messages[0] and "PNG" in error.messages[0]


@pytest.mark.parametrize(
    ("image_format", "expected"),
    [("GIF", "GIF"), ("BMP", "BMP"), ("TIFF", "TIFF"), ("ICO", "ICO")],
)
def test_other_image_formats_are_rejected_naming_the_accepted_ones(image_format, expected):
    error = refusal(upload(encode(Image.new("RGB", (16, 16), "blue"), image_format), "logo.png"))

    assert error.code == "format"
    assert expected in error.messages[0]
    assert "PNG, JPEG or WebP" in error.messages[0]


def test_a_truncated_png_is_rejected_as_corrupt():
    png = encode(noise((120, 120)), "PNG")

    error = refusal(upload(png[: len(png) // 2]))

    assert error.code == "corrupt"
    assert "damaged" in error.messages[0]


def test_a_truncated_jpeg_is_rejected_as_corrupt():
    jpeg = encode(noise((120, 120)), "JPEG")

    assert refusal(upload(jpeg[: len(jpeg) // 2], "photo.jpg")).code == "corrupt"


def test_an_image_wider_than_10000_px_is_rejected_with_its_dimensions():
    error = refusal(upload(encode(Image.new("1", (12_000, 10)), "PNG")))

    assert error.code == "too_big_dimensions"
    assert "12000 × 10" in error.messages[0] and "10000" in error.messages[0]


def test_a_decompression_bomb_is_rejected_as_bomb_before_any_pixel_is_decoded():
    error = refusal(upload(png_declaring(20_000, 20_000)))

    assert error.code == "bomb"
    assert "too many pixels" in error.messages[0]


def test_an_image_just_over_pillows_pixel_limit_is_rejected_as_bomb_not_merely_warned_about():
    # 90 Mpx: within the side limit, over the 25 Mpx budget and Pillow's own limit.
    assert Image.MAX_IMAGE_PIXELS < 10_000 * 9_000

    assert refusal(upload(png_declaring(10_000, 9_000))).code == "bomb"


def test_the_decompression_bomb_warning_is_made_an_error_only_during_the_call():
    filters_before = list(warnings.filters)

    refusal(upload(png_declaring(10_000, 9_000)))

    assert warnings.filters == filters_before


def test_damaged_images_never_raise_anything_but_validation_error(caplog):
    rng = random.Random(20240501)
    originals = [
        encode(noise((24, 16)), "PNG"),
        encode(noise((24, 16)), "JPEG"),
        encode(noise((24, 16)), "WEBP"),
        encode(noise((24, 16), "RGBA"), "PNG"),
    ]
    for original in originals:
        for _attempt in range(60):
            damaged = bytearray(original[: rng.randrange(1, len(original) + 1)])
            for _flip in range(rng.randrange(0, 4)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            with contextlib.suppress(ValidationError):
                process_logo(upload(bytes(damaged)))
    # Errors outside the expected decoding failures are logged: none should be left.
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


# Through the representatives' profile form


def stored_files(settings):
    """Return every file under MEDIA_ROOT, relative to it, but the thumbnails the pages make."""
    root = settings.MEDIA_ROOT
    files = {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    }
    return {name for name in files if not name.startswith("thumbs/")}


HOSTILE_FILES = {
    "svg": (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "logo.svg"),
    "svg-with-script": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "logo.png",
    ),
    "text": (b"hello", "logo.png"),
    "html": (b"<html><body><script>alert(1)</script></body></html>", "logo.html"),
    "php": (b"<?php system($_GET['c']); ?>", "logo.php.png"),
    "truncated": (encode(noise((120, 120)), "PNG")[:2000], "logo.png"),
    "bomb": (png_declaring(20_000, 20_000), "logo.png"),
    "gif": (encode(Image.new("RGB", (16, 16)), "GIF"), "logo.gif"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "name"), HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_a_hostile_upload_is_rejected_with_a_message_and_nothing_changes(
    client, own, png_bytes, settings, content, name
):
    settings.CITE_MODERATE_PROFILES = False
    company = own.company
    company.logo.save("old.png", ContentFile(png_bytes))
    before, files_before = company_state(company), stored_files(settings)
    client.force_login(own.user)
    url = reverse("members:my-profile", args=[company.slug])
    data = {
        **profile_data(company, description_fr="Changé."),
        "new_logo": ContentFile(content, name),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["new_logo"]
    assert company_state(company) == before
    assert stored_files(settings) == files_before


@pytest.mark.django_db
def test_a_logo_named_to_climb_out_of_the_media_folder_lands_in_the_logos_folder(
    client, own, png_bytes, settings
):
    settings.CITE_MODERATE_PROFILES = False
    company = own.company
    client.force_login(own.user)
    url = reverse("members:my-profile", args=[company.slug])
    upload = ContentFile(png_bytes, name="../../../../etc/cron.d/evil.png")
    client.post(url, {**profile_data(company), "new_logo": upload})
    company.refresh_from_db()
    assert company.logo.name.startswith("logos/") and ".." not in company.logo.name
    assert stored_files(settings) == {company.logo.name}
