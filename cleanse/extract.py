"""Turn a page (HTML) or a plain-text document into segments in reading order, with page metadata.

HTML goes through trafilatura (comments excluded); its output tree keeps headings, paragraphs, list items,
quotes and tables apart, which the later stages need. Plain text is split into lines, re-joining lines that a
hard wrap broke in the middle of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleanse.records import Segment

_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")
_BLOCK_TAGS = {"p", "head", "list", "quote", "table", "code", "div"}
_INLINE_TAGS = {"hi", "lb", "del", "span", "sub", "sup", "ref"}
_CONTINUATION = ".,;:)!?"
FRAGMENT_WORDS = 6


@dataclass
class Extracted:
    segments: list[Segment] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    description: str | None = None
    article_found: bool = True


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def extract_text(text: str) -> Extracted:
    """Segments of a plain-text document: one per paragraph, where a paragraph is a non-blank line or a run
    of hard-wrapped lines (a line that stops mid-sentence followed by one that starts in lower case)."""
    segments: list[Segment] = []
    previous_blank, block = True, -1
    for number, raw in enumerate(text.splitlines(), start=1):
        line = normalise_space(raw)
        if not line:
            previous_blank = True
            continue
        if previous_blank:
            block += 1
        if not previous_blank and segments and _continues(segments[-1].text, line):
            segments[-1].text = f"{segments[-1].text} {line}"
        else:
            segments.append(Segment(index=len(segments), text=line, kind="line", line=number, block=block))
        previous_blank = False
    return Extracted(segments=segments, article_found=bool(segments))


def _continues(previous: str, line: str) -> bool:
    """A hard wrap: the previous line is long, stops without sentence punctuation, and this one starts lower."""
    return len(previous) >= 40 and not _SENTENCE_END.search(previous) and line[:1].islower()


def extract_html(html: str | bytes, url: str | None = None) -> Extracted:
    """Main content and metadata of an HTML page, via trafilatura's own tree of the article."""
    from trafilatura import bare_extraction  # heavy import, only when HTML is actually seen

    document = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
    )
    return segments_of(document)


def segments_of(document) -> Extracted:
    """Segments and metadata of a trafilatura document (None when it found no article)."""
    if document is None or document.body is None:
        return Extracted(article_found=False)
    segments: list[Segment] = []
    for kind, text in _join_fragments(_blocks(document.body)):
        segments.append(Segment(index=len(segments), text=text, kind=kind))
    return Extracted(
        segments=segments,
        title=_clean_meta(document.title),
        author=_clean_meta(document.author),
        date=_clean_meta(document.date),
        site_name=_clean_meta(document.sitename),
        description=_clean_meta(document.description),
        article_found=bool(segments),
    )


def _clean_meta(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = normalise_space(value)
    return value or None


def _blocks(element):
    """Yield (kind, text, whether it stops mid-sentence) for each block of trafilatura's output tree,
    descending into containers.

    Text can also sit directly in a container, between and after child elements (lxml's `text` and `tail`),
    mixed with inline elements (emphasis, line breaks): each such run of loose text is a paragraph.
    """
    run: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INLINE_TAGS:
            run.append(" " if tag == "lb" else _raw_text(child))
            run.append(child.tail or "")
            continue
        yield from _loose(run)
        yield from _block(child, tag)
        run = [child.tail or ""]
    yield from _loose(run)


def _join_fragments(blocks):
    """Rejoin a paragraph that trafilatura's tree cut in two: the piece before stops mid-sentence (no closing
    punctuation) and the next goes on in lower case or with punctuation, or the piece before ends in a space
    and the next is a short fragment ("... cited by the publication " + "DigiTimes" + ". A preview ...")."""
    joined: list[list] = []
    for kind, text, open_end in blocks:
        previous = joined[-1] if joined else None
        glued = text[0] in _CONTINUATION
        if (
            previous is not None
            and previous[0] == kind == "paragraph"
            and (glued or text[0].islower() or (previous[2] and len(text.split()) <= FRAGMENT_WORDS))
            and not _SENTENCE_END.search(previous[1])
        ):
            previous[1] = previous[1] + ("" if glued else " ") + text
            previous[2] = open_end
        else:
            joined.append([kind, text, open_end])
    return [(kind, text) for kind, text, _ in joined]


def _loose(parts: list[str]):
    raw = "".join(parts)
    text = normalise_space(raw)
    if text:
        yield "paragraph", text, raw[-1:].isspace()


def _block(child, tag: str):
    if tag == "list":
        for item in child.iter("item"):
            parts = [c for c in item if c.tag != "list"]
            text = normalise_space("".join([item.text or ""] + [_raw_text(c) + (c.tail or "") for c in parts]))
            if text:
                yield "item", text, False
    elif tag == "table":
        for row in child.iter("row"):
            cells = [_text(cell) for cell in row]
            text = " | ".join(c for c in cells if c)
            if text:
                yield "table", text, False
    elif tag in ("quote", "div") and any(grandchild.tag in _BLOCK_TAGS for grandchild in child):
        for kind, text, open_end in _blocks(child):
            yield ("quote" if tag == "quote" else kind), text, open_end
    else:
        raw = _raw_text(child)
        text = normalise_space(raw)
        if text:
            yield {"head": "heading", "quote": "quote"}.get(tag, "paragraph"), text, raw[-1:].isspace()


def _text(element) -> str:
    """An element's text as written: inline markup (links, emphasis) adds no spaces, a line break does."""
    return normalise_space(_raw_text(element))


def _raw_text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append(" ")
        elif isinstance(child.tag, str):
            parts.append(_raw_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
