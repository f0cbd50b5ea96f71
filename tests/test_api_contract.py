"""The public API speaks one vocabulary (docs/DEVELOPING.md, "One vocabulary").

Walks every public function and result class of every ``cxresearch`` module and checks:

- no parameter uses a word the vocabulary retired (``ci`` for a level or a method, ``alpha`` for
  a significance level, ``rng``/``random_state`` for randomness, ``n_sim``/``n_iter``/... for
  replications, ``df``/``panel`` for the input frame, ``group`` for the nesting column);
- ``level`` defaults to 0.95 and ``seed`` to 0 (reproducible by default; ``None`` = fresh
  entropy);
- every result class has ``to_frame()`` and ``summary() -> str``, and ``conf_int(level=...)``
  where it holds intervals;
- deprecated keywords stay accepted (through :func:`cxresearch.core.validation.renamed`).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import types
import typing

import cxresearch

#: retired word -> the word to use instead
RETIRED: dict[str, str] = {
    "ci": "level (confidence level) or method (interval method)",
    "alpha": "level (confidence level = 1 - alpha)",
    "conf_level": "level",
    "confidence": "level",
    "rng": "seed",
    "random_state": "seed",
    "n_sim": "n_boot",
    "n_sims": "n_boot",
    "n_iter": "n_boot",
    "n_reps": "n_boot",
    "reps": "n_boot",
    "bootstrap": "n_boot",
    "n_bootstrap": "n_boot",
    "df": "data",
    "panel": "data",
    "frame": "data",
    "group": "cluster (nesting) or by (reporting segments)",
    "groups": "cluster (nesting) or by (reporting segments)",
    "segment": "by",
    "segments": "by",
}

#: modules that are infrastructure, not analysis API (command line, runner, notebook I/O)
SKIP_MODULES = {"cxresearch.__main__", "cxresearch.cli.main", "cxresearch.cli.runner",
                "cxresearch.cli.notebooks"}


def public_modules() -> list[types.ModuleType]:
    mods = [cxresearch]
    for info in pkgutil.walk_packages(cxresearch.__path__, "cxresearch."):
        if info.name in SKIP_MODULES or info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        mods.append(importlib.import_module(info.name))
    return mods


def public_objects(module: types.ModuleType) -> list[tuple[str, object]]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    out = []
    for n in names:
        obj = getattr(module, n, None)
        if obj is None or inspect.ismodule(obj):
            continue
        # check each object where it is defined (re-exports are checked at home)
        home = getattr(obj, "__module__", module.__name__)
        if home != module.__name__ and home.startswith("cxresearch"):
            continue
        out.append((f"{module.__name__}.{n}", obj))
    return out


def _is_result_class(obj: object) -> bool:
    return inspect.isclass(obj) and dataclasses.is_dataclass(obj) and hasattr(obj, "to_frame")


def _interval_fields(cls: type) -> bool:
    names = {f.name for f in dataclasses.fields(cls)}
    return bool({"ci_low", "ci_high"} & names)


def vocabulary_violations(objects: list[tuple[str, object]]) -> list[str]:
    """Everything in ``objects`` that breaks the vocabulary, one message per problem."""
    problems: list[str] = []
    for qual, obj in objects:
        funcs: list[tuple[str, object]] = []
        if inspect.isfunction(obj):
            funcs.append((qual, obj))
        elif inspect.isclass(obj):
            for name, member in vars(obj).items():
                if inspect.isfunction(member) and not name.startswith("_"):
                    funcs.append((f"{qual}.{name}", member))
            if _is_result_class(obj):
                summary = getattr(obj, "summary", None)
                if summary is None:
                    problems.append(f"{qual}: result class without summary()")
                else:
                    hints = typing.get_type_hints(summary) if callable(summary) else {}
                    ret = hints.get("return")
                    if ret is not str:
                        problems.append(f"{qual}.summary() must be annotated '-> str', got {ret}")
                if _interval_fields(obj) and not hasattr(obj, "conf_int"):
                    problems.append(f"{qual}: holds ci_low/ci_high but has no conf_int(level=)")
        for fq, func in funcs:
            try:
                sig = inspect.signature(func)
            except (TypeError, ValueError):
                continue
            for p in sig.parameters.values():
                if p.name in RETIRED:
                    problems.append(f"{fq}: parameter {p.name!r} is retired; use "
                                    f"{RETIRED[p.name]}")
                if p.name == "level" and p.default is not inspect.Parameter.empty \
                        and p.default not in (0.95, None):
                    problems.append(f"{fq}: level defaults to {p.default!r}, not 0.95")
                if p.name == "seed" and p.default is not inspect.Parameter.empty \
                        and p.default != 0:
                    problems.append(f"{fq}: seed defaults to {p.default!r}; the policy is 0")
    return problems


def test_public_api_speaks_one_vocabulary() -> None:
    objects = [o for m in public_modules() for o in public_objects(m)]
    assert len(objects) > 100  # the walk found the API
    problems = vocabulary_violations(objects)
    assert not problems, "off-vocabulary API:\n" + "\n".join(problems)


def test_the_check_catches_an_off_vocabulary_parameter() -> None:
    def interval(data, ci=0.95, rng=None, seed=None):  # the dialects the vocabulary retired
        return data

    @dataclasses.dataclass(frozen=True)
    class BadResult:
        ci_low: float
        ci_high: float

        def to_frame(self):
            return None

        def summary(self):
            return None

    problems = vocabulary_violations([("demo.interval", interval), ("demo.BadResult", BadResult)])
    text = "\n".join(problems)
    assert "parameter 'ci' is retired" in text
    assert "parameter 'rng' is retired" in text
    assert "seed defaults to None" in text
    assert "BadResult.summary() must be annotated '-> str'" in text
    assert "BadResult: holds ci_low/ci_high but has no conf_int" in text


def _deprecated(objects: list[tuple[str, object]]) -> list[tuple[str, object, dict[str, str]]]:
    out = []
    for qual, obj in objects:
        aliases = getattr(obj, "__deprecated_keywords__", None)
        if aliases:
            out.append((qual, obj, aliases))
    return out


def test_deprecated_keywords_map_to_real_parameters() -> None:
    found = _deprecated([o for m in public_modules() for o in public_objects(m)])
    for qual, obj, aliases in found:
        params = inspect.signature(obj).parameters
        for old, new in aliases.items():
            assert new in params, f"{qual}: alias {old!r} -> {new!r} is not a parameter"
            assert old not in params, f"{qual}: {old!r} is still a parameter"


