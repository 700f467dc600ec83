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


def fold(text: str) -> str:
    """Text as both indexes compare it: case-folded (`ß` → `ss`), without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def name_rank(name: str, terms: list[str]) -> tuple:
    """Sort key of a hit by its name: the name itself, then names holding every word, whole words
    first, then names starting with the first word; the rest (matched elsewhere) after them."""
    name_words = words(name)
    folded = [fold(t) for t in terms]
    if name_words == folded:
        return (0, 0, False)
    if not all(any(w.startswith(t) for w in name_words) for t in folded):
        return (2, 0, True)
    whole = sum(t in name_words for t in folded)
    starts = bool(name_words) and name_words[0].startswith(folded[0])
    return (1, -whole, not starts)


def is_prefix(term: str, terms: list[str]) -> bool:
    """Every word is a prefix, except a query that is a single letter (it would match everything)."""
    return len(term) > 1 or len(terms) > 1


def fts5_query(terms: list[str]) -> str:
    """`"mül"* "gmbh"*`: all words must occur; each is quoted, so it is a string, never syntax."""
    return " ".join(f'"{t}"*' if is_prefix(t, terms) else f'"{t}"' for t in terms)


def tsquery(terms: list[str]) -> str:
    """`'mül':* & 'gmbh':*` for `to_tsquery`; words hold only letters and digits."""
    return " & ".join(f"'{t}':*" if is_prefix(t, terms) else f"'{t}'" for t in terms)
