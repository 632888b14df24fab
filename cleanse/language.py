"""Language identification with langdetect, seeded so that the same text always gets the same answer.

langdetect is pure Python and its per-character loops were the costliest step of a plain-text document, so
the two that run over the whole sample (reading the text in, cutting it into n-grams) are done here the same
way, faster; `tests/test_language.py` holds them to langdetect's own results. The random trials that decide
the language are langdetect's.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

UNDETERMINED = "und"
SEED = 0
SAMPLE_CHARS = 3000  # enough for a stable answer; long documents need not be read to the end
_SPACES = re.compile(" {2,}")


@cache
def _factory() -> Any:
    """langdetect's profiles, loaded into a factory of our own: langdetect's shared one is kept half-loaded when
    its loading is interrupted (by a time limit, say), which would change every later answer."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(SEED)
    return factory


def load_profiles() -> None:
    """Load the profiles now (a second or so) rather than within the first document's time limit."""
    _factory()


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of `text`; ("und", 0.0) when it has no letters or cannot be told."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED, 0.0
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.text = read_in(sample, detector.max_text_length)
    detector._extract_ngrams = lambda: ngrams(detector.text, detector.word_lang_prob_map)
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

    text = NGram.normalize_vi(Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text)))
    return _SPACES.sub(" ", text[:limit])


class _Normalised(dict):
    """langdetect's character normalisation as a `str.translate` table, each character worked out once."""

    def __missing__(self, code: int) -> str:
        from langdetect.utils.ngram import NGram

        self[code] = value = NGram.normalize(chr(code))
        return value


_NORMALISED = _Normalised()


def ngrams(text: str, known: dict[str, Any]) -> list[str]:
    """What `Detector._extract_ngrams` gives for `text`: the 1- to 3-grams inside words, in order, that the
    language profiles know, none from words written in capitals."""
    found: list[str] = []
    grams, capitals, last = " ", False, " "
    for ch in text.translate(_NORMALISED):
        if last == " ":
            if ch == " ":
                continue
            grams, capitals = " " + ch, False
        else:
            grams = (grams[1:] if len(grams) >= 3 else grams) + ch
        if not ch.isupper():
            capitals = False
        elif last.isupper():
            capitals = True
        last = ch
        if capitals:
            continue
        if ch != " " and ch in known:
            found.append(ch)
        if len(grams) >= 2:
            if grams[-2:] in known:
                found.append(grams[-2:])
            if len(grams) == 3 and grams in known:
                found.append(grams)
    return found
