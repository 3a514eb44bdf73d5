"""Keep the search index in step with the register, in the same transaction as each write.

Only derived, rebuildable data lives here; no business rule does. The version number that
invalidates cached public pages follows its own watched models (``members.caching.watch``).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from . import search
from .models import Company, Membership, Sector


def _index(company_ids, using):
    search.index_companies(company_ids, using=using)
    search.fold_after_commit(using=using)


@receiver(post_save, sender=Company)
def company_saved(sender, instance, using, raw=False, **kwargs):
    if not raw:
        _index([instance.pk], using)


@receiver(post_delete, sender=Company)
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def company_listing_may_change(sender, using, raw=False, **kwargs):
    """A company gone, or a membership that may list or delist its company."""
    if not raw:
        search.fold_after_commit(using=using)


@receiver(m2m_changed, sender=Company.sectors.through)
def company_sectors_changed(sender, instance, action, reverse, pk_set, using, **kwargs):
    if action == "pre_clear" and reverse:
        # sector.companies.clear(): remember whom it concerns before the links go.
        instance._cleared_company_ids = list(instance.companies.values_list("pk", flat=True))
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        company_ids = [instance.pk]
    elif action == "post_clear":
        company_ids = getattr(instance, "_cleared_company_ids", [])
    else:
        company_ids = list(pk_set or [])
    _index(company_ids, using)


@receiver(post_save, sender=Sector)
def sector_saved(sender, instance, using, created, raw=False, **kwargs):
    if not created and not raw:
        _index(instance.companies.values_list("pk", flat=True), using)


@receiver(pre_delete, sender=Sector)
def sector_deleting(sender, instance, **kwargs):
    instance._company_ids = list(instance.companies.values_list("pk", flat=True))


@receiver(post_delete, sender=Sector)
def sector_deleted(sender, instance, using, **kwargs):
    _index(getattr(instance, "_company_ids", []), using)
