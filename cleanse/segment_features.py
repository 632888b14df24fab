"""Features of each segment and its neighbours, for the boilerplate segment classifier.

Boilerplate is told apart by form and place more than by topic: short, capitalised, link-like lines without
function words or sentence punctuation, calls to action, the site naming itself, runs of such lines, the head
and the tail of the document. Everything here is plain Python on short strings, so it costs microseconds.
The order of `FEATURES` is the order of every vector; models are saved with it and checked against it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import itemgetter

from cleanse.records import Segment
from cleanse.tokens import alphanumeric_runs, count_bytes

# The most frequent function words of the languages most common in web corpora. Their share in a segment
# separates prose (many) from menus, headlines and buttons (few), in any of these languages.
_FUNCTION_WORDS = {
    "en": "a an the and or but if of to in on at by for with from as is are was were be been being it its this "
    "that these those he she they we you i his her their our your not no do does did have has had will would "
    "can could should may might than then there here which who whom what when where why how all any more most "
    "also so just about into over after before up out very said says",
    "de": "der die das und oder aber nicht ein eine einen einem einer ist sind war waren wird werden hat haben "
    "mit von zu im in auf für an dem den des sich es er sie wir ihr ich auch als wie bei nach aus noch nur so dass",
    "fr": "le la les un une des et ou mais ne pas est sont était été a ont avec pour par dans sur au aux du de "
    "que qui ce cette il elle ils nous vous je se plus comme",
    "es": "el los las y o pero no es son era fue ha han con para por en del al que se lo su sus como más muy",
    "pt": "o os as um uma e ou mas não é são foi com para por em no na nos nas do da dos das que se seu sua como",
    "it": "il lo gli i e o ma non è sono era con per da di del della che si come anche",
    "nl": "het een en of maar niet is zijn was met voor van op te dat die als ook",
    "ru": "и в не на я что он с как а то все она так его но да ты к у же вы за бы по только ее мне было вот от "
    "меня еще нет о из ему когда даже ли если уже или ни быть был него до вас там потом себя ей может они тут где "
    "есть надо ней для мы тебя их чем была сам без чего раз тоже себе под будет кто этот того потому этого какой "
    "здесь этом один мой тем чтобы сейчас были можно при после над больше тот через эти нас про всего них много",
    "pl": "i w nie na się że z do to jest jak ale o co za od po tak jego jej już tylko przez przy dla ich czy "
    "był była było są będzie może też tym lub oraz",
}
STOPWORDS = frozenset(word for words in _FUNCTION_WORDS.values() for word in words.split())

_PROSE_END = (".", "!", "?", ":", ";", "。", "！", "？", '"', "”", "’", ")")
_SEPARATORS = ("|", "•", "»", "›", "·", "©", "®", " - ", " – ", " — ", " / ")
_LINK_MARKS = ("http", "www.", "@", ".com", ".org", ".net", ".co.uk")
#: Words of buttons, menus, widgets and calls to action, in the languages of STOPWORDS.
CUE_WORDS = frozenset(
    """
    click subscribe subscription subscribed newsletter newsletters signup login logout register follow share shares
    tweet download buy shop order donate donation advertisement advertising advertiser sponsored promoted related
    recommended trending popular cookie cookies privacy copyright reserved comment comments reply tags tag category
    categories print email e-mail whatsapp facebook twitter instagram youtube linkedin pinterest telegram reddit
    podcast watch video photo photos image getty credit caption app menu home search next previous back top read
    more learn contact about terms policy disclosure affiliate deals coupon code offer free trial demo pricing
    anzeige werbung teilen abonnieren kommentare datenschutz impressum partager abonnez publicité compartir
    suscríbete publicidad compartilhe publicidade assine commenti condividi
    """.split()
)
_CUE_PHRASES = ("sign up", "log in", "read more", "learn more", "see more", "more info", "all rights", "you may also",
                "click here", "follow us", "subscribe to", "sign in", "min read", "table of contents")  # fmt: skip
READ_CHARS = 500  # word-level shares are read from the first characters only: they settle quickly
#: Capitals of the Latin, Cyrillic and Greek scripts.
_UPPER_RANGES = (("A", "Z"), ("À", "Ö"), ("Ø", "Þ"), ("А", "Я"), ("Ё", "Ё"), ("Α", "Ω"))
_UPPER = "".join(first if first == last else f"{first}-{last}" for first, last in _UPPER_RANGES)
_UPPER_LETTERS = frozenset(chr(c) for first, last in _UPPER_RANGES for c in range(ord(first), ord(last) + 1))
_CAPITALISED = re.compile(rf"(?<![^\W_])[{_UPPER}]")
_CAPITALS_WORD = re.compile(rf"(?<![^\W_])[{_UPPER}]{{2,}}(?![^\W_])")

_BASE = (
    "log_words", "log_chars", "stop_ratio", "prose_end", "log_sentences", "cap_ratio", "upper_ratio",
    "digit_ratio", "link_like", "separators", "cues", "site_named", "title_overlap", "repeated", "comma_ratio",
    "mean_word_len", "kind_heading", "kind_item", "kind_table", "kind_quote", "link_share",
)  # fmt: skip
_NEIGHBOUR_BASE = ("log_words", "stop_ratio", "prose_end", "link_like", "cues", "kind_heading", "link_share")
_OFFSETS = (-2, -1, 1, 2)

FEATURES: tuple[str, ...] = (
    _BASE
    + ("rel_position", "log_from_start", "log_from_end", "log_segments", "words_before", "words_after",
       "short_run", "relative_length", "doc_prose_share", "doc_short_share", "doc_stop_ratio", "doc_link_share",
       "gap_before", "gap_after", "log_block_lines", "prose_before", "prose_after", "kind_run", "block_links")
    + tuple(f"{name}@{offset:+d}" for offset in _OFFSETS for name in ("exists", *_NEIGHBOUR_BASE))
)  # fmt: skip

SHORT_WORDS = 8
PROSE_WORDS = 12  # a segment this long that ends like a sentence is prose: the article is where prose is


def _base(segment: Segment, title_words: set[str], site: tuple[str, ...], repeated: bool) -> list[float]:
    text = segment.text
    lower = text.lower()
    n_words = text.count(" ") + 1
    head = text[:READ_CHARS]  # word-level shares settle within the first words
    lowered, capitalised, capitals_words = _head_words(head, lower if len(text) <= READ_CHARS else head.lower())
    lowered = lowered or [""]
    read = len(lowered)
    return [
        math.log1p(n_words),
        math.log1p(len(text)),
        sum(map(STOPWORDS.__contains__, lowered)) / read,
        1.0 if text.endswith(_PROSE_END) else 0.0,
        math.log1p(text.count(". ") + text.count("! ") + text.count("? ") + text.endswith((".", "!", "?"))),
        capitalised / read,
        capitals_words / read,
        _digits(text) / max(len(text), 1),
        float(sum(map(lower.count, _LINK_MARKS))),
        sum(map(text.count, _SEPARATORS)) / n_words,
        float(len(CUE_WORDS.intersection(lowered)) + sum(map(lower.__contains__, _CUE_PHRASES))),
        1.0 if any(map(lower.__contains__, site)) else 0.0,
        len(title_words.intersection(lowered)) / len(title_words) if title_words else 0.0,
        1.0 if repeated else 0.0,
        text.count(",") / n_words,
        (len(head) - head.count(" ")) / read,
        1.0 if segment.kind == "heading" else 0.0,
        1.0 if segment.kind == "item" else 0.0,
        1.0 if segment.kind == "table" else 0.0,
        1.0 if segment.kind == "quote" else 0.0,
        segment.links,
    ]


def _digits(text: str) -> int:
    """How many ASCII digits the text holds, counted in its UTF-8 bytes (in which no other character has an
    ASCII byte): one call, not one per digit."""
    return count_bytes(text.encode("utf-8", "surrogatepass"), b"0123456789")


def _head_words(head: str, lower: str) -> tuple[list[str], int, int]:
    """The words of a segment's head in lower case, how many of them start with a capital and how many are
    capitals only (two or more). The words found once give all three where lowering the head
    lowers each word on its own: no character lowers into two (İ) and there is no Σ, whose lower case depends
    on what follows it (a character lowered alone is a word character if and only if it was one). `lower` is
    the head in lower case."""
    if len(lower) != len(head) or "Σ" in head:
        return alphanumeric_runs(lower), len(_CAPITALISED.findall(head)), len(_CAPITALS_WORD.findall(head))
    words = alphanumeric_runs(head)
    capitalised = [word for word in words if word[0] in _UPPER_LETTERS]
    capitals_only = sum(len(word) > 1 and _UPPER_LETTERS.issuperset(word) for word in capitalised)
    # the words lowered in one call: words hold no space, and lowering makes none
    return " ".join(words).lower().split(" ") if words else [], len(capitalised), capitals_only


_NEIGHBOUR_VALUES = itemgetter(*(_BASE.index(name) for name in _NEIGHBOUR_BASE))


def is_prose(segment: Segment) -> bool:
    """A sentence-length paragraph that ends like one: what articles are made of, and list items and headings
    are not."""
    return (
        segment.kind not in ("item", "heading") and segment.words >= PROSE_WORDS and segment.text.endswith(_PROSE_END)
    )


def site_tokens(host: str | None, site_name: str | None) -> tuple[str, ...]:
    """Lower-case names a site calls itself by: its site name and the main label of its host."""
    tokens = []
    if site_name and len(site_name) >= 3:
        tokens.append(site_name.lower())
    if host:
        labels = [label for label in host.lower().split(".") if label not in ("www", "com", "org", "net", "co")]
        if labels and len(labels[0]) >= 4:
            tokens.append(labels[0])
    return tuple(tokens)


def segment_features(
    segments: Sequence[Segment], title: str | None = None, site: Iterable[str] = ()
) -> list[list[float]]:
    """One feature vector per segment, in the order of `FEATURES`."""
    count = len(segments)
    if not count:
        return []
    site = tuple(site)
    title_words = set(alphanumeric_runs((title or "").lower())) - STOPWORDS
    seen = Counter(s.text for s in segments)
    base = [_base(s, title_words, site, seen[s.text] > 1) for s in segments]
    words = [s.words for s in segments]
    total = sum(words) or 1
    longest = max(words) or 1
    before = 0
    short = [w < SHORT_WORDS for w in words]
    run = [end - start for start, end in _runs(short)]
    prose_index, stop_index = _BASE.index("prose_end"), _BASE.index("stop_ratio")
    prose = [
        w if w >= PROSE_WORDS and b[prose_index] and s.kind != "item" else 0
        for s, w, b in zip(segments, words, base, strict=True)
    ]
    prose_total = sum(prose)
    kind_runs = _runs([s.kind for s in segments])
    document = [  # what kind of text this is: a clean article, or a whole page with its menus
        sum(b[prose_index] for b in base) / count,
        sum(short) / count,
        sum(b[stop_index] for b in base) / count,
        sum(s.links * w for s, w in zip(segments, words, strict=True)) / total,
    ]
    blocks = Counter(s.block for s in segments)
    block_links: Counter = Counter()
    for segment in segments:
        block_links[segment.block] += segment.links
    neighbours = [(1.0, *_NEIGHBOUR_VALUES(b)) for b in base]
    absent = (0.0,) * len(neighbours[0])
    rows = []
    prose_before = 0
    for i in range(count):
        block = segments[i].block
        kind_start, kind_end = kind_runs[i]
        row = list(base[i])
        row += [
            i / (count - 1) if count > 1 else 0.0,
            math.log1p(i),
            math.log1p(count - 1 - i),
            math.log1p(count),
            before / total,
            (total - before - words[i]) / total,
            math.log1p(run[i]) if short[i] else 0.0,
            words[i] / longest,
            *document,
            1.0 if block is None or i == 0 or segments[i - 1].block != block else 0.0,
            1.0 if block is None or i == count - 1 or segments[i + 1].block != block else 0.0,
            math.log1p(blocks[block]) if block is not None else 0.0,
            math.log1p(prose_before),
            math.log1p(prose_total - prose_before - prose[i]),
            math.log1p(kind_end - kind_start),
            block_links[block] / blocks[block] if block is not None else segments[i].links,
        ]
        for offset in _OFFSETS:
            j = i + offset
            row += neighbours[j] if 0 <= j < count else absent  # "exists", then the neighbour's values
        before += words[i]
        prose_before += prose[i]
        rows.append(row)
    return rows


def _runs(values: list) -> list[tuple[int, int]]:
    """For each position, the [start, end) of the run of equal values it belongs to."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            spans.extend([(start, i)] * (i - start))
            start = i
    return spans
