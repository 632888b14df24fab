"""WARC input (`.warc`, `.warc.gz`: Common Crawl and crawler output), read as a stream with warcio.

One input record per document record, so that one output record stands for each:
- a response (or resource) that is an HTML page with HTTP status 200 becomes `{"id": its WARC-Record-ID,
  "url": its WARC-Target-URI, "html": its payload}`;
- any other response (an image, a PDF, a redirect, a 404) becomes a record the pipeline marks `filtered`,
  with the reason ("HTTP status 404", "not an HTML page: image/png"), so `--rejected` collects them;
- a conversion record (the plain text of a WET file, `.warc.wet.gz`) becomes a plain-text record.
Requests, metadata, warcinfo and revisit records describe the crawl, not documents, and are skipped, as a
folder's non-document files are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleanse.records import READ_ERROR, READ_FILTERED

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
DOCUMENT_TYPES = frozenset({"response", "resource", "conversion"})


def read_warc(path: Path, name: str) -> Iterator[dict[str, Any]]:
    """The document records of a WARC file, in file order; a damaged file ends with one error record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from cleanse.io import record_error

    number = 0
    try:
        with path.open("rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream), start=1):  # noqa: B007 (used after the loop)
                if record.format != "warc":  # warcio also reads the older ARC format, and takes any text for it
                    yield record_error(f"{name}:{number}", f"cannot read {name}: record {number} is not a WARC record")
                    return
                if record.rec_type in DOCUMENT_TYPES:
                    yield _document(record, f"{name}:{number}")
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
        yield record_error(f"{name}:{number + 1}", f"cannot read {name} after WARC record {number}: {error}")


def _document(record: Any, place: str) -> dict[str, Any]:
    from cleanse.io import decode

    headers = record.rec_headers
    document: dict[str, Any] = {
        "id": (headers.get_header("WARC-Record-ID") or "").strip("<>") or place,
        "url": headers.get_header("WARC-Target-URI"),
    }
    if record.rec_type == "conversion":
        return _with_payload(document, record, lambda payload: ("text", decode(payload)))
    http = record.http_headers
    status = http.get_statuscode() if http is not None else "200"
    content_type = http.get_header("Content-Type") if http is not None else headers.get_header("Content-Type")
    media_type = headers.get_header("WARC-Identified-Payload-Type") or (content_type or "").split(";")[0]
    media_type = media_type.strip().lower()
    if status != "200":
        document[READ_FILTERED] = f"HTTP status {status}"
    elif media_type not in HTML_TYPES:
        document[READ_FILTERED] = f"not an HTML page: {media_type or 'no content type'}"
    else:
        return _with_payload(document, record, lambda payload: ("html", _html(payload, content_type)))
    return document


def _with_payload(document: dict[str, Any], record: Any, field: Any) -> dict[str, Any]:
    """The document with its payload under `field(payload)`'s key, or an error if the file ends inside it."""
    payload = record.content_stream().read()
    missing = getattr(record.raw_stream, "limit", 0)  # what the record's length promised and the file lacks
    if missing:
        document[READ_ERROR] = f"the WARC file ends inside this record ({missing} bytes missing)"
    else:
        key, value = field(payload)
        document[key] = value
    return document


def _html(payload: bytes, content_type: str | None) -> str | bytes:
    """The page as text when its HTTP header names a charset that decodes it, else its bytes, which the
    extractor decodes from the page's own declaration."""
    _, _, parameters = (content_type or "").partition(";")
    for parameter in parameters.split(";"):
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            try:
                return payload.decode(value.strip().strip("\"'"))
            except (LookupError, UnicodeDecodeError):
                break
    return payload
