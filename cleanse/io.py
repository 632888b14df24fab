"""Readers that turn files, folders and JSONL streams into input records, and an atomic JSONL writer.

A problem with one input (an unreadable file, a malformed JSON line) becomes a record with `_error`, which the
pipeline turns into an output record with status `error`: nothing is dropped and the run goes on. No reader
holds more than the size limit of one document in memory, whatever a file or a line (or a gzip bomb) holds.
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

from cleanse.limits import DEFAULT_MAX_BYTES, too_large
from cleanse.records import READ_ERROR

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".wet")  # compressed or not: warcio reads either
MANIFEST = "manifest.jsonl"
#: A JSONL line may be this many times the document size limit: room for the JSON escaping of its HTML.
LINE_ALLOWANCE = 2
_SKIP_CHUNK = 1 << 20
_READ_ERRORS = (OSError, EOFError, zlib.error, gzip.BadGzipFile)


def record_error(record_id: str, message: str) -> dict[str, Any]:
    return {"id": record_id, READ_ERROR: message}


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM) when it is, else the most likely encoding; never fails.

    A file whose lines are partly UTF-8 and partly not, as when texts from two sources were pasted together,
    keeps its UTF-8 lines and has the others read as cp1252, the usual other encoding of the web (guessing
    from a few lines goes wrong too often)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    texts = [_utf8_or_none(line) for line in lines]
    if any(text is not None and not text.isascii() for text in texts):
        pairs = zip(lines, texts, strict=True)
        mixed = "".join(text if text is not None else line.decode("cp1252", "replace") for line, text in pairs)
        return mixed.removeprefix("\ufeff")
    from charset_normalizer import from_bytes  # nothing is UTF-8 beyond ASCII: one encoding for the whole file

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("utf-8", errors="replace")


def _utf8_or_none(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _base_suffix(path: Path) -> tuple[str, bool]:
    """('.html', True) for 'page.html.gz'."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return (suffixes[-2] if len(suffixes) > 1 else ""), True
    return (suffixes[-1] if suffixes else ""), False


def is_document(path: Path) -> bool:
    suffix, _ = _base_suffix(path)
    return suffix in HTML_SUFFIXES + TEXT_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES and path.name != MANIFEST


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes as a stream, decompressed when its name ends in .gz."""
    with path.open("rb") as raw, gzip.open(raw) if _base_suffix(path)[1] else nullcontext(raw) as stream:
        yield stream


def read_inputs(
    inputs: Iterable[str], stdin: IO[bytes] | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> Iterator[dict[str, Any]]:
    """Records from every input in order: '-' is JSONL on stdin, a folder is read recursively in name order.
    A document over `max_bytes` (None: no limit) becomes an error record without being read whole."""
    for name in inputs:
        if name == "-":
            yield from read_jsonl(stdin or sys.stdin.buffer, "<stdin>", max_bytes)
            continue
        path = Path(name)
        if os.path.isdir(path):  # os.path's tests answer False where Path's raise (a folder we may not search)
            yield from read_folder(path, max_bytes)
        elif os.path.exists(path):
            yield from read_file(path, path.name, {}, max_bytes)
        else:
            yield record_error(name, f"no such file or folder: {name}")


def read_folder(folder: Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[dict[str, Any]]:
    """Documents under a folder. A folder with a `manifest.jsonl` is read as the manifest lists it: only the
    files it names, each with the fields the manifest gives (source, url, title ...).

    Every document-named entry yields a record, so one that cannot be read (a broken link, a pipe, a file
    without read permission) is an error record, never silently skipped; so is a sub-folder that cannot be
    listed."""
    manifest = folder / MANIFEST
    if os.path.isfile(manifest):
        yield from _read_manifest(folder, manifest, max_bytes)
        return
    for path, problem in _walk(folder):
        record_id = path.relative_to(folder).as_posix() if path != folder else str(folder)
        if problem is not None:
            yield record_error(record_id, problem)
        elif is_document(path):
            yield from _read_entry(path, record_id, {}, max_bytes)


def _walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, None) for every entry under `folder` that is not a folder, in the order of their sorted paths,
    holding one folder's listing at a time; (folder, why) for a folder that cannot be listed."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield folder, f"cannot list {folder}: {error.strerror}"
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):  # as Path.rglob: a link to a folder is not followed
            yield from _walk(Path(entry.path))
        else:
            yield Path(entry.path), None


def _read_manifest(folder: Path, manifest: Path, max_bytes: int | None) -> Iterator[dict[str, Any]]:
    try:
        with manifest.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    name, fields = _manifest_entry(decode(line))
                except ValueError as error:
                    yield record_error(f"{manifest}:{number}", f"bad manifest line: {error}")
                    continue
                yield from _read_entry(folder / name, name, fields, max_bytes)
    except OSError as error:
        yield record_error(str(manifest), f"cannot read {manifest}: {error}")


def _manifest_entry(line: str) -> tuple[str, dict[str, Any]]:
    """The file a manifest line names, inside the folder, and the fields it gives; ValueError if there is none."""
    entry = json.loads(line)
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"].strip():
        raise ValueError("a line must be a JSON object with a 'file' name")
    name = entry.pop("file")
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise ValueError(f"'{name}' is not a file inside the folder")
    return name, entry


def _read_entry(path: Path, record_id: str, fields: dict[str, Any], max_bytes: int | None) -> Iterator[dict[str, Any]]:
    """A file found in a folder or named by a manifest: read only when it is a regular file (a pipe would block)."""
    if os.path.islink(path) and not os.path.exists(path):
        yield record_error(record_id, f"cannot read {path}: a broken symbolic link")
    elif os.path.exists(path) and not os.path.isfile(path):
        yield record_error(record_id, f"cannot read {path}: not a regular file")
    else:
        yield from read_file(path, record_id, fields, max_bytes)


def read_file(
    path: Path, record_id: str, fields: dict[str, Any], max_bytes: int | None = DEFAULT_MAX_BYTES
) -> Iterator[dict[str, Any]]:
    suffix, _ = _base_suffix(path)
    if suffix in WARC_SUFFIXES:
        from cleanse.warc import read_warc

        yield from read_warc(path, record_id)
        return
    try:
        if suffix in JSONL_SUFFIXES:
            with _open(path) as stream:
                yield from read_jsonl(stream, record_id, max_bytes)
            return
        with _open(path) as stream:
            data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    except _READ_ERRORS as error:
        yield record_error(record_id, f"cannot read {path}: {error}")
        return
    refused = too_large(len(data), max_bytes)
    if refused:
        yield record_error(record_id, refused)
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


def read_jsonl(stream: IO[bytes], name: str, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[dict[str, Any]]:
    """One record per non-blank line; a line that is not a JSON object becomes an error record named
    'name:line', and so does a line longer than LINE_ALLOWANCE times `max_bytes` (skipped, never held whole)."""
    limit = None if max_bytes is None else LINE_ALLOWANCE * max_bytes
    number = 0
    try:
        for number, raw in _lines(stream, limit):  # noqa: B007 (number is used after the loop)
            if raw is None:
                yield record_error(f"{name}:{number}", f"line {number} is longer than {limit:,} bytes (--max-bytes)")
                continue
            if not raw.strip():
                continue
            try:
                value = json.loads(decode(raw))
            except json.JSONDecodeError as error:
                yield record_error(f"{name}:{number}", f"invalid JSON on line {number}: {error.msg}")
                continue
            except (ValueError, RecursionError) as error:  # an integer of 5,000 digits, arrays nested 100,000 deep
                yield record_error(f"{name}:{number}", f"unreadable JSON on line {number}: {error}")
                continue
            if not isinstance(value, dict):
                yield record_error(f"{name}:{number}", f"line {number} is a JSON {type(value).__name__}, not an object")
                continue
            value.setdefault("id", f"{name}:{number}")
            yield value
    except _READ_ERRORS as error:
        yield record_error(f"{name}:{number + 1}", f"cannot read {name} after line {number}: {error}")


def _lines(stream: IO[bytes], limit: int | None) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) for each line of a stream; None for a line longer than `limit`, whose rest is skipped."""
    number = 0
    while line := stream.readline(-1 if limit is None else limit + 1):
        number += 1
        if limit is None or len(line) <= limit or line.endswith(b"\n"):
            yield number, line
            continue
        while line and not line.endswith(b"\n"):
            line = stream.readline(_SKIP_CHUNK)
        yield number, None


def dumps(record: dict[str, Any]) -> str:
    """One JSON line. Text that UTF-8 cannot carry (a lone surrogate from a JSON escape such as "\\ud800") is
    written as JSON escapes instead, so that one such record never stops the writer."""
    line = json.dumps(record, ensure_ascii=False, default=_json_default)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(record, ensure_ascii=True, default=_json_default)
    return line


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
