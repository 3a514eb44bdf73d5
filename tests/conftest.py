import io

import pytest
from PIL import Image


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Give every test its own MEDIA_ROOT so that uploads never leak between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def png_bytes():
    """Return a small valid PNG image, made in memory with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (163, 22, 26)).save(buffer, format="PNG")
    return buffer.getvalue()
