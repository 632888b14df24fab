"""The record contract of DESIGN.md: one output record per input record, always, with a status."""

from __future__ import annotations

import json

from conftest import FIXTURES, SEEDS

from cleanse.io import read_inputs


def test_every_input_record_yields_exactly_one_output_record_even_when_broken(cleaner):
    records = [
        {
            "id": "good",
            "text": "A title\n\nThe council said on Tuesday that the harbour would be rebuilt next year.",
        },
        {"id": "no-body"},
        {"id": "bad-type", "text": 42},
        {"id": {"nested": True}, "text": "x"},
        "not an object",
        {"id": "empty", "text": "   \n  "},
    ]
    out = [cleaner(r) for r in records]
    assert len(out) == len(records)
    assert [o["status"] for o in out] == ["ok", "error", "error", "error", "error", "filtered"]
    assert out[1]["error"] == "the record has neither 'html' nor 'text'"
    assert out[2]["error"] == "field 'text' must be a string, not int"
    assert "must be a string" in out[3]["error"]
    assert "must be a JSON object" in out[4]["error"]
    assert out[5]["filter_reasons"] == ["no article text found"]


def test_the_output_record_has_the_contract_fields(cleaner):
    out = cleaner(
        {
            "id": "1",
            "url": "https://www.example.org/a",
            "text": (SEEDS / "002_2efed1bd6fd8e459.txt").read_text(),
        }
    )
    for key in (
        "id",
        "source",
        "url",
        "status",
        "title",
        "author",
        "date",
        "language",
        "language_confidence",
        "text",
        "removed",
        "signals",
        "signals_not_applicable",
        "credibility",
    ):
        assert key in out
    assert out["source"] == "example.org"  # no source given: the URL's host
    assert {r["label"] for r in out["removed"]} == {"donation", "share"}
    assert all(r["reason"] for r in out["removed"])
    assert 0 < out["credibility"]["score"] < 1
    assert out["credibility"]["reasons"][0]["signal"] == "donation_blocks"


def test_extra_fields_pass_through_untouched(cleaner):
    out = cleaner({"id": "1", "text": "Some words here.", "crawl": {"batch": 7}, "lang_hint": "en"})
    assert out["crawl"] == {"batch": 7} and out["lang_hint"] == "en"


def test_given_source_wins_over_the_url_host(cleaner):
    out = cleaner({"id": "1", "source": "Example Wire", "url": "https://example.org/a", "text": "Some words."})
    assert out["source"] == "Example Wire"


def test_html_pages_are_extracted_with_metadata_and_cleaned(cleaner):
    (record,) = read_inputs([str(FIXTURES / "advocacy-page.html")])
    out = cleaner(record)
    assert out["status"] == "ok"
    assert (out["title"], out["author"], out["date"], out["site_name"]) == (
        "Council approves new harbour plan",
        "Jane Doe",
        "2024-05-14",
        "Example Herald",
    )
    assert "donate" not in out["text"] and "Copyright" not in out["text"] and "Sport" not in out["text"]
    assert out["removed"][0]["label"] == "donation"


def test_the_word_count_is_the_clean_texts_words_list_markers_included(cleaner):
    sentence = "<p>The council voted on Tuesday to rebuild the harbour wall that storms damaged last winter.</p>"
    items = "".join(f"<li>{part} of the plan, as the mayor described it</li>" for part in ("a wall", "a channel"))
    page = f"<html><body><article><h1>Harbour</h1>{sentence}<p>It has parts:</p><ul>{items}</ul>{sentence}</article>"
    out = cleaner({"id": "1", "html": page + "</body></html>"})
    assert "\n\n- a wall" in out["text"]
    assert out["word_count"] == len(out["text"].split())
    plain = cleaner({"id": "2", "text": "Title\n\nA first paragraph of words.\n\nA second  one,\twith tabs."})
    assert plain["word_count"] == len(plain["text"].split())


def test_html_without_an_article_is_filtered_not_fatal(cleaner):
    out = cleaner({"id": "1", "html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"})
    assert out["status"] == "filtered" and out["filter_reasons"] == ["no article text found"]


def test_filters_mark_records_with_their_reasons():
    from cleanse import Cleaner, Filters

    strict = Cleaner(filters=Filters(languages=frozenset({"de"}), min_words=1000, min_score=0.99))
    out = strict({"id": "1", "text": (SEEDS / "003_847f9923bc902a27.txt").read_text()})
    assert out["status"] == "filtered"
    reasons = out["filter_reasons"]
    assert reasons[0] == "language en not in de"
    assert reasons[1].endswith("words < 1000")
    assert reasons[2].startswith("score ")


def test_two_runs_give_byte_identical_output(cleaner):
    from cleanse import Cleaner

    records = list(read_inputs([str(SEEDS), str(FIXTURES / "advocacy-page.html")]))
    first = [json.dumps(cleaner(r), ensure_ascii=False) for r in records]
    second = [json.dumps(Cleaner()(r), ensure_ascii=False) for r in records]
    assert first == second


def test_every_signal_that_fires_shows_evidence_a_reader_can_find_in_the_record(cleaner):
    fired = set()
    for path in sorted(SEEDS.glob("*.txt")):
        out = cleaner({"id": path.name, "text": path.read_text(encoding="utf-8")})
        for name, signal in out["signals"].items():
            if signal["count"]:
                fired.add(name)
                assert signal["evidence"], name
            for evidence in signal["evidence"]:
                if evidence["in"] in ("text", "title"):
                    start, end = evidence["span"]
                    assert out[evidence["in"]][start:end] == evidence["snippet"], name
                elif evidence["in"] == "removed":
                    assert evidence["snippet"] in {r["text"] for r in out["removed"]}, name
                else:
                    assert evidence["snippet"] in (out["author"], out["date"]), name
    assert len(fired) >= 15  # the seeds exercise most of the catalogue


SHARE_BAR_ARTICLE = (
    "Council approves harbour plan\n\nBy Jane Doe\n\n"
    "The council said on Tuesday that the harbour would be rebuilt next year, according to the mayor of the town.\n\n"
    "The work is expected to take two years, the harbour master told reporters at a press conference on Monday.\n\n"
    "Mastodon\n\nParler\n\nGab\n\n"
    "The mayor said the work would start in March and cost 12 million euros, the council's report shows."
)


def test_a_removed_segment_says_where_it_stood_in_the_clean_text(cleaner):
    out = cleaner({"id": "1", "text": SHARE_BAR_ARTICLE})
    assert [r["text"] for r in out["removed"]] == ["Mastodon", "Parler", "Gab"]
    following = out["text"].index("The mayor said the work")
    assert {r["at"] for r in out["removed"]} == {following}  # before the paragraph that came after the share bar


def test_removed_positions_are_paragraph_starts_in_reading_order(cleaner):
    for path in sorted(SEEDS.glob("*.txt")):
        out = cleaner({"id": path.name, "text": path.read_text(encoding="utf-8")})
        text, positions = out["text"], [r["at"] for r in out["removed"]]
        assert positions == sorted(positions), path.name
        assert all(at in (0, len(text)) or text[at - 2 : at] == "\n\n" for at in positions), path.name
    out = cleaner({"id": "000", "text": (SEEDS / "000_3a36e468e2f1aa86.txt").read_text(encoding="utf-8")})
    assert {r["at"] for r in out["removed"] if r["label"] == "promo"} == {len(out["text"])}  # the advert ends it


def test_two_processes_with_different_hash_seeds_write_byte_identical_files(tmp_path):
    import os
    import subprocess
    import sys

    inputs = [str(SEEDS), str(FIXTURES / "advocacy-page.html")]
    written = []
    for seed in ("1", "2"):
        out = tmp_path / f"run-{seed}.jsonl"
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "cleanse.cli", "clean", *inputs, "-o", str(out)]
        subprocess.run(command, check=True, env=environment, capture_output=True, timeout=600)
        written.append(out.read_bytes())
    assert written[0] == written[1] and written[0].count(b"\n") == 6
