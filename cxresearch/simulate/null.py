"""A study in which nothing affects anything: the check that conclusions follow the data.

:func:`null_study_params` keeps every variance, sample size and response process of the bundled
study (:class:`~cxresearch.simulate.study.StudyParams`) and sets every effect to zero: EX on CX
(now and lagged), CX on EX, growth on EX, CX on growth, contacts and cost to serve, EX on
turnover, firm commitment and stated priority on CX, the CX owner and the appointment of a CX
leader on anything, and the selection of fast-growing or committed firms into appointing one.
Firms still differ (intra-class correlations stay), so aggregation checks pass, but every
linkage, ownership, leadership and say/do estimate has a true value of zero.

``tests/test_conclusions.py`` runs the notebooks on it through the runner and checks that no
generated sentence claims an effect.

>>> p = null_study_params(n_firms=40)
>>> p.ex_to_cx, p.leader_effect_cx, p.selection_on_growth, p.n_firms
(0.0, 0.0, 0.0, 40)
"""

from __future__ import annotations

import dataclasses
from typing import Any

from cxresearch.simulate.study import StudyParams

__all__ = ["EFFECT_FIELDS", "null_study_params"]

#: every StudyParams field that is an effect of one variable on another (or selection on one)
EFFECT_FIELDS: tuple[str, ...] = (
    "cx_lag_to_ex",
    "performance_lag_to_ex",
    "ex_to_cx",
    "ex_lag_to_cx",
    "commitment_effect_cx",
    "say_effect_cx",
    "selection_on_growth",
    "selection_on_commitment",
    "owner_effect_ceo",
    "owner_effect_coo",
    "owner_effect_cmo",
    "leader_effect_cx",
    "leader_effect_ex",
    "leader_effect_revenue_growth",
    "leader_effect_contacts",
    "cx_to_revenue_growth",
    "cx_to_contacts",
    "cx_to_cost_to_serve",
    "ex_to_turnover",
)


def null_study_params(**overrides: Any) -> StudyParams:
    """The bundled study's parameters with every effect set to zero (``overrides`` applied last)."""
    base = StudyParams()
    missing = [f for f in EFFECT_FIELDS if not hasattr(base, f)]
    if missing:  # a renamed field must not silently keep its effect
        raise AttributeError(f"StudyParams has no field(s) {missing}")
    return dataclasses.replace(base, **{f: 0.0 for f in EFFECT_FIELDS}, **overrides)
