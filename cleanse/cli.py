"""The `cleanse` command line: `clean` writes one JSONL record per input record, `score` audits sources.

Heavy modules (trafilatura, scikit-learn) are imported inside the commands, so `cleanse --help` is instant.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Separate article bodies from boilerplate and score the editorial practice of documents and sources. "
    "Scores describe editorial practice (sourcing, attribution, register, advertising); they do not say "
    "whether a claim is true.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

Inputs = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files (.html, .html.gz, .txt, .jsonl), folders, or '-' for JSONL on stdin.", show_default=False
    ),
]
RulesOption = Annotated[
    list[Path] | None, typer.Option("--rules", help="A folder or file of extra YAML rule packs (repeatable).")
]
OutputOption = Annotated[str | None, typer.Option("-o", "--output", help="Write here instead of stdout.")]

CLEAN_EPILOG = """Examples:

  cleanse clean seeds/ -o clean.jsonl

  cat pages.jsonl | cleanse clean - --lang en --min-words 150 --rejected rejected.jsonl

  cleanse clean page.html.gz --rules my-rules/
"""

SCORE_EPILOG = """Examples:

  cleanse score seeds/

  cleanse score crawl.jsonl --group-by host --format markdown -o sources.md

  cleanse score seeds/ --report report.html
"""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"cleanse: {message}", err=True)
    return typer.Exit(code=1)


def _cleaner(
    rules: list[Path] | None, languages: str | None = None, min_words: int = 0, min_score: float | None = None
):
    from cleanse.pipeline import Cleaner, Filters
    from cleanse.rules import RulePackError

    filters = Filters(
        languages=frozenset(code.strip() for code in languages.split(",") if code.strip()) if languages else None,
        min_words=min_words,
        min_score=min_score,
    )
    try:
        return Cleaner(rules or (), filters=filters)
    except RulePackError as error:
        raise _fail("bad rule pack:\n" + "\n".join(f"  {p}" for p in error.problems)) from None


def _records(cleaner, inputs: list[str]):
    """Output records in input order, with a progress count on stderr when it is a terminal."""
    from cleanse.io import read_inputs

    show_progress = sys.stderr.isatty()
    for number, record in enumerate(read_inputs(inputs), start=1):
        yield cleaner(record)
        if show_progress and number % 50 == 0:
            typer.echo(f"\r{number} records", err=True, nl=False)
    if show_progress:
        typer.echo("\r", err=True, nl=False)


def _summary(counts: Counter) -> None:
    parts = ", ".join(f"{counts[s]} {s}" for s in ("ok", "filtered", "error"))
    typer.echo(f"cleanse: {sum(counts.values())} records: {parts}", err=True)


def _missing(inputs: list[str]) -> list[str]:
    return [name for name in inputs if name != "-" and not Path(name).exists()]


@app.command(epilog=CLEAN_EPILOG)
def clean(
    inputs: Inputs = None,
    output: OutputOption = None,
    rules: RulesOption = None,
    lang: Annotated[str | None, typer.Option(help="Keep only these languages (comma-separated ISO codes).")] = None,
    min_words: Annotated[int, typer.Option(help="Mark documents with fewer body words as filtered.")] = 0,
    min_score: Annotated[float | None, typer.Option(help="Mark documents scoring below this as filtered.")] = None,
    rejected: Annotated[str | None, typer.Option(help="Write filtered records here instead of the output.")] = None,
) -> None:
    """Clean documents: one JSONL record per input record (body, removed boilerplate, signals, score)."""
    from contextlib import ExitStack

    from cleanse.io import dumps, open_output

    inputs = inputs or ["-"]
    cleaner = _cleaner(rules, lang, min_words, min_score)
    counts: Counter = Counter()
    with ExitStack() as stack:
        out = stack.enter_context(open_output(output))
        side = stack.enter_context(open_output(rejected)) if rejected else None
        for record in _records(cleaner, inputs):
            counts[record["status"]] += 1
            target = side if side is not None and record["status"] == "filtered" else out
            target.write(dumps(record) + "\n")
    _summary(counts)
    if _missing(inputs):
        raise _fail(f"no such file or folder: {', '.join(_missing(inputs))}")


@app.command(epilog=SCORE_EPILOG)
def score(
    inputs: Inputs = None,
    output: OutputOption = None,
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or markdown.")] = "table",
    group_by: Annotated[
        str, typer.Option(help="Group documents by 'source', 'host' (of the URL) or any other record field.")
    ] = "source",
    report: Annotated[
        Path | None,
        typer.Option(help="Also write a self-contained HTML audit report here (overview, sources, evidence)."),
    ] = None,
) -> None:
    """Audit sources: a score per source with an interval, its top reasons and the boilerplate removed."""
    from cleanse.formats import FORMATS, render
    from cleanse.io import open_output
    from cleanse.sources import aggregate

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}", param_hint="--format")
    if report is not None and not report.parent.is_dir():
        raise _fail(f"cannot write the report: no folder {report.parent}")
    inputs = inputs or ["-"]
    cleaner = _cleaner(rules)
    records = list(_records(cleaner, inputs))
    reports = aggregate(records, cleaner.ruleset.signals, group_by)
    with open_output(output) as out:
        out.write(render(reports, fmt))
    if report is not None:
        _write_report(report, reports, records, cleaner.ruleset.signals, group_by)
    _summary(Counter(r["status"] for r in records))
    if _missing(inputs):
        raise _fail(f"no such file or folder: {', '.join(_missing(inputs))}")


def _write_report(path: Path, reports, records, catalogue, group_by: str) -> None:
    from cleanse.report import render_report

    page = render_report([r.to_dict() for r in reports], records, catalogue, group_by)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise _fail(f"cannot write the report: {error}") from None
    typer.echo(f"cleanse: report written to {path}", err=True)


if __name__ == "__main__":
    app()
