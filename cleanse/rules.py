"""YAML rule packs: loading, validation against the schema, and compilation to linear-time matchers.

A pack declares signals (what is measured and how it is normalised) and rules (what text to match, where, and
what a match yields: a boilerplate label or evidence for a signal). Every problem in a pack is reported with
its file and line; regexes are compiled with google-re2, so no user pattern can backtrack catastrophically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import re2
import yaml

SCHEMA_VERSION = 1

#: Boilerplate labels: the one place they are defined.
LABELS = {
    "promo": "advertising or self-promotion pasted into the article (offers, calls to book or buy, teasers)",
    "donation": "an appeal for money or support addressed to the reader",
    "share": "share-button or social-network word lists",
    "newsletter": "newsletter or subscription pitches",
    "nav": "navigation, menus and breadcrumbs",
    "related": "links to related or recommended articles",
    "artifact": "broken markup or leftovers of images, embeds and scripts, bare URLs",
    "credit": "contributor credits and author contact lines (kept apart as metadata)",
    "legal": "copyright notices, reprint terms and disclaimers",
    "comments": "reader comments and comment-section furniture",
    "interface": "form and widget messages (errors, confirmations, prompts)",
    "disclosure": "affiliate and sponsorship disclosures",
    "metadata": "timestamps and post information standing in the text",
    "caption": "image captions and photo credits",
    "duplicate": "a repeat of text that already stands earlier in the document",
    "other": "boilerplate recognised by the segment classifier, of no more specific kind",
}

#: How a signal's raw count becomes its value.
NORMALISATIONS = {
    "per_1000_words": "matches per 1,000 words of the clean body",
    "count": "number of matches (or of blocks, for boilerplate signals)",
    "presence": "1 if present, else 0",
}

#: How far a section start reaches: everything after it, or the run of short items that follows it.
EXTENSIONS = {"to_end": "every later segment", "list": "the following segments while they are short"}

#: How a signal relates to sound editorial practice, by its definition.
DIRECTIONS = {"positive": 1, "negative": -1, "neutral": 0}

#: `languages: any` (or no `languages` at all) makes a rule or signal language-neutral.
ANY_LANGUAGE = "any"
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z]{2,4})?")

_LINE_KEY = "__line__"  # line of a mapping, added by the loader
_KEY_LINES = "__key_lines__"  # line of each key of a mapping


class RulePackError(Exception):
    """One or more problems in rule packs, each as 'path:line: message'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Matcher:
    """A compiled pattern; `finditer` yields character spans."""

    pattern: str
    compiled: Any
    case_sensitive: bool = False

    @property
    def flagged_pattern(self) -> str:
        """The pattern with its case-sensitivity written in, for a set of patterns compiled together."""
        return self.pattern if self.case_sensitive else f"(?i:{self.pattern})"

    def finditer(self, text: str, data: bytes | None = None) -> Iterator[tuple[int, int]]:
        """Character spans of the non-empty matches. RE2 runs on the text's UTF-8 bytes: handed a str, the
        re2 module encodes it again for every call and converts every match's offsets with several calls of
        its own (about half the time of a body's rule matches, in a side-by-side timing); here the bytes are
        encoded once (or given as `data`, by a caller that runs many rules over one text) and the offsets are
        counted on from one match to the next."""
        if data is None:
            data = text.encode("utf-8")
        if len(data) == len(text):  # ASCII: a byte is a character
            for match in self.compiled.finditer(data):
                start, end = match.span()
                if end > start:
                    yield start, end
            return
        byte_at = char_at = 0
        for match in self.compiled.finditer(data):
            start, end = match.span()
            if end > start:
                char_at += _characters(data[byte_at:start])
                first = char_at
                char_at += _characters(data[start:end])
                byte_at = end
                yield first, char_at

    def search(self, text: str) -> bool:
        return self.compiled.search(text.encode("utf-8")) is not None


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _characters(data: bytes) -> int:
    """Characters in a piece of UTF-8: its bytes but for the continuation bytes of multi-byte characters."""
    return len(data.translate(None, _CONTINUATION_BYTES))


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    criterion: str
    matcher: Matcher
    label: str | None = None  # a boilerplate rule yields a label ...
    signal: str | None = None  # ... a signal rule yields evidence for a signal
    target: str = "body"  # signal rules: body | title
    min_words: int = 0
    max_words: int | None = None
    head: int | None = None
    tail: int | None = None
    min_position: float = 0.0  # relative place in the document, 0 = first segment, 1 = last
    extend: str | None = None  # a match starts a section: "to_end" (comments) or "list" (short items after it)
    min_matches: int = 1  # fires only in a document where it matches this many segments (a thread's headers)
    unless_title: Matcher | None = None  # does not fire in a document whose title matches (a deals post's codes)
    exclude_quotes: bool = False
    score: float = 1.0
    languages: frozenset[str] | None = None  # None: every language
    origin: str = ""

    def covers(self, language: str) -> bool:
        return self.languages is None or language in self.languages

    def applies_at(self, index: int, count: int, words: int) -> bool:
        """Whether the rule's position and length conditions hold for a segment."""
        if words < self.min_words or (self.max_words is not None and words > self.max_words):
            return False
        if self.head is not None and index >= self.head:
            return False
        if self.min_position and (index / (count - 1) if count > 1 else 1.0) < self.min_position:
            return False
        return self.tail is None or index >= count - self.tail


@dataclass(frozen=True)
class SignalDef:
    name: str
    description: str
    why: str
    criterion: str
    normalise: str
    direction: str = "neutral"
    extractor: str | None = None  # a built-in measurement in cleanse.signals, instead of or besides rules
    label: str | None = None  # for boilerplate signals: the label whose removed blocks are counted
    score_weight: float | None = None  # a documented direct weight on the log-odds (see README)
    score_cap: float | None = None
    languages: frozenset[str] | None = None  # of the extractor; rule-fed signals take their rules' languages
    origin: str = ""


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    signals: dict[str, SignalDef]
    packs: tuple[str, ...]

    @property
    def boilerplate_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.label is not None)

    def signal_rules(self, signal: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.signal == signal)

    def applicable(self, signal: SignalDef, language: str) -> bool:
        """Whether a signal can be measured in a language: its extractor covers it, or one of its rules does."""
        if signal.languages is not None and language not in signal.languages:
            return False
        return signal.extractor is not None or any(r.covers(language) for r in self.signal_rules(signal.name))


#: RE2's memory budget per compiled pattern or set. At RE2's default (8 MB) the boilerplate rules compiled
#: together leave their DFA too little room, and RE2 falls back to its much slower NFA: 50 µs a segment
#: instead of 3. The budget is a ceiling; the DFA takes what the texts it meets need (well under a megabyte).
RE2_MAX_MEM = 64 << 20


def _re2_options() -> Any:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = RE2_MAX_MEM
    return options


#: What lets a pattern see where a whole text starts or ends, not just a line: \A or \z, or multi-line mode
#: turned off. (Found in the pattern's source, so an escaped backslash before an A counts too: it only costs
#: the shortcut.)
_TEXT_ANCHORS = re.compile(r"\\[AzZ]|\(\?[a-zA-Z]*-[a-zA-Z]*m")


class PatternSet:
    """Many patterns matched in one linear-time pass: which of them occur in a text."""

    def __init__(self, matchers: list[Matcher]):
        self._matchers = matchers
        self._set = _compiled_set(matcher.flagged_pattern for matcher in matchers)

    @cached_property
    def _lines(self) -> Any:
        """The patterns in multi-line mode, for texts joined by line breaks (`may_occur_in`): a pattern that
        occurs in one of them (^ at its start, $ at its end, a word boundary at its edges) occurs there in the
        joined texts too. None when a pattern could tell the joined texts apart (`_TEXT_ANCHORS`) or the set is
        too big."""
        if any(_TEXT_ANCHORS.search(matcher.pattern) for matcher in self._matchers):
            return None
        try:
            return _compiled_set(f"(?m:{matcher.flagged_pattern})" for matcher in self._matchers)
        except re2.error:
            return None

    def matching(self, text: str | bytes) -> list[int]:
        """Indices (in the order given) of the patterns found in `text` (or in its UTF-8 bytes), ascending."""
        if not self._matchers:
            return []
        return sorted(self._set.Match(text) or ())

    def may_occur_in(self, texts: list[str]) -> bool:
        """False when none of the patterns occurs in any of `texts` (told in one pass over them all); True
        when one may, and `matching` must look at each text."""
        if not self._matchers:
            return False
        joined = "\n".join(texts)
        if self._lines is None or joined.count("\n") != len(texts) - 1:  # (a text has line breaks of its own)
            return True
        return self._lines.Match(joined) is not None


def _compiled_set(patterns: Iterable[str]) -> Any:
    compiled = re2.Set.SearchSet(_re2_options())
    for pattern in patterns:
        compiled.Add(pattern)
    compiled.Compile()
    return compiled


def default_rules_dir() -> Path:
    """The shipped packs: inside the installed package, or the top-level `rules/` of a source checkout."""
    packaged = resources.files("cleanse") / "_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules"


def pack_files(directories: Iterable[Path | str]) -> list[Path]:
    files: list[Path] = []
    for directory in directories:
        path = Path(directory)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            raise RulePackError([f"{path}: no such rules file or folder"])
    return files


def load_rules(extra: Iterable[Path | str] = (), include_defaults: bool = True) -> RuleSet:
    """The default packs plus user packs, in order; later packs may override or disable earlier rules."""
    directories = ([default_rules_dir()] if include_defaults else []) + [Path(p) for p in extra]
    files = pack_files(directories)
    problems: list[str] = []
    rules: dict[str, Rule] = {}
    signals: dict[str, SignalDef] = {}
    disabled: set[str] = set()
    pending: list[tuple[Path, dict]] = []
    for path in files:
        data = _read_yaml(path, problems)
        if data is not None:
            pending.append((path, data))
    for path, data in pending:
        for raw in data.get("signals") or []:
            signal = _signal(raw, path, problems)
            if signal is None:
                continue
            if signal.name in signals and not raw.get("override"):
                problems.append(
                    f"{signal.origin}: duplicate signal '{signal.name}' (first at {signals[signal.name].origin})"
                )
            signals[signal.name] = signal
    for path, data in pending:
        seen_here: set[str] = set()
        pack_languages = _languages(data, None, path, problems)
        if pack_languages is False:
            continue
        for raw in data.get("rules") or []:
            rule = _rule(raw, path, problems, signals, pack_languages)
            if rule is None:
                continue
            if rule.id in seen_here:
                problems.append(f"{rule.origin}: duplicate rule id '{rule.id}'")
            elif rule.id in rules and not raw.get("override"):
                problems.append(
                    f"{rule.origin}: rule id '{rule.id}' already defined at {rules[rule.id].origin}; "
                    "set 'override: true' to replace it"
                )
            seen_here.add(rule.id)
            rules[rule.id] = rule
        disabled.update(_disabled_ids(data, path, problems))
    for rule_id in sorted(disabled - set(rules)):
        problems.append(f"disable: no rule with id '{rule_id}'")
    if problems:
        raise RulePackError(problems)
    kept = tuple(r for r in rules.values() if r.id not in disabled)
    return RuleSet(rules=kept, signals=signals, packs=tuple(str(p) for p in files))


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no Python tags) that remembers the line of every mapping, for error messages."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[_LINE_KEY] = node.start_mark.line + 1
        mapping[_KEY_LINES] = {key.value: key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")}
        return mapping


def _at(path: Path, raw: dict, key: str | None = None) -> str:
    """'path:line' of a key of a mapping (or of the mapping itself)."""
    line = raw.get(_KEY_LINES, {}).get(key) if key else None
    return f"{path}:{line or raw.get(_LINE_KEY, '?')}"


def _read_yaml(path: Path, problems: list[str]) -> dict | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (safe subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else "?"
        problems.append(f"{path}:{line}: invalid YAML: {error.problem or error}")
        return None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.append(f"{path}: cannot read: {error}")
        return None
    if not isinstance(data, dict):
        problems.append(f"{path}:1: a rule pack must be a mapping with 'schema', 'pack' and 'rules'")
        return None
    _check_keys(
        data,
        {
            "schema": int,
            "pack": str,
            "description": str,
            "languages": (str, list),
            "signals": list,
            "rules": list,
            "disable": list,
        },
        path,
        problems,
        required=("schema", "pack"),
    )
    if data.get("schema") not in (None, SCHEMA_VERSION):
        problems.append(
            f"{_at(path, data, 'schema')}: unsupported schema {data.get('schema')!r} "
            f"(this version reads {SCHEMA_VERSION})"
        )
        return None
    return data


def _check_keys(raw: dict, spec: dict[str, Any], path: Path, problems: list[str], required=(), about="") -> bool:
    ok = True
    for key, value in raw.items():
        if key in (_LINE_KEY, _KEY_LINES):
            continue
        if key not in spec:
            problems.append(f"{_at(path, raw, key)}{about}: unknown key '{key}' (allowed: {', '.join(sorted(spec))})")
            ok = False
        elif not isinstance(value, spec[key]) or (spec[key] is int and isinstance(value, bool)):
            expected = _type_name(spec[key])
            problems.append(f"{_at(path, raw, key)}{about}: '{key}' must be {expected}, not {type(value).__name__}")
            ok = False
    for key in required:
        if key not in raw:
            problems.append(f"{_at(path, raw)}{about}: missing required key '{key}'")
            ok = False
    return ok


_NUMBER = (int, float)


def _type_name(expected: type | tuple[type, ...]) -> str:
    if expected == _NUMBER:
        return "number"
    return " or ".join(t.__name__ for t in expected) if isinstance(expected, tuple) else expected.__name__


_SIGNAL_SPEC = {
    "name": str,
    "description": str,
    "why": str,
    "criterion": str,
    "normalise": str,
    "direction": str,
    "extractor": str,
    "label": str,
    "score_weight": _NUMBER,
    "score_cap": _NUMBER,
    "languages": (str, list),
    "override": bool,
}
_RULE_SPEC = {
    "id": str,
    "description": str,
    "criterion": str,
    "label": str,
    "signal": str,
    "match": dict,
    "where": dict,
    "case_sensitive": bool,
    "exclude_quotes": bool,
    "score": _NUMBER,
    "languages": (str, list),
    "override": bool,
}
_MATCH_SPEC = {"regex": str, "phrases": list, "only": list}
_WHERE_SPEC = {
    "in": str,
    "min_words": int,
    "max_words": int,
    "head": int,
    "tail": int,
    "min_position": _NUMBER,
    "extend": str,
    "min_matches": int,
    "unless_title": str,
}


def _signal(raw: Any, path: Path, problems: list[str]) -> SignalDef | None:
    if not isinstance(raw, dict):
        problems.append(f"{path}: each entry of 'signals' must be a mapping")
        return None
    if not _check_keys(
        raw,
        _SIGNAL_SPEC,
        path,
        problems,
        required=("name", "description", "why", "criterion", "normalise", "direction"),
    ):
        return None
    where = _at(path, raw)
    if raw["direction"] not in DIRECTIONS:
        problems.append(
            f"{_at(path, raw, 'direction')}: unknown direction '{raw['direction']}' (one of {', '.join(DIRECTIONS)})"
        )
        return None
    weight = raw.get("score_weight")
    if weight is not None and (weight > 0) - (weight < 0) != DIRECTIONS[raw["direction"]]:
        problems.append(
            f"{_at(path, raw, 'score_weight')}: score_weight {weight:+g} contradicts direction '{raw['direction']}'"
        )
        return None
    if raw["normalise"] not in NORMALISATIONS:
        problems.append(
            f"{_at(path, raw, 'normalise')}: unknown normalise '{raw['normalise']}' "
            f"(one of {', '.join(NORMALISATIONS)})"
        )
        return None
    if "label" in raw and raw["label"] not in LABELS:
        problems.append(f"{_at(path, raw, 'label')}: unknown label '{raw['label']}' (one of {', '.join(LABELS)})")
        return None
    if "languages" in raw and "extractor" not in raw:
        problems.append(
            f"{_at(path, raw, 'languages')}: 'languages' on a signal applies to its extractor; "
            "a signal measured by rules takes the languages of its rules"
        )
        return None
    languages = _languages(raw, None, path, problems)
    if languages is False:
        return None
    return SignalDef(
        name=raw["name"],
        description=raw["description"],
        why=raw["why"],
        criterion=raw["criterion"],
        normalise=raw["normalise"],
        direction=raw["direction"],
        extractor=raw.get("extractor"),
        label=raw.get("label"),
        score_weight=raw.get("score_weight"),
        score_cap=raw.get("score_cap"),
        languages=languages,
        origin=where,
    )


def _rule(
    raw: Any, path: Path, problems: list[str], signals: dict[str, SignalDef], pack_languages: frozenset[str] | None
) -> Rule | None:
    if not isinstance(raw, dict):
        problems.append(f"{path}: each entry of 'rules' must be a mapping")
        return None
    about = f" (rule '{raw.get('id')}')" if isinstance(raw.get("id"), str) else ""
    if not _check_keys(
        raw, _RULE_SPEC, path, problems, required=("id", "description", "criterion", "match"), about=about
    ):
        return None
    rule_id, where = raw["id"], f"{_at(path, raw)}{about}"
    if ("label" in raw) == ("signal" in raw):
        problems.append(f"{where}: a rule yields exactly one of 'label' (boilerplate) or 'signal'")
        return None
    if "label" in raw and raw["label"] not in LABELS:
        problems.append(
            f"{_at(path, raw, 'label')}{about}: unknown label '{raw['label']}' (one of {', '.join(LABELS)})"
        )
        return None
    if "signal" in raw and raw["signal"] not in signals:
        problems.append(
            f"{_at(path, raw, 'signal')}{about}: unknown signal '{raw['signal']}' (declare it under 'signals')"
        )
        return None
    match, place = raw["match"], raw.get("where", {})
    if not (
        _check_keys(match, _MATCH_SPEC, path, problems, about=about)
        and _check_keys(place, _WHERE_SPEC, path, problems, about=about)
    ):
        return None
    if place.get("extend", "to_end") not in EXTENSIONS or ("extend" in place and "label" not in raw):
        problems.append(
            f"{_at(path, place, 'extend')}{about}: 'extend' must be one of {', '.join(EXTENSIONS)}, "
            "on a boilerplate rule"
        )
        return None
    if place.get("min_matches", 1) < 1:
        problems.append(f"{_at(path, place, 'min_matches')}{about}: 'min_matches' must be 1 or more")
        return None
    if not 0 <= place.get("min_position", 0) <= 1:
        problems.append(f"{_at(path, place, 'min_position')}{about}: 'min_position' must be between 0 and 1")
        return None
    target = place.get("in", "body" if "signal" in raw else "segment")
    allowed_targets = ("body", "title") if "signal" in raw else ("segment",)
    if target not in allowed_targets:
        problems.append(f"{_at(path, place, 'in')}{about}: 'where.in' must be one of {', '.join(allowed_targets)}")
        return None
    if "languages" in raw and "label" in raw:
        problems.append(
            f"{_at(path, raw, 'languages')}{about}: boilerplate rules run before the language is known; "
            "'languages' applies to signal rules"
        )
        return None
    languages = _languages(raw, pack_languages, path, problems, about) if "signal" in raw else None
    if languages is False:
        return None
    matcher = _compile(match, raw.get("case_sensitive", False), f"{_at(path, match)}{about}", problems)
    unless_title = None
    if "unless_title" in place:
        unless_title = _compile({"regex": place["unless_title"]}, False, f"{_at(path, place)}{about}", problems)
    if matcher is None or ("unless_title" in place and unless_title is None):
        return None
    return Rule(
        id=rule_id,
        description=raw["description"],
        criterion=raw["criterion"],
        matcher=matcher,
        label=raw.get("label"),
        signal=raw.get("signal"),
        target=target,
        min_words=place.get("min_words", 0),
        max_words=place.get("max_words"),
        head=place.get("head"),
        tail=place.get("tail"),
        min_position=float(place.get("min_position", 0.0)),
        extend=place.get("extend"),
        min_matches=place.get("min_matches", 1),
        unless_title=unless_title,
        exclude_quotes=raw.get("exclude_quotes", False),
        score=float(raw.get("score", 1.0)),
        languages=languages,
        origin=where,
    )


def _languages(
    raw: dict, default: frozenset[str] | None, path: Path, problems: list[str], about: str = ""
) -> frozenset[str] | None | bool:
    """The languages a mapping's `languages` key names (None: any), or False after reporting a problem."""
    if "languages" not in raw:
        return default
    value = raw["languages"]
    if value == ANY_LANGUAGE:
        return None
    codes = value if isinstance(value, list) else None
    if not codes or not all(isinstance(c, str) and _LANGUAGE_CODE.fullmatch(c) for c in codes):
        problems.append(
            f"{_at(path, raw, 'languages')}{about}: 'languages' must be '{ANY_LANGUAGE}' or a list of "
            "lower-case ISO 639 codes as the language identifier gives them (en, de, zh-cn)"
        )
        return False
    return frozenset(codes)


def _compile(match: dict, case_sensitive: bool, where: str, problems: list[str]) -> Matcher | None:
    kinds = [k for k in _MATCH_SPEC if k in match]
    if len(kinds) != 1:
        problems.append(f"{where}: 'match' needs exactly one of {', '.join(_MATCH_SPEC)}")
        return None
    kind = kinds[0]
    if kind == "regex":
        pattern = match["regex"]
    else:
        phrases = match[kind]
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            problems.append(f"{where}: '{kind}' must be a non-empty list of non-empty strings")
            return None
        alternation = "|".join(_phrase_pattern(p) for p in sorted(set(phrases), key=len, reverse=True))
        pattern = rf"^\W*(?:(?:{alternation})\W*)+$" if kind == "only" else f"(?:{alternation})"
    options = _re2_options()
    options.case_sensitive = case_sensitive
    try:
        compiled = re2.compile(pattern.encode("utf-8"), options)  # matched on UTF-8 bytes (Matcher.finditer)
    except re2.error as error:
        message = error.args[0].decode() if error.args and isinstance(error.args[0], bytes) else str(error)
        hint = ""
        if "perl operator" in message or "escape sequence" in message:
            hint = " (look-around and back-references are not supported: the engine is linear-time RE2)"
        problems.append(f"{where}: bad regex {pattern!r}: {message}{hint}")
        return None
    except UnicodeEncodeError:  # a lone surrogate from a YAML escape such as "\ud83d"
        problems.append(
            f"{where}: bad regex {pattern!r}: not valid Unicode (write a character beyond U+FFFF as \\UXXXXXXXX, "
            "not as a pair of \\u escapes)"
        )
        return None
    return Matcher(pattern=pattern, compiled=compiled, case_sensitive=case_sensitive)


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a regex: words separated by any whitespace, either apostrophe, word boundaries at word ends."""
    words = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in phrase.split()]
    body = r"\s+".join(words)
    start = r"\b" if re.match(r"\w", phrase.strip()) else ""
    end = r"\b" if re.search(r"\w$", phrase.strip()) else ""
    return f"{start}{body}{end}"


def _disabled_ids(data: dict, path: Path, problems: list[str]) -> set[str]:
    ids = data.get("disable") or []
    bad = [i for i in ids if not isinstance(i, str)]
    if bad:
        problems.append(f"{path}: 'disable' must list rule ids (strings)")
    return {i for i in ids if isinstance(i, str)}
