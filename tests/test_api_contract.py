"""The public API speaks one vocabulary (docs/DEVELOPING.md, "One vocabulary").

Walks every public function and result class of every ``cxresearch`` module and checks:

- no parameter uses a word the vocabulary retired (``ci`` for a level or a method, ``alpha`` for
  a significance level, ``rng``/``random_state`` for randomness, ``n_sim``/``n_iter``/... for
  replications, ``df``/``panel`` for the input frame, ``group`` for the nesting column);
- ``level`` defaults to 0.95 and ``seed`` to 0 (reproducible by default; ``None`` = fresh
  entropy);
- every result class has ``to_frame()`` and ``summary() -> str``, and ``conf_int(level=...)``
  where it holds intervals;
- every result class follows the one results protocol in code
  (:func:`cxresearch.core.results.check_result_class`): it subclasses
  :class:`~cxresearch.core.results.Result`, and its ``conf_int`` returns a DataFrame with
  ``ci_low``/``ci_high``, never a tuple; called on a real instance, it does so;
- no public function keeps a deprecated keyword alias (there are none before 1.0).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import types
import typing

import pandas as pd

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


# ------------------------------------------------------------------ the results protocol


def result_classes() -> list[tuple[str, type]]:
    """Every result class the package makes public: a class (not an exception) that defines
    ``to_frame``, ``summary`` or ``conf_int``, or whose name ends in ``Result``."""
    from cxresearch.core.results import Result

    out = []
    for module in public_modules():
        for qual, obj in public_objects(module):
            if not inspect.isclass(obj) or issubclass(obj, BaseException) or obj is Result:
                continue
            if obj.__name__.endswith("Result") or any(
                    hasattr(obj, m) for m in ("to_frame", "summary", "conf_int")):
                out.append((qual, obj))
    return out


def test_every_result_class_follows_the_results_protocol() -> None:
    from cxresearch.core.results import check_result_class

    classes = result_classes()
    assert len(classes) > 30  # the walk found them
    problems = [p for _, cls in classes for p in check_result_class(cls)]
    assert not problems, "results off the protocol:\n" + "\n".join(problems)


def test_the_protocol_check_catches_a_tuple_conf_int() -> None:
    from cxresearch.core.results import Result, check_result_class

    @dataclasses.dataclass(frozen=True)
    class TupleResult(Result):
        estimate: float

        def to_frame(self) -> pd.DataFrame:
            return pd.DataFrame({"estimate": [self.estimate]})

        def summary(self) -> str:
            return "x"

        def conf_int(self, level: float = 0.95) -> tuple[float, float]:
            return (0.0, 1.0)

    assert check_result_class(TupleResult) == [
        "TupleResult.conf_int() does not return a DataFrame (ci_low, ci_high)"]


def _instances() -> list[object]:
    """Real results from small, fast calls: their methods must do what the protocol says."""
    import numpy as np

    import cxresearch as cx

    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    items = pd.DataFrame(x[:, :1] + x * 0.8, columns=["a", "b", "c"])
    return [
        cx.nps_from_counts(60, 25, 15),
        cx.cronbach_alpha(items),
        cx.compare(cx.nps_from_counts(60, 25, 15), cx.nps_from_counts(50, 30, 20)),
    ]


def test_real_results_return_frames_and_words() -> None:
    for result in _instances():
        name = type(result).__name__
        assert isinstance(result.to_frame(), pd.DataFrame), name
        assert isinstance(result.summary(), str) and result.summary(), name
        if hasattr(result, "conf_int"):
            ci = result.conf_int(level=0.9)
            assert isinstance(ci, pd.DataFrame), name
            assert {"ci_low", "ci_high"} <= set(ci.columns), name


def test_no_public_function_keeps_a_deprecated_keyword() -> None:
    objects = [o for m in public_modules() for o in public_objects(m)]
    kept = [q for q, o in objects if getattr(o, "__deprecated_keywords__", None)]
    assert kept == []


def test_every_function_in_the_face_has_numpydoc_sections() -> None:
    """Parameters (when it takes any), Returns and Examples on every function of the face;
    Examples on every class."""
    missing = []
    for name, module in cxresearch._FACE.items():
        obj = getattr(cxresearch, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        doc = inspect.getdoc(obj) or ""
        if inspect.isfunction(obj):
            if inspect.signature(obj).parameters and "Parameters\n---" not in doc:
                missing.append(f"{module}.{name}: Parameters")
            if "Returns\n---" not in doc and "Yields\n---" not in doc:
                missing.append(f"{module}.{name}: Returns")
        if "Examples\n---" not in doc and ">>>" not in doc:
            missing.append(f"{module}.{name}: Examples")
    assert missing == []
