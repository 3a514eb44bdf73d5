"""Writes on the register that go beyond saving one form."""

from django.utils.text import slugify

from ..models import (
    Company,
)


def company_unique_slug(
    *, name: str, exclude_pk: int | None = None, taken: set[str] | None = None
) -> str:
    """Return a slug for ``name`` that no other company uses (``acme``, ``acme-2``...).

    ``taken`` is an optional set of slugs already reserved in the same batch.
    """
    base = slugify(name)[:200] or "company"
    existing = Company.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    used = set(existing.values_list("slug", flat=True)) | (taken or set())
    slug, counter = base, 2
    while slug in used:
        slug = f"{base}-{counter}"
        counter += 1
    return slug
