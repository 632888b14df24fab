"""The `cleanse` command line: `clean` writes one JSONL record per input record, `score` audits sources.

Heavy modules (trafilatura, scikit-learn) are imported inside the commands, so `cleanse --help` is instant.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from cleanse.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS  # light: no heavy module behind it

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
        help="Files (.html, .html.gz, .txt, .jsonl, .warc, .warc.gz), folders, or '-' for JSONL on stdin.",
        show_default=False,
    ),
]
RulesOption = Annotated[
    list[Path] | None, typer.Option("--rules", help="A folder or file of extra YAML rule packs (repeatable).")
]
OutputOption = Annotated[str | None, typer.Option("-o", "--output", help="Write here instead of stdout.")]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers", min=1, help="Worker processes (rules and models load once in each).  [default: the cores]"
    ),
]
DaskOption = Annotated[
    str | None,
    typer.Option("--dask", help="Run on the Dask cluster whose scheduler is at this address (tcp://host:8786)."),
]
ModelOption = Annotated[
    Path | None, typer.Option("--model", help="A credibility model trained by `cleanse train` (its .skops file).")
]
MaxBytesOption = Annotated[
    int,
    typer.Option(
        "--max-bytes", min=0, help="A document (HTML or text) larger than this is an error record; 0: no limit."
    ),
]
MaxSecondsOption = Annotated[
    float,
    typer.Option(
        "--max-seconds",
        min=0,
        help="A document that takes longer than this to process is an error record; 0: no limit.",
    ),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Exit 1 if any record is an error (the run still processes them all).")
]

CLEAN_EPILOG = """Examples:

  cleanse clean seeds/ -o clean.jsonl

  cat pages.jsonl | cleanse clean - --lang en --min-words 150 --rejected rejected.jsonl

  cleanse clean page.html.gz --rules my-rules/

  cleanse clean crawl.warc.gz --workers 4 -o clean.jsonl

  cleanse clean crawl.jsonl --dask tcp://scheduler:8786 -o clean.jsonl

  cleanse clean crawl/ -o clean.jsonl --resume --strict
"""

SCORE_EPILOG = """Examples:

  cleanse score seeds/

  cleanse score crawl.jsonl --group-by host --format markdown -o sources.md

  cleanse score seeds/ --report report.html
"""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"cleanse: {message}", err=True)
    return typer.Exit(code=1)


def _spec(
    rules: list[Path] | None,
    languages: str | None = None,
    min_words: int = 0,
    min_score: float | None = None,
    model: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
):
    """The cleaner's spec (with its limits) and its rule set, checked before any worker starts, or exit 1."""
    from cleanse.limits import Limits
    from cleanse.modelio import UnsafeModelError
    from cleanse.pipeline import Filters
    from cleanse.rules import RulePackError
    from cleanse.spec import CleanerSpec

    filters = Filters(
        languages=frozenset(code.strip() for code in languages.split(",") if code.strip()) if languages else None,
        min_words=min_words,
        min_score=min_score,
    )
    limits = Limits(max_bytes=max_bytes or None, max_seconds=max_seconds or None)
    spec = CleanerSpec.of(rules or (), filters, model, limits=limits)
    try:
        return spec, spec.check()
    except RulePackError as error:
        raise _fail("bad rule pack:\n" + "\n".join(f"  {p}" for p in error.problems)) from None
    except (OSError, ValueError, UnsafeModelError) as error:  # a model file that is missing, unsafe or of another kind
        raise _fail(f"cannot load the model: {error}") from None
    except (KeyError, TypeError) as error:  # a model description (.json) without the fields it needs
        raise _fail(f"cannot load the model: its description lacks or mistypes {error}") from None


def _outputs(
    spec, records, workers: int | None, dask: str | None, transform=None, first_apart: bool = False, live: bool = False
):
    """Output records in input order (through `transform`), on local workers or a Dask cluster, with a
    progress count on stderr when it is a terminal; `first_apart`: see `clean_records`. `live`: the records
    come from a stream that may wait for more (standard input), where one process cleans each record as it
    comes rather than a chunk of them at a time (a pool ships chunks whatever the input)."""
    from contextlib import ExitStack

    from cleanse.runner import WorkersFailed, clean_records
    from cleanse.termination import raise_if_signalled

    show_progress = sys.stderr.isatty()
    with ExitStack() as stack:
        stack.enter_context(warnings.catch_warnings())
        warnings.showwarning = _show_warning
        executor, parallel = _executor(stack, workers, dask)
        chunk_size = 1 if live and executor is None and parallel == 1 else None
        outputs = clean_records(
            records,
            spec,
            workers=parallel,
            executor=executor,
            transform=transform,
            chunk_size=chunk_size,
            first_apart=first_apart,
        )
        try:
            for number, record in enumerate(outputs, start=1):
                raise_if_signalled()  # a stop signal whose exception Python swallowed (cleanse.termination)
                yield record
                if show_progress and number % 50 == 0:
                    typer.echo(f"\r{number} records", err=True, nl=False)
            raise_if_signalled()  # before the caller writes out what it has
        except WorkersFailed as error:
            raise _fail(str(error)) from None
    if show_progress:
        typer.echo("\r", err=True, nl=False)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning as one line of the command's own, without the source line Python would show."""
    typer.echo(f"cleanse: warning: {str(message).removeprefix('cleanse: ')}", err=True)


def _executor(stack, workers: int | None, dask: str | None):
    """(None, local workers), or a Dask cluster's executor and its thread count, or exit 1."""
    from cleanse.runner import default_workers

    if dask is None:
        return None, workers or default_workers()
    try:
        from cleanse.integrations.dask import scheduler_executor
    except ImportError:
        raise _fail("--dask needs the dask extra: pip install 'cleanse[dask]'") from None
    try:
        return stack.enter_context(scheduler_executor(dask))
    except (OSError, TimeoutError) as error:
        raise _fail(f"cannot reach the Dask scheduler at {dask}: {error}") from None


def _summary(counts: Counter, earlier: int = 0) -> None:
    parts = ", ".join(f"{counts[s]} {s}" for s in ("ok", "filtered", "error"))
    resumed = f" ({earlier} of them written by an earlier run)" if earlier else ""
    typer.echo(f"cleanse: {sum(counts.values())} records: {parts}{resumed}", err=True)


def _missing(inputs: list[str]) -> list[str]:
    return [name for name in inputs if name != "-" and not os.path.exists(name)]


def _finish(counts: Counter, inputs: list[str], strict: bool) -> None:
    """Exit 1 when the run failed: an input named on the command line is missing, or (--strict) a record is
    an error. Error records alone do not fail a run: each is one record, accounted for."""
    missing = _missing(inputs)
    if missing:
        raise _fail(f"no such file or folder: {', '.join(missing)}")
    if strict and counts["error"]:
        raise _fail(f"{counts['error']} error record(s) (--strict)")


@app.command(epilog=CLEAN_EPILOG)
def clean(
    inputs: Inputs = None,
    output: OutputOption = None,
    rules: RulesOption = None,
    lang: Annotated[str | None, typer.Option(help="Keep only these languages (comma-separated ISO codes).")] = None,
    min_words: Annotated[int, typer.Option(help="Mark documents with fewer body words as filtered.")] = 0,
    min_score: Annotated[float | None, typer.Option(help="Mark documents scoring below this as filtered.")] = None,
    rejected: Annotated[str | None, typer.Option(help="Write filtered records here instead of the output.")] = None,
    model: ModelOption = None,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    max_seconds: MaxSecondsOption = DEFAULT_MAX_SECONDS,
    strict: StrictOption = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Append each record to -o FILE as it is made, skipping the records FILE already holds: "
            "re-run the same command to continue an interrupted run.",
        ),
    ] = False,
) -> None:
    """Clean documents: one JSONL record per input record (body, removed boilerplate, signals, score)."""
    from contextlib import ExitStack

    from cleanse.io import jsonl_line, open_output, read_inputs
    from cleanse.resume import ResumeError, Written, open_appending, skip_written, take_stock, unmatched
    from cleanse.termination import exit_on_signals

    inputs = inputs or ["-"]
    if resume and output in (None, "-"):
        raise typer.BadParameter("--resume needs -o FILE to continue", param_hint="--resume")
    spec, _ = _spec(rules, lang, min_words, min_score, model, max_bytes, max_seconds)
    records = read_inputs(inputs, max_bytes=spec.limits.max_bytes)
    earlier, opener = Written(), open_output
    if resume:
        try:
            earlier = take_stock(Path(p) for p in (output, rejected) if p)
        except (ResumeError, OSError) as error:
            raise _fail(str(error)) from None
        records, opener = skip_written(records, earlier), open_appending
    counts: Counter = Counter(earlier.statuses)
    try:
        with exit_on_signals(), ExitStack() as stack:
            out = stack.enter_context(opener(output))
            side = stack.enter_context(opener(rejected)) if rejected else None
            resuming = earlier.total > 0  # the record after those written may be what stopped the last run
            live = "-" in inputs  # standard input may wait for more: one worker cleans each record as it comes
            for status, line in _outputs(spec, records, workers, dask, jsonl_line, first_apart=resuming, live=live):
                counts[status] += 1
                (side if side is not None and status == "filtered" else out).write(line)
    except OSError as error:
        raise _fail(f"cannot write the output: {error}") from None
    _summary(counts, earlier.total)
    if resume and unmatched(earlier):
        typer.echo(f"cleanse: warning: {unmatched(earlier)} record(s) in {output} match no input record", err=True)
    _finish(counts, inputs, strict)


@app.command(epilog=SCORE_EPILOG)
def score(
    inputs: Inputs = None,
    output: OutputOption = None,
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or markdown.")] = "table",
    group_by: Annotated[
        str, typer.Option(help="Group documents by 'source', 'host' (of the URL) or any other record field.")
    ] = "source",
    model: ModelOption = None,
    report: Annotated[
        Path | None,
        typer.Option(help="Also write a self-contained HTML audit report here (overview, sources, evidence)."),
    ] = None,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    max_bytes: MaxBytesOption = DEFAULT_MAX_BYTES,
    max_seconds: MaxSecondsOption = DEFAULT_MAX_SECONDS,
    strict: StrictOption = False,
) -> None:
    """Audit sources: a score per source with an interval, its top reasons and the boilerplate removed."""
    from cleanse.formats import FORMATS, render
    from cleanse.io import open_output, read_inputs
    from cleanse.sources import SourceAggregator, summarise
    from cleanse.termination import exit_on_signals

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}", param_hint="--format")
    if report is not None and not report.parent.is_dir():
        raise _fail(f"cannot write the report: no folder {report.parent}")
    inputs = inputs or ["-"]
    spec, ruleset = _spec(rules, model=model, max_bytes=max_bytes, max_seconds=max_seconds)
    catalogue = ruleset.signals
    aggregator = SourceAggregator(catalogue, group_by)
    kept: list = []  # the report shows documents; the source table needs only running totals
    counts: Counter = Counter()
    transform = None if report else partial(summarise, group_by=group_by)
    with exit_on_signals():
        records = read_inputs(inputs, max_bytes=spec.limits.max_bytes)
        for record in _outputs(spec, records, workers, dask, transform):
            aggregator.add(record)
            counts[record["status"]] += 1
            if report is not None:
                kept.append(record)
        reports = aggregator.reports()
        with open_output(output) as out:
            out.write(render(reports, fmt))
        if report is not None:
            _write_report(report, reports, kept, catalogue, group_by)
    _summary(counts)
    _finish(counts, inputs, strict)


def _write_report(path: Path, reports, records, catalogue, group_by: str) -> None:
    from cleanse.report import render_report

    page = render_report([r.to_dict() for r in reports], records, catalogue, group_by)
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise _fail(f"cannot write the report: {error}") from None
    typer.echo(f"cleanse: report written to {path}", err=True)


TRAIN_EPILOG = """Examples:

  cleanse train labelled.jsonl --label-field rating --group-field host -o models/mine

  cleanse train a.jsonl b.jsonl --label-field verdict --positive true --positive mostly-true --group-field source

  cleanse clean pages/ --model models/mine.skops
"""


@app.command(epilog=TRAIN_EPILOG)
def train(
    inputs: Inputs = None,
    label_field: Annotated[
        str, typer.Option(help="The label: a number in [0, 1] (a rating), a boolean, or a string (see --positive).")
    ] = "label",
    group_field: Annotated[
        str, typer.Option(help="The source of each record: no group is in both a training and a test fold.")
    ] = "source",
    positive: Annotated[
        list[str] | None, typer.Option(help="A string label that counts as positive (repeatable).")
    ] = None,
    name: Annotated[str, typer.Option(help="The model's name, recorded in every scored record.")] = "custom",
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Where to write NAME.skops, NAME.json and the model card NAME.md.")
    ] = Path("credibility-model"),
    rules: RulesOption = None,
    family: Annotated[
        str,
        typer.Option(
            help="Model family: 'linear' (logistic regression), 'boosted' (additive trees), or 'both' "
            "to compare them and keep the better out of fold."
        ),
    ] = "both",
) -> None:
    """Train a credibility model on your labelled records, with grouped validation, and save it safely."""
    from cleanse.io import read_inputs
    from cleanse.pipeline import Cleaner
    from cleanse.train import candidates_of, save_run, train_from_records

    try:
        candidates = candidates_of(family)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--family") from None
    inputs = inputs or ["-"]
    if _missing(inputs):
        raise _fail(f"no such file or folder: {', '.join(_missing(inputs))}")
    cleaner = Cleaner(rules or (), model=None)
    log = lambda message: typer.echo(message, err=True)  # noqa: E731
    try:
        run, docs = train_from_records(
            read_inputs(inputs),
            label_field,
            group_field,
            frozenset(positive) if positive else None,
            cleaner,
            log,
            candidates,
        )
    except ValueError as error:
        raise _fail(str(error)) from None
    command = "cleanse train " + " ".join(sys.argv[2:]) if sys.argv[1:2] == ["train"] else "cleanse train"
    about = f"{len(docs.labels)} documents from {len(set(docs.groups.tolist()))} groups ('{group_field}') in "
    about += f"{', '.join(inputs)}; label field '{label_field}'."
    save_run(run, output, name, command, about, docs)
    m = run.metrics
    log(
        f"saved {output.with_suffix('.skops')}: out-of-fold article AUC {m['article_auc']}, "
        f"source AUC {m['group_auc']}, source Spearman {m.get('group_spearman', 'n/a')}"
    )


rules_app = typer.Typer(
    help="Check rule packs and list the catalogue of signals and boilerplate rules.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(rules_app, name="rules")

RULES_CHECK_EPILOG = """Examples:

  cleanse rules check my-rules/

  cleanse rules check my-rules/ other/extra.yaml
"""

RULES_LIST_EPILOG = """Examples:

  cleanse rules list

  cleanse rules list --rules my-rules/ --format markdown > signals.md
"""


def _ruleset(packs: list[Path] | None, with_defaults: bool = True):
    """The packs loaded and checked as a run would use them (signal extractors included), or exit 1."""
    from cleanse.rules import RulePackError, load_rules
    from cleanse.signals import SignalMeter

    try:
        ruleset = load_rules(packs or (), include_defaults=with_defaults)
        SignalMeter(ruleset)
    except RulePackError as error:
        raise _fail(
            f"{len(error.problems)} problem(s) in rule packs:\n" + "\n".join(f"  {p}" for p in error.problems)
        ) from None
    return ruleset


@rules_app.command("check", epilog=RULES_CHECK_EPILOG)
def rules_check(
    packs: Annotated[
        list[Path] | None, typer.Argument(help="Rule pack files or folders to check.", show_default=False)
    ] = None,
    defaults: Annotated[
        bool, typer.Option(help="Check the packs on top of the shipped defaults, as a run loads them.")
    ] = True,
) -> None:
    """Validate rule packs: exit 0 if they load, else 1 with every problem (file:line: what is wrong)."""
    ruleset = _ruleset(packs, defaults)
    typer.echo(f"ok: {len(ruleset.packs)} pack(s), {len(ruleset.rules)} rules, {len(ruleset.signals)} signals")


@rules_app.command("list", epilog=RULES_LIST_EPILOG)
def rules_list(
    rules: RulesOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table, markdown or json.")] = "table",
    output: OutputOption = None,
) -> None:
    """Print the catalogue: signals by the criterion they serve, boilerplate rules by label."""
    from cleanse.catalogue import CATALOGUE_FORMATS, render_catalogue
    from cleanse.io import open_output

    if fmt not in CATALOGUE_FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(CATALOGUE_FORMATS)}", param_hint="--format")
    text = render_catalogue(_ruleset(rules), fmt)
    with open_output(output) as out:
        out.write(text)


if __name__ == "__main__":
    app()
