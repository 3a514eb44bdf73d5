import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Run in English so that assertions on messages do not depend on the French catalog."""
    with translation.override("en"):
        yield
