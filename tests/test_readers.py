"""Readers turn files, folders and JSONL into records; a problem with one input becomes one error record."""

from __future__ import annotations

import gzip
import io

from conftest import FIXTURES, SEEDS

from cleanse.io import decode, read_inputs, read_jsonl


def test_a_folder_with_a_manifest_is_read_as_the_manifest_lists_it():
    records = list(read_inputs([str(SEEDS)]))
    assert [r["id"] for r in records] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert records[0]["source"] == "helloshuttle.com"
    assert "annotations" not in " ".join(r["id"] for r in records)


def test_a_folder_without_a_manifest_takes_every_document_by_name(tmp_path):
    (tmp_path / "b.txt").write_text("second")
    (tmp_path / "a.html").write_text("<p>first</p>")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    records = list(read_inputs([str(tmp_path)]))
    assert [(r["id"], r["source"]) for r in records] == [("a.html", "a.html"), ("b.txt", "b.txt")]
    assert "html" in records[0] and "text" in records[1]


def test_gzipped_html_is_read():
    (record,) = read_inputs([str(FIXTURES / "aeb-nytimes-letters.html.gz")])
    assert record["html"].lstrip().startswith(b"<")


def test_malformed_jsonl_lines_become_error_records_and_the_rest_is_read():
    stream = io.BytesIO(b'{"id": "a", "text": "x"}\n{not json\n[1, 2]\n\n{"text": "no id"}\n')
    records = list(read_jsonl(stream, "in.jsonl"))
    assert [r["id"] for r in records] == ["a", "in.jsonl:2", "in.jsonl:3", "in.jsonl:5"]
    assert "invalid JSON on line 2" in records[1]["_error"]
    assert "is a JSON list, not an object" in records[2]["_error"]


def test_a_truncated_gzip_becomes_an_error_record(tmp_path, cleaner):
    data = gzip.compress(b"<html><body><p>text</p></body></html>" * 50)
    path = tmp_path / "cut.html.gz"
    path.write_bytes(data[: len(data) // 2])
    (record,) = read_inputs([str(path)])
    out = cleaner(record)
    assert out["status"] == "error" and "cannot read" in out["error"]


def test_a_missing_input_becomes_an_error_record(cleaner):
    (record,) = read_inputs(["/no/such/file.txt"])
    assert cleaner(record)["status"] == "error"


def test_undecodable_bytes_are_decoded_not_fatal():
    assert decode("café".encode()) == "café"
    assert decode("Ein schöner Tag in München, sagte er.".encode("cp1252")) == "Ein schöner Tag in München, sagte er."
    assert isinstance(decode(b"\xff\xfe\x00\x01garbage\x80"), str)
