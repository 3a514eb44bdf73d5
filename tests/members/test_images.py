"""Logo upload checks: what is accepted and how it is re-encoded. The reasons to refuse a
file are in tests/security/test_hostile_uploads.py."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from members.images import process_logo

ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6


def encode(image, image_format, **options):
    """Return the bytes of the image saved in the format."""
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def upload(content, name="logo.png"):
    return SimpleUploadedFile(name, content)


def reopen(content):
    """Open the processed logo with Pillow, as a browser would read it."""
    content.seek(0)
    image = Image.open(io.BytesIO(content.read()))
    image.load()
    return image


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


def test_a_file_already_read_by_a_form_field_is_read_from_its_start():
    uploaded = upload(encode(Image.new("RGB", (8, 8)), "PNG"))
    uploaded.read()

    assert process_logo(uploaded).image_size == (8, 8)
