"""datatrove: the cleanse step keeps clean bodies, annotates them, and excludes the rest with the reason."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import FIXTURES

from cleanse.io import dumps

pytest.importorskip("datatrove")
pytest.importorskip("orjson")

from datatrove.data import Document  # noqa: E402
from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

from cleanse.integrations.datatrove import CleanseFilter, input_record, record_of  # noqa: E402

NYT = "https://www.nytimes.com/2019/11/19/opinion/republicans-elections-impeachment.html"
PAGES = [
    {
        "id": "nyt",
        "text": gzip.decompress((FIXTURES / "aeb-nytimes-letters.html.gz").read_bytes()).decode(),
        "url": NYT,
    },
    {"id": "advocacy", "text": (FIXTURES / "advocacy-page.html").read_text(), "url": "https://news.example.org/a"},
    {"id": "empty", "text": "<html><body><nav>Home</nav></body></html>", "url": "https://news.example.org/b"},
    {"id": "bad-title", "text": "<p>x</p>", "title": ["not", "a", "string"]},
]


def local_line(cleaner, page: dict) -> str:
    doc = Document(
        text=page["text"], id=page["id"], metadata={k: v for k, v in page.items() if k not in ("id", "text")}
    )
    return dumps(cleaner(input_record(doc, "html")))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The pages through JsonlReader -> CleanseFilter -> JsonlWriter, on datatrove's local executor."""
    root = tmp_path_factory.mktemp("datatrove")
    (root / "in").mkdir()
    (root / "in" / "pages.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PAGES))
    pipeline = [
        JsonlReader(str(root / "in")),
        CleanseFilter(exclusion_writer=JsonlWriter(str(root / "excluded"), compression=None)),
        JsonlWriter(str(root / "kept"), compression=None),
    ]
    LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=str(root / "logs")).run()

    def documents(folder: str) -> list[Document]:  # the writer leaves out an empty text
        rows = [json.loads(line) for line in (root / folder / "00000.jsonl").read_text().splitlines()]
        return [Document(text=row.get("text", ""), id=row["id"], metadata=row["metadata"]) for row in rows]

    return documents("kept"), documents("excluded")


def test_kept_documents_carry_the_clean_body_and_the_local_record(run, cleaner):
    kept, _ = run
    assert [d.id for d in kept] == ["nyt", "advocacy"]
    for doc, page in zip(kept, PAGES, strict=False):
        assert dumps(record_of(doc)) == local_line(cleaner, page)
        assert doc.text == json.loads(local_line(cleaner, page))["text"] and "<" not in doc.text
        assert "text" not in doc.metadata["cleanse"]  # the body is not stored twice
    assert "donation" in {r["label"] for r in kept[1].metadata["cleanse"]["removed"]}


def test_filtered_and_broken_documents_go_to_the_exclusion_writer_with_the_reason(run, cleaner):
    _, excluded = run
    assert [(d.id, d.metadata["filter_reason"]) for d in excluded] == [
        ("empty", "cleanse_filtered"),
        ("bad-title", "cleanse_error"),
    ]
    assert excluded[0].metadata["cleanse"]["filter_reasons"] == ["no article text found"]
    assert excluded[1].metadata["cleanse"]["error"] == "field 'title' must be a string, not list"
    assert excluded[1].text == PAGES[3]["text"]  # what cleanse could not read stays as it was
    for doc, page in zip(excluded, PAGES[2:], strict=True):
        del doc.metadata["filter_reason"]
        assert dumps(record_of(doc)) == local_line(cleaner, page)


def test_content_must_be_html_or_text():
    with pytest.raises(ValueError, match="content must be 'html' or 'text'"):
        CleanseFilter(content="pdf")
