"""Turn a page (HTML) or a plain-text document into segments in reading order, with page metadata.

HTML goes through trafilatura (comments excluded); its output tree keeps headings, paragraphs, list items,
quotes and tables apart, which the later stages need. Plain text is split into lines, re-joining lines that a
hard wrap broke in the middle of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleanse.html_tree import load_page
from cleanse.page_metadata import page_metadata
from cleanse.records import InputError, Segment

_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]$")
_BLOCK_TAGS = {"p", "head", "list", "item", "quote", "table", "code", "div"}
_INLINE_TAGS = {"hi", "lb", "del", "span", "sub", "sup", "ref"}
_CONTINUATION = ".,;:)!?"
FRAGMENT_WORDS = 6
#: The nesting depth at which libxml2 stops building the tree (without its "huge" option).
MAX_DEPTH = 256
_AT_MAX_DEPTH = "boolean(/" + "/".join(["*"] * MAX_DEPTH) + ")"
#: What a link's target becomes: courlan hands a target that starts with "{" (a URL template) back untouched,
#: so trafilatura keeps it without resolving it, and a link that has a target keeps one (trafilatura logs a
#: warning for each link without).
_UNREAD_TARGET = "{}"


@dataclass
class Extracted:
    segments: list[Segment] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    description: str | None = None
    article_found: bool = True


#: Invisible characters that pages use as spacers; a segment of nothing else is empty. (Not U+200C/U+200D,
#: which join letters in Persian, Indic scripts and emoji.) Soft hyphens (U+00AD), which German pages set
#: inside words for line breaking ("Bar\xadba\xadres\xadco"), are dropped: the word is one word again.
_INVISIBLE = {**dict.fromkeys(map(ord, "\u200b\u2060\ufeff"), " "), 0xAD: None}
_INVISIBLE_CHARS = tuple(map(chr, _INVISIBLE))


def normalise_space(text: str) -> str:
    """Whitespace runs made one space, invisible spacers dropped."""
    return " ".join(_visible(text).split())


def _visible(text: str) -> str:
    """`text` without its invisible spacers. `str.translate` looks each character up in its table once a text
    holds a single non-ASCII one (curly quotes will do), so it only runs on a text that holds one of the
    characters it removes."""
    if any(map(text.__contains__, _INVISIBLE_CHARS)):
        return text.translate(_INVISIBLE)
    return text


def extract_text(text: str) -> Extracted:
    """Segments of a plain-text document: one per paragraph, where a paragraph is a non-blank line or a run
    of hard-wrapped lines (a line that stops mid-sentence followed by one that starts in lower case)."""
    segments: list[Segment] = []
    previous_blank, block = True, -1
    for number, raw in enumerate(_visible(text).splitlines(), start=1):  # (no invisible spacer breaks a line)
        line = " ".join(raw.split())
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
    """Main content and metadata of an HTML page, via trafilatura's own tree of the article. Links are kept in
    the tree (as `ref`) only to measure how much of each segment is link text: related-story lists and menus
    are links, article prose mostly is not.

    libxml2 stops reading a page where its elements nest deeper than MAX_DEPTH and keeps only what came before,
    so a page that deep is refused rather than silently cut short.

    Every link's target is replaced by a placeholder before trafilatura sees the page: cleanse counts link text
    and never reads where a link goes, and trafilatura would resolve each of the page's links against its URL
    (about 0.4 ms of a page's 20 in a side-by-side run on the AEB pages). The segments are the same; htmldate
    no longer reads dates out of other articles' link URLs.

    The page is parsed by `cleanse.html_tree.load_page`: trafilatura's tree, built by a parser that finds each
    element's class in C, and the text it was parsed from, by which `page_metadata` can tell that a page names no
    author whether it came as text or as bytes."""
    from trafilatura import bare_extraction  # heavy import, only when HTML is actually seen

    tree, text = load_page(html)
    if tree is None:
        return Extracted(article_found=False)
    if tree.xpath(_AT_MAX_DEPTH):
        raise InputError(f"HTML nested {MAX_DEPTH} or more elements deep: the parser stops reading at that depth")
    for link in tree.iter("a"):
        if "href" in link.attrib:
            link.set("href", _UNREAD_TARGET)
    metadata = page_metadata(tree, url, text)
    document = bare_extraction(tree, **TRAFILATURA_OPTIONS, url=url or metadata.url)
    return segments_of(document, metadata)


#: How cleanse calls trafilatura: comments off, links kept for link density; the metadata is found beforehand
#: by `page_metadata`, without the categories, tags and licence that trafilatura's would look for too. The
#: output is the article's tree: "txt" spares the text rendering that the "python" format adds to it, which
#: `segments_of` does its own way.
TRAFILATURA_OPTIONS = {
    "output_format": "txt",
    "with_metadata": False,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": True,
}


def segments_of(document, metadata=None) -> Extracted:
    """Segments of a trafilatura document (None when it found no article), with the metadata of `metadata`
    (a trafilatura Document too), by default the document's own."""
    if document is None or document.body is None:
        return Extracted(article_found=False)
    metadata = document if metadata is None else metadata
    segments: list[Segment] = []
    containers: dict[object, int] = {}  # a list or table, or a block standing alone -> its number
    for index, block in enumerate(_join_fragments(_blocks(document.body))):
        number = containers.setdefault(id(block.container) if block.container is not None else index, len(containers))
        segments.append(Segment(index, block.text, block.kind, block=number, links=block.link_share))
    return Extracted(
        segments=segments,
        title=_clean_meta(metadata.title),
        author=_clean_meta(metadata.author),
        date=_clean_meta(metadata.date),
        site_name=_clean_meta(metadata.sitename),
        description=_clean_meta(metadata.description),
        article_found=bool(segments),
    )


def _clean_meta(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = normalise_space(value)
    return value or None


@dataclass
class _Block:
    """A block of trafilatura's tree as text: its kind, whether it stops mid-sentence (a paragraph the tree
    cut in two), how many of its characters are link text, and the list or table it is part of."""

    kind: str
    text: str
    open_end: bool = False
    link_chars: int = 0
    container: object = None  # the list or table element whose item or row it is

    @property
    def link_share(self) -> float:
        return min(1.0, self.link_chars / len(self.text)) if self.text else 0.0


def _blocks(element):
    """Yield a _Block for each block of trafilatura's output tree, descending into containers.

    Text can also sit directly in a container, between and after child elements (lxml's `text` and `tail`),
    mixed with inline elements (emphasis, line breaks, links): each such run of loose text is a paragraph.
    """
    run, links = [element.text or ""], 0
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _INLINE_TAGS:
            text = " " if tag == "lb" else _raw_text(child)
            run.append(text)
            run.append(child.tail or "")
            links += _link_chars(child)
            continue
        yield from _loose(run, links)
        yield from _block(child, tag)
        run, links = [child.tail or ""], 0
    yield from _loose(run, links)


def _join_fragments(blocks):
    """Rejoin a paragraph that trafilatura's tree cut in two: the piece before stops mid-sentence (no closing
    punctuation) and the next goes on in lower case or with punctuation, or the piece before ends in a space
    and the next is a short fragment ("... cited by the publication " + "DigiTimes" + ". A preview ...")."""
    joined: list[_Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        glued = block.text[0] in _CONTINUATION
        if (
            previous is not None
            and previous.kind == block.kind == "paragraph"
            and (glued or block.text[0].islower() or (previous.open_end and len(block.text.split()) <= FRAGMENT_WORDS))
            and not _SENTENCE_END.search(previous.text)
        ):
            previous.text = previous.text + ("" if glued else " ") + block.text
            previous.open_end = block.open_end
            previous.link_chars += block.link_chars
        else:
            joined.append(block)
    return joined


def _loose(parts: list[str], links: int):
    raw = "".join(parts)
    text = normalise_space(raw)
    if text:
        yield _Block("paragraph", text, raw[-1:].isspace(), links)


def _block(child, tag: str):
    if tag == "list":
        for item in child.iter("item"):
            parts = [c for c in item if c.tag != "list"]
            text = normalise_space("".join([item.text or ""] + [_child_text(c) + (c.tail or "") for c in parts]))
            if text:
                yield _Block("item", text, False, sum(_link_chars(c) for c in parts), child)
    elif tag == "table":
        for row in child.iter("row"):
            cells = [cell for cell in row if _text(cell)]
            if cells:
                yield _Block("table", " | ".join(_text(c) for c in cells), False, sum(map(_link_chars, cells)), child)
    elif tag in ("quote", "div") and any(grandchild.tag in _BLOCK_TAGS for grandchild in child):
        for block in _blocks(child):
            if tag == "quote":
                block.kind = "quote"
            yield block
    else:
        raw = _raw_text(child)
        text = normalise_space(raw)
        if text:
            kind = {"head": "heading", "quote": "quote"}.get(tag, "paragraph")
            yield _Block(kind, text, raw[-1:].isspace(), _link_chars(child))


def _text(element) -> str:
    """An element's text as written: inline markup (links, emphasis) adds no spaces, a line break does."""
    return normalise_space(_raw_text(element))


def _raw_text(element) -> str:
    """Inline children run on without spaces; block children (two headings in a list item: a headline and its
    teaser) and line breaks are set apart by one."""
    parts = [element.text or ""]
    for child in element:
        parts.append(_child_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _child_text(child) -> str:
    if child.tag == "lb":
        return " "
    if child.tag in _BLOCK_TAGS:
        return f" {_raw_text(child)} "
    return _raw_text(child) if isinstance(child.tag, str) else ""


def _link_chars(element) -> int:
    """Characters of link text in an element (itself a link, or links inside it)."""
    refs = [element] if element.tag == "ref" else element.iter("ref")
    return sum(len(_text(ref)) for ref in refs)
