"""Property tests: arbitrary bytes, JSON, HTML-ish markup, plain text, segments and user patterns never crash the
readers, the extractor or the rule engine, never lose a record, and every record keeps the contract.

Bounded for CI (100 examples each, a per-example deadline of 10 s that catches hangs: the "ci" profile of
tests/conftest.py); `--hypothesis-profile=long` runs 5,000 each, and `benchmarks/fuzz.py` runs the same targets
for as long as you like under atheris."""

from __future__ import annotations

import gzip
import io
import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cleanse.contract import problems
from cleanse.io import dumps, read_inputs, read_jsonl
from cleanse.records import Segment
from cleanse.rules import RulePackError, load_rules

#: The number of examples and the deadline come from the profile (tests/conftest.py); the session's cleaner
#: is shared by every example on purpose.
BOUNDED = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SUFFIXES = [".html", ".htm", ".txt", ".md", ".jsonl", ".html.gz", ".txt.gz", ".jsonl.gz", ".bin"]
SENTENCES = [
    "The council said on Tuesday that the harbour would be rebuilt next year.",
    "According to the mayor, the work will cost 12 million euros, the report shows.",
    "Share on Facebook Twitter Mastodon",
    "Donate now to support independent journalism!",
    "Subscribe to our newsletter for more stories like this.",
    "SHOCKING: you won't believe what happened next!!!",
    '"We will act," said Jane Doe, a spokesperson.',
    "Copyright 2024 Example Media. All rights reserved.",
]
TAGS = [
    "html", "head", "title", "meta", "body", "article", "main", "section", "div", "p", "span", "a", "b", "h1", "h2",
    "ul", "li", "table", "tr", "td", "blockquote", "pre", "nav", "footer", "aside", "script", "style", "form",
    "iframe", "svg", "template", "noscript", "br", "img",
]  # fmt: skip
words = st.one_of(st.sampled_from(SENTENCES), st.text(max_size=40))
markup = st.sampled_from(["<br>", "<!-- note -->", "<![CDATA[x]]>", "&nbsp;", "&#0;", "&bogus;", "<", ">", "</p>"])
attributes = st.sampled_from(["", ' class="content"', ' id="main"', " hidden", ' style="x', ' href="javascript:x"'])


def _element(children):
    return st.builds(
        lambda tag, attrs, inner, closed: f"<{tag}{attrs}>{''.join(inner)}" + (f"</{tag}>" if closed else ""),
        st.sampled_from(TAGS),
        attributes,
        st.lists(children, max_size=5),
        st.booleans(),
    )


html_ish = st.recursive(st.one_of(words, markup), _element, max_leaves=30).map(
    lambda body: f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>"
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
input_records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=10), st.integers(), st.none(), json_values),
        "html": st.one_of(html_ish, st.text(max_size=200), json_values),
        "text": st.one_of(st.lists(words, max_size=8).map("\n\n".join), json_values),
        "url": st.one_of(st.text(max_size=30), st.sampled_from(["http://[::1", "https://www.example.org/a"])),
        "source": st.one_of(st.text(max_size=10), json_values),
        "title": st.one_of(st.text(max_size=30), json_values),
        "extra": json_values,
    },
)


def non_blank_lines(data: bytes) -> int:
    return sum(1 for line in data.split(b"\n") if line.strip())


@pytest.fixture(scope="module")
def ruleset():
    return load_rules()


@BOUNDED
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES), packed=st.booleans())
def test_any_bytes_in_any_file_give_records_and_lose_none(data, suffix, packed):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(gzip.compress(data) if packed and suffix.endswith(".gz") else data)
        records = list(read_inputs([str(path)]))
    assert all(isinstance(r, dict) and r.get("id") is not None for r in records)
    if ".jsonl" not in suffix:
        assert len(records) == 1
    elif not suffix.endswith(".gz") or packed:  # an intact file: one record per non-blank line
        assert len(records) == non_blank_lines(data)
    else:  # bytes that are no gzip: an error record, unless there are none at all
        assert len(records) == (1 if data else 0)


@BOUNDED
@given(lines=st.lists(st.one_of(json_values.map(json.dumps).map(str.encode), st.binary(max_size=60)), max_size=12))
def test_any_jsonl_lines_give_one_record_per_non_blank_line(lines):
    lines = [line.replace(b"\n", b" ") for line in lines]
    records = list(read_jsonl(io.BytesIO(b"\n".join(lines)), "fuzz"))
    assert len(records) == sum(1 for line in lines if line.strip())
    for line, record in zip([line for line in lines if line.strip()], records, strict=True):
        if "_error" not in record:
            assert isinstance(json.loads(line), dict)


@BOUNDED
@given(record=input_records)
def test_any_record_gives_one_output_record_that_keeps_the_contract(cleaner, record):
    out = cleaner(record)
    event(out["status"])
    assert problems(out) == []
    dumps(out).encode("utf-8")


@BOUNDED
@given(page=st.one_of(html_ish, st.binary(max_size=3000)))
def test_any_html_ish_page_or_bytes_is_extracted_or_refused_with_a_reason(cleaner, page):
    out = cleaner({"id": "fuzz", "html": page})
    event(out["status"])
    assert problems(out) == []


@BOUNDED
@given(text=st.one_of(st.text(max_size=2000), st.lists(words, max_size=20).map("\n".join)))
def test_any_plain_text_keeps_the_contract(cleaner, text):
    assert problems(cleaner({"id": "fuzz", "text": text})) == []


#: Halves of characters, which JSON escapes such as "\ud83d" can leave in a crawl's text.
lone_surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


@BOUNDED
@given(pieces=st.lists(st.one_of(words, lone_surrogates), min_size=1, max_size=30))
def test_half_characters_in_a_body_or_title_never_make_an_error_record(cleaner, pieces):
    text = " ".join(pieces)
    for record in ({"id": "fuzz", "text": text, "title": text[:40]}, {"id": "fuzz", "html": f"<p>{text}</p>"}):
        out = cleaner(record)
        assert out["status"] != "error", out.get("error")
        assert problems(out) == []
        dumps(out).encode("utf-8")


@BOUNDED
@given(texts=st.lists(st.one_of(words, st.text(max_size=300)), min_size=1, max_size=15))
def test_any_segments_run_through_every_rule_with_spans_inside_them(ruleset, texts):
    from cleanse.boilerplate import BoilerplateRemover

    segments = [Segment(index=i, text=t) for i, t in enumerate(texts)]
    BoilerplateRemover(ruleset).apply(segments)
    assert all((s.reason is None) == (s.role == "body") for s in segments)
    for rule in ruleset.rules:
        for text in texts:
            assert all(0 <= start < end <= len(text) for start, end in rule.matcher.finditer(text))


regex_tokens = st.sampled_from(
    ["a", "b", ".", "*", "+", "?", "{2,5}", "{1000}{1000}", "(", ")", "(?:", "(?=", "(?<=", "(?P<n>", r"\1", "[a-z]",
     "[^", "]", "|", "^", "$", r"\b", r"\d", r"\p{L}", "\\", "(?i)", "(?s)", "\ud83d", "é"]
)  # fmt: skip
user_patterns = st.one_of(st.text(max_size=30), st.lists(regex_tokens, max_size=12).map("".join))


@BOUNDED
@given(pattern=user_patterns)
def test_any_user_pattern_compiles_on_re2_or_is_refused_with_file_and_line(pattern):
    pack = {
        "schema": 1,
        "pack": "fuzz",
        "rules": [
            {"id": "fuzz.rule", "description": "d", "criterion": "c", "label": "promo", "match": {"regex": pattern}}
        ],
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
        try:
            rules = load_rules([path], include_defaults=False)
        except RulePackError as error:
            (problem,) = error.problems
            assert problem.startswith(f"{path}:") and "fuzz.rule" in problem and "bad regex" in problem
            return
    (rule,) = rules.rules
    list(rule.matcher.finditer("a" * 20_000 + "b"))  # linear time: within the deadline whatever the pattern


@BOUNDED
@given(text=st.one_of(st.text(max_size=300), st.lists(st.sampled_from(["schema: 1\n", "pack: x\n", "rules:\n",
       "  - id: a\n", "    match: {regex: '(a'}\n", "!!python/object:os.system\n", "&a [*a]\n", "- ", ": "]),
       max_size=10).map("".join)))  # fmt: skip
def test_any_yaml_text_loads_as_a_pack_or_is_refused_with_a_message(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_rules([path], include_defaults=False)
        except RulePackError as error:
            assert error.problems and all(p.startswith(str(path)) or p.startswith("disable:") for p in error.problems)
