"""Remove boilerplate segments: YAML rules first, then context smoothing, then repeats.

A rule match is certain. Smoothing then labels the short fragments *between* two removed segments of the same
label (the airport list inside a shuttle advert, the items of a share bar), because boilerplate comes in runs
and a fragment enclosed by one run belongs to it. Last, a long segment whose words already stand earlier in
the document (a feed or teaser block that repeats the article) is a duplicate.
"""

from __future__ import annotations

import re
from collections import Counter

from cleanse.records import Segment
from cleanse.rules import PatternSet, RuleSet
from cleanse.segment_features import PROSE_WORDS, is_prose
from cleanse.tokens import word_runs

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
#: A section start ends the article only when at least BULK_SHARE of its prose (segments of PROSE_WORDS or more)
#: comes before it.
BULK_SHARE = 0.5
#: Labels of the boilerplate that closes pages: one of them after the last prose paragraph makes that whole
#: tail boilerplate.
TAIL_LABELS = frozenset({"newsletter", "share", "promo", "related", "comments", "interface", "donation"})
TAIL_LABEL = "other"
#: A segment with this share of link text, after the last prose, links elsewhere: the tail starts there, when
#: what is left of the page from it on is links too (this share of its words), not an article's list of steps
#: with a link in some of them.
LINK_TAIL_SHARE = 0.9
LINK_TAIL_REST_SHARE = 0.75
#: A list of teasers to the end of the page: at least this many items, each with at least this share of link
#: text (a linked headline and its unlinked dek) and no web address in view (that is a list of references).
TEASER_ITEMS = 4
TEASER_LINK_SHARE = 0.25
TAIL_REASON = "context.tail"
#: A list section (related links) runs on while its items are shorter than this; a segment this long is
#: article text, whatever its punctuation.
LONG_WORDS = 40


class BoilerplateRemover:
    """Marks boilerplate segments of a document (their role becomes the label, with the reason)."""

    def __init__(self, ruleset: RuleSet):
        self.rules = ruleset.boilerplate_rules
        self.patterns = PatternSet([rule.matcher for rule in self.rules])

    def apply(self, segments: list[Segment], title: str | None = None) -> None:
        """Mark the boilerplate among `segments`; `title`, when known, is the page's (some rules depend on it)."""
        self._rules(segments, title)
        self._smooth(segments)
        self._tail(segments)
        self._duplicates(segments)

    def _rules(self, segments: list[Segment], title: str | None) -> None:
        """The first matching rule of each segment; a section start takes every later segment with it. A rule
        that must match several segments (the headers of a comment thread) fires only where it does, and the
        section it starts needs no bulk of article before it, only to run to the end of the page."""
        if not self.patterns.may_occur_in([segment.text for segment in segments]):
            return
        count = len(segments)
        silenced = self._silenced_by(title)
        applying = [
            [i for i in self._applying(segment, position, count) if i not in silenced]
            for position, segment in enumerate(segments)
        ]
        matched = Counter(index for indices in applying for index in indices)
        last_match = {index: position for position, indices in enumerate(applying) for index in indices}
        for position, segment in enumerate(segments):
            index = next((i for i in applying[position] if matched[i] >= self.rules[i].min_matches), None)
            if index is None:
                continue
            rule = self.rules[index]
            segment.remove(rule.label, rule.id, rule.score)
            if rule.min_matches > 1:
                starts_section = _ends_the_page(segments, position, last_match[index])
            else:
                starts_section = _after_the_bulk(segments, position)
            if rule.extend and starts_section:
                for later in segments[position + 1 :]:
                    if rule.extend == "list" and (later.words >= LONG_WORDS or _unlinked_prose(later)):
                        break
                    later.remove(rule.label, f"{rule.id}+section", rule.score)
                if rule.extend == "to_end":
                    return

    def _silenced_by(self, title: str | None) -> set[int]:
        """The rules that do not fire on this page, because its title says what they would remove is the news."""
        if not title:
            return set()
        return {i for i, rule in enumerate(self.rules) if rule.unless_title and rule.unless_title.search(title)}

    def _applying(self, segment: Segment, position: int, count: int) -> list[int]:
        """The rules, in pack order, whose pattern occurs in the segment and whose place and length conditions
        hold."""
        words = segment.words
        return [i for i in self.patterns.matching(segment.text) if self.rules[i].applies_at(position, count, words)]

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
    def _tail(segments: list[Segment]) -> None:
        """After the article's last prose, boilerplate of the kinds that close pages (a newsletter box, a share
        bar, a promotion), or a run of links or of linked teasers to the end of the page, starts the page's
        tail: the short headlines and list items from there on are related links and widgets, not article
        (but for the article's references, which can stand anywhere at its end)."""
        last_prose = max(
            (i for i, s in enumerate(segments) if s.reason is None and (is_prose(s) or s.words >= LONG_WORDS)),
            default=-1,
        )
        if last_prose < 0:
            return
        after = segments[last_prose + 1 :]
        link_share, teasers = _link_runs_to_the_end(after)
        starts = (
            i
            for i, s in enumerate(after)
            if (s.reason is None and s.links >= LINK_TAIL_SHARE and link_share[i] >= LINK_TAIL_REST_SHARE)
            or teasers[i]
            or (s.role in TAIL_LABELS and s.reason and not s.reason.startswith("context."))
        )
        start = next(starts, None)
        if start is not None:
            for segment in after[start:]:
                if segment.reason is None and not _is_reference(segment):
                    segment.remove(TAIL_LABEL, TAIL_REASON)

    @staticmethod
    def _duplicates(segments: list[Segment]) -> None:
        """A long segment that repeats a run of earlier segments (a feed or teaser block restating the article)
        is a duplicate. A paragraph repeated on its own (terms per country, event blurbs) is left alone.

        Only the long segments' probed 4-grams are ever looked up, so only those are recorded where they first
        occur: a set intersection finds them among a segment's 4-grams without a Python step per 4-gram."""
        tokens = [word_runs(s.text.lower()) if s.reason is None else [] for s in segments]
        probes = [_probes(words) if len(words) >= DUPLICATE_MIN_WORDS else [] for words in tokens]
        asked = {gram for grams in probes for gram in grams}
        if not asked:  # no segment is long enough to be a duplicate
            return
        seen: dict[tuple[str, ...], int] = {}  # probed 4-gram -> the first kept segment it occurs in
        for position, segment in enumerate(segments):
            if segment.reason is not None:
                continue
            if probes[position] and _repeats_a_run(probes[position], seen):
                segment.remove("duplicate", DUPLICATE_REASON)
                continue
            words = tokens[position]
            for gram in asked.intersection(zip(words, words[1:], words[2:], words[3:], strict=False)):
                seen.setdefault(gram, position)


def _ends_the_page(segments: list[Segment], first: int, last: int) -> bool:
    """A run of repeated headers (a comment thread) runs to the end of the page when no more prose follows its
    last header than stands between its first and last: a thread of comments and not a widget above the
    article."""
    prose = _prose_words(segments)
    return sum(prose[last + 1 :]) <= sum(prose[first:last])


def _unlinked_prose(segment: Segment) -> bool:
    """A paragraph of a page's tree that reads as a sentence and links nowhere: article text again, not a
    teaser (on a page, a list of other stories is links)."""
    return segment.kind == "paragraph" and segment.links == 0 and is_prose(segment)


def _after_the_bulk(segments: list[Segment], position: int) -> bool:
    """A section start (comments, related links) ends the article only when most of the document's prose
    comes before it; in a whole page's text the same heading can sit in a menu above the article."""
    prose = _prose_words(segments)
    return sum(prose[:position]) >= BULK_SHARE * sum(prose)


def _prose_words(segments: list[Segment]) -> list[int]:
    """Per segment, its words if it is kept prose (PROSE_WORDS or more), else 0."""
    return [s.words if s.words >= PROSE_WORDS and s.reason is None else 0 for s in segments]


def _probes(tokens: list[str]) -> list[tuple[str, ...]]:
    """DUPLICATE_PROBES or so of a segment's word 4-grams, evenly spaced."""
    step = max(1, (len(tokens) - 3) // DUPLICATE_PROBES)
    return [tuple(tokens[i : i + 4]) for i in range(0, len(tokens) - 3, step)]


def _repeats_a_run(probes: list[tuple[str, ...]], seen: dict[tuple[str, ...], int]) -> bool:
    """Most of the segment's probed word 4-grams occur earlier, spread over more than one earlier segment."""
    found = [source for source in map(seen.get, probes) if source is not None]
    return len(set(found)) > 1 and len(found) >= DUPLICATE_SHARE * len(probes)


def _link_runs_to_the_end(segments: list[Segment]) -> tuple[list[float], list[bool]]:
    """For each position, over the segments no rule removed from there to the end: the share of their words
    that is link text, and whether they are a list of teasers (enough items, each partly a link)."""
    link_share, teasers = [0.0] * len(segments), [False] * len(segments)
    words, link_words, items, all_teasers = 0, 0.0, 0, True
    for i in range(len(segments) - 1, -1, -1):
        s = segments[i]
        if s.reason is None:
            words, link_words, items = words + s.words, link_words + s.links * s.words, items + 1
            all_teasers = all_teasers and _is_teaser(s)
        link_share[i] = link_words / words if words else 0.0
        teasers[i] = all_teasers and items >= TEASER_ITEMS
    return link_share, teasers


def _is_teaser(segment: Segment) -> bool:
    return segment.kind == "item" and segment.links >= TEASER_LINK_SHARE and not _is_reference(segment)


_REFERENCE = re.compile(r"://|\bwww\.|^\W{0,2}\[\d{1,3}\]")


def _is_reference(segment: Segment) -> bool:
    """A note or reference of the article: a web address in view, or a numbered note ("[2] ...")."""
    return _REFERENCE.search(segment.text) is not None
