"""Writing-style features that carry over between topics: the text with its topic words masked.

Every word that is not an English function word is replaced by its shape (capitalised, lower case, capitals,
number), punctuation and paragraph breaks are kept, and the 1- to 3-grams of that sequence are hashed into a
fixed number of buckets. What is left is how a text is written (sentence openings, quotation and attribution
patterns, exclamation, capitals, hedges) and not what it is about, so a model cannot learn "election words"
or "covid words" from it (text distortion, Stamatatos 2017). Hashing keeps the model small and needs no
vocabulary file; crc32 makes the buckets the same on every machine and Python version.
"""

from __future__ import annotations

import math
import re
import zlib
from functools import lru_cache
from typing import Any

from cleanse.memo import Memo

STYLE_BUCKETS = 8192  # a power of two: style_vector's 64-bit hashing keeps remainders by it exact
MAX_CHARS = 20_000  # the first 20,000 characters say enough about style
#: A document's style vector as `style_buckets` gives it: its non-zero buckets (ascending) and their values.
StyleBuckets = tuple[Any, Any]

FUNCTION_WORDS = frozenset(
    """a about above according across after against all almost also although always am among an and another any
    anyone anything are around as at be because been before being below between both but by can cannot could did
    do does doing down during each either enough even ever every few for from further had has have having he her
    here hers herself him himself his how however i if in including into is it its itself just least less like
    many may me might more most much must my myself neither never no nor not now of off often on once one only
    or other others our ours ourselves out over own per perhaps rather said says same several she should since
    so some such than that the their theirs them themselves then there these they this those though through thus
    to told too toward towards under until up upon us very was we were what when where whether which while who
    whom whose why will with within without would yet you your yours yourself yourselves according reportedly
    allegedly""".split()
)

#: The tokens: words of ASCII letters (with apostrophes), numbers, paragraph breaks, and each other character
#: that is neither a word character nor a space. The group is the token; the optional space before it lets a
#: match start at the space between two tokens, where the expression would otherwise fail once more at every
#: word (no token starts with a space, so the tokens are the same: a tenth faster).
TOKEN_DEFINITION = r"[A-Za-z][A-Za-z'’]*|\d[\d,.]*|\n\s*\n|[^\w\s]"
_TOKEN = re.compile(f" ?({TOKEN_DEFINITION})")


@lru_cache(maxsize=1 << 16)  # most tokens recur from document to document; bounded, so memory stays flat
def _shape(token: str) -> str:
    if token[0].isdigit():
        return "<num>"
    if token.startswith("\n"):
        return "<par>"
    if not token[0].isalpha():
        return token
    lower = token.lower()
    if lower in FUNCTION_WORDS:
        return lower if token[0].islower() else lower + "^"  # ^: capitalised, mostly a sentence start
    if len(token) > 1 and token.isupper():
        return "<CAPS>"
    return "<Word>" if token[0].isupper() else "<word>"


def masked_tokens(text: str) -> list[str]:
    """The text as function words, word shapes and punctuation."""
    return [_shape(t) for t in _tokens(text)]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text[:MAX_CHARS])


def style_vector(text: str) -> dict[int, float]:
    """Hashed 1-3-gram frequencies of the masked text, square-rooted and scaled to unit length (bucket -> value).

    An n-gram's hash is `((a * P + b) * P + c) mod STYLE_BUCKETS` over its tokens' crc32 numbers; it is
    computed in unsigned 64-bit arithmetic, which wraps modulo 2^64 and so leaves the remainder modulo the
    bucket count (a power of two) exact. Square roots damp the most frequent n-grams; unit length makes long
    and short texts comparable.
    """
    buckets, values = style_buckets(text)
    return dict(zip(buckets.tolist(), values.tolist(), strict=True))


def style_buckets(text: str) -> StyleBuckets:
    """The style vector as two numpy arrays: its non-zero buckets, ascending, and their values. What a model
    reads of it is a weighted sum, which these give without a dict of a thousand entries per document."""
    import numpy as np

    tokens = _tokens(text)
    ids = np.fromiter(map(_MASKED_IDS.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    prime = np.uint64(_PRIME)
    pairs = ids[:-1] * prime + ids[1:]
    triples = pairs[:-1] * prime + ids[2:]
    grams = np.concatenate([ids, pairs, triples]) % np.uint64(STYLE_BUCKETS)
    counts = np.bincount(grams.astype(np.intp), minlength=STYLE_BUCKETS)
    norm = math.sqrt(len(grams)) or 1.0
    buckets = np.flatnonzero(counts)
    return buckets, np.sqrt(counts[buckets]) / norm


_PRIME = 1_000_003


def _masked_id(token: str) -> int:
    """A stable number for a token's masked form (crc32 of it)."""
    return zlib.crc32(_shape(token).encode("utf-8"))


_MASKED_IDS = Memo(_masked_id, 1 << 16)  # tokens recur from document to document
