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
    previous_blank = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = normalise_space(raw)
        if not line:
            previous_blank = True
            continue
        if not previous_blank and segments and _continues(segments[-1].text, line):
            segments[-1].text = f"{segments[-1].text} {line}"
        else:
            segments.append(Segment(index=len(segments), text=line, kind="line", line=number))
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
    for kind, text in _blocks(document.body):
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
    """Yield (kind, text) for each block of trafilatura's output tree, descending into containers.

    Text can also sit directly in a container or after a child element (lxml's `text` and `tail`); it is a
    paragraph of its own.
    """
    loose = normalise_space(element.text or "")
    if loose:
        yield "paragraph", loose
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            for item in child.iter("item"):
                text = _own_text(item)
                if text:
                    yield "item", text
        elif tag == "table":
            for row in child.iter("row"):
                cells = [normalise_space(" ".join(cell.itertext())) for cell in row]
                text = " | ".join(c for c in cells if c)
                if text:
                    yield "table", text
        elif tag in ("quote", "div") and any(grandchild.tag in _BLOCK_TAGS for grandchild in child):
            for kind, text in _blocks(child):
                yield ("quote" if tag == "quote" else kind), text
        else:
            text = normalise_space(" ".join(child.itertext()))
            if text:
                yield {"head": "heading", "quote": "quote"}.get(tag, "paragraph"), text
        tail = normalise_space(child.tail or "")
        if tail:
            yield "paragraph", tail


def _own_text(item) -> str:
    """Text of a list item without the text of lists nested in it (those are items of their own)."""
    parts = [item.text or ""]
    for child in item:
        if child.tag != "list":
            parts.append(" ".join(child.itertext()))
        parts.append(child.tail or "")
    return normalise_space(" ".join(parts))
