"""Search typo correction: when a query finds nothing, « Aucun résultat pour … Résultats pour … ».

Each word of the query that matches nothing in the space, and is long enough (MIN_CORRECTED_LENGTH), is
replaced by the most frequent word of the space's vocabulary one typo away that matches something. The
backend proposes the candidates (`SearchBackend.corrections()`) from the vocabulary that indexing fills
(`search.services`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .backends.base import SearchBackend
from .text import MIN_CORRECTED_LENGTH, Term


@dataclass(frozen=True)
class Correction:
    words: list[str]  # the normalised words to search for instead
    query: str  # the query as typed, its corrected words replaced: what the page says it searched


def search_correction(
    backend: SearchBackend, town_ids: Sequence[int], query: str, terms: list[Term]
) -> Correction | None:
    """The query with each word that matches nothing replaced by the most frequent vocabulary word one
    typo away; None when no word could be corrected."""
    changed = False
    corrected = []
    for term in terms:
        replacement = term
        if len(term.word) >= MIN_CORRECTED_LENGTH and not backend.matches_anything(town_ids, [term.word]):
            candidates = sorted(
                backend.corrections(town_ids, term.word), key=lambda pair: (-pair[1], pair[0])
            )
            for word, _occurrences in candidates:
                if backend.matches_anything(town_ids, [word]):
                    replacement, changed = Term(term.start, term.end, word), True
                    break
        corrected.append(replacement)
    if not changed:
        return None
    return Correction(words=[term.word for term in corrected], query=_rewrite(query, terms, corrected))


def _rewrite(query: str, terms: list[Term], corrected: list[Term]) -> str:
    """The query as typed, with its corrected words replaced."""
    text = query
    for before, after in sorted(zip(terms, corrected, strict=True), key=lambda pair: -pair[0].start):
        if before.word != after.word:
            text = text[: before.start] + after.word + text[before.end :]
    return " ".join(text.split())
