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

from cleanse.records import Segment

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

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?。！？](?:[\"”’)\]]|\s|$)")
_ENDS_LIKE_PROSE = re.compile(r"[.!?:;。！？\"”’)]$")
_LINK_LIKE = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:com|org|net|co\.uk|de|fr|io|gov|edu)\b|@\w{2,}|\b\S+@\S+\.\w+", re.IGNORECASE
)
_SEPARATORS = re.compile(r"[|•»›·©®]|\s[-–—/]\s")
_CUES = re.compile(
    r"\b(?:click|subscribe|subscription|newsletter|sign ?up|log ?in|register|follow|share|tweet|download|"
    r"read more|learn more|more info|buy|shop|order|donate|donation|support us|advertis\w*|sponsored|"
    r"promoted|related|recommended|trending|popular|cookies?|privacy|terms of|copyright|rights reserved|"
    r"comments?|reply|tags?|category|filed under|posted in|print|e-?mail|whatsapp|facebook|twitter|instagram|"
    r"youtube|linkedin|pinterest|telegram|reddit|podcast|watch|video|photos?|image|getty|credit|caption|app|"
    r"anzeige|werbung|teilen|abonnieren|mehr zum thema|lesen sie auch|kommentare|datenschutz|impressum|"
    r"partager|abonnez|lire aussi|publicité|compartir|suscr[ií]bete|publicidad|lee también|compartilh\w+|"
    r"leia também|publicidade|assine)\b",
    re.IGNORECASE,
)

_BASE = (
    "log_words", "log_chars", "stop_ratio", "prose_end", "log_sentences", "cap_ratio", "upper_ratio",
    "digit_ratio", "link_like", "separators", "cues", "site_named", "title_overlap", "repeated", "comma_ratio",
    "mean_word_len", "kind_heading", "kind_item", "kind_table", "kind_quote",
)  # fmt: skip
_NEIGHBOUR_BASE = ("log_words", "stop_ratio", "prose_end", "link_like", "cues", "kind_heading")
_OFFSETS = (-2, -1, 1, 2)

FEATURES: tuple[str, ...] = (
    _BASE
    + ("rel_position", "log_from_start", "log_from_end", "log_segments", "words_before", "words_after",
       "short_run", "relative_length")
    + tuple(f"{name}@{offset:+d}" for offset in _OFFSETS for name in ("exists", *_NEIGHBOUR_BASE))
)  # fmt: skip

SHORT_WORDS = 8


def _base(segment: Segment, title_words: set[str], site_tokens: Iterable[str], repeated: bool) -> list[float]:
    text = segment.text
    words = _WORD.findall(text)
    n = len(words) or 1
    lowered = [w.lower() for w in words]
    lower_text = text.lower()
    return [
        math.log1p(len(words)),
        math.log1p(len(text)),
        sum(w in STOPWORDS for w in lowered) / n,
        1.0 if _ENDS_LIKE_PROSE.search(text) else 0.0,
        math.log1p(len(_SENTENCE_END.findall(text))),
        sum(w[:1].isupper() for w in words) / n,
        sum(len(w) > 1 and w.isupper() for w in words) / n,
        sum(ch.isdigit() for ch in text) / max(len(text), 1),
        float(len(_LINK_LIKE.findall(text))),
        len(_SEPARATORS.findall(text)) / n,
        float(len(_CUES.findall(text))),
        1.0 if any(token in lower_text for token in site_tokens) else 0.0,
        len(title_words.intersection(lowered)) / max(len(title_words), 1) if title_words else 0.0,
        1.0 if repeated else 0.0,
        text.count(",") / n,
        sum(len(w) for w in words) / n,
        1.0 if segment.kind == "heading" else 0.0,
        1.0 if segment.kind == "item" else 0.0,
        1.0 if segment.kind == "table" else 0.0,
        1.0 if segment.kind == "quote" else 0.0,
    ]


_NEIGHBOUR_INDEX = [_BASE.index(name) for name in _NEIGHBOUR_BASE]


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
    title_words = {w.lower() for w in _WORD.findall(title or "") if w.lower() not in STOPWORDS}
    seen = Counter(s.text for s in segments)
    base = [_base(s, title_words, site, seen[s.text] > 1) for s in segments]
    words = [s.words for s in segments]
    total = sum(words) or 1
    longest = max(words) or 1
    before = 0
    short = [w < SHORT_WORDS for w in words]
    run = _run_lengths(short)
    rows = []
    for i in range(count):
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
        ]
        for offset in _OFFSETS:
            j = i + offset
            if 0 <= j < count:
                row.append(1.0)
                row.extend(base[j][k] for k in _NEIGHBOUR_INDEX)
            else:
                row.extend([0.0] * (1 + len(_NEIGHBOUR_INDEX)))
        before += words[i]
        rows.append(row)
    return rows


def _run_lengths(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of equal flags it belongs to."""
    lengths = [0] * len(flags)
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            for j in range(start, i):
                lengths[j] = i - start
            start = i
    return lengths
