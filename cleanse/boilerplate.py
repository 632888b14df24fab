"""Remove boilerplate segments: YAML rules first, then context smoothing, then repeats.

A rule match is certain. Smoothing then labels the short fragments *between* two removed segments of the same
label (the airport list inside a shuttle advert, the items of a share bar), because boilerplate comes in runs
and a fragment enclosed by one run belongs to it. Last, a long segment whose words already stand earlier in
the document (a feed or teaser block that repeats the article) is a duplicate.
"""

from __future__ import annotations

import bisect
import itertools
import re

from cleanse.records import Segment
from cleanse.rules import PatternSet, Rule, RuleSet

#: Smoothing: how many segments may lie between two removed segments, and how long each may be.
SANDWICH_MAX_GAP = 12
SANDWICH_MAX_WORDS = 12
SANDWICH_REASON = "context.enclosed"
#: A segment of at least DUPLICATE_MIN_WORDS is a duplicate when this share of its word 4-grams (probed at
#: DUPLICATE_PROBES evenly spaced places) came before.
#: Short repeats are left alone: lists, recipes and interviews repeat short lines on purpose.
DUPLICATE_SHARE = 0.8
DUPLICATE_MIN_WORDS = 50
DUPLICATE_PROBES = 12
DUPLICATE_REASON = "context.duplicate"
#: Segments of at least this many words count as prose when deciding where the article ends; a section start
#: ends the article only when at least BULK_SHARE of that prose comes before it.
PROSE_WORDS = 12
BULK_SHARE = 0.5
#: A list section (related links) runs on while its items are shorter than this.
LIST_ITEM_MAX_WORDS = 40
_TOKEN = re.compile(r"\w+")


class BoilerplateRemover:
    """Marks boilerplate segments of a document (their role becomes the label, with the reason)."""

    def __init__(self, ruleset: RuleSet):
        self.rules = ruleset.boilerplate_rules
        self.patterns = PatternSet([rule.matcher for rule in self.rules])

    def apply(self, segments: list[Segment]) -> None:
        self._rules(segments)
        self._smooth(segments)
        self._duplicates(segments)

    def _rules(self, segments: list[Segment]) -> None:
        """The first matching rule of each segment; a section start takes every later segment with it."""
        count = len(segments)
        for position, segment in enumerate(segments):
            rule = self._first_match(segment, position, count)
            if rule is None:
                continue
            segment.remove(rule.label, rule.id, rule.score)
            if rule.extend and _after_the_bulk(segments, position):
                for later in segments[position + 1 :]:
                    if rule.extend == "list" and later.words >= LIST_ITEM_MAX_WORDS:
                        break
                    later.remove(rule.label, f"{rule.id}+section", rule.score)
                if rule.extend == "to_end":
                    return

    def _first_match(self, segment: Segment, position: int, count: int) -> Rule | None:
        """The first rule, in pack order, whose pattern occurs and whose place and length conditions hold."""
        words = segment.words
        for index in self.patterns.matching(segment.text):
            rule = self.rules[index]
            if rule.applies_at(position, count, words):
                return rule
        return None

    @staticmethod
    def _smooth(segments: list[Segment]) -> None:
        removed = [p for p, s in enumerate(segments) if s.reason is not None]
        for left, right in zip(removed, removed[1:], strict=False):
            gap = segments[left + 1 : right]
            if not gap or len(gap) > SANDWICH_MAX_GAP or segments[left].role != segments[right].role:
                continue
            if all(s.words <= SANDWICH_MAX_WORDS for s in gap):
                score = min(segments[left].score, segments[right].score)
                for segment in gap:
                    segment.remove(segments[left].role, SANDWICH_REASON, score)

    @staticmethod
    def _duplicates(segments: list[Segment]) -> None:
        """A long segment that repeats a run of earlier segments (a feed or teaser block restating the article)
        is a duplicate. A paragraph repeated on its own (terms per country, event blurbs) is left alone."""
        earlier: list[str] = []
        for segment in segments:
            if segment.reason is not None:
                continue
            tokens = _TOKEN.findall(segment.text.lower())
            if len(tokens) >= DUPLICATE_MIN_WORDS and _repeats_a_run(tokens, earlier):
                segment.remove("duplicate", DUPLICATE_REASON)
                continue
            earlier.append(" ".join(tokens))


def _after_the_bulk(segments: list[Segment], position: int) -> bool:
    """A section start (comments, related links) ends the article only when most of the document's prose
    comes before it; in a whole page's text the same heading can sit in a menu above the article."""
    prose = [s.words if s.words >= PROSE_WORDS and s.reason is None else 0 for s in segments]
    return sum(prose[:position]) >= BULK_SHARE * sum(prose)


def _repeats_a_run(tokens: list[str], earlier: list[str]) -> bool:
    """Most of the segment's probed word 4-grams occur earlier, spread over more than one earlier segment."""
    before = " ".join(earlier)
    starts = list(itertools.accumulate((len(text) + 1 for text in earlier[:-1]), initial=0))
    step = max(1, (len(tokens) - 3) // DUPLICATE_PROBES)
    sources, found, probes = set(), 0, 0
    for i in range(0, len(tokens) - 3, step):
        probes += 1
        position = before.find(" ".join(tokens[i : i + 4]))
        if position >= 0:
            found += 1
            sources.add(bisect.bisect_right(starts, position))
    return len(sources) > 1 and found >= DUPLICATE_SHARE * probes
