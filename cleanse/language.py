"""Language identification: langdetect's method and profiles, seeded so that the same text always gets the same
answer, run faster.

langdetect is pure Python, and its per-character loops and per-language update loops were the costliest steps
after extraction. Here each step is done the same way with faster means: reading the text in and dropping
Latin letters from non-Latin text with regular expressions, cutting n-grams with a translation table, and the
random trials with the language profiles held as one numpy table, so that an update is one vector operation
instead of a loop over 55 languages, and the updates between several convergence checks one running product.
The trials draw the same random numbers, read from the seeded generator's words, and multiply the same factors
in the same order; only the normalising differs, which moves a probability in its last digits.
`tests/test_language.py` holds every step to langdetect's own results.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
from array import array
from bisect import bisect_left
from functools import cache
from typing import Any

from cleanse.memo import Memo
from cleanse.tokens import ascii_table, count_bytes

UNDETERMINED = "und"
_TWOPI = 2.0 * math.pi
SEED = 0
SAMPLE_CHARS = 3000  # enough for a stable answer; long documents need not be read to the end
_SPACES = re.compile(" {2,}")
#: What langdetect counts as Latin ('A' to 'z', as it compares characters) and as not Latin (from U+0300 on,
#: but for the Latin Extended Additional block, U+1E00-U+1EFF), counted in the text's UTF-8 bytes: 'A' to 'z'
#: are those bytes, a character from U+0300 on starts with one of the lead bytes 0xCC-0xF4, and one of the
#: block starts with 0xE1 then 0xB8-0xBB.
_LATIN = re.compile("[A-z]")
_LATIN_BYTES = bytes(range(ord("A"), ord("z") + 1))
_NOT_LATIN_LEADS = bytes(range(0xCC, 0xF5))
_LATIN_EXTENDED_ADDITIONAL = (b"\xe1\xb8", b"\xe1\xb9", b"\xe1\xba", b"\xe1\xbb")


class Profiles:
    """langdetect's language profiles as one table: a row of per-language probabilities for each n-gram."""

    def __init__(self, languages: list[str], rows: dict[str, int], table: Any):
        self.languages = languages
        self.rows = rows  # n-gram -> its row in the table
        self.table = table  # numpy array, one row per n-gram, one column per language


@cache
def profiles() -> Profiles:
    """Read langdetect's profile files as its `DetectorFactory.load_profile` does (same order of languages,
    same probabilities), into a numpy table rather than a list of floats per n-gram."""
    import numpy as np
    from langdetect.detector_factory import PROFILES_DIRECTORY

    names = [name for name in os.listdir(PROFILES_DIRECTORY) if not name.startswith(".")]
    names = [name for name in names if os.path.isfile(os.path.join(PROFILES_DIRECTORY, name))]
    languages, rows, columns = [], {}, []  # columns: per language, its n-grams' rows and probabilities
    for name in names:
        with open(os.path.join(PROFILES_DIRECTORY, name), encoding="utf-8") as file:
            profile = json.load(file)
        languages.append(profile["name"])
        for gram in profile["freq"]:
            rows.setdefault(gram, len(rows))
        grams = [gram for gram in profile["freq"] if 1 <= len(gram) <= 3]
        columns.append((
            np.array([rows[gram] for gram in grams], dtype=np.int64),
            np.array([1.0 * profile["freq"][gram] / profile["n_words"][len(gram) - 1] for gram in grams]),
        ))  # fmt: skip
    table = np.zeros((len(rows), len(languages)))
    for column, (row_index, values) in enumerate(columns):
        table[row_index, column] = values
    return Profiles(languages, rows, table)


def load_profiles() -> None:
    """Load the profiles now (a second or so) rather than within the first document's time limit."""
    profiles()


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of `text`; ("und", 0.0) when it has no letters or cannot be told."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED, 0.0
    known, settings = profiles(), _settings()
    rows = gram_rows(without_latin_if_foreign(read_in(sample, settings.max_text_length)))
    if not len(rows):
        return UNDETERMINED, 0.0
    probabilities = trials(rows, known)
    pairs = zip(known.languages, probabilities, strict=True)
    candidates = [(p, lang) for lang, p in pairs if p > settings.PROB_THRESHOLD]
    if not candidates:
        return UNDETERMINED, 0.0
    best = max(candidates, key=lambda candidate: candidate[0])  # the first of equals, as langdetect's stable sort
    return best[1], float(best[0])


class _NoProfiles:
    """Enough of a factory to make a langdetect Detector, whose settings are read from it."""

    word_lang_prob_map: dict = {}
    langlist: list = []
    seed = SEED


@cache
def _settings() -> Any:
    """A langdetect Detector, for its settings (text length, trials, smoothing, thresholds): they are
    langdetect's, not copies."""
    from langdetect.detector import Detector

    return Detector(_NoProfiles)


def langdetect_factory() -> Any:
    """langdetect's own factory with its profiles, seeded as here: the reference this module is held to
    (tests/test_language.py, benchmarks/language_agreement.py); not used to identify languages."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(SEED)
    return factory


def langdetect_answer(factory: Any, text: str) -> tuple[str, float]:
    """langdetect's own answer for `text` from `langdetect_factory()`, read as `detect_language` reads its own."""
    from langdetect.lang_detect_exception import LangDetectException

    if not any(ch.isalpha() for ch in text[:SAMPLE_CHARS]):
        return UNDETERMINED, 0.0
    detector = factory.create()
    detector.append(text[:SAMPLE_CHARS])
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best.lang, float(best.prob)


def read_in(text: str, limit: int) -> str:
    """What `Detector.append` makes of `text`: web and e-mail addresses blanked, Vietnamese diacritics
    composed, cut to `limit` characters, runs of spaces made one."""
    from langdetect.detector import Detector
    from langdetect.utils.ngram import NGram

    text = Detector.URL_RE.sub(" ", text)
    if "@" in text:  # an e-mail address has one; the expression takes long to find that a text has none
        text = Detector.MAIL_RE.sub(" ", text)
    if any(mark in text for mark in NGram.DMARK_CLASS):  # nothing to compose without a diacritical mark
        text = NGram.normalize_vi(text)
    text = text[:limit]
    return _SPACES.sub(" ", text) if "  " in text else text  # (the expression stops at every space)


def without_latin_if_foreign(text: str) -> str:
    """What `Detector.cleaning_text` makes of `text`: without its Latin letters when non-Latin letters are
    more than twice as many (Latin brand names in a Russian text would otherwise vote)."""
    data = text.encode("utf-8", "surrogatepass")
    latin = count_bytes(data, _LATIN_BYTES)
    leads = count_bytes(data, _NOT_LATIN_LEADS)
    not_latin = leads - sum(map(data.count, _LATIN_EXTENDED_ADDITIONAL))
    return _LATIN.sub("", text) if latin * 2 < not_latin else text


class _Normalised(dict):
    """langdetect's character normalisation as a `str.translate` table, each character worked out once."""

    def __missing__(self, code: int) -> str:
        from langdetect.utils.ngram import NGram

        self[code] = value = NGram.normalize(chr(code))
        return value


_NORMALISED = _Normalised()
#: langdetect's normalisation of the ASCII characters: letters stay, the rest become spaces.
_ASCII_NORMALISED = ascii_table(str.isalpha)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def normalised(text: str) -> str:
    """`text` with each character normalised as langdetect's `NGram.normalize` does. `str.translate` looks a
    table up character by character; text that is mostly ASCII (English, much of the web) is translated as
    UTF-8 bytes instead, in C, and only its other characters one by one."""
    data = text.encode("utf-8", "surrogatepass")
    if (len(data) - len(text)) * 20 > len(text):  # many characters beyond ASCII
        return text.translate(_NORMALISED)
    ascii_done = data.translate(_ASCII_NORMALISED).decode("utf-8", "surrogatepass")
    return _NOT_ASCII.sub(lambda match: _NORMALISED[ord(match.group())], ascii_done)


def gram_rows(text: str) -> Any:
    """The profile-table rows of the n-grams `Detector._extract_ngrams` gives for `text` (the 1- to 3-grams
    inside words, in order, that the language profiles know, none from words written in capitals), as a numpy
    array, word by word: a word's n-grams depend on the word alone (and on whether a space follows it), and
    words repeat, so each word that a space follows is cut once; the last word, which none follows, is cut each
    time. A word's rows are kept as the bytes of their array, and a text's are those bytes joined: one copy in
    C, where a list would take a Python object per n-gram (a text has thousands) only for the trials to draw a
    few hundred of them."""
    import numpy as np

    words = normalised(text).split(" ")
    last = words.pop()
    packed = b"".join(map(_WORD_ROWS.__getitem__, filter(None, words)))
    if last:
        packed += _packed(_cut(" " + last))
    return np.frombuffer(packed, dtype=_ROW_TYPE)


def _word_rows(word: str) -> bytes:
    """The rows of the n-grams of a word that a space follows, packed."""
    return _packed(_cut(" " + word + " "))


#: A word new to the process costs `_cut`, each time a text brings one.
_WORD_ROWS = Memo(_word_rows, 1 << 14)
#: Table rows as packed: C ints, 32 bits (the profiles know 87,598 n-grams).
_ROW_TYPE = "i"


def _packed(rows: list[int]) -> bytes:
    return array(_ROW_TYPE, rows).tobytes()


def _cut(spaced: str) -> list[int]:
    """The rows of the n-grams of a word written with the space before it (and after it, if one follows): at
    each character, the character, the two and the three characters ending there, except at a capital that
    follows a capital. The grams are looked up once each, as what the profiles know or None."""
    known = profiles().rows.get
    rows: list[int] = []
    add = rows.append
    upper = False
    for i in range(1, len(spaced)):
        ch = spaced[i]
        after_capital, upper = upper, ch.isupper()
        if upper and after_capital:
            continue
        if (row := known(ch)) is not None:  # (the space after the word is no gram: the profiles have none)
            add(row)
        if (row := known(spaced[i - 1 : i + 1])) is not None:
            add(row)
        if i > 1 and (row := known(spaced[i - 2 : i + 1])) is not None:
            add(row)
    return rows


#: Convergence checks whose updates are drawn and multiplied at once: a trial most often takes 5 to 12 checks.
#: Without normalising, the 56 updates of a block keep the largest value (at least 1/55 at the block's start)
#: above 1e-282: each factor is at least the smoothing weight, about 5e-5 (1e-5 would take a Gaussian draw of -8).
CHECKS_AT_ONCE = 12


def trials(rows: Any, known: Profiles) -> list[float]:
    """`Detector._detect_block`'s random trials over the n-grams (given as rows of the table): the same random
    draws and the same products, each update over all languages at once and `CHECKS_AT_ONCE` checks' updates
    multiplied in one running product down a block of factors. langdetect normalises the probabilities at each
    check (after update 0, 5, 10, ...); here they are normalised at the check that ends the block or the trial,
    which leaves them the same to within rounding (`benchmarks/language_agreement.py`: at most 1.2e-15 apart
    on 2,150 texts)."""
    import numpy as np

    settings = _settings()
    draws = _Draws(len(rows))
    languages = len(known.languages)
    take, accumulate = known.table.take, np.multiply.accumulate
    block = np.empty((1 + 5 * CHECKS_AT_ONCE, languages))
    total = np.zeros(languages)
    limit = -(-settings.ITERATION_LIMIT // 5)  # the first check at or after update ITERATION_LIMIT is the last
    for _ in range(settings.n_trial):
        weight = (settings.alpha + draws.gauss() * settings.ALPHA_WIDTH) / settings.BASE_FREQ
        block[0] = 1.0 / languages
        checks, first = 0, 1  # the block's first check follows its first factor (update 0), then every fifth
        while True:
            updates = first + 5 * (CHECKS_AT_ONCE - 1)
            factors = block[1 : updates + 1]
            # (mode "clip" writes to `out` directly, where "raise" would go through a buffer; the rows are the table's)
            take(rows[draws.ahead(updates)], axis=0, out=factors, mode="clip")
            factors += weight
            products = accumulate(block[: updates + 1], axis=0)
            checked = products[first::5]
            norms = checked.sum(axis=1)
            stop = checked.max(axis=1) / norms > settings.CONV_THRESHOLD
            if checks + CHECKS_AT_ONCE > limit:
                stop[max(0, limit - checks) :] = True
            at = int(stop.argmax())  # the first check that stops the trial, if any does
            if stop[at]:
                draws.advance(first + 5 * at)
                total += checked[at] / norms[at] / settings.n_trial
                break
            draws.advance(updates)
            checks += CHECKS_AT_ONCE
            np.divide(checked[-1], norms[-1], out=block[0])
            first = 5
    return total.tolist()


class _Words:
    """The 32-bit words of Python's generator seeded with `SEED`, in order, as far as any text has needed them.
    Every text's trials start from that seed, so they all read the same words: they are made once. More are
    made from the seed again, and put in place in one assignment, so that a time limit cannot leave a gap."""

    def __init__(self) -> None:
        self.made: Any = ()  # a numpy array once a text has needed words

    def first(self, count: int) -> Any:
        """The first `count` words (at least), as a numpy array."""
        import numpy as np

        if count > len(self.made):
            words = max(count, 2 * len(self.made), 4096)
            # getrandbits(32 * n) holds the first n words, the first as its lowest 32 bits
            made = random.Random(SEED).getrandbits(32 * words).to_bytes(4 * words, "little")
            self.made = np.frombuffer(made, dtype="<u4")
        return self.made[:count]


_WORDS = _Words()


class _Draws:
    """One text's draws from the seeded generator, read from its words (`_Words`) as `random.Random` makes
    them: `choice` of `count` n-grams takes a word's top `count.bit_length()` bits until they are below
    `count`, and `gauss` takes two words for each `random()`, two `random()` for each pair of values. Which
    words make choices is worked out for a block of words at once, the next block when a text needs it."""

    def __init__(self, count: int):
        import numpy as np

        self.count, self.shift = count, 32 - count.bit_length()
        self.choices = np.empty(0, dtype=np.intp)
        self.ends: list[int] = []  # the position after each choice's word
        self.read = 0  # the words that `choices` covers
        self.next = 0  # the next choice
        self.position = 0  # the next word
        self.gauss_next: float | None = None

    def gauss(self) -> float:
        """`random.Random.gauss(0.0, 1.0)`: the second value of a pair is kept for the next call."""
        if self.gauss_next is not None:
            value, self.gauss_next = self.gauss_next, None
            return value
        a, b, c, d = _WORDS.first(self.position + 4)[self.position :].tolist()
        self.position += 4
        self.read = max(self.read, self.position)  # (choices are read from the words after these)
        self.next = bisect_left(self.ends, self.position + 1)  # the first choice from a word after these
        x2pi = ((a >> 5) * 67108864.0 + (b >> 6)) * (1.0 / 9007199254740992.0) * _TWOPI
        g2rad = math.sqrt(-2.0 * math.log(1.0 - ((c >> 5) * 67108864.0 + (d >> 6)) * (1.0 / 9007199254740992.0)))
        self.gauss_next = math.sin(x2pi) * g2rad
        return math.cos(x2pi) * g2rad

    def ahead(self, count: int) -> Any:
        """The next `count` choices, without taking them (a numpy array)."""
        while self.next + count > len(self.choices):
            self._read(max(1024, self.read))
        return self.choices[self.next : self.next + count]

    def advance(self, count: int) -> None:
        """Take `count` choices."""
        if count:
            self.next += count
            self.position = self.ends[self.next - 1]

    def _read(self, words: int) -> None:
        import numpy as np

        drawn = _WORDS.first(self.read + words)[self.read :] >> self.shift
        kept = np.flatnonzero(drawn < self.count)
        self.choices = np.concatenate([self.choices, drawn[kept].astype(np.intp)])
        self.ends += (kept + (self.read + 1)).tolist()
        self.read += words
