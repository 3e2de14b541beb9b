"""Keeping the search entries in step with what the guide publishes. Called inside the service
that publishes a version, withdraws or republishes an item, so the index changes in the same
transaction as the catalog; `search_rebuild` rewrites every entry."""

from collections.abc import Iterable

from django.db import transaction

from ..models import ItemVersion, SearchEntry, ServiceItem
from . import text


def entry_values(*, name: str, keywords: Iterable[str], materials: Iterable[str],
                 conditions: str) -> dict[str, str]:
    """The columns of a search entry from a version's plain values (also used by the
    migration that fills the first entries, with historical models)."""
    keyword_text = " ".join(keywords)
    body = "\n".join([*materials, conditions]).strip()
    return {"name": name, "keywords": keyword_text, "body": body,
            "name_tokens": text.index_tokens(name),
            "keyword_tokens": text.index_tokens(keyword_text),
            "body_tokens": text.index_tokens(body)}


def _values(version: ItemVersion) -> dict[str, str]:
    return entry_values(name=version.name, keywords=version.keywords,
                        materials=[m.name for m in version.materials.all()],
                        conditions=version.conditions)


def item_index(*, item: ServiceItem) -> None:
    """Index the item's current version if the guide shows the item; drop it otherwise."""
    if not item.is_active or item.current_version_id is None:
        SearchEntry.objects.filter(item_id=item.pk).delete()
        return
    version = (ItemVersion.objects.prefetch_related("materials")
               .get(pk=item.current_version_id))
    SearchEntry.objects.update_or_create(
        item_id=item.pk, defaults={"center_id": item.center_id, "version": version,
                                   **_values(version)})


@transaction.atomic
def search_rebuild(*, center=None) -> int:
    """Rewrite every entry from the published versions; the number of entries written."""
    entries = SearchEntry.objects.all()
    items = ServiceItem.objects.filter(is_active=True, current_version__isnull=False)
    if center is not None:
        entries, items = entries.filter(center=center), items.filter(center=center)
    entries.delete()
    versions = (ItemVersion.objects.filter(current_for__in=items)
                .select_related("current_for").prefetch_related("materials"))
    rows = [SearchEntry(item_id=v.current_for.pk, center_id=v.current_for.center_id,
                        version=v, **_values(v)) for v in versions.iterator(chunk_size=500)]
    SearchEntry.objects.bulk_create(rows, batch_size=500)
    return len(rows)
