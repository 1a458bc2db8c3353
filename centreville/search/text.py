"""French text normalisation shared by both search backends: words, stop words, a light stemmer, typos.

PostgreSQL stems with its own French Snowball stemmer; SQLite's FTS5 has none, so the SQLite backend indexes
and queries the output of `stem()`. Both see the same words: lower case, accents and ligatures removed,
split on anything that is not a letter or a digit (elisions such as « l'huile » included).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
# More words than this in one query are ignored: they would only slow the search down.
MAX_TERMS = 10
# Only words this long are corrected: shorter ones have too many neighbours one letter away.
MIN_CORRECTED_LENGTH = 4
# Words kept in the vocabulary of typo corrections.
MIN_VOCABULARY_LENGTH = 3
MAX_VOCABULARY_LENGTH = 40
ALPHABET = "abcdefghijklmnopqrstuvwxyz"

_WORD = re.compile(r"[^\W_]+")
_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss", "\N{RIGHT SINGLE QUOTATION MARK}": "'", "ŀ": "l"}
)

_STOP_WORDS = """
    a ai au aux avec c ce ces cet cette ci d dans de des du elle elles en est et eu il ils j je l la le
    les leur leurs lui m ma mais me mes moi mon n ne ni nos notre nous on ou par pas pour qu que qui s sa
    sans se ses si son sont sur t ta te tes toi ton tu un une vos votre vous y
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def normalise(text: str) -> str:
    """Lower case, without accents or ligatures: « Pâtisserie Œuf » → « patisserie oeuf »."""
    folded = text.casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The normalised words of `text`, stop words included."""
    return _WORD.findall(normalise(text))


def stem(word: str) -> str:
    """A light French stemmer for normalised words: plurals, then common feminine and derived endings.

    Conflates « fromages » and « fromage », « boulangère » and « boulanger », « vendeuses » and
    « vendeur »; it does not try to be Snowball, only to be the same at index and at query time.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 5:
        word = word[:-3] + "al"
    elif word.endswith(("oux", "eux", "s")) and not word.endswith("ss"):
        word = word[:-1]
    for suffix, replacement in (
        ("ienne", "ien"),
        ("euse", "eur"),
        ("iere", "ier"),
        ("ere", "er"),
        ("ive", "if"),
        ("elle", "el"),
        ("ee", "e"),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def stemmed_text(text: str) -> str:
    """`text` as the SQLite index holds it: its stems, stop words left out, separated by spaces."""
    return " ".join(stem(word) for word in words(text) if word not in STOP_WORDS)


@dataclass(frozen=True)
class Term:
    """One word of a query: where it stands in the query as typed, and its normalised form."""

    start: int
    end: int
    word: str


def query_terms(query: str) -> list[Term]:
    """The words of a query worth searching for: no stop word, no single letter, MAX_TERMS at most."""
    terms: list[Term] = []
    seen: set[str] = set()
    for match in _WORD.finditer(query):
        for word in words(match.group()):
            if len(word) < 2 or word in STOP_WORDS or word in seen:
                continue
            seen.add(word)
            terms.append(Term(match.start(), match.end(), word))
    return terms[:MAX_TERMS]


def vocabulary_words(text: str) -> Iterator[str]:
    """The words of `text` that typo corrections may propose."""
    for word in words(text):
        if (
            MIN_VOCABULARY_LENGTH <= len(word) <= MAX_VOCABULARY_LENGTH
            and word not in STOP_WORDS
            and not word.isdigit()
        ):
            yield word


def one_edit_away(word: str) -> set[str]:
    """Every word one deletion, transposition, substitution or insertion (of a-z) away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + char + right[1:] for left, right in splits if right for char in ALPHABET}
    inserts = {left + char + right for left, right in splits for char in ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


def within_one_edit(first: str, second: str) -> bool:
    """Whether two different words are one deletion, insertion, substitution or transposition apart."""
    if first == second or abs(len(first) - len(second)) > 1:
        return False
    if len(first) > len(second):
        first, second = second, first
    prefix = 0
    while prefix < len(first) and first[prefix] == second[prefix]:
        prefix += 1
    if len(first) < len(second):
        return first[prefix:] == second[prefix + 1 :]
    if first[prefix + 1 :] == second[prefix + 1 :]:
        return True
    return (
        prefix + 1 < len(first)
        and first[prefix] == second[prefix + 1]
        and first[prefix + 1] == second[prefix]
        and first[prefix + 2 :] == second[prefix + 2 :]
    )


@dataclass(frozen=True)
class Fragment:
    text: str
    matched: bool


SNIPPET_LENGTH = 180


def snippet(text: str, terms: list[str]) -> list[Fragment]:
    """A short extract of `text` around the first word that matches one of the normalised `terms`,
    cut into fragments that say which words matched (for highlighting)."""
    text = " ".join(text.split())
    if not text:
        return []
    wanted = {stem(term) for term in terms}

    def matches(word: str) -> bool:
        normalised = words(word)
        return bool(normalised) and stem(normalised[0]) in wanted

    spans = [m.span() for m in _WORD.finditer(text) if matches(m.group())]
    start = 0
    if spans and spans[0][0] > SNIPPET_LENGTH // 3:
        start = text.rfind(" ", 0, spans[0][0] - SNIPPET_LENGTH // 4) + 1
    end = len(text)
    if end - start > SNIPPET_LENGTH:
        end = text.rfind(" ", start, start + SNIPPET_LENGTH)
        if end <= start:
            end = start + SNIPPET_LENGTH
    fragments = [Fragment("… ", False)] if start else []
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        if span_start > position:
            fragments.append(Fragment(text[position:span_start], False))
        fragments.append(Fragment(text[span_start:span_end], True))
        position = span_end
    if position < end:
        fragments.append(Fragment(text[position:end], False))
    if end < len(text):
        fragments.append(Fragment(" …", False))
    return fragments
