"""Measure the editorial signals of a cleaned document, each with the evidence a reader can check.

Which signals exist, how they are normalised and which rules feed them is declared in the YAML packs; this
module runs those rules over the clean body and title, and holds the few measurements that need code
(quotes with a named speaker, metadata, blocks of removed boilerplate).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from cleanse.memo import Memo
from cleanse.records import Evidence, Removed, Segment, SignalValue
from cleanse.rules import PatternSet, Rule, RulePackError, RuleSet, SignalDef

#: Rates per 1,000 words use at least this many words, so that a 30-word text with one "said" does not
#: get a rate of 33.
RATE_MIN_WORDS = 100
CONTEXT_CHARS = 40
#: Languages whose plans a meter keeps: more than langdetect tells apart (55, and "und").
LANGUAGES = 64

_QUOTE = re.compile(r"“[^“”]{1,3000}”|\"[^\"\n]{1,3000}\"|«[^«»]{1,3000}»|„[^„“”]{1,3000}[“”]")
_SPEECH_VERB = (
    r"(?:said|says|told|added|wrote|stated|explained|noted|continued|remarked|asked|insisted|argued|"
    r"warned|declared|replied|responded|tweeted|posted|concluded|recalled|observed|acknowledged|claimed)"
)
_NAME = r"(?:[A-Z][\w’'.-]+(?:\s+(?:[A-Z][\w’'.-]+|de|van|von|bin|al))*)"
_PRONOUN = r"(?:he|she|they|He|She|They)"
_ATTRIBUTION_AFTER = re.compile(
    rf"^[,.]?[\"”’]?\s*(?:{_SPEECH_VERB}\s+(?:{_NAME}|{_PRONOUN})|(?:{_NAME}|{_PRONOUN})\s+{_SPEECH_VERB})\b"
)
_ATTRIBUTION_BEFORE = re.compile(
    rf"(?:{_NAME}|{_PRONOUN})[^.!?“”\"]{{0,60}}?\s{_SPEECH_VERB}\b[^.!?“”\"]{{0,100}}[,:.]?\s*$"
)


@dataclass
class DocumentView:
    """What the signals look at: the clean body (segments and their offsets in `text`), title, metadata."""

    text: str
    segments: list[Segment]
    offsets: list[int]
    title: str | None
    author: str | None
    date: str | None
    removed: list[Removed]
    words: int
    _quotes: list[tuple[int, int]] | None = field(default=None, repr=False)

    @cached_property
    def data(self) -> bytes:
        """The text's UTF-8 bytes, which every body rule runs on: encoded once for all of them."""
        return self.text.encode("utf-8")

    def segment_at(self, position: int) -> int:
        return self.segments[max(bisect.bisect_right(self.offsets, position) - 1, 0)].index

    def quotes(self) -> list[tuple[int, int]]:
        if self._quotes is None:
            self._quotes = [m.span() for m in _QUOTE.finditer(self.text)]
        return self._quotes

    def in_quote(self, start: int) -> bool:
        spans = self.quotes()
        i = bisect.bisect_right(spans, (start, float("inf"))) - 1
        return i >= 0 and spans[i][0] < start < spans[i][1]

    def evidence(self, start: int, end: int) -> Evidence:
        left = max(0, start - CONTEXT_CHARS)
        right = min(len(self.text), end + CONTEXT_CHARS)
        context = self.text[left:right].replace("\n\n", " ¶ ")
        return Evidence("text", self.text[start:end], (start, end), self.segment_at(start), context.strip())


Extractor = Callable[[DocumentView, SignalDef], list[Evidence]]


def _attributed_quotes(view: DocumentView, _: SignalDef) -> list[Evidence]:
    found = []
    for start, end in view.quotes():
        if len(view.text[start:end].split()) < 3:
            continue
        after = view.text[end : end + 80].split("\n", 1)[0]
        before = view.text[max(0, start - 120) : start].rsplit("\n", 1)[-1]
        if _ATTRIBUTION_AFTER.search(after) or _ATTRIBUTION_BEFORE.search(before):
            found.append(view.evidence(start, end))
    return found


def _byline(view: DocumentView, _: SignalDef) -> list[Evidence]:
    return [Evidence("meta", view.author)] if view.author else []


def _dated(view: DocumentView, _: SignalDef) -> list[Evidence]:
    return [Evidence("meta", view.date)] if view.date else []


def _boilerplate_blocks(view: DocumentView, signal: SignalDef) -> list[Evidence]:
    """One evidence item per run of consecutive removed segments with the signal's label."""
    blocks: list[Evidence] = []
    previous: Removed | None = None
    for removed in view.removed:
        if removed.label != signal.label:
            previous = None
            continue
        if previous is None or removed.segment != previous.segment + 1:
            blocks.append(Evidence("removed", removed.text, segment=removed.segment))
        previous = removed
    return blocks


EXTRACTORS: dict[str, Extractor] = {
    "attributed_quotes": _attributed_quotes,
    "byline": _byline,
    "dated": _dated,
    "boilerplate_blocks": _boilerplate_blocks,
}


class _Plan(NamedTuple):
    signal: SignalDef
    extractor: Extractor | None
    rules: list[Rule]  # the signal's rules that cover the language


class SignalMeter:
    """Measures every signal of a rule set; built once, used for many documents."""

    def __init__(self, ruleset: RuleSet):
        unknown = [
            f"{s.origin}: unknown extractor '{s.extractor}' (one of {', '.join(EXTRACTORS)})"
            for s in ruleset.signals.values()
            if s.extractor is not None and s.extractor not in EXTRACTORS
        ]
        if unknown:
            raise RulePackError(unknown)
        self.ruleset = ruleset
        self.signals = list(ruleset.signals.values())
        self.rules = {s.name: ruleset.signal_rules(s.name) for s in self.signals}
        # One pass of all body rules together says which of them occur at all; only those are run one by one.
        body_rules = [rule for s in self.signals for rule in self.rules[s.name] if rule.target == "body"]
        self._body_patterns = PatternSet([rule.matcher for rule in body_rules])
        self._body_rule_ids = [rule.id for rule in body_rules]
        # per language (worked out once each): how each signal measurable in it is measured, and which are not
        self._plans = Memo(self._planned, LANGUAGES)
        self._not_applicable = Memo(self._unmeasured, LANGUAGES)

    def _planned(self, language: str) -> list[_Plan]:
        """Per signal that an extractor or a rule measures in `language`: its extractor and the rules that cover
        the language."""
        return [
            _Plan(
                s,
                EXTRACTORS[s.extractor] if s.extractor else None,
                [r for r in self.rules[s.name] if r.covers(language)],
            )
            for s in self.signals
            if self.ruleset.applicable(s, language)
        ]

    def _unmeasured(self, language: str) -> tuple[str, ...]:
        measurable = {plan.signal.name for plan in self._plans[language]}
        return tuple(s.name for s in self.signals if s.name not in measurable)

    def not_applicable(self, language: str) -> list[str]:
        """The signals that no extractor or rule measures in this language, by name."""
        return list(self._not_applicable[language])

    def measure(self, view: DocumentView, language: str) -> dict[str, SignalValue]:
        """Every signal applicable in `language`, with its value and evidence."""
        measured: dict[str, SignalValue] = {}
        occurring = {self._body_rule_ids[i] for i in self._body_patterns.matching(view.data)}
        for signal, extractor, rules in self._plans[language]:
            evidence = extractor(view, signal) if extractor else []
            for rule in rules:
                if rule.target != "body" or rule.id in occurring:
                    evidence.extend(_rule_evidence(rule, view))
            if len(evidence) > 1:
                evidence.sort(key=lambda e: (e.where != "title", e.span or (0, 0)))
            measured[signal.name] = SignalValue(_normalise(signal, len(evidence), view.words), len(evidence), evidence)
        return measured


def _rule_evidence(rule: Rule, view: DocumentView) -> list[Evidence]:
    if rule.target == "title":
        title = view.title or ""
        return [Evidence("title", title[s:e], (s, e)) for s, e in rule.matcher.finditer(title)]
    return [
        view.evidence(start, end)
        for start, end in rule.matcher.finditer(view.text, view.data)
        if not (rule.exclude_quotes and view.in_quote(start))
    ]


def _normalise(signal: SignalDef, count: int, words: int) -> float:
    if signal.normalise == "per_1000_words":
        return 1000.0 * count / max(words, RATE_MIN_WORDS)
    if signal.normalise == "presence":
        return 1.0 if count else 0.0
    return float(count)
