"""Plain data passed between the stages, and the output record of the contract in DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUS_OK = "ok"
STATUS_FILTERED = "filtered"
STATUS_ERROR = "error"

#: Key a reader sets on a record it could not read; the pipeline reports it as status "error".
READ_ERROR = "_error"
#: Key a reader sets on a record that holds no document to clean (a WARC response that is not an HTML page):
#: the pipeline reports it as status "filtered", with this reason.
READ_FILTERED = "_filtered"
#: Keys of the input record that cleanse consumes; every other key passes through untouched.
INPUT_KEYS = ("id", "html", "text", "url", "source", "title", "author", "date", READ_ERROR, READ_FILTERED)


class InputError(ValueError):
    """The record itself is unusable; its message alone says why (it becomes the record's `error`)."""


@dataclass
class Segment:
    """One paragraph, heading, list item or line of a document, in reading order.

    `role` says what the segment is once the head and the boilerplate have been recognised:
    body, subhead (both kept), title, dek, byline (metadata), or the boilerplate label it was removed as.
    """

    index: int
    text: str
    kind: str = "paragraph"  # paragraph | heading | item | quote | table | line
    line: int | None = None  # 1-based line in plain-text input
    block: int | None = None  # what it belongs with: its run of lines between blank lines, or its list or table
    role: str = "body"
    reason: str | None = None  # the rule id (or "model", "context.*") that removed it
    score: float = 1.0  # how sure the removal is: 1 for rules, the probability for the model
    links: float = 0.0  # share of its characters that are link text (HTML only; plain text has no links)
    _counted: tuple[str | None, int] = field(default=(None, 0), init=False, repr=False, compare=False)

    @property
    def words(self) -> int:
        """Its number of words, counted once per text: every stage asks, a hundred times a document."""
        text, count = self._counted
        if text is not self.text:
            count = len(self.text.split())
            self._counted = (self.text, count)
        return count

    def remove(self, label: str, reason: str, score: float = 1.0) -> None:
        self.role, self.reason, self.score = label, reason, score


@dataclass
class Removed:
    """A segment taken out of the body, and why."""

    segment: int
    text: str
    label: str
    reason: str
    score: float = 1.0
    line: int | None = None
    at: int | None = None  # where it stood in the clean `text`: the start of the kept paragraph it preceded

    @classmethod
    def of(cls, segment: Segment) -> Removed:
        return cls(segment.index, segment.text, segment.role, segment.reason or "", segment.score, segment.line)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"segment": self.segment}
        if self.line is not None:
            out["line"] = self.line
        if self.at is not None:
            out["at"] = self.at
        out.update(label=self.label, reason=self.reason, score=round(self.score, 4), text=self.text)
        return out


@dataclass
class Evidence:
    """Where a signal was seen: a character span of the clean `text`, of the `title`, or a removed segment."""

    where: str  # text | title | removed | meta
    snippet: str  # exactly the characters of `span`, or the whole item for removed segments and metadata
    span: tuple[int, int] | None = None
    segment: int | None = None
    context: str | None = None  # the words around a short snippet, for a human reader

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"in": self.where}
        if self.segment is not None:
            out["segment"] = self.segment
        if self.span is not None:
            out["span"] = list(self.span)
        out["snippet"] = self.snippet
        if self.context is not None:
            out["context"] = self.context
        return out


@dataclass
class SignalValue:
    """A measured signal: its normalised value, the raw count behind it, and the evidence."""

    value: float
    count: int
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self, max_evidence: int) -> dict[str, Any]:
        return {
            "value": round(self.value, 4),
            "count": self.count,
            "evidence": [e.to_dict() for e in self.evidence[:max_evidence]],
        }


@dataclass
class Reason:
    """One signed contribution to a credibility score (log-odds), with its explanation in words."""

    signal: str
    contribution: float
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "signal": self.signal,
            "contribution": round(self.contribution, 4),
            "explanation": self.explanation,
        }


@dataclass
class Credibility:
    score: float
    model: str
    reasons: list[Reason] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "model": self.model,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass
class Result:
    """The output record: one per input record, whatever happened to it."""

    id: str
    source: str | None
    url: str | None
    status: str = STATUS_OK
    error: str | None = None
    filter_reasons: list[str] = field(default_factory=list)
    title: str | None = None
    description: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    word_count: int = 0
    text: str = ""
    removed: list[Removed] = field(default_factory=list)
    signals: dict[str, SignalValue] = field(default_factory=dict)
    signals_not_applicable: list[str] = field(default_factory=list)  # no rule covers the document's language
    credibility: Credibility | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, max_evidence: int = 20) -> dict[str, Any]:
        """The JSON-ready record, keys in a fixed order so that output is byte-stable."""
        out: dict[str, Any] = {"id": self.id, "source": self.source, "url": self.url, "status": self.status}
        if self.error is not None:
            out["error"] = self.error
        if self.filter_reasons:
            out["filter_reasons"] = list(self.filter_reasons)
        out.update(
            title=self.title,
            description=self.description,
            author=self.author,
            date=self.date,
            site_name=self.site_name,
            language=self.language,
            language_confidence=(None if self.language_confidence is None else round(self.language_confidence, 4)),
            word_count=self.word_count,
            text=self.text,
            removed=[r.to_dict() for r in self.removed],
            signals={name: s.to_dict(max_evidence) for name, s in self.signals.items()},
            signals_not_applicable=list(self.signals_not_applicable),
            credibility=None if self.credibility is None else self.credibility.to_dict(),
        )
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out
