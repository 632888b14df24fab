"""Readers that turn files, folders and JSONL streams into input records, and an atomic JSONL writer.

A problem with one input (an unreadable file, a malformed JSON line) becomes a record with `_error`, which the
pipeline turns into an output record with status `error`: nothing is dropped and the run goes on.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any

from cleanse.records import READ_ERROR

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".wet")  # compressed or not: warcio reads either
MANIFEST = "manifest.jsonl"


def record_error(record_id: str, message: str) -> dict[str, Any]:
    return {"id": record_id, READ_ERROR: message}


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM) when it is, else the most likely encoding; never fails."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", errors="replace")


def _base_suffix(path: Path) -> tuple[str, bool]:
    """('.html', True) for 'page.html.gz'."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def is_document(path: Path) -> bool:
    suffix, _ = _base_suffix(path)
    return suffix in HTML_SUFFIXES + TEXT_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES and path.name != MANIFEST


def _read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if _base_suffix(path)[1]:
        data = gzip.decompress(data)
    return data


def read_inputs(inputs: Iterable[str], stdin: IO[bytes] | None = None) -> Iterator[dict[str, Any]]:
    """Records from every input in order: '-' is JSONL on stdin, a folder is read recursively in name order."""
    for name in inputs:
        if name == "-":
            yield from read_jsonl(stdin or sys.stdin.buffer, "<stdin>")
            continue
        path = Path(name)
        if path.is_dir():
            yield from read_folder(path)
        elif path.exists():
            yield from read_file(path, path.name, {})
        else:
            yield record_error(name, f"no such file or folder: {name}")


def read_folder(folder: Path) -> Iterator[dict[str, Any]]:
    """Documents under a folder. A folder with a `manifest.jsonl` is read as the manifest lists it: only the
    files it names, each with the fields the manifest gives (source, url, title ...)."""
    manifest = folder / MANIFEST
    if manifest.is_file():
        yield from _read_manifest(folder, manifest)
        return
    for path in _walk(folder):
        if is_document(path):
            yield from read_file(path, path.relative_to(folder).as_posix(), {})


def _walk(folder: Path) -> Iterator[Path]:
    """Every file under `folder`, in the order of their sorted paths, holding one folder's listing at a time
    (not the whole tree's, which for millions of files would not be flat)."""
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):  # as Path.rglob: a link to a folder is not followed
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _read_manifest(folder: Path, manifest: Path) -> Iterator[dict[str, Any]]:
    with manifest.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                name = entry.pop("file")
            except (json.JSONDecodeError, KeyError, AttributeError, TypeError) as error:
                yield record_error(f"{manifest}:{number}", f"bad manifest line: {error}")
                continue
            yield from read_file(folder / name, name, entry)


def read_file(path: Path, record_id: str, fields: dict[str, Any]) -> Iterator[dict[str, Any]]:
    suffix, _ = _base_suffix(path)
    if suffix in WARC_SUFFIXES:
        from cleanse.warc import read_warc

        yield from read_warc(path, record_id)
        return
    try:
        if suffix in JSONL_SUFFIXES:
            with path.open("rb") as raw, gzip.open(raw) if path.suffix.lower() == ".gz" else nullcontext(raw) as stream:
                yield from read_jsonl(stream, record_id)
            return
        data = _read_bytes(path)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        yield record_error(record_id, f"cannot read {path}: {error}")
        return
    record: dict[str, Any] = {"id": record_id}
    if "source" not in fields and "url" not in fields:
        record["source"] = path.name
    record.update(fields)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and data.lstrip()[:1] == b"<"):
        record["html"] = data
    else:
        record["text"] = decode(data)
    yield record


def read_jsonl(stream: IO[bytes], name: str) -> Iterator[dict[str, Any]]:
    """One record per line; a line that is not a JSON object becomes an error record named 'name:line'."""
    number = 0
    try:
        for number, raw in enumerate(stream, start=1):  # noqa: B007 (number is used after the loop)
            if not raw.strip():
                continue
            try:
                value = json.loads(decode(raw))
            except json.JSONDecodeError as error:
                yield record_error(f"{name}:{number}", f"invalid JSON on line {number}: {error.msg}")
                continue
            if not isinstance(value, dict):
                yield record_error(f"{name}:{number}", f"line {number} is a JSON {type(value).__name__}, not an object")
                continue
            value.setdefault("id", f"{name}:{number}")
            yield value
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        yield record_error(f"{name}:{number + 1}", f"cannot read {name} after line {number}: {error}")


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=_json_default)


def jsonl_line(record: dict[str, Any]) -> tuple[str, str]:
    """(status, JSONL line) of an output record: what a writer needs, made where the record was made."""
    return record["status"], dumps(record) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


@contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """stdout for None or '-'; otherwise a temporary file renamed over `path` only when the run succeeds,
    so an interrupted run leaves the previous file intact."""
    if path in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = handle.name
            yield handle
        os.replace(temporary, target)
    except BaseException:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise
