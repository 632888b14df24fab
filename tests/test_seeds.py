"""The five seed documents, line by line, exactly as `seeds/annotations.jsonl` marks them."""

from __future__ import annotations

import json

import pytest
from conftest import SEEDS

REMOVED_ROLES = {"promo", "donation", "share", "artifact"}
KEPT_ROLES = {"body", "subhead", "sources"}
HEAD_ROLES = {"title", "dek", "byline"}
ANNOTATIONS = [json.loads(line) for line in (SEEDS / "annotations.jsonl").read_text(encoding="utf-8").splitlines()]


def _result(cleaner, annotation):
    return cleaner.process({"id": annotation["file"], "text": (SEEDS / annotation["file"]).read_text(encoding="utf-8")})


def _lines(roles):
    return [
        pytest.param(a, line, id=f"{a['file'][:3]}:{line['line']}:{line['role']}")
        for a in ANNOTATIONS
        for line in a["lines"]
        if line["role"] in roles
    ]


@pytest.mark.parametrize(("annotation", "line"), _lines(REMOVED_ROLES))
def test_boilerplate_line_is_removed_with_its_label_and_rule(cleaner, annotation, line):
    removed = {r.line: r for r in _result(cleaner, annotation).removed}
    assert line["line"] in removed, f"not removed: {line['text']!r}"
    assert removed[line["line"]].label == line["role"]
    assert removed[line["line"]].reason  # a rule id, or the context rule that took it out


@pytest.mark.parametrize(("annotation", "line"), _lines(KEPT_ROLES))
def test_body_subhead_and_sources_lines_stay_in_the_text(cleaner, annotation, line):
    result = _result(cleaner, annotation)
    assert line["line"] not in {r.line for r in result.removed}
    assert line["text"].strip() in result.text


@pytest.mark.parametrize(("annotation", "line"), _lines(HEAD_ROLES))
def test_title_dek_and_byline_are_metadata_not_body(cleaner, annotation, line):
    result = _result(cleaner, annotation)
    text = line["text"].strip()
    assert text not in result.text.split("\n\n")
    if line["role"] == "title":
        assert result.title == text
    elif line["role"] == "dek":
        assert result.description == text
    else:
        assert result.author and result.author in text
        assert result.date is not None


@pytest.mark.parametrize("annotation", ANNOTATIONS, ids=lambda a: a["file"][:3])
def test_nothing_but_the_marked_lines_is_removed(cleaner, annotation):
    marked = {line["line"] for line in annotation["lines"] if line["role"] in REMOVED_ROLES}
    assert {r.line for r in _result(cleaner, annotation).removed} == marked


def test_byline_dates_are_read_as_iso(cleaner):
    dates = {a["file"][:3]: _result(cleaner, a).date for a in ANNOTATIONS}
    assert dates["002"] == "2025-02-26"
    assert dates["004"] == "2025-02-25"
