"""Dutch text normalisation: accents, tokens, a light stemmer and compound splitting.

The stemmer does not aim at real Dutch words; it only has to map the forms people write
(plurals, diminutives, inflected adjectives) of one word onto the same key, consistently for
activity texts, thesaurus entries and what a school types.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+")
_VOWELS = frozenset("aeiouy")

# Short function words that carry no meaning for matching. They stay in the token sequence
# (thesaurus phrases such as "samen met hun ouders" need them) but never count as a term.
_STOPWORD_TEXT = """
de het een en of in op aan van voor met door bij naar uit om over tot te als dan dat die dit
deze er is zijn was waren wordt worden word je jij u ze zij hij wij we ik hun hen haar zich ook
nog al niet geen wel maar want dus zo wat wie hoe waar wanneer ons onze mijn jouw uw hem per elk
elke ieder iedere veel meer echt iets heel erg even graag kan kunnen moet moeten willen wil zou
zouden heeft hebben had weer alle allemaal vooral liefst bijvoorbeeld zoals via mee zelfs toch
gewoon beetje ongeveer the a an of and or to for with on at by from into what some
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Words that must not be stemmed onto another word: "ouderen" (the elderly) is not "ouders".
# "lees" (read) must not become "les" (lesson).
_PROTECTED = {
    "ouderen": "oudere",
    "kinderen": "kind",
    "lees": "lez",
    "leest": "lez",
    "lezen": "lez",
    # A buddy is not a size ("op maat").
    "maatje": "maatje",
    "maatjes": "maatje",
}


def fold(text: str) -> str:
    """Lowercase and strip accents ("coördinator" -> "coordinator", "café" -> "cafe")."""
    if text.isascii():  # most texts: NFKD leaves ASCII unchanged, skip the per-char pass
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Folded alphanumeric tokens; hyphens and punctuation separate words."""
    return _TOKEN.findall(fold(text))


def phrase_end(stems: list[str], start: int, phrase: tuple[str, ...]) -> int:
    """Last position of the phrase starting at `start`, or -1 when it is not there.

    One extra word may sit between two words of a phrase ("samen met (hun) ouders").
    """
    pos = start
    for wanted in phrase[1:]:
        if pos + 1 < len(stems) and stems[pos + 1] == wanted:
            pos += 1
        elif pos + 2 < len(stems) and stems[pos + 2] == wanted:
            pos += 2
        else:
            return -1
    return pos


# Where a clause ends: the reach of a negation ("zonder huiswerkhulp, wel met ...").
BREAK = "|"
_CLAUSE_TOKEN = re.compile(r"[a-z0-9]+|[.,;:!?()\n]+")


def tokenize_clauses(text: str) -> list[str]:
    """Like `tokenize`, with BREAK where punctuation ends a clause."""
    return [t if t[0].isalnum() else BREAK for t in _CLAUSE_TOKEN.findall(fold(text))]


def _undouble_consonant(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        return word[:-1]
    return word


def _undouble_vowel(word: str) -> str:
    # "school" and "scholen" both become "schol"; "week" and "weken" both "wek".
    if len(word) >= 4 and word[-1] not in _VOWELS and word[-2] == word[-3] and word[-2] in "aeou":
        return word[:-2] + word[-1]
    return word


def _strip_diminutive(word: str) -> str | None:
    """ "liedjes" -> lied, "spelletje" -> spel, "vogeltje" -> vogel, "kaartje" -> kaart."""
    base = word[:-1] if word.endswith("jes") else word
    if not base.endswith("je") or len(base) < 5:
        return None
    root = base[:-2]
    if root.endswith("et") and len(root) > 4 and root[-3] == root[-4]:
        return _undouble_consonant(root[:-2])
    if root.endswith("mp") and len(root) > 3:
        return root[:-1]
    if root.endswith("t") and len(root) > 3 and root[-2] not in "rs" and root[-2] not in _VOWELS:
        return root[:-1]
    return root if len(root) >= 3 else None


def _strip_suffix(word: str) -> str:
    diminutive = _strip_diminutive(word)
    if diminutive is not None:
        return diminutive
    if word.endswith("heden") and len(word) > 7:
        return word[:-5] + "heid"
    if word.endswith("ens") and len(word) > 6:
        return word[:-3]
    if word.endswith("en") and len(word) > 4:
        return _undouble_consonant(word[:-2])
    if word.endswith("s") and len(word) > 4 and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stem of one folded token (plurals, diminutives, adjective -e, doubled letters)."""
    if word in _PROTECTED:
        return _PROTECTED[word]
    if len(word) <= 3 or word.isdigit():
        return word
    result = _strip_suffix(word)
    if result.endswith("e") and len(result) > 4 and not result.endswith("ee"):
        result = result[:-1]
    if result.endswith("v"):  # "creatieve" and "creatief" alike
        result = result[:-1] + "f"
    return _undouble_vowel(result)


def stems(text: str) -> list[str]:
    """Stemmed token sequence of a text, stopwords included (phrases need them)."""
    return [stem(token) for token in tokenize(text)]


def content_terms(tokens: Iterable[str]) -> list[str]:
    """The stems of the tokens that carry meaning (no stopwords, no one-letter tokens)."""
    return [stem(t) for t in tokens if t not in STOPWORDS and len(t) > 1]


# Linking sounds between the parts of a Dutch compound: "boek-en-week", "kind-er-boek",
# "stad-s-wandeling".
_LINKS = ("", "s", "en", "e", "er")
_MIN_PART = 3


def split_compound(word: str, known: Callable[[str], bool]) -> tuple[str, ...]:
    """Split a folded word into known parts ("zomertheaterweek" -> zomer, theater, week).

    `known` tells whether a piece is a vocabulary word (it receives both the raw piece and is
    expected to try its stem). Returns the parts with the fewest pieces, or () when the word is
    not a compound of known words. The last part may be inflected ("zomerlessen").
    """
    n = len(word)
    if n < 2 * _MIN_PART:
        return ()
    best: dict[int, tuple[str, ...] | None] = {n: ()}

    def solve(start: int) -> tuple[str, ...] | None:
        if start in best:
            return best[start]
        result: tuple[str, ...] | None = None
        for end in range(n, start + _MIN_PART - 1, -1):
            piece = word[start:end]
            if not known(piece):
                continue
            for link in _LINKS:
                nxt = end + len(link)
                if nxt > n or word[end:nxt] != link or (link and nxt == n):
                    continue
                rest = solve(nxt)
                if rest is not None and (result is None or 1 + len(rest) < len(result)):
                    result = (piece, *rest)
        best[start] = result
        return result

    parts = solve(0)
    if parts is None or len(parts) < 2:
        return ()
    return parts
