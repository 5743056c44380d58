"""Text normalisation shared by search and refinement: words, stems, sentences.

English text becomes lower-case stems with a small stopword list removed; runs
of CJK characters become single characters (minus a few function characters),
which is what makes Chinese queries and memories overlap without a segmenter.
Irregular forms meet their base word (`went` -> `go`, `children` -> `child`),
and the words for liking something meet on one term (`love`, `enjoy`, `adore`,
`favourite`, `prefer` -> `lik`), so "What do I like?" finds "I love jazz".
Deliberately small and predictable: this is an emulator, not a search engine.
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "LIKING",
    "content_terms",
    "has_cjk",
    "normalise_quotes",
    "sentences",
    "stem",
    "words",
]

_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])|\n+")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing done down during
    each few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just let me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would
    you your yours yourself yourselves
    s t d ll m re ve don didn doesn isn wasn aren weren won wouldn couldn shouldn can't
    user users assistant please thanks thank ok okay yes yeah hi hello hey
    tell know remember recall anything something thing things any much many get got kind sort
    """.split()
)
"""Words that carry no topic. `user` is here because every refined memory says it."""

_CJK_STOP = frozenset("我你他她它们的了是在吗呢吧啊么什和也都就这那有个一用户")
"""Function characters (and `用户`, "the user") ignored in CJK text."""


def normalise_quotes(text: str) -> str:
    """Turn typographic apostrophes and quotes into ASCII ones."""
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )


_IRREGULAR = {
    "went": "go",
    "gone": "go",
    "goes": "go",
    "going": "go",
    "ate": "eat",
    "eaten": "eat",
    "drank": "drink",
    "drunk": "drink",
    "flew": "fly",
    "flown": "fly",
    "bought": "buy",
    "ran": "run",
    "swam": "swim",
    "rode": "ride",
    "broke": "break",
    "broken": "break",
    "took": "take",
    "taken": "take",
    "made": "make",
    "saw": "see",
    "seen": "see",
    "met": "meet",
    "left": "leave",
    "felt": "feel",
    "kept": "keep",
    "spent": "spend",
    "sold": "sell",
    "paid": "pay",
    "wore": "wear",
    "woke": "wake",
    "slept": "sleep",
    "taught": "teach",
    "caught": "catch",
    "fell": "fall",
    "began": "begin",
    "wrote": "write",
    "written": "write",
    "children": "child",
    "wives": "wife",
    "men": "man",
    "women": "woman",
    "teeth": "tooth",
    "feet": "foot",
    "dietary": "diet",
}
"""Irregular forms and a few derived words, by the word they meet on."""

LIKING = "lik"
"""The one term every word for liking something becomes (the stem of `like`)."""

_LIKING_WORDS = "like love enjoy adore fond favourite favorite prefer".split()


def has_cjk(text: str) -> bool:
    """Whether `text` contains any CJK ideograph."""
    return _CJK.search(text) is not None


def words(text: str) -> list[str]:
    """Lower-case word tokens and single CJK characters, in order, stopwords kept."""
    return [token.lower() for token in _WORD.findall(normalise_quotes(text))]


def stem(word: str) -> str:
    """A light suffix stemmer, so that inflections of a word meet on one stem.

    Irregular forms map to their base word first (`went` -> `go`, `children` ->
    `child`). Otherwise strips plural `s`/`es`/`ies`, `ing` and `ed` (undoubling
    `travell` -> `travel`; a plural `-ings` is stemmed as its singular), then drops
    a final silent `e` and turns a final consonant `y` into `i` (three-letter
    roots keep it: `fly`, `flies`, `flying` and `flew` all give `fly`):
    `trips`/`trip` -> `trip`, `travelling` -> `travel`, `liked`/`likes` -> `lik`,
    `movies`/`movie` -> `movi`, `studies`/`study` -> `studi`.
    """
    word = _IRREGULAR.get(word, word)
    if not word.isascii() or not word.isalpha() or len(word) <= 3:
        return word
    if word.endswith("ings") and len(word) >= 7:
        word = word[:-1]  # `meetings` -> `meeting`, stemmed as the singular is
    root = word
    if word.endswith("ies") and len(word) > 4:
        root = word[:-3] + ("i" if len(word) > 5 else "y")  # `studies` -> `studi`, `flies` -> `fly`
    elif word.endswith("ing") and len(word) >= 6:
        root = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) >= 5:
        root = _undouble(word[:-2])
    elif word.endswith(("sses", "shes", "ches", "xes", "zes")):
        root = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        root = word[:-1]
    if len(root) > 3 and root.endswith("e") and not root.endswith("ee"):
        root = root[:-1]
    elif len(root) > 3 and root.endswith("y") and root[-2] not in "aeiou":
        root = root[:-1] + "i"
    return root


def _undouble(root: str) -> str:
    """`travell` -> `travel`, `plann` -> `plan`, `runn` -> `run`; keeps `ll`-roots like `call`."""
    if len(root) >= 4 and root[-1] == root[-2] and root[-1] not in "aeiouls":
        return root[:-1]
    if root.endswith("ll") and len(root) > 5:
        return root[:-1]
    return root


def content_terms(text: str) -> list[str]:
    """The stems of `text`'s content words, in order, duplicates kept.

    Stopwords and CJK function characters are dropped; everything else is stemmed,
    and the words for liking something all become `LIKING`.
    """
    terms = [_term(token) for token in words(text)]
    return [term for term in terms if term is not None]


@functools.lru_cache(maxsize=1 << 16)
def _term(token: str) -> str | None:
    """The term one lower-case token contributes, or `None` (cached: a store repeats its
    vocabulary, and this runs for every word of every memory and query)."""
    if _CJK.fullmatch(token):
        return None if token in _CJK_STOP else token
    if token in STOPWORDS:
        return None
    term = stem(token)
    return LIKING if term in _LIKING_STEMS else term


def sentences(text: str) -> list[str]:
    """Split text into sentences on `.!?;` (followed by space), CJK stops and newlines."""
    parts = (part.strip() for part in _SENTENCE_END.split(text))
    return [part for part in parts if part]


_LIKING_STEMS = frozenset(stem(word) for word in _LIKING_WORDS)
