"""The rollups follow every save of a case, in the same transaction: `pre_save` reads what the
database holds (the services hold the case's row lock), `post_save` adds the difference. Saves
that touch no field the statistics read cost nothing; a deleted case is taken out. Bulk writes
(`QuerySet.update`, `bulk_create`) bypass this; the history generator rebuilds the rollups
after them."""

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from servicehall.cases.models import Case

from . import rollups
from .contributions import CaseFacts, delta

_WATCHED = frozenset(name.removesuffix("_id") for name in rollups.CASE_FIELDS) | frozenset(
    rollups.CASE_FIELDS)


def _relevant(update_fields) -> bool:
    return update_fields is None or bool(_WATCHED & set(update_fields))


_SKIP = object()
_BEFORE = "_stats_before"


@receiver(pre_save, sender=Case, dispatch_uid="stats_case_before")
def case_before(sender, instance: Case, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not _relevant(update_fields):
        setattr(instance, _BEFORE, _SKIP)
        return
    setattr(instance, _BEFORE, rollups.facts_stored(instance.pk) if instance.pk else None)


@receiver(post_save, sender=Case, dispatch_uid="stats_case_after")
def case_after(sender, instance: Case, created=False, raw=False, **kwargs) -> None:
    before = getattr(instance, _BEFORE, _SKIP)
    if raw or not (before is None or isinstance(before, CaseFacts)):
        return
    rollups.case_rollups_update(before=before, case=instance)
    if created:
        rollups.hourly_add(instance)


@receiver(pre_delete, sender=Case, dispatch_uid="stats_case_deleted")
def case_deleted(sender, instance: Case, **kwargs) -> None:
    """A deleted case leaves the daily and monthly counts (the hour of its intake stays in the
    heat map until the next rebuild)."""
    rollups.rollups_apply(delta(rollups.facts_stored(instance.pk), None))
