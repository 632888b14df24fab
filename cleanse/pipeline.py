"""The whole per-document pipeline as one reusable object: extract, remove boilerplate, recognise the head,
identify the language, measure signals, score, filter. A pure function of (record, configuration)."""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cleanse.boilerplate import BoilerplateRemover
from cleanse.credibility import DEFAULT_MODEL, CredibilityScorer
from cleanse.extract import Extracted, extract_html, extract_text
from cleanse.head import Head, recognise_head
from cleanse.language import detect_language, load_profiles
from cleanse.limits import Limits, TimeLimitExceeded, size_of, time_limits, too_large
from cleanse.records import (
    INPUT_KEYS,
    READ_ERROR,
    READ_FILTERED,
    STATUS_ERROR,
    STATUS_FILTERED,
    InputError,
    Removed,
    Result,
    Segment,
)
from cleanse.rules import load_rules
from cleanse.segment_features import site_tokens
from cleanse.segment_model import KINDS, SegmentClassifier
from cleanse.signals import DocumentView, SignalMeter

BODY_ROLES = ("body", "subhead")
ITEM_MARKER = "- "
#: Records `Cleaner.process_many` takes through each stage before the next: enough for each stage's tables to
#: stay warm from one document to the next, few enough that the batch's segments take little memory.
BATCH = 16


@dataclass(frozen=True)
class Filters:
    """Pipeline filters: a record that fails one is kept, marked `filtered`, with the reasons."""

    languages: frozenset[str] | None = None
    min_words: int = 0
    min_score: float | None = None

    def reasons(self, result: Result) -> list[str]:
        found = []
        if self.languages is not None and result.language not in self.languages:
            found.append(f"language {result.language} not in {','.join(sorted(self.languages))}")
        if result.word_count < self.min_words:
            found.append(f"{result.word_count} words < {self.min_words}")
        if self.min_score is not None and result.credibility and result.credibility.score < self.min_score:
            found.append(f"score {result.credibility.score:.3f} < {self.min_score:g}")
        return found


@dataclass
class _Work:
    """A record on its way through the stages: its result so far, what the stages have made of it, and the
    seconds its stages have taken (its time limit counts only its own)."""

    record: Any
    result: Result
    done: bool = False  # the result is final: the record failed, or a reader marked it filtered
    seconds: float = 0.0
    extracted: Extracted = field(default_factory=Extracted)
    body: list[Segment] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)


class Cleaner:
    """Build once (rules and model load here), then call on each record: `cleaner(record) -> output dict`.

    >>> cleaner = Cleaner()
    >>> out = cleaner({"id": "1", "text": "Title\\n\\nBody paragraph ..."})
    """

    def __init__(
        self,
        rules: Iterable[Path | str] = (),
        *,
        filters: Filters | None = None,
        model: Path | str | None = DEFAULT_MODEL,
        segment_models: Mapping[str, SegmentClassifier | None] | None = None,
        max_evidence: int = 20,
        limits: Limits | None = None,
    ):
        self.ruleset = load_rules(rules)
        self.boilerplate = BoilerplateRemover(self.ruleset)
        self.segment_models = (
            dict(segment_models) if segment_models is not None else {k: SegmentClassifier.load(k) for k in KINDS}
        )
        self.meter = SignalMeter(self.ruleset)
        self.scorer = CredibilityScorer(self.ruleset, model) if model is not None else None
        self.filters = filters or Filters()
        self.max_evidence = max_evidence
        self.limits = limits or Limits()
        load_profiles()

    def __call__(self, record: Mapping[str, Any]) -> dict[str, Any]:
        return self.process(record).to_dict(self.max_evidence)

    def process(self, record: Mapping[str, Any]) -> Result:
        """One output record for one input record, whatever is wrong with it."""
        return next(self.process_many([record]))

    def process_many(self, records: Iterable[Mapping[str, Any]]) -> Iterator[Result]:
        """`process` of each record, in order, made a batch at a time and stage by stage: each stage (reading
        and extraction, boilerplate, language, signals, score) runs on every record of the batch before the
        next stage starts, so that its tables (lxml's and trafilatura's, the rule automata, the language
        profiles, the models) stay in the CPU's caches from one document to the next instead of being pushed
        out by the other stages. Each record's time limit counts its own stages, not the batch's."""
        stages = (self._read, self._separated, self._identified, self._measured, self._scored)
        iterator = iter(records)
        while batch := [self._started(record) for record in islice(iterator, BATCH)]:
            with time_limits(self.limits.max_seconds) as limit:
                for stage in stages:
                    for work in batch:
                        if not work.done:
                            self._run(stage, work, limit)
            yield from (work.result for work in batch)

    def _started(self, record: Any) -> _Work:
        if not isinstance(record, Mapping):
            error = f"a record must be a JSON object, not {type(record).__name__}"
            return _Work(record, Result(id=None, source=None, url=None, status=STATUS_ERROR, error=error), done=True)
        result = Result(id=None, source=None, url=None)
        result.extra = {k: v for k, v in record.items() if k not in INPUT_KEYS and isinstance(k, str)}
        return _Work(record, result)

    def _run(self, stage: Callable[[_Work], None], work: _Work, limit: Callable[[float], Any]) -> None:
        """One stage on one record, within what is left of its time limit (`limit`, of the batch's
        `time_limits`); whatever goes wrong makes the record an error record and ends its way (one bad record
        must never stop a run)."""
        started = time.monotonic()
        try:
            with limit(work.seconds):
                stage(work)
        except (Exception, TimeLimitExceeded) as error:
            work.result, work.done = _failed(work.result, error), True
        work.seconds += time.monotonic() - started

    def separate(self, extracted: Extracted, known_title: str | None, plain_text: bool, url: str | None) -> Head:
        """The boilerplate stage: rules, the head (title, dek, byline), then the segment classifier for what
        is left, marking each segment's role."""
        self.boilerplate.apply(extracted.segments, known_title)
        head = recognise_head(extracted.segments, known_title, plain_text)
        classifier = self.segment_models.get("text" if plain_text else "html")
        if classifier is not None:
            classifier.apply(extracted.segments, head.title, site_tokens(_host(url), extracted.site_name))
        return head

    def _read(self, work: _Work) -> None:
        """The record's fields read and its page or text extracted; a record that a reader marked filtered
        ends here."""
        record, result = work.record, work.result
        result.id = _text_field(record, "id")
        result.url = _text_field(record, "url")
        result.source = _text_field(record, "source") or _host(result.url)
        if record.get(READ_ERROR):
            raise InputError(record[READ_ERROR])
        if record.get(READ_FILTERED):
            result.status, result.filter_reasons = STATUS_FILTERED, [str(record[READ_FILTERED])]
            work.done = True
            return
        if result.id is None:
            raise InputError("the record has no 'id'")
        work.extracted = self._extract(record, result.url)

    def _separated(self, work: _Work) -> None:
        """Boilerplate, head and body apart (`separate`), and the clean body with its metadata."""
        record, result, extracted = work.record, work.result, work.extracted
        given_title = _encodable(_text_field(record, "title"))
        plain_text = record.get("html") is None
        head = self.separate(extracted, given_title or extracted.title, plain_text, result.url)
        work.body = [s for s in extracted.segments if s.role in BODY_ROLES]
        removed = [Removed.of(s) for s in extracted.segments if s.reason is not None]
        text, work.offsets = _join(work.body)
        _place(removed, work.body, work.offsets, len(text))
        result.title = head.title
        result.description = head.description or extracted.description
        result.author = _text_field(record, "author") or extracted.author or head.author
        result.date = _text_field(record, "date") or extracted.date or head.date
        result.site_name = extracted.site_name
        result.text, result.removed = text, removed
        result.word_count = sum(s.words + (s.kind == "item") for s in work.body)  # len(text.split()): items add "-"

    def _identified(self, work: _Work) -> None:
        result = work.result
        result.language, result.language_confidence = detect_language(result.text or result.title or "")

    def _measured(self, work: _Work) -> None:
        r = work.result
        view = DocumentView(r.text, work.body, work.offsets, r.title, r.author, r.date, r.removed, r.word_count)
        r.signals = self.meter.measure(view, r.language)
        r.signals_not_applicable = self.meter.not_applicable(r.language)

    def _scored(self, work: _Work) -> None:
        """The credibility score, and whether the record is kept."""
        result = work.result
        if self.scorer is not None:
            result.credibility = self.scorer.score(result.signals, result.text, result.language)
        if not work.extracted.article_found or not result.text:
            result.status = STATUS_FILTERED
            result.filter_reasons = ["no article text found"]
        else:
            result.filter_reasons = self.filters.reasons(result)
            if result.filter_reasons:
                result.status = STATUS_FILTERED

    def _extract(self, record: Mapping[str, Any], url: str | None) -> Extracted:
        """The document's segments; a body that is missing, mistyped or over the size limit is refused."""
        html, text = record.get("html"), record.get("text")
        if html is None and text is None:
            raise InputError("the record has neither 'html' nor 'text'")
        key, value, types = ("html", html, str | bytes) if html is not None else ("text", text, str)
        if not isinstance(value, types):
            raise InputError(f"field '{key}' must be a string, not {type(value).__name__}")
        refused = too_large(size_of(value), self.limits.max_bytes)
        if refused:
            raise InputError(refused)
        if isinstance(value, str):
            value = _encodable(value)
        if key == "text":
            return extract_text(value)
        return extract_html(value, url) if value.strip() else Extracted(article_found=False)


def record_id(record: Any) -> str | None:
    """The id an input record's output record carries (None when it has none or it is unusable)."""
    try:
        return _text_field(record, "id") if isinstance(record, Mapping) else None
    except InputError:
        return None


def _failed(result: Result, error: BaseException) -> Result:
    """An error record: what identifies the input, what went wrong, and nothing half-computed. The input's own
    faults (and the time limit) say what they are; anything else is named by its type too."""
    said = str(error) if isinstance(error, InputError | TimeLimitExceeded) else f"{type(error).__name__}: {error}"
    return Result(
        id=result.id, source=result.source, url=result.url, status=STATUS_ERROR, error=said, extra=result.extra
    )


def _text_field(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"field '{key}' must be a string, not {type(value).__name__}")
    return str(value).strip() or None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str | None) -> str | None:
    """`text` with each lone surrogate (half a character, which a JSON escape such as "\\ud83d" can leave)
    made U+FFFD: the rules run on UTF-8, which cannot carry one. Other text is returned as it is."""
    if text is None or text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text)
    return text


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    except ValueError:  # a malformed address ("http://[::1") names no host
        return None
    return host.removeprefix("www.") or None


def _place(removed: list[Removed], body: list[Segment], offsets: list[int], end: int) -> None:
    """Set where each removed segment stood in the clean text: the start of the next kept paragraph (its list
    marker included), or the end of the text when nothing kept followed it."""
    starts = [o - len(ITEM_MARKER) if s.kind == "item" else o for s, o in zip(body, offsets, strict=True)]
    indices = [s.index for s in body]
    for item in removed:
        following = bisect_right(indices, item.segment)
        item.at = starts[following] if following < len(starts) else end


def _join(body: list[Segment]) -> tuple[str, list[int]]:
    """The clean body, paragraphs separated by a blank line and list items marked "- ", and where each
    segment's own text starts in it."""
    parts, offsets, position = [], [], 0
    for segment in body:
        marker = ITEM_MARKER if segment.kind == "item" else ""
        offsets.append(position + len(marker))
        parts.append(marker + segment.text)
        position += len(parts[-1]) + 2
    return "\n\n".join(parts), offsets
