"""Tests for the cxresearch.linkage facade and for the layout of the modules behind it.

The estimators and their reference tests moved to modules named after their method
(tests/test_multilevel.py, test_regression.py, test_mediation.py, test_panel.py,
test_simulate_answers.py, test_studies_linkage_05.py). Here: every name that ``linkage``
exported is still there and is the same object; old keywords give the same numbers with a
DeprecationWarning; the import graph is one-way; every public signature speaks the package's
vocabulary (cxresearch._checks).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch import contract
from cxresearch import linkage as lk

ROOT = Path(__file__).resolve().parents[1] / "cxresearch"

#: where each name that ``cxresearch.linkage`` exported lives now
LINKAGE_HOMES = {
    "cxresearch.multilevel": ["AggregationWarning", "MixedModelResult", "add_group_key",
                              "aggregation_indices", "group_scores", "multilevel_model"],
    "cxresearch.regression": ["linkage_regression", "log_percent", "logit_associations",
                              "standardize"],
    "cxresearch.mediation": ["MediationResult", "mediation", "sem_service_profit_chain"],
    "cxresearch.panel": ["add_lags", "cross_lagged_panel", "eiv_regression", "firm_means",
                         "linkage_model", "linkage_panel", "mean_reliability", "true_score_z"],
    "cxresearch.simulate.linkage": ["simulate_latent_chain", "simulate_nested",
                                    "simulate_var_panel"],
    "cxresearch.simulate.answers": ["true_chain_effects", "true_cross_lagged_paths",
                                    "true_linkage_effects"],
    "cxresearch.studies.linkage_05": ["event_rate_by_group", "mediation_by_outcome",
                                      "nested_wave"],
    "cxresearch.contract": ["reverse_items"],
}

#: the modules of the linkage/leadership refactor (issue 10) whose signatures are checked
ROLE_MODULES = [
    "cxresearch.regression", "cxresearch.multilevel", "cxresearch.mediation",
    "cxresearch.panel", "cxresearch.ownership", "cxresearch.did",
    "cxresearch.simulate.linkage", "cxresearch.simulate.staggered",
    "cxresearch.simulate.answers", "cxresearch.studies.linkage_05",
    "cxresearch.studies.leadership_06", "cxresearch.linkage", "cxresearch.leadership",
]
ESTIMATORS = ["regression", "multilevel", "mediation", "panel", "ownership", "did"]
#: names the vocabulary replaced (they may survive only as deprecated keywords)
FORBIDDEN = {"rng", "random_state", "n_sim", "n_sims", "n_iter", "bootstrap", "reps", "df",
             "panel", "source", "group", "groups", "alpha", "ci", "se"}


def test_every_old_name_is_still_exported_and_is_the_moved_object() -> None:
    homes = {n: m for m, names in LINKAGE_HOMES.items() for n in names}
    assert sorted(homes) == sorted(lk.__all__)
    for name, module in homes.items():
        assert getattr(lk, name) is getattr(importlib.import_module(module), name), name
    assert lk.reverse_items is contract.reverse_items  # one implementation
    assert lk.SEM_FTOL == 1e-12


def test_reverse_items_keeps_the_mapping_form_and_its_error_message() -> None:
    d = pd.DataFrame({"culture_4": [1, 4, 5], "culture_1": [2, 3, 4]})
    assert lk.reverse_items(d, {"culture_4": (1, 5)})["culture_4"].tolist() == [5, 2, 1]
    with pytest.raises(ValueError, match=r"'culture_4': 1 value\(s\) outside 1..4 at rows \[2\]"):
        lk.reverse_items(d, {"culture_4": (1, 4)})


def test_old_keywords_through_the_facade_give_the_same_numbers() -> None:
    d = lk.simulate_nested(n_groups=25, group_size=8, icc=0.3, n_items=2, seed=2)
    with pytest.warns(DeprecationWarning):
        old = lk.aggregation_indices(d, group="group", items=["item_1", "item_2"], alpha=0.05)
    pd.testing.assert_frame_equal(old, lk.aggregation_indices(d, "group", ["item_1", "item_2"]))
    with pytest.warns(DeprecationWarning):
        old_fit = lk.multilevel_model(d, "item_1 ~ 1", group="group")
    pd.testing.assert_frame_equal(old_fit.to_frame(),
                                  lk.multilevel_model(d, "item_1 ~ 1", cluster="group").to_frame())
    p = pd.DataFrame({"firm_id": ["A", "A", "B", "B"], "ex": [1.0, 3.0, 4.0, 6.0]})
    with pytest.warns(DeprecationWarning):
        pd.testing.assert_frame_equal(lk.firm_means(panel=p, columns=["ex"]),
                                      lk.firm_means(p, ["ex"]))
    rng = np.random.default_rng(0)
    m = pd.DataFrame({"x": rng.normal(size=80)})
    m["m"] = m["x"] + rng.normal(size=80)
    m["y"] = m["m"] + rng.normal(size=80)
    with pytest.warns(DeprecationWarning, match="'x' is deprecated"):
        old_med = lk.mediation_by_outcome(m, x="x", mediator="m", outcomes=["y"], n_boot=20)
    pd.testing.assert_frame_equal(old_med, lk.mediation_by_outcome(m, "x", "m", ["y"],
                                                                   n_boot=20))
    calls = pd.DataFrame({"calls": [0, 0, 1, 1], "churn": [0, 1, 1, 1]})
    with pytest.warns(DeprecationWarning, match="'group' is deprecated"):
        pd.testing.assert_frame_equal(lk.event_rate_by_group(calls, "churn", group="calls"),
                                      lk.event_rate_by_group(calls, "churn", "calls"))
    cus = pd.DataFrame({"firm_id": ["A", "A", "B"], "year": 1, "nps": [8, 10, 4]})
    fy = pd.DataFrame({"firm_id": ["A", "B"], "year": [1, 1], "ex": [4.0, 3.0]})
    with pytest.warns(DeprecationWarning):
        old_wave = lk.nested_wave(individuals=cus, groups=fy, period=1, outcome="nps",
                                  predictor="ex")
    pd.testing.assert_frame_equal(old_wave, lk.nested_wave(cus, fy, 1, "nps", "ex"))
    pn = pd.DataFrame({"ex": [1.0, 2.0, 3.0, 4.0], "ev": 0.5})
    with pytest.warns(DeprecationWarning):
        assert lk.mean_reliability(panel=pn, score="ex", error_variance="ev") == pytest.approx(0.7)


# ------------------------------------------------------------------ layout and vocabulary


def _imports(path: Path) -> set[str]:
    """Every cxresearch module a file imports, at module level or inside functions."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                "cxresearch"):
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names
                       if (ROOT.parent / f"{node.module}.{a.name}".replace(".", "/")).with_suffix(
                           ".py").exists())
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("cxresearch"))
    return out


def test_import_graph_is_one_way() -> None:
    for name in ESTIMATORS:
        imported = _imports(ROOT / f"{name}.py")
        bad = {m for m in imported if m.startswith("cxresearch.studies")
               or m in ("cxresearch.linkage", "cxresearch.leadership")}
        assert not bad, (name, bad)
        # estimators build on _checks, contract and one another, never on a notebook's helpers
        assert imported <= {f"cxresearch.{e}" for e in ESTIMATORS} | {
            "cxresearch._checks", "cxresearch.contract", "cxresearch.simulate.staggered"
        }, (name, imported)
    # the leadership facade does not lean on linkage, and nothing imports the facades
    assert not {m for m in _imports(ROOT / "leadership.py") if m == "cxresearch.linkage"}
    for modname in ROLE_MODULES:
        if modname in ("cxresearch.linkage", "cxresearch.leadership"):
            continue
        path = ROOT.parent / (modname.replace(".", "/") + ".py")
        assert not _imports(path) & {"cxresearch.linkage", "cxresearch.leadership"}, path
    # simulators and answer keys are data, not analysis: they import no estimator
    for path in ROOT.glob("simulate/*.py"):
        assert not {m for m in _imports(path)
                    if m.split(".")[1] in [*ESTIMATORS, "studies"]}, path


def test_estimators_import_no_heavy_dependency_at_module_level() -> None:
    for name in ESTIMATORS:
        tree = ast.parse((ROOT / f"{name}.py").read_text())
        top = {a.name.split(".")[0] for n in tree.body if isinstance(n, ast.Import)
               for a in n.names}
        top |= {n.module.split(".")[0] for n in tree.body
                if isinstance(n, ast.ImportFrom) and n.module}
        assert not top & {"statsmodels", "semopy", "linearmodels", "scipy", "patsy",
                          "pingouin", "matplotlib"}, (name, top)


def _public_functions():  # type: ignore[no-untyped-def]
    for modname in ROLE_MODULES:
        mod = importlib.import_module(modname)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                yield f"{modname}.{name}", obj
            elif inspect.isclass(obj):
                for meth, fn in vars(obj).items():
                    if not meth.startswith("_") and inspect.isfunction(fn):
                        yield f"{modname}.{name}.{meth}", fn


def test_public_signatures_speak_the_vocabulary() -> None:
    seen = 0
    for qual, fn in _public_functions():
        params = inspect.signature(fn).parameters
        assert not set(params) & FORBIDDEN, (qual, set(params) & FORBIDDEN)
        if "seed" in params:
            assert params["seed"].default == 0, qual
        deprecated = getattr(fn, "__deprecated_keywords__", {})
        assert set(deprecated.values()) <= set(params), qual
        seen += 1
    assert seen > 60


@pytest.mark.parametrize("qual", [
    "cxresearch.regression.linkage_regression", "cxresearch.regression.logit_associations",
    "cxresearch.multilevel.aggregation_indices", "cxresearch.multilevel.multilevel_model",
    "cxresearch.mediation.mediation", "cxresearch.mediation.sem_service_profit_chain",
    "cxresearch.panel.eiv_regression", "cxresearch.panel.linkage_model",
    "cxresearch.panel.cross_lagged_panel", "cxresearch.ownership.ownership_effects",
    "cxresearch.ownership.say_do_effects", "cxresearch.did.event_study",
    "cxresearch.did.twfe_static", "cxresearch.did.naive_comparison",
    "cxresearch.did.power_curve", "cxresearch.did.event_study_power",
    "cxresearch.studies.linkage_05.mediation_by_outcome",
    "cxresearch.studies.linkage_05.event_rate_by_group",
    "cxresearch.studies.leadership_06.event_study_power_by_outcome",
])
def test_every_interval_takes_a_level_defaulting_to_95(qual: str) -> None:
    modname, name = qual.rsplit(".", 1)
    params = inspect.signature(getattr(importlib.import_module(modname), name)).parameters
    assert params["level"].default == 0.95
    assert params["level"].kind == inspect.Parameter.KEYWORD_ONLY


def test_results_follow_one_protocol() -> None:
    from cxresearch import did, mediation, multilevel, ownership

    for cls in (multilevel.MixedModelResult, mediation.MediationResult,
                ownership.OwnershipResult, did.EventStudyResult, did.EffectEstimate):
        for meth in ("to_frame", "summary", "conf_int"):
            assert callable(getattr(cls, meth, None)), (cls, meth)
        assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert inspect.signature(cls.summary).return_annotation in ("str", str)
    assert did.PretrendTest.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_importing_the_facades_is_quiet() -> None:
    import subprocess
    import sys

    code = ("import warnings, sys; warnings.simplefilter('error'); "
            "import cxresearch.linkage, cxresearch.leadership; "
            "print(sorted(m for m in ('semopy', 'statsmodels', 'linearmodels', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]" and out.stderr == ""
