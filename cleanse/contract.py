"""The output record's contract (DESIGN.md) as a check: what must hold of any record `clean` writes, whatever
its input. The fuzzers hold every record they provoke to it; a pipeline downstream can do the same."""

from __future__ import annotations

import json
from typing import Any

from cleanse.records import STATUS_ERROR, STATUS_FILTERED, STATUS_OK

REQUIRED = ("id", "source", "url", "status", "text", "removed", "signals", "credibility")


def problems(record: dict[str, Any]) -> list[str]:
    """Every way in which an output record breaks the contract; empty when it keeps it."""
    found = [f"no '{key}'" for key in REQUIRED if key not in record]
    if found:
        return found
    status, text = record["status"], record["text"]
    if status not in (STATUS_OK, STATUS_FILTERED, STATUS_ERROR):
        found.append(f"unknown status {status!r}")
    if (status == STATUS_ERROR) != bool(record.get("error")):
        found.append("an error message without status error, or the reverse")
    if status == STATUS_FILTERED and not record.get("filter_reasons"):
        found.append("filtered without filter_reasons")
    if not isinstance(text, str) or (status == STATUS_OK and not text):
        found.append("status ok without a text")
        return found
    if record.get("word_count", 0) != len(text.split()):
        found.append("word_count is not the number of words of text")
    for item in record["removed"]:
        if not item.get("reason") or not item.get("label"):
            found.append(f"removed segment {item.get('segment')} without label or reason")
        if not 0 <= item.get("at", 0) <= len(text):
            found.append(f"removed segment {item.get('segment')} stands outside the text")
    for name, signal in record["signals"].items():
        for evidence in signal["evidence"]:
            where = evidence["in"]
            if where in ("text", "title"):
                start, end = evidence["span"]
                if (record[where] or "")[start:end] != evidence["snippet"]:
                    found.append(f"evidence of {name} is not at its span of {where}")
    score = (record["credibility"] or {}).get("score", 0.5)
    if not 0 <= score <= 1:
        found.append(f"credibility score {score} outside [0, 1]")
    try:
        json.loads(json.dumps(record, ensure_ascii=True))
    except (TypeError, ValueError) as error:
        found.append(f"not JSON: {error}")
    return found
