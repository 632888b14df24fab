"""Recognise the head of a document (title, standfirst, byline) and subheads, by position and form.

Plain text carries no markup, so the title is the first short line without closing punctuation, the
standfirst (dek) a single short sentence right under it, the byline a "By ..." or date line near the top.
For HTML the extractor already knows the title; here only its duplicate at the top and a byline line are found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleanse.dates import find_date
from cleanse.records import Segment

TITLE_MAX_WORDS = 25
DEK_MAX_WORDS = 25
BYLINE_MAX_WORDS = 20
SUBHEAD_MAX_WORDS = 15
HEAD_WINDOW = 4  # segments after the title in which a byline is looked for
TITLE_WINDOW = 3  # segments at the top in which a copy of a known title is looked for
DEK_MIN_WORDS = 8
TITLE_CASE_SHARE = 0.6
TITLE_REPEAT_REASON = "context.title-repeat"

_BYLINE = re.compile(r"^(?:by|written by|posted by|words by|reporting by|author:?)\s+(?P<rest>\S.*)$", re.IGNORECASE)
_BYLINE_SPLIT = re.compile(r"\s+(?:\||//|—|–|·|•|-|on)\s+|\s*\|\s*")
_DATE_LINE = re.compile(r"^(?:(?:published|updated|posted|last updated)\s*(?:on)?\s*:?\s*)?(?P<rest>.+)$", re.I)
_CLOSING_PUNCT = re.compile(r"[.,;:]$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[A-Z“\"]")


@dataclass
class Head:
    title: str | None = None
    description: str | None = None
    author: str | None = None
    date: str | None = None


def recognise_head(segments: list[Segment], known_title: str | None, plain_text: bool) -> Head:
    """Mark title, dek, byline and subhead segments (their `role`) and return what they say."""
    head = Head(title=known_title)
    body = [s for s in segments if s.role == "body"]
    if not body:
        return head
    cursor = 0
    if known_title:
        cursor = _find_known_title(body, known_title)
    elif plain_text and _looks_like_title(body, 0):
        body[0].role, head.title, cursor = "title", body[0].text, 1
    if head.title and _looks_like_dek(body, cursor, plain_text):
        body[cursor].role, head.description = "dek", body[cursor].text
        cursor += 1
    for segment in body[cursor : cursor + HEAD_WINDOW]:
        byline = parse_byline(segment.text)
        if byline is not None:
            segment.role = "byline"
            head.author, head.date = byline
            break
    if head.title:
        title = _letters(head.title)
        for segment in body[cursor:]:
            if segment.role == "body" and len(segment.text) < 2 * len(head.title) and _letters(segment.text) == title:
                segment.remove("duplicate", TITLE_REPEAT_REASON)
    _mark_subheads(segments, plain_text)
    return head


def _find_known_title(body: list[Segment], title: str) -> int:
    """Mark the title's copy among the first segments (a page's headline above the article); return the
    position after it, or 0 when the text does not repeat the title."""
    for i, segment in enumerate(body[:TITLE_WINDOW]):
        if _same_text(segment.text, title) or (segment.kind == "heading" and _contains_title(segment.text, title)):
            segment.role = "title"
            return i + 1
    return 0


def _contains_title(text: str, title: str) -> bool:
    """The heading is the title with a site suffix, or the title is the heading with one ("X - WSJ")."""
    a, b = _letters(text), _letters(title)
    return min(len(a), len(b)) >= 20 and (a.startswith(b) or b.startswith(a))


def parse_byline(text: str) -> tuple[str | None, str | None] | None:
    """(author, ISO date) of a byline or dateline such as "By Jane Doe | Feb 25, 2025"; None if it is not one."""
    if len(text.split()) > BYLINE_MAX_WORDS:
        return None
    found = find_date(text)
    date = found[0] if found else None
    match = _BYLINE.match(text)
    if match:
        rest = match.group("rest")
        if found:  # the author is what precedes the date
            start = found[1][0] - match.start("rest")
            rest = rest[:start] if start > 0 else rest
        author = _BYLINE_SPLIT.split(rest, maxsplit=1)[0].strip(" ,;:|/-–—")
        return (author or None), date
    if found:
        rest = _DATE_LINE.match(text).group("rest")
        leftover = rest.replace(text[found[1][0] : found[1][1]], "").strip(" ,;:|/-–—()")
        if len(leftover.split()) <= 2:  # a date line, perhaps with a weekday or a time
            return None, date
    return None


def _letters(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _same_text(a: str, b: str) -> bool:
    return _letters(a) == _letters(b)


def _looks_like_title(body: list[Segment], i: int) -> bool:
    segment = body[i]
    return (
        len(body) > i + 1
        and 2 <= segment.words <= TITLE_MAX_WORDS
        and not _CLOSING_PUNCT.search(segment.text)
        and parse_byline(segment.text) is None
    )


def _looks_like_dek(body: list[Segment], i: int, plain_text: bool) -> bool:
    """A standfirst right under the title: in plain text a single short sentence followed by a longer
    paragraph; in HTML a heading-styled sentence (sites mark it up as h2 or a bold lead)."""
    if len(body) <= i + 1:
        return False
    segment = body[i]
    if parse_byline(segment.text) is not None:
        return False
    if not plain_text:  # a sentence, not a Title Case subheading or a question
        words = segment.text.split()
        title_case = sum(w[:1].isupper() for w in words) / len(words) >= TITLE_CASE_SHARE
        return (
            segment.kind == "heading"
            and DEK_MIN_WORDS <= len(words) <= DEK_MAX_WORDS + 15
            and not title_case
            and not segment.text.endswith("?")
        )
    return (
        segment.words <= DEK_MAX_WORDS
        and segment.text.endswith(".")
        and not _SENTENCE_BREAK.search(segment.text)
        and body[i + 1].words > segment.words
    )


def _mark_subheads(segments: list[Segment], plain_text: bool) -> None:
    """Headings inside the body stay in the text but are told apart from paragraphs."""
    body = [s for s in segments if s.role == "body"]
    for i, segment in enumerate(body):
        if (
            segment.kind == "heading"
            or plain_text
            and 0 < i < len(body) - 1
            and _looks_like_subhead(segment, body[i + 1])
        ):
            segment.role = "subhead"


def _looks_like_subhead(segment: Segment, following: Segment) -> bool:
    text = segment.text
    return (
        segment.words <= SUBHEAD_MAX_WORDS
        and text[:1].isupper()
        and not re.search(r"[.,;:!\"”]$", text)
        and not text.startswith(("•", "-", "*", "–"))
        and following.words > segment.words
    )
