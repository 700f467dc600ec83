"""Turning what a user typed into safe full-text queries.

The query is split into words of letters and digits; everything else (quotes, `*`, `NEAR(`, `:`,
operators, SQL) is a separator, so no syntax of FTS5 or `to_tsquery` can reach the engine and the
words go to the database as parameters. Words are case-folded (`ß` → `ss`, as the index does), and
every word is a prefix ("mül" finds "Müller"), except a lone one-letter query, which would match
nearly everything.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 60

# Letters and digits (any script); "_" and everything else separate words, as in both indexes.
_WORD = re.compile(r"[^\W_]+")


def parse_terms(query: str | None) -> list[str]:
    """The distinct search words in `query`, case-folded, at most `MAX_TERMS`."""
    if not query:
        return []
    text = unicodedata.normalize("NFKC", str(query)[: MAX_QUERY_LENGTH * 2]).casefold()
    terms: list[str] = []
    for word in _WORD.findall(text[:MAX_QUERY_LENGTH]):
        word = word[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


# Combining marks left by NFKD: accents, umlaut dots, tildes … (the blocks unicode61 also strips).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Text as both indexes compare it: case-folded (`ß` → `ss`), without accents."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def name_ranking(terms: list[str]) -> Callable[[str], tuple]:
    """Sort key of hits by their name: the name itself first, then names holding every word (more
    whole words first, then those starting with the first word), alphabetically; last the hits
    that matched elsewhere (an address, a job title …)."""
    folded = [fold(t) for t in terms]

    def key(name: str) -> tuple:
        name_folded = fold(name)
        name_words = _WORD.findall(name_folded)
        if name_words == folded:
            return (0, 0, False, name_folded)
        if not all(any(w.startswith(t) for w in name_words) for t in folded):
            return (2, 0, True, name_folded)
        whole = sum(t in name_words for t in folded)
        starts = bool(name_words) and name_words[0].startswith(folded[0])
        return (1, -whole, not starts, name_folded)

    return key


def is_prefix(term: str, terms: list[str]) -> bool:
    """Every word is a prefix, except a query that is a single letter (it would match everything)."""
    return len(term) > 1 or len(terms) > 1


def fts5_query(
    terms: list[str], *, whole_from: int | None = None, columns: tuple[str, ...] = ()
) -> str:
    """`"mül"* "gmbh"*`: all words must occur; each is quoted, so it is a string, never syntax.

    With `whole_from`, words of that length or longer match only as whole words; with `columns`,
    only in those columns (names from code).
    """
    scope = "{" + " ".join(columns) + "} : " if columns else ""

    def part(t: str) -> str:
        whole = not is_prefix(t, terms) or (whole_from is not None and len(t) >= whole_from)
        return scope + (f'"{t}"' if whole else f'"{t}"*')

    return " ".join(part(t) for t in terms)


def tsquery(terms: list[str], *, weight: str = "") -> str:
    """`'mül':* & 'gmbh':*` for `to_tsquery`; words hold only letters and digits. With `weight`
    ("A"), only words of that weight (the name columns) match."""
    return " & ".join(
        f"'{t}':*{weight}" if is_prefix(t, terms) else f"'{t}':{weight}" if weight else f"'{t}'"
        for t in terms
    )
