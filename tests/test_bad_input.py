"""Bad input never crashes a run nor disappears: every input record, however broken, yields exactly one output
record, `ok`, `filtered` or `error` with the reason. Big inputs are generated here, never committed."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

from cleanse.io import decode, dumps, read_inputs, read_jsonl

STATUSES = {"ok", "filtered", "error"}
ARTICLE = (
    "Harbour plan approved\n\n"
    "The council said on Tuesday that the harbour would be rebuilt next year, according to the mayor.\n\n"
    "The work is expected to take two years, the harbour master told reporters at a press conference."
)
PARAGRAPH = "<p>The council said on Tuesday that the harbour would be rebuilt next year, the mayor said.</p>"


def outputs(cleaner, *inputs) -> list[dict]:
    return [cleaner(record) for record in read_inputs([str(i) for i in inputs])]


def test_invalid_utf8_is_decoded_not_fatal_in_text_html_and_jsonl(tmp_path, cleaner):
    (tmp_path / "bad.txt").write_bytes(ARTICLE.encode() + b"\n\nbroken \xff\xfe\x80 bytes")
    page = f"<html><body><article>{PARAGRAPH * 3}".encode() + b"\xff\x80</article></body></html>"
    (tmp_path / "bad.html").write_bytes(page)
    (tmp_path / "bad.jsonl").write_bytes(b'{"id": "j", "text": "caf\xe9 au lait \xff\\n\\nThe council said so."}\n')
    out = outputs(cleaner, tmp_path)
    assert [(o["id"], o["status"]) for o in out] == [("bad.html", "ok"), ("j", "ok"), ("bad.txt", "ok")]
    assert "The council said on Tuesday" in out[2]["text"] and "The council said so." in out[1]["text"]


def test_a_file_mixing_utf8_and_cp1252_lines_keeps_the_words_of_both(tmp_path, cleaner):
    utf8 = "The mayor of Zürich said the café would stay open, the council’s report shows."
    cp1252 = "In München, the Straße by the harbour will close for a year, the council said."
    (tmp_path / "mixed.txt").write_bytes(f"{ARTICLE}\n\n{utf8}\n\n".encode() + cp1252.encode("cp1252"))
    (out,) = outputs(cleaner, tmp_path / "mixed.txt")
    assert out["status"] == "ok" and utf8 in out["text"] and cp1252 in out["text"]


def test_a_file_in_one_legacy_encoding_is_read_in_it():
    russian = "Городской совет во вторник заявил, что порт будет перестроен в следующем году, сказал мэр. " * 5
    assert decode(russian.encode("koi8-r")) == russian
    assert decode("Ein schöner Tag in München, sagte er.".encode("cp1252")) == "Ein schöner Tag in München, sagte er."


@pytest.mark.parametrize("name", ["blob.html", "blob.txt", "blob.jsonl", "blob.bin", "blob.html.gz"])
def test_binary_files_yield_records_not_crashes(tmp_path, cleaner, name):
    data = bytes(range(256)) * 64 + b"\n" + os.urandom(4096)
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    out = outputs(cleaner, tmp_path / name)
    assert out and {o["status"] for o in out} <= STATUSES
    if not name.endswith(".jsonl"):
        assert len(out) == 1
    else:  # one record per non-blank line, each an error: none of them is a JSON object
        assert len(out) == len([line for line in data.split(b"\n") if line.strip()])
        assert {o["status"] for o in out} == {"error"}


def test_empty_files_are_filtered_and_an_empty_jsonl_holds_no_records(tmp_path, cleaner):
    for name in ("empty.html", "empty.txt", "blank.txt", "zero.html.gz"):
        (tmp_path / name).write_bytes(b"   \n" if name == "blank.txt" else b"")
    (tmp_path / "empty.html.gz").write_bytes(gzip.compress(b""))
    (tmp_path / "empty.jsonl").write_bytes(b"")
    out = outputs(cleaner, tmp_path)
    assert [o["id"] for o in out] == ["blank.txt", "empty.html", "empty.html.gz", "empty.txt", "zero.html.gz"]
    assert {o["status"] for o in out} == {"filtered"}
    assert {r for o in out for r in o["filter_reasons"]} == {"no article text found"}


def test_a_50_mb_document_is_an_error_record_in_a_file_a_jsonl_line_and_the_api(tmp_path, cleaner):
    big = "The council said so. " * 2_500_000  # 52.5 MB
    (tmp_path / "big.txt").write_text(big, encoding="ascii")
    (tmp_path / "big.jsonl").write_text(
        json.dumps({"id": "line", "text": big}) + "\n" + json.dumps({"id": "next", "text": ARTICLE}) + "\n"
    )
    out = outputs(cleaner, tmp_path / "big.txt", tmp_path / "big.jsonl")
    out.append(cleaner({"id": "api", "text": big}))
    assert [(o["id"], o["status"]) for o in out] == [
        ("big.txt", "error"),
        ("big.jsonl:1", "error"),
        ("next", "ok"),
        ("api", "error"),
    ]
    assert "size limit of 10,000,000 bytes" in out[0]["error"] and "size limit" in out[3]["error"]
    assert "line 1 is longer than" in out[1]["error"]


def test_a_gzip_bomb_is_refused_after_reading_no_more_than_the_limit(tmp_path):
    path = tmp_path / "bomb.html.gz"
    with gzip.open(path, "wb", compresslevel=1) as bomb:
        for _ in range(64):
            bomb.write(b"<div>" * 200_000)  # 64 MB unpacked, 60 kB packed
    (record,) = read_inputs([str(path)], max_bytes=1_000_000)
    assert "size limit of 1,000,000 bytes" in record["_error"]


@pytest.mark.parametrize(
    "page",
    [
        "<html><body>" + "<div>" * 100_000 + "deep text" + "</div>" * 100_000 + "</body></html>",
        "<html><body>" + "<div><p>" * 100_000 + "never closed",
        "<html><body><article>" + PARAGRAPH * 3 + "<span>" * 100_000 + "inline</article></body></html>",
    ],
    ids=["closed", "unclosed", "after-an-article"],
)
def test_html_nested_100000_deep_is_an_error_not_a_silently_cut_page(cleaner, page):
    out = cleaner({"id": "deep", "html": page})
    assert out["status"] == "error" and "nested 256 or more elements deep" in out["error"]


def test_html_nested_as_deep_as_the_parser_reads_is_still_cleaned(cleaner):
    page = "<html><body>" + "<div>" * 200 + PARAGRAPH * 4 + "</div>" * 200 + "</body></html>"
    assert cleaner({"id": "deep", "html": page})["status"] == "ok"


def test_malformed_jsonl_lines_each_become_one_error_record():
    lines = [
        b'{"id": "ok", "text": "fine"}',
        b'{"id": "cut", "text": "trunc',
        b'{"id": "x"} trailing',
        b"\x00\x00\x00",
        b"\xef\xbb\xbf",  # a byte-order mark alone
        b"  \t ",  # blank: no record
        b"[" * 100_000 + b"]" * 100_000,
        b'{"n": ' + b"9" * 5000 + b"}",
        b'{"id": "nan", "text": "x", "score": NaN}',
    ]
    records = list(read_jsonl(io.BytesIO(b"\n".join(lines)), "in"))
    ids = [r["id"] for r in records]
    assert ids == ["ok", "in:2", "in:3", "in:4", "in:5", "in:7", "in:8", "nan"]
    assert [("_error" in r) for r in records] == [False] + [True] * 6 + [False]
    assert "unreadable JSON on line 7" in records[5]["_error"] and "unreadable JSON on line 8" in records[6]["_error"]


@pytest.mark.parametrize("value", ["[1, 2]", '"a string"', "42", "null", "true"])
def test_a_json_value_that_is_not_an_object_is_an_error_record(cleaner, value):
    (record,) = read_jsonl(io.BytesIO(value.encode() + b"\n"), "in")
    out = cleaner(record)
    assert out["status"] == "error" and "not an object" in out["error"] and out["id"] == "in:1"


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"text": ARTICLE}, "the record has no 'id'"),
        ({"id": "x"}, "the record has neither 'html' nor 'text'"),
        ({"id": ["x"], "text": ARTICLE}, "field 'id' must be a string, not list"),
        ({"id": True, "text": ARTICLE}, "field 'id' must be a string, not bool"),
        ({"id": "x", "text": b"bytes"}, "field 'text' must be a string, not bytes"),
        ({"id": "x", "html": 3.5}, "field 'html' must be a string, not float"),
        ({"id": "x", "url": {"host": "a"}, "text": ARTICLE}, "field 'url' must be a string, not dict"),
        ({"id": "x", "source": [], "text": ARTICLE}, "field 'source' must be a string, not list"),
        ({"id": "x", "title": {}, "text": ARTICLE}, "field 'title' must be a string, not dict"),
        ({"id": "x", "author": [1], "text": ARTICLE}, "field 'author' must be a string, not list"),
        ({"id": "x", "date": {"y": 1}, "text": ARTICLE}, "field 'date' must be a string, not dict"),
    ],
)
def test_missing_or_mistyped_fields_give_an_error_record_with_the_reason(cleaner, record, message):
    out = cleaner(record)
    assert out["status"] == "error" and out["error"] == message
    assert out["text"] == "" and out["signals"] == {} and out["credibility"] is None  # nothing half-computed


def test_fields_that_are_merely_odd_are_accepted(cleaner):
    out = cleaner({"id": 7, "url": "http://[::1", "title": 2024, "html": None, "text": ARTICLE, "extra": [None]})
    assert (out["id"], out["status"], out["source"], out["extra"]) == ("7", "ok", None, [None])


def test_unreadable_entries_of_a_folder_are_error_records_not_skipped(tmp_path, cleaner):
    (tmp_path / "a.txt").write_text(ARTICLE)
    os.mkfifo(tmp_path / "b.html")  # reading a pipe would block the run for ever
    (tmp_path / "c.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "d.txt").write_text(ARTICLE)
    out = outputs(cleaner, tmp_path)
    assert [(o["id"], o["status"]) for o in out] == [
        ("a.txt", "ok"),
        ("b.html", "error"),
        ("c.txt", "error"),
        ("d.txt", "ok"),
    ]
    assert "not a regular file" in out[1]["error"] and "broken symbolic link" in out[2]["error"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and lists files whatever their permissions")
def test_files_and_folders_without_read_permission_are_error_records(tmp_path, cleaner):
    (tmp_path / "locked.txt").write_text(ARTICLE)
    (tmp_path / "locked.txt").chmod(0)
    (tmp_path / "sealed").mkdir()
    (tmp_path / "sealed" / "inside.txt").write_text(ARTICLE)
    (tmp_path / "sealed").chmod(0)
    try:
        out = outputs(cleaner, tmp_path)
    finally:
        (tmp_path / "sealed").chmod(0o755)
    assert [(o["id"], o["status"]) for o in out] == [("locked.txt", "error"), ("sealed", "error")]
    assert "Permission denied" in out[0]["error"] and "cannot list" in out[1]["error"]


def test_a_sub_folder_that_cannot_be_listed_is_an_error_record_and_the_rest_is_read(tmp_path, cleaner, monkeypatch):
    for name in ("a/one.txt", "b/two.txt", "c/three.txt"):
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_text(ARTICLE)
    real = os.scandir

    def refusing(path):  # what a folder without read permission does, even to root on some file systems
        if Path(path).name == "b":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refusing)
    out = outputs(cleaner, tmp_path)
    assert [(o["id"], o["status"]) for o in out] == [("a/one.txt", "ok"), ("b", "error"), ("c/three.txt", "ok")]
    assert out[1]["error"] == f"cannot list {tmp_path / 'b'}: Permission denied"


def test_a_hostile_manifest_reads_nothing_outside_its_folder(tmp_path, cleaner):
    folder = tmp_path / "pages"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("do not read")
    (folder / "a.txt").write_text(ARTICLE)
    os.mkfifo(folder / "pipe.txt")
    entries = [
        {"file": "a.txt", "source": "Example"},
        {"file": "../secret.txt"},
        {"file": str(tmp_path / "secret.txt")},
        {"file": 5},
        ["not", "an", "object"],
        {"file": "missing.txt"},
        {"file": "pipe.txt"},
    ]
    (folder / "manifest.jsonl").write_text("\n".join(json.dumps(e) for e in entries) + "\n{broken\n")
    out = outputs(cleaner, folder)
    assert len(out) == len(entries) + 1
    assert [o["status"] for o in out] == ["ok"] + ["error"] * len(entries)
    assert out[0]["source"] == "Example"
    assert all("not a file inside the folder" in o["error"] for o in out[1:3])
    assert "do not read" not in json.dumps(out)


def test_a_manifest_that_cannot_be_decoded_as_utf8_is_still_read(tmp_path, cleaner):
    (tmp_path / "ä.txt").write_text(ARTICLE)
    (tmp_path / "manifest.jsonl").write_bytes('{"file": "ä.txt", "source": "Café"}\n'.encode("cp1252"))
    (out,) = outputs(cleaner, tmp_path)
    assert (out["id"], out["status"], out["source"]) == ("ä.txt", "ok", "Café")


def test_truncated_gzip_files_give_what_they_hold_and_an_error_record(tmp_path, cleaner):
    lines = b"".join(json.dumps({"id": f"r{i}", "text": ARTICLE}).encode() + b"\n" for i in range(200))
    packed = gzip.compress(lines)
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    text = gzip.compress(ARTICLE.encode() * 50)
    (tmp_path / "cut.txt.gz").write_bytes(text[: len(text) // 2])
    records = list(read_inputs([str(tmp_path / "cut.jsonl.gz"), str(tmp_path / "cut.txt.gz")]))
    held = records[:-2]
    assert 0 < len(held) < 200 and [r["id"] for r in held] == [f"r{i}" for i in range(len(held))]
    first, cut_jsonl, cut_text = (cleaner(r) for r in (held[0], *records[-2:]))
    assert first["status"] == "ok"
    assert cut_jsonl["status"] == "error" and f"after line {len(held)}" in cut_jsonl["error"]
    assert cut_text["status"] == "error" and "cannot read" in cut_text["error"]


def test_a_lone_surrogate_in_the_body_or_title_is_cleaned_as_a_replacement_character(cleaner):
    body = "The mayor said on Monday that the bridge \\ud83d would reopen after repairs, officials confirmed."
    line = f'{{"id": "s", "title": "Bridge \\udc00 to reopen", "text": "{body}"}}\n'
    (record,) = read_jsonl(io.BytesIO(line.encode()), "in")
    for given in (record, {"id": "s", "html": f"<html><body><article><p>{record['text']}</p></article></body></html>"}):
        out = cleaner(given)
        assert out["status"] == "ok", out.get("error")
        assert "bridge \ufffd would reopen" in out["text"]
    assert cleaner(record)["title"] == "Bridge \ufffd to reopen"


def test_a_lone_surrogate_is_written_as_a_json_escape(cleaner):
    (record,) = read_jsonl(io.BytesIO(b'{"id": "s\\ud800", "text": "A line \\udc00 here.", "note": "\\ud83d"}\n'), "in")
    line = dumps(cleaner(record))
    line.encode("utf-8")  # would raise if the surrogate were written raw
    assert json.loads(line)["note"] == "\ud83d" and json.loads(line)["id"] == "s\ud800"
