"""Language identification with langdetect, seeded so that the same text always gets the same answer."""

from __future__ import annotations

from functools import cache
from typing import Any

UNDETERMINED = "und"
SEED = 0
SAMPLE_CHARS = 3000  # enough for a stable answer; long documents need not be read to the end


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
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return UNDETERMINED, 0.0
    return best.lang, float(best.prob)
