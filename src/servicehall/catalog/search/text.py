"""Chinese text for the guide's search, in plain Python: what gets indexed, how a query is read,
how colloquial phrases expand, and how matches are marked. No Django import.

Chinese has no spaces between words, and a word is usually two characters (经营, 许可, 户口).
Both database engines index whitespace-separated tokens, so the text is cut into overlapping
character bigrams here, once, the same way for SQLite FTS5 and PostgreSQL:

    食品经营许可 → 食品 品经 经营 营许 许可 可

The trailing single character of each run lets a one-character query (``食`` or ``可``) find it
as a prefix. A query word of two or more characters becomes a *phrase* of its bigrams — they
must stand next to each other — so ``经营许可`` matches exactly that substring and never
``经营`` here and ``许可`` elsewhere. Latin letters and digits stay whole words, matched as
prefixes. Everything that is not a letter, a digit or a CJK character is dropped before it can
reach the engine's query syntax, so quotes, operators and SQL fragments are only separators.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUN = re.compile(f"[{_CJK}]+|[0-9a-z]+")
_IS_CJK = re.compile(f"[{_CJK}]")
MAX_QUERY_TERMS = 8
MAX_TERM_LENGTH = 30
# Words of a question, not of a service name: they split a query (我想开个饭店 → 开个饭店).
FILLERS = re.compile("我想|我要|想要|怎么|如何|怎样|哪里|在哪|需要|什么|可以|请问")


def normalize(text: str) -> str:
    """Full-width forms folded (ＡＢＣ１ → abc1), case folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def runs(text: str) -> list[str]:
    """The runs of Chinese characters and of Latin letters or digits, in order."""
    return _RUN.findall(normalize(text))


def is_cjk(run: str) -> bool:
    return bool(_IS_CJK.match(run))


def index_tokens(text: str) -> str:
    """The text as the engines index it: bigrams plus the last character of each Chinese run,
    Latin/digit words whole."""
    tokens: list[str] = []
    for run in runs(text):
        if is_cjk(run):
            tokens += [run[i:i + 2] for i in range(len(run) - 1)]
            tokens.append(run[-1])
        else:
            tokens.append(run)
    return " ".join(tokens)


@dataclass(frozen=True)
class Term:
    """One word of a query: Chinese (a phrase of bigrams, or one character) or Latin/digits."""

    text: str

    @property
    def bigrams(self) -> list[str]:
        return [self.text[i:i + 2] for i in range(len(self.text) - 1)]

    @property
    def is_prefix(self) -> bool:
        """One Chinese character, or a Latin/digit word: matched as the start of a token."""
        return len(self.text) == 1 or not is_cjk(self.text)


@dataclass(frozen=True)
class Alternative:
    """Terms that must all match (AND); `via` is the colloquial phrase it came from, if any."""

    terms: tuple[Term, ...]
    via: str = ""


@dataclass
class Query:
    """A search query: alternatives, any of which may match (OR)."""

    text: str
    alternatives: list[Alternative] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    @property
    def words(self) -> list[str]:
        """Every term of every alternative, longest first: what the results page marks."""
        seen = {t.text for a in self.alternatives for t in a.terms}
        return sorted(seen, key=lambda w: (-len(w), w))

    @property
    def synonyms_used(self) -> list[tuple[str, str]]:
        """(colloquial phrase, catalog term) pairs that widened the query, for the page."""
        return [(a.via, " ".join(t.text for t in a.terms)) for a in self.alternatives if a.via]

    @property
    def synonym_groups(self) -> list[tuple[str, str]]:
        """(phrase, its terms joined by 、), one per colloquial phrase used."""
        groups: dict[str, list[str]] = {}
        for phrase, term in self.synonyms_used:
            groups.setdefault(phrase, []).append(term)
        return [(phrase, "、".join(terms)) for phrase, terms in groups.items()]

    def fts5(self) -> str:
        """The FTS5 MATCH expression."""
        def term(t: Term) -> str:
            return f'"{t.text}"*' if t.is_prefix else '"' + " ".join(t.bigrams) + '"'
        return " OR ".join("(" + " AND ".join(term(t) for t in a.terms) + ")"
                           for a in self.alternatives)

    def tsquery(self) -> str:
        """The PostgreSQL to_tsquery('simple', …) expression."""
        def term(t: Term) -> str:
            if t.is_prefix:
                return f"'{t.text}':*"
            return "(" + " <-> ".join(f"'{b}'" for b in t.bigrams) + ")"
        return " | ".join("(" + " & ".join(term(t) for t in a.terms) + ")"
                          for a in self.alternatives)


def _terms(text: str) -> tuple[Term, ...]:
    words = list(dict.fromkeys(run[:MAX_TERM_LENGTH] for run in runs(FILLERS.sub(" ", text))))
    return tuple(Term(w) for w in words[:MAX_QUERY_TERMS])


def parse_query(text: str, synonyms: Iterable[tuple[str, Iterable[str]]] = ()) -> Query:
    """The query as typed, plus one alternative for each catalog term of every colloquial
    phrase found in it (开饭店 → 食品经营许可; 我想开饭店 as well)."""
    query = Query(text=text)
    own = _terms(text)
    if own:
        query.alternatives.append(Alternative(own))
    folded = "".join(runs(text))
    seen = {own}
    for phrase, expansions in synonyms:
        key = "".join(runs(phrase))
        if not key or key not in folded:
            continue
        for expansion in expansions:
            terms = _terms(expansion)
            if terms and terms not in seen:
                seen.add(terms)
                query.alternatives.append(Alternative(terms, via=phrase))
    return query


def relaxed(query: Query) -> Query:
    """The fallback when nothing matches the words as typed: any bigram of the query's longer
    Chinese words (开个饭店 → 开个, 个饭, 饭店), ranked by how many of them match."""
    bigrams = [b for a in query.alternatives[:1] for t in a.terms if len(t.text) >= 3
               and is_cjk(t.text) for b in t.bigrams]
    return Query(text=query.text,
                 alternatives=[Alternative((Term(b),)) for b in dict.fromkeys(bigrams)])


def hits(text: str, words: Iterable[str]) -> int:
    """How many of the words occur in the text."""
    folded = normalize(text)
    return sum(1 for w in words if w in folded)


def mark(text: str, words: Iterable[str]) -> list[tuple[str, bool]]:
    """The text cut into (piece, matched) segments, for <mark> in a template."""
    patterns = [re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w]
    if not text or not patterns:
        return [(text, False)] if text else []
    pattern = re.compile("|".join(patterns), re.IGNORECASE)
    segments, last = [], 0
    for found in pattern.finditer(text):
        if found.start() > last:
            segments.append((text[last:found.start()], False))
        segments.append((found.group(), True))
        last = found.end()
    if last < len(text):
        segments.append((text[last:], False))
    return segments


def snippet(text: str, words: Iterable[str], *, width: int = 24) -> str:
    """A short piece of `text` around the first matched word; empty when nothing matches."""
    folded = normalize(text)
    if len(folded) != len(text):  # a character that NFKC expands: positions would drift
        folded = text.casefold()
    positions = [folded.find(w) for w in words if w and w in folded]
    if not positions:
        return ""
    start = min(positions)
    begin, end = max(0, start - width), min(len(text), start + width * 2)
    return ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
