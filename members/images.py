"""Check uploaded company logos (untrusted files) and re-encode them without metadata.

Representatives upload logos from anywhere, so a logo is treated as hostile until Pillow has
decoded every pixel: the upload is read once with a hard size cap, its declared dimensions are
checked before any pixel is decoded, and only a fresh image (no EXIF, XMP, ICC profile, text
chunk or comment) re-encoded as PNG or JPEG leaves this module.
"""

import contextlib
import io
import logging
import struct
import warnings
from pathlib import PurePosixPath

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
MAX_SIDE = 10_000  # pixels, on either side of the uploaded image
# Pixels of the uploaded image, read from its header before any is decoded: decoding costs
# about 4 bytes a pixel, so 25 Mpx keep one upload near 100 MB of a worker's memory. Pillow's
# own limit (Image.MAX_IMAGE_PIXELS) is set to the same in MembersConfig.ready, so that
# every Image.open in the process warns above it and refuses twice as much.
MAX_PIXELS = 25_000_000
MAX_MEGAPIXELS = MAX_PIXELS // 1_000_000
OUTPUT_SIDE = 1024  # pixels, on the longer side of the stored logo
JPEG_QUALITY = 88
NAME_MAX_LENGTH = 40
FALLBACK_NAME = "logo"

# Pillow reports camera JPEGs holding several frames (MPO) as their own format; they are JPEGs.
ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "MPO", "WEBP"})
_ACCEPTED_OPENERS = ("PNG", "JPEG", "WEBP")
# Recognised only to name them in the refusal: Pillow parses their header, never their pixels.
# Formats without a reliable signature (TGA) are left out, or a text file could be "identified".
_REFUSED_OPENERS = ("GIF", "BMP", "DIB", "TIFF", "ICO", "ICNS", "PSD", "AVIF", "JPEG2000", "PPM")

# What a damaged file makes Pillow's decoders raise; anything else is logged as a bug of ours.
_DECODING_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    struct.error,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
    MemoryError,
)

# What a storage raises when the disk is full, read-only or unreachable (local disk or S3).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

MESSAGES = {
    "too_large": _("This file is larger than %(limit)s MB. Upload a logo of at most %(limit)s MB."),
    "empty": _("This file is empty. Upload a PNG, JPEG or WebP image."),
    "not_an_image": _("This file is not an image. Upload a PNG, JPEG or WebP image."),
    "svg": _("SVG logos are not accepted. Export your logo as a PNG and upload that file."),
    "format": _("%(format)s images are not accepted. Upload a PNG, JPEG or WebP image."),
    "too_big_dimensions": _(
        "This image is %(width)s × %(height)s pixels; each side must be at most %(limit)s pixels."
    ),
    "bomb": _(
        "This image has too many pixels to be processed safely: at most %(limit)s megapixels "
        "are accepted (5000 × 5000, say). Upload a smaller image: %(side)s pixels on the "
        "longer side are plenty for a logo."
    ),
    "corrupt": _(
        "This image is damaged or incomplete and cannot be read. "
        "Export it again and upload the new file."
    ),
    "storage": _(
        "The logo could not be stored: the server's file storage is full or unavailable. "
        "Nothing was changed. Try again later, or tell the cluster's staff if it persists."
    ),
}


def store_logo(storage, name, content):
    """Save a processed logo and return its stored name.

    Raise ValidationError (code "storage") when the storage fails; the storage leaves no
    partial file behind (cluster.storage.FileSystemStorage, or S3's all-or-nothing PUT).
    """
    try:
        return storage.save(name, content)
    except STORAGE_ERRORS as error:
        logger.error("Cannot store the logo %s: %s", name, error)
        refusal = ValidationError(MESSAGES["storage"], code="storage")
        raise ValidationError({"new_logo": refusal}) from error


def process_logo(uploaded):
    """Check an uploaded logo and return it re-encoded as a ContentFile.

    Return a PNG (when the image has transparency) or a JPEG, at most OUTPUT_SIDE pixels on its
    longer side, upright according to its EXIF orientation and stripped of all metadata. The
    file is named after a slug of the uploaded name and has an ``image_size`` attribute holding
    its (width, height).

    Raise ValidationError, with one of the codes of MESSAGES, when the file is refused. The
    extension of the uploaded name is ignored: the content decides.
    """
    data = _read_capped(uploaded)
    # Scoped to this call: outside it, Pillow keeps warning instead of raising.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _open(data)
            # JPEG can decode at 1/2, 1/4 or 1/8 scale: skip pixels that would be thrown away,
            # keeping twice the output size so that the final resize stays sharp.
            if image.format in ("JPEG", "MPO"):
                image.draft(None, (2 * OUTPUT_SIDE, 2 * OUTPUT_SIDE))
            # Image.open only reads the header: decode every pixel now to find damaged files.
            image.load()
            encoded, extension, size = _reencode(image)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _bomb() from error
        except _DECODING_ERRORS as error:
            logger.info("Refused a damaged logo %r: %s", _name_of(uploaded), error)
            raise _refusal("corrupt") from error
        except Exception as error:
            # The promise to callers is "ValidationError or a logo", whatever the file holds.
            logger.exception("Unexpected error while decoding the logo %r", _name_of(uploaded))
            raise _refusal("corrupt") from error
    content = ContentFile(encoded, name=safe_name(_name_of(uploaded), extension))
    content.image_size = size
    return content


def safe_name(original, extension):
    """Return a storage-safe file name: a slug of the original stem plus the extension."""
    # Browsers and file-likes may send full Windows or POSIX paths: keep the last part only.
    stem = PurePosixPath(str(original or "").replace("\\", "/")).stem
    slug = slugify(stem)[:NAME_MAX_LENGTH].strip("-_")
    return f"{slug or FALLBACK_NAME}.{extension}"


def _bomb():
    return _refusal("bomb", limit=MAX_MEGAPIXELS, side=OUTPUT_SIDE)


def _refusal(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _name_of(uploaded):
    return getattr(uploaded, "name", None) or ""


def _read_capped(uploaded):
    """Return the whole upload, refusing it without reading more than MAX_UPLOAD_BYTES + 1."""
    declared = getattr(uploaded, "size", None)
    if isinstance(declared, int) and declared > MAX_UPLOAD_BYTES:
        raise _refusal("too_large", limit=MAX_UPLOAD_MB)
    # A form field may already have read the file to validate it.
    with contextlib.suppress(AttributeError, OSError, ValueError):
        uploaded.seek(0)
    # The declared size may lie (or be missing): the read itself enforces the limit.
    chunks = []
    remaining = MAX_UPLOAD_BYTES + 1
    while remaining > 0:
        chunk = uploaded.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refusal("too_large", limit=MAX_UPLOAD_MB)
    if not data:
        raise _refusal("empty")
    return data


def _open(data):
    """Open the image header and refuse anything but a PNG, JPEG or WebP of sane dimensions."""
    Image.init()  # register every plugin, so that the refused formats can be named
    openers = [name for name in (*_ACCEPTED_OPENERS, *_REFUSED_OPENERS) if name in Image.OPEN]
    try:
        image = Image.open(io.BytesIO(data), formats=openers)
    except UnidentifiedImageError as error:
        raise _refusal("svg" if _looks_like_svg(data) else "not_an_image") from error
    if image.format not in ACCEPTED_FORMATS:
        raise _refusal("format", format=image.format)
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE:
        raise _refusal("too_big_dimensions", width=width, height=height, limit=MAX_SIDE)
    # The pixel budget, from the header: no pixel is decoded yet. Image.open checks Pillow's
    # limit too, but through the warnings filter, which another thread may reset at any
    # moment (catch_warnings is process-wide): this check does not depend on it.
    limit = min(MAX_PIXELS, Image.MAX_IMAGE_PIXELS or MAX_PIXELS)
    if width * height > limit:
        raise _bomb()
    return image


def _looks_like_svg(data):
    """Tell whether bytes that Pillow cannot read look like an SVG document."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # An HTML page may hold an inline <svg> icon; it is still a web page, not a logo.
    if not head.startswith(b"<") or head.startswith((b"<!doctype html", b"<html")):
        return False
    markers = (b"<svg", b"<!doctype svg", b"http://www.w3.org/2000/svg")
    return any(marker in head for marker in markers)


def _reencode(image):
    """Return (bytes, extension, size) of the decoded image, upright, shrunk and bare."""
    image = ImageOps.exif_transpose(image)
    if image.mode == "I" or image.mode.startswith("I;"):
        # 16-bit greyscale PNG: a plain conversion clips every level above 255 to white.
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    # Convert before resizing: palette images would otherwise be resized without filtering.
    image = image.convert("RGBA" if transparent else "RGB")
    image.thumbnail((OUTPUT_SIDE, OUTPUT_SIDE), Image.Resampling.LANCZOS)
    # A fresh image carries no info at all: Pillow's encoders otherwise fall back on the
    # source's ICC profile (PNG) or comment (JPEG) even when not asked to write them.
    bare = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    if transparent:
        bare.save(buffer, format="PNG")
        extension = "png"
    else:
        bare.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return buffer.getvalue(), extension, bare.size
