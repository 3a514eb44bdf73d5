"""Logo thumbnails, made with Pillow once per logo and size, then served from storage."""

import io
import logging
from pathlib import PurePosixPath

from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from .images import MAX_PIXELS, STORAGE_ERRORS

logger = logging.getLogger(__name__)

SIZES = {"small": 128, "large": 320}  # pixels; shown at half size on high-density screens


def thumbnail_name(logo_name, size):
    path = PurePosixPath(logo_name)
    return f"thumbs/{size}/{path.parent}/{path.stem}.webp"


def thumbnail_url(logo, size="small"):
    """Return the URL of the logo's thumbnail, making it on first use; None without one."""
    if not logo:
        return None
    name = thumbnail_name(logo.name, size)
    cache_key = f"thumbnail:{name}"
    if cache.get(cache_key):
        return logo.storage.url(name)
    if logo.storage.exists(name) or _make(logo, name, SIZES[size]):
        cache.set(cache_key, True, None)
        return logo.storage.url(name)
    return None


def _make(logo, name, pixels):
    try:
        with logo.storage.open(logo.name, "rb") as source, Image.open(source) as image:
            # A logo stored before the pixel budget (or by hand) is not decoded on a page.
            if image.width * image.height > MAX_PIXELS:
                logger.warning("No thumbnail of %s: %s × %s pixels", logo.name, *image.size)
                return False
            image.thumbnail((pixels, pixels))
            if image.mode not in ("RGB", "RGBA"):
                image = image.convert("RGBA")
            buffer = io.BytesIO()
            image.save(buffer, format="WEBP", quality=85)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        logger.warning("Cannot make a thumbnail of %s", logo.name, exc_info=True)
        return False
    try:
        logo.storage.save(name, ContentFile(buffer.getvalue()))
    except STORAGE_ERRORS:
        logger.error("Cannot store the thumbnail %s", name, exc_info=True)
        return False
    return True


def delete_thumbnails(logo_name, storage):
    """Remove a logo's thumbnails (when the logo is replaced or removed)."""
    for size in SIZES:
        name = thumbnail_name(logo_name, size)
        storage.delete(name)
        cache.delete(f"thumbnail:{name}")
