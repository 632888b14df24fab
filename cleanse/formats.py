"""Render source reports as a terminal table, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from cleanse.sources import SourceReport

FORMATS = ("table", "json", "csv", "markdown")
_COLUMNS = ("rank", "source", "docs", "score", "90% interval", "public rating", "top reasons", "removed")
_REASONS = _COLUMNS.index("top reasons")


def _reason_lines(report: SourceReport) -> list[str]:
    lines = [f"{r['contribution']:+.2f} {r['explanation']}" for r in report.reasons]
    return lines + [f"apart: {d['explanation']}" for d in report.distinctive]


def _rating(report: SourceReport) -> str:
    """The public rating beside the content score, flagged when the two disagree strongly."""
    if report.known_rating is None:
        return "-"
    flag = " (disagrees)" if report.disagrees_with_rating else ""
    return f"{report.known_rating:.2f} {report.rated_domain}{flag}"


def _rows(reports: list[SourceReport]) -> list[tuple[str, ...]]:
    rows = []
    for rank, r in enumerate(reports, start=1):
        score = "-" if r.score is None else f"{r.score:.3f}"
        interval = "-" if r.score is None else f"{r.low:.2f}–{r.high:.2f}"
        removed = ", ".join(f"{label} {n}" for label, n in r.removed.items()) or "-"
        reasons = "; ".join(_reason_lines(r)) or "-"
        rows.append((str(rank), r.source, str(r.documents), score, interval, _rating(r), reasons, removed))
    return rows


def render(reports: list[SourceReport], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n"
    rows = _rows(reports)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(_COLUMNS)
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "markdown":
        escape = str.maketrans({"|": "\\|"})
        lines = ["| " + " | ".join(_COLUMNS) + " |", "|" + "---|" * len(_COLUMNS)]
        lines += ["| " + " | ".join(c.translate(escape) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        return _table(rows, [_reason_lines(r) for r in reports])
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def _table(rows: list[tuple[str, ...]], reasons: list[list[str]]) -> str:
    """Aligned columns; the reasons go on indented lines under each source, where they have room."""
    head = _COLUMNS[:_REASONS] + _COLUMNS[_REASONS + 1 :]
    body = [row[:_REASONS] + row[_REASONS + 1 :] for row in rows]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    line = "  ".join
    out = [line(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    for row, lines in zip(body, reasons, strict=True):
        out.append(line(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        out.extend(f"      {reason}" for reason in lines)
    return "\n".join(out) + "\n"
