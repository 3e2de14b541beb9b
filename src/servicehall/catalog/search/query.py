"""Reading the search: a query in, ranked published items out."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from servicehall.core.models import Center

from ..models import ServiceItem, Synonym
from . import engines, text


@dataclass
class Hit:
    """One result: the item (filled for the shown page only), where it matched, and a snippet
    of its materials or conditions when the name does not show why it was found."""

    item_id: int
    name: str
    tier: int  # 0 name, 1 keyword, 2 materials or conditions
    keywords: list[str] = field(default_factory=list)
    snippet: str = ""
    item: ServiceItem | None = None

    @property
    def matched_in(self) -> str:
        return ("name", "keyword", "body")[self.tier]


@dataclass
class Results:
    query: text.Query
    hits: list[Hit]
    relaxed: bool = False  # nothing matched as typed; these match parts of the words


def synonyms_for(*, center: Center) -> list[tuple[str, list[str]]]:
    return [(s.phrase, s.term_list) for s in Synonym.objects.filter(center=center)]


def _rank(match: engines.Match, words: list[str]) -> tuple:
    """Name matches first, then keyword matches, then the rest; more matched words first.
    Among name matches the shorter (closer) name, then catalog order (新办 before 变更);
    elsewhere the engine's score."""
    name_hits, keyword_hits = text.hits(match.name, words), text.hits(match.keywords, words)
    tier = 0 if name_hits else 1 if keyword_hits else 2
    closeness = (len(match.name), 0.0) if tier == 0 else (0, match.score)
    return (tier, -name_hits, -keyword_hits, *closeness, match.item_id)


def items_search(*, center: Center, q: str, items: QuerySet[ServiceItem]) -> Results:
    """The published `items` (the guide's filters already applied) matching `q`, widened by
    the center's synonyms: items whose name matches first, then by a keyword, then by a
    material or condition; within each, more matched words first, then the engine's score.
    Three queries (four when nothing matched as typed and the bigram fallback runs):
    synonyms, the engine, and the check that every hit is still published."""
    query = text.parse_query(q, synonyms_for(center=center))
    found = engines.matches(center_id=center.pk, query=query)
    relaxed = False
    if not found and (fallback := text.relaxed(query)):
        query, relaxed = fallback, True
        found = engines.matches(center_id=center.pk, query=query)
    if not found:
        return Results(query, [])
    shown = set(items.filter(pk__in=[m.item_id for m in found]).values_list("pk", flat=True))
    words = query.words
    hits = []
    for match in sorted((m for m in found if m.item_id in shown), key=lambda m: _rank(m, words)):
        tier = _rank(match, words)[0]
        hits.append(Hit(item_id=match.item_id, name=match.name, tier=tier,
                        keywords=match.keywords.split(),
                        snippet=text.snippet(match.body, words) if tier == 2 else ""))
    return Results(query, hits, relaxed=relaxed)


def attach_items(hits: list[Hit], items: QuerySet[ServiceItem]) -> list[Hit]:
    """Fill `item` on the hits of one page (one query)."""
    by_id = items.in_bulk([h.item_id for h in hits])
    for hit in hits:
        hit.item = by_id.get(hit.item_id)
    return [h for h in hits if h.item is not None]
