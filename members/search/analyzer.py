"""The analyzer: the one definition of how text becomes search terms, for the documents
(``members.search.index``) and the queries (``members.search.query``) alike.

A term is a folded word (lower case, no accents, ligatures spelt out) after light French
stemming, in the manner of Savoy's light stemmer that Elasticsearch's French analyzer uses:
plural and feminine endings go, so that ``jeux vidéos``, ``jeu vidéo`` and ``jeux vidéo``
give the same terms. Elided articles (l', d', qu') and stop words carry no term, but keep
their position, so that proximity is measured on the text as written.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from ..text import fold

# PostgreSQL's french.stop (Snowball's list), plus a few English words of the English
# descriptions, and the "&" of company names spelt out ("Mind & Go", "Mind and Go").
STOP_WORDS = frozenset(
    """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me meme mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous c d j l a m n s t y ete etee etees etes etant etante etants
    etantes suis es est sommes serai seras sera serons serez seront serais serait
    serions seriez seraient etais etait etions etiez etaient fus fut fumes futes furent sois
    soit soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante ayantes
    ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais
    aurait aurions auriez auraient avais avait avions aviez avaient eut eumes eutes eurent aie
    aies ait ayons ayez aient eusse eusses eussions eussiez eussent
    and the of an in for to with at by or
    """.split()  # noqa: SIM905 - a word list, easier to read as text
)
# Endings that separate the words of one family (créat-ion, créat-if, créat-eur): a query
# word that ends so also matches its family's root as a prefix (members.search.query).
FAMILY_ENDINGS = ("ation", "ition", "ion", "if", "eur", "rice", "ien", "isme", "iste")
# Runs of letters and digits; everything else (apostrophes, hyphens, "&") separates words.
WORD = re.compile(r"[^\W_]+")


def name_key(text):
    """Return a name folded to its words ("Mind & Go" -> "mind go"), to compare names."""
    return " ".join(WORD.findall(fold(text)))


def stem(word):
    """Return the light French stem of a folded word (plural, feminine, doubled ending)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("aux") and not word.endswith("eaux") and len(word) > 5:
        word = word[:-3] + "al"  # journaux -> journal, but bureaux -> bureau below
    elif word.endswith("x"):
        word = word[:-1]  # jeux -> jeu, bureaux -> bureau
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]  # vidéos -> video, créations -> creation
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # réalité -> realit, agence -> agenc, virtuelle -> virtuell
    if word.endswith("iv") and len(word) > 4:
        word = word[:-2] + "if"  # créative -> creatif, immersive -> immersif
    if len(word) > 4 and word[-1] == word[-2] and word[-1].isalpha():
        word = word[:-1]  # virtuell -> virtuel
    return word


def family_root(term):
    """Return the root a term shares with its word family, or "" when it has none."""
    for ending in FAMILY_ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= 4:
            return term[: -len(ending)]
    return ""


class Token(NamedTuple):
    """A word of a text: a tuple, made for every word of every description shown and
    indexed (a frozen dataclass costs four times as much to make)."""

    position: int  # 1-based, counting stop words, so that distances are the text's own
    term: str  # "" for a stop word
    folded: str  # the word as written, folded
    start: int  # offsets in the text, for highlighting
    end: int


def _analyze(word):
    # Folding may spell a character out as others that are no letter ("⑴" is "(1)"):
    # only letters and digits make a term, so that a query's text never holds an operator.
    folded = "".join(WORD.findall(fold(word)))
    return folded, "" if folded in STOP_WORDS else stem(folded)


_analyze_cached = lru_cache(maxsize=65536)(_analyze)
CACHED_WORD_LENGTH = 40


def _word(word):
    """Return (folded, term) of one word as written: the same few thousand words come
    back in every description, so they are analyzed once per process (not a long run of
    letters, a pasted code or link, which would only fill the cache)."""
    if len(word) > CACHED_WORD_LENGTH:
        return _analyze(word)
    return _analyze_cached(word)


def iter_tokens(text):
    """Yield the tokens of text one by one, stop words included (with an empty term)."""
    for position, match in enumerate(WORD.finditer(text or ""), start=1):
        folded, term = _word(match.group())
        yield Token(position, term, folded, match.start(), match.end())


def tokens(text):
    """Split text into tokens, stop words included (with an empty term)."""
    return list(iter_tokens(text))


def compounds(text, found):
    """Return extra (position, term) pairs that join the parts of a compound.

    ``e-santé`` also gives ``esante``, and a whole name its words run together
    (``Mind & Go`` gives ``mindgo`` and ``mindandgo``), so that a visitor who types a
    compound as one word finds it.
    """
    extra = []
    for left, right in zip(found, found[1:], strict=False):
        if text[left.end : right.start] in {"-", "'", "’"} and left.folded and right.folded:
            extra.append((left.position, stem(left.folded + right.folded)))
    return extra


def run_together(text):
    """Return a name's words run together, with and without "and" for "&"."""
    spelt = fold(text).replace("&", " and ")
    words = WORD.findall(spelt)
    together = {"".join(word for word in words if word != "and"), "".join(words)}
    return sorted(stem(word) for word in together if len(word) > 3)


def terms(text):
    """Return the terms of a text, in order, without stop words."""
    return [token.term for token in tokens(text) if token.term]
