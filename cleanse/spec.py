"""How to build a `Cleaner`, as a small picklable value, and one built `Cleaner` per process for it.

Worker processes (the local pool, Dask workers, datatrove tasks) are sent a `CleanerSpec`, never a `Cleaner`:
each builds its own once, on first use, so rules and models load once per process, not once per task.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cleanse.limits import Limits
from cleanse.pipeline import Cleaner, Filters
from cleanse.rules import RuleSet


@dataclass(frozen=True)
class CleanerSpec:
    """What a `Cleaner` is built from. `rules` and `model` are paths that every worker must be able to read;
    `model=None` is the shipped credibility model."""

    rules: tuple[str, ...] = ()
    filters: Filters = field(default_factory=Filters)
    model: str | None = None
    max_evidence: int = 20
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def of(
        cls,
        rules: tuple[Path | str, ...] | list[Path | str] = (),
        filters: Filters | None = None,
        model: Path | str | None = None,
        max_evidence: int = 20,
        limits: Limits | None = None,
    ) -> CleanerSpec:
        """A spec from the arguments a `Cleaner` takes, paths made absolute so that workers find them."""
        return cls(
            tuple(str(Path(p).resolve()) for p in rules),
            filters or Filters(),
            None if model is None else str(Path(model).resolve()),
            max_evidence,
            limits or Limits(),
        )

    def check(self) -> RuleSet:
        """Refuse what building the cleaner would refuse (a bad rule pack; a model that is missing, unsafe or
        of another kind), without loading scikit-learn or trafilatura, so that a run can fail before any worker
        starts. Returns the rule set."""
        from cleanse.credibility import DEFAULT_MODEL, model_parameters
        from cleanse.modelio import check_model
        from cleanse.rules import load_rules
        from cleanse.signals import SignalMeter

        ruleset = load_rules(self.rules)
        SignalMeter(ruleset)
        model_parameters(ruleset, self.model or DEFAULT_MODEL)
        check_model(self.model or DEFAULT_MODEL)
        return ruleset

    def build(self) -> Cleaner:
        from cleanse.credibility import DEFAULT_MODEL

        return Cleaner(
            self.rules,
            filters=self.filters,
            model=self.model or DEFAULT_MODEL,
            max_evidence=self.max_evidence,
            limits=self.limits,
        )


_BUILDING = threading.Lock()


def cleaner_for(spec: CleanerSpec) -> Cleaner:
    """This process's `Cleaner` for `spec`, built on first use, once even when threads (a Dask worker's) ask
    at the same time: loading models in two threads at once also trips a CPython 3.11 parser bug."""
    with _BUILDING:
        return _built(spec)


@lru_cache(maxsize=4)
def _built(spec: CleanerSpec) -> Cleaner:
    return spec.build()
