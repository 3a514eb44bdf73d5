"""Logo upload checks: what is accepted, how it is re-encoded, and every reason to refuse."""

import contextlib
import io
import random
import struct
import warnings
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from members.images import MAX_UPLOAD_BYTES, process_logo

ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6


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


def reopen(content):
    """Open the processed logo with Pillow, as a browser would read it."""
    content.seek(0)
    image = Image.open(io.BytesIO(content.read()))
    image.load()
    return image


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


# Accepted images


@pytest.mark.parametrize(
    ("image_format", "name"), [("PNG", "logo.png"), ("JPEG", "logo.jpg"), ("WEBP", "logo.webp")]
)
def test_png_jpeg_and_webp_images_are_accepted(image_format, name):
    content = process_logo(upload(encode(Image.new("RGB", (64, 48), "teal"), image_format), name))

    result = reopen(content)
    assert (result.format, result.size) == ("JPEG", (64, 48))
    assert content.image_size == (64, 48)


def test_an_opaque_image_is_reencoded_as_an_rgb_jpeg_named_jpg():
    content = process_logo(upload(encode(Image.new("L", (30, 20), 90), "PNG"), "Mono.png"))

    result = reopen(content)
    assert (result.format, result.mode) == ("JPEG", "RGB")
    assert content.name == "mono.jpg"


def test_a_large_image_is_shrunk_to_1024_px_on_its_longer_side_keeping_its_ratio():
    content = process_logo(upload(encode(Image.new("RGB", (3000, 1500), "navy"), "JPEG")))

    assert reopen(content).size == (1024, 512)
    assert content.image_size == (1024, 512)


def test_a_tall_image_is_shrunk_on_its_height():
    content = process_logo(upload(encode(Image.new("L", (1500, 3000), 200), "PNG")))

    assert reopen(content).size == (512, 1024)


def test_a_small_image_is_not_upscaled():
    content = process_logo(upload(encode(Image.new("RGB", (40, 30), "red"), "PNG")))

    assert reopen(content).size == (40, 30)


def test_an_image_of_exactly_10000_px_on_a_side_is_accepted():
    content = process_logo(upload(encode(Image.new("1", (10_000, 10)), "PNG")))

    assert content.image_size == (1024, 1)


def test_the_exif_orientation_is_applied_then_the_exif_is_removed():
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_90_CLOCKWISE
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8298] = "Secret owner"  # Copyright
    photo = encode(Image.new("RGB", (40, 20), "green"), "JPEG", exif=exif.tobytes())

    result = reopen(process_logo(upload(photo, "photo.jpg")))

    assert result.size == (20, 40)
    assert dict(result.getexif()) == {}
    assert "exif" not in result.info


def test_png_text_chunks_and_xmp_are_removed():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jane Doe, jane@example.org")
    text.add_itxt("Comment", "internal draft", zip=True)
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
    logo = encode(Image.new("RGBA", (32, 32), (0, 0, 255, 128)), "PNG", pnginfo=text)
    assert "Author" in Image.open(io.BytesIO(logo)).info  # the fixture does carry text

    result = reopen(process_logo(upload(logo)))

    assert result.format == "PNG"
    assert not {"Author", "Comment", "XML:com.adobe.xmp", "xmp"} & set(result.info)
    assert not getattr(result, "text", {})


def test_jpeg_comments_xmp_and_icc_profiles_are_removed():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = encode(
        Image.new("RGB", (32, 32), "orange"),
        "JPEG",
        comment=b"made by an intern",
        xmp=b"<x:xmpmeta>secret</x:xmpmeta>",
        icc_profile=srgb,
    )
    assert {"comment", "xmp", "icc_profile"} <= set(Image.open(io.BytesIO(photo)).info)

    result = reopen(process_logo(upload(photo, "logo.jpg")))

    assert not {"comment", "xmp", "icc_profile", "exif"} & set(result.info)


def test_an_icc_profile_is_removed_from_a_transparent_png():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    logo = encode(Image.new("RGBA", (16, 16), (1, 2, 3, 4)), "PNG", icc_profile=srgb)

    assert "icc_profile" not in reopen(process_logo(upload(logo))).info


def test_a_transparent_png_stays_a_png_with_its_alpha_channel():
    logo = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    logo.paste((200, 10, 10, 255), (10, 10, 40, 30))

    content = process_logo(upload(encode(logo, "PNG"), "Logo Transparent.png"))

    result = reopen(content)
    assert (result.format, result.mode) == ("PNG", "RGBA")
    assert result.getpixel((0, 0))[3] == 0
    assert result.getpixel((25, 20)) == (200, 10, 10, 255)
    assert content.name == "logo-transparent.png"


def test_a_palette_png_with_a_transparent_colour_becomes_an_rgba_png():
    logo = Image.new("P", (20, 20), 0)
    logo.putpalette([255, 255, 255, 10, 20, 30])
    logo.paste(1, (5, 5, 15, 15))

    result = reopen(process_logo(upload(encode(logo, "PNG", transparency=0))))

    assert (result.format, result.mode) == ("PNG", "RGBA")
    assert result.getpixel((0, 0))[3] == 0
    assert result.getpixel((10, 10)) == (10, 20, 30, 255)


def test_a_transparent_webp_stays_transparent():
    logo = encode(Image.new("RGBA", (20, 20), (9, 9, 9, 0)), "WEBP", lossless=True)

    result = reopen(process_logo(upload(logo, "logo.webp")))

    assert (result.format, result.mode) == ("PNG", "RGBA")


def test_a_cmyk_jpeg_is_converted_to_rgb():
    photo = encode(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG")

    result = reopen(process_logo(upload(photo, "print.jpg")))

    assert result.mode == "RGB"
    red, green, blue = result.getpixel((10, 10))
    assert red > 200 and green < 60 and blue < 60


def test_a_16_bit_greyscale_png_keeps_its_grey_level_instead_of_turning_white():
    logo = encode(Image.new("I;16", (20, 20), 32_768), "PNG")

    red, green, blue = reopen(process_logo(upload(logo))).getpixel((10, 10))

    assert 120 <= red <= 136 and red == green == blue


def test_a_real_png_named_jpg_is_accepted_on_its_content():
    content = process_logo(upload(encode(Image.new("RGBA", (8, 8)), "PNG"), "logo.jpg"))

    assert reopen(content).format == "PNG"
    assert content.name == "logo.png"


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


def test_a_file_already_read_by_a_form_field_is_read_from_its_start():
    uploaded = upload(encode(Image.new("RGB", (8, 8)), "PNG"))
    uploaded.read()

    assert process_logo(uploaded).image_size == (8, 8)


# Refused files


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
    # 90 Mpx: within the side limit, over Pillow's limit (~89 Mpx) that only warns by default.
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
