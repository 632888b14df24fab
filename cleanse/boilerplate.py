"""Remove boilerplate segments: YAML rules first, then context smoothing.

A rule match is certain. Smoothing then labels the short fragments *between* two removed segments of the same
label (the airport list inside a shuttle advert, the items of a share bar), because boilerplate comes in runs
and a fragment enclosed by one run belongs to it.
"""

from __future__ import annotations

from cleanse.records import Removed, Segment
from cleanse.rules import RuleSet

#: Smoothing: how many segments may lie between two removed segments, and how long each may be.
SANDWICH_MAX_GAP = 12
SANDWICH_MAX_WORDS = 12
SANDWICH_REASON = "context.enclosed"


class BoilerplateRemover:
    """Labels boilerplate segments of a document in place and returns what it removed."""

    def __init__(self, ruleset: RuleSet):
        self.rules = ruleset.boilerplate_rules

    def apply(self, segments: list[Segment]) -> list[Removed]:
        count = len(segments)
        hits: dict[int, Removed] = {}
        for position, segment in enumerate(segments):
            words = segment.words
            for rule in self.rules:
                if rule.applies_at(position, count, words) and rule.matcher.search(segment.text):
                    hits[position] = Removed(segment.index, segment.text, rule.label, rule.id, rule.score, segment.line)
                    break
        self._smooth(segments, hits)
        for position, removed in hits.items():
            segments[position].role = removed.label
        return [hits[p] for p in sorted(hits)]

    @staticmethod
    def _smooth(segments: list[Segment], hits: dict[int, Removed]) -> None:
        positions = sorted(hits)
        for left, right in zip(positions, positions[1:], strict=False):
            gap = range(left + 1, right)
            if not gap or len(gap) > SANDWICH_MAX_GAP or hits[left].label != hits[right].label:
                continue
            if all(segments[p].words <= SANDWICH_MAX_WORDS for p in gap):
                for p in gap:
                    segment = segments[p]
                    score = min(hits[left].score, hits[right].score)
                    hits[p] = Removed(
                        segment.index, segment.text, hits[left].label, SANDWICH_REASON, score, segment.line
                    )
