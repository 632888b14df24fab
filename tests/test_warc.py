"""WARC input: one input record per document record of a crawl, with its target URI and WARC record id."""

from __future__ import annotations

import json
from io import BytesIO

from conftest import FIXTURES
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleanse.cli import app
from cleanse.io import read_inputs

CRAWL = FIXTURES / "crawl.warc.gz"
NYT = "https://www.nytimes.com/2019/11/19/opinion/republicans-elections-impeachment.html"


def test_each_response_is_one_record_and_the_crawl_bookkeeping_is_skipped():
    records = list(read_inputs([str(CRAWL)]))
    # the file holds warcinfo, 4 requests, 4 responses, metadata and a revisit: only the responses are documents
    assert [(r["id"][-2:], r["url"]) for r in records] == [
        ("03", NYT),
        ("05", "https://news.example.org/2024/harbour-rebuilt"),
        ("07", "https://news.example.org/missing"),
        ("09", "https://news.example.org/logo.png"),
    ]
    assert records[0]["id"] == "urn:uuid:00000000-0000-0000-0000-000000000003"
    assert records[0]["html"].lstrip().startswith(b"<")


def test_responses_that_are_not_html_pages_are_filtered_with_the_reason(cleaner):
    out = [cleaner(r) for r in read_inputs([str(CRAWL)])]
    assert [o["status"] for o in out] == ["ok", "ok", "filtered", "filtered"]
    assert out[2]["filter_reasons"] == ["HTTP status 404"]
    assert out[3]["filter_reasons"] == ["not an HTML page: image/png"]
    assert out[0]["source"] == "nytimes.com"  # the target URI's host


def test_a_page_from_a_warc_is_cleaned_as_the_same_page_from_a_file(cleaner):
    (from_warc,) = [r for r in read_inputs([str(CRAWL)]) if r["url"] == NYT]
    (from_file,) = read_inputs([str(FIXTURES / "aeb-nytimes-letters.html.gz")])
    expected = cleaner({**from_file, "url": NYT, "source": None})
    assert {**cleaner(from_warc), "id": None} == {**expected, "id": None}


def test_the_charset_of_the_http_header_decodes_the_page(tmp_path):
    page = "<html><body><article><p>Ein schöner Tag in München, sagte der Bürgermeister.</p></article></body></html>"
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    head = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=ISO-8859-1")], protocol="HTTP/1.1")
    payload = BytesIO(page.encode("latin-1"))
    writer.write_record(
        writer.create_warc_record("https://example.de/a", "response", payload=payload, http_headers=head)
    )
    (tmp_path / "de.warc.gz").write_bytes(out.getvalue())
    (record,) = read_inputs([str(tmp_path)])  # a folder's WARC files are read too
    assert record["html"] == page


def test_a_cut_warc_keeps_the_records_before_the_cut_and_reports_the_cut_one(tmp_path, cleaner):
    data = CRAWL.read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: len(data) // 2])  # inside the first page
    (record,) = read_inputs([str(tmp_path / "cut.warc.gz")])
    out = cleaner(record)
    assert (out["url"], out["status"]) == (NYT, "error")
    assert "the WARC file ends inside this record" in out["error"]


def test_a_file_that_is_not_a_warc_is_one_error_record(tmp_path):
    (tmp_path / "fake.warc").write_text("this is not a WARC file\n")
    (record,) = read_inputs([str(tmp_path / "fake.warc")])
    assert "cannot read fake.warc" in record["_error"]


def test_clean_sends_the_filtered_responses_of_a_crawl_to_rejected(tmp_path):
    out, rejected = tmp_path / "out.jsonl", tmp_path / "rejected.jsonl"
    result = CliRunner().invoke(app, ["clean", str(CRAWL), "-o", str(out), "--rejected", str(rejected)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["status"] for line in out.read_text().splitlines()] == ["ok", "ok"]
    assert len(rejected.read_text().splitlines()) == 2
    assert "4 records: 2 ok, 2 filtered, 0 error" in result.stderr
