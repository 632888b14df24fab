"""cleanse as a HuggingFace datatrove pipeline step, so that it drops into pipelines that already run on Slurm
or Ray through datatrove.

`CleanseFilter` cleans each document's text (HTML, e.g. from datatrove's `WarcReader`, or plain text): a kept
document's text becomes the clean body and its `metadata["cleanse"]` the rest of the output record (removed
boilerplate with its labels, signals with evidence, credibility). A document that cleanse marks filtered or
error leaves the pipeline for the exclusion writer with the reason `cleanse_filtered` or `cleanse_error`
(datatrove counts a statistic per reason, so it is kept to these two); the exact reasons are in
`metadata["cleanse"]` (`filter_reasons`, `error`). Needs the `datatrove` extra (`pip install
'cleanse[datatrove]'`).
"""

from __future__ import annotations

from typing import Any, Literal

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from cleanse.records import STATUS_ERROR, STATUS_OK
from cleanse.runner import CHUNK_SIZE, clean_chunk
from cleanse.spec import CleanerSpec

METADATA_KEY = "cleanse"
#: Fields of the input record that a document's metadata may give.
METADATA_FIELDS = ("url", "source", "title", "author", "date")


class CleanseFilter(BaseFilter):
    """Clean documents, keep those cleanse keeps, and send the others to `exclusion_writer` with the reason.

    `content` says what a document's text is: "html" (a page) or "text" (plain text). The step holds only the
    spec: each datatrove task builds its `Cleaner` once, on its first document. Documents are cleaned
    `batch_size` at a time, as a `cleanse clean` worker cleans its chunks (each batch taken through one stage
    before the next).
    """

    name = "🧹 cleanse"

    def __init__(
        self,
        spec: CleanerSpec | None = None,
        content: Literal["html", "text"] = "html",
        exclusion_writer: DiskWriter | None = None,
        batch_size: int = CHUNK_SIZE,
    ):
        if content not in ("html", "text"):
            raise ValueError(f"content must be 'html' or 'text', not {content!r}")
        super().__init__(exclusion_writer, batch_size=batch_size)
        self.spec = spec or CleanerSpec()
        self.content = content

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        records = clean_chunk(self.spec, None, [input_record(doc, self.content) for doc in batch])
        for doc, record in zip(batch, records, strict=True):
            annotate(doc, record)
        return [True if r["status"] == STATUS_OK else (False, f"cleanse_{r['status']}") for r in records]


def input_record(doc: Document, content: str) -> dict[str, Any]:
    """The cleanse input record of a datatrove document."""
    record = {"id": doc.id, content: doc.text}
    record.update((key, doc.metadata[key]) for key in METADATA_FIELDS if doc.metadata.get(key) is not None)
    return record


def annotate(doc: Document, record: dict[str, Any]) -> None:
    """Put an output record on its document: the clean body as its text (unless cleanse could not read it,
    where the text stays as it was), everything else under `metadata["cleanse"]`."""
    if record["status"] != STATUS_ERROR:
        doc.text = record["text"]
    doc.metadata[METADATA_KEY] = {key: value for key, value in record.items() if key != "text"}


def record_of(doc: Document) -> dict[str, Any]:
    """The output record a document carries, as `cleanse clean` writes it (the text goes back in its place,
    before `removed`)."""
    annotation = doc.metadata[METADATA_KEY]
    text = "" if annotation["status"] == STATUS_ERROR else doc.text
    record: dict[str, Any] = {}
    for key, value in annotation.items():
        if key == "removed":
            record["text"] = text
        record[key] = value
    return record
