"""Linkage models: employee experience -> customer experience -> business outcomes (facade).

The service-profit chain (Heskett, Jones, Loveman, Sasser & Schlesinger 1994, *Harvard Business
Review* 72(2)) says that employee experience (EX) drives customer experience (CX), which drives
revenue growth and lowers the cost to serve. Testing it needs four steps; the estimators live in
modules named after their method, and this module re-exports them under their old names:

- :mod:`cxresearch.multilevel` -- may answers be averaged? :func:`aggregation_indices`
  (ICC(1), ICC(2), rwg(j)), :func:`group_scores`, :func:`add_group_key`, and the
  random-intercept :func:`multilevel_model`;
- :mod:`cxresearch.regression` -- :func:`linkage_regression` (cluster-robust OLS),
  :func:`logit_associations`, :func:`standardize`, :func:`log_percent`;
- :mod:`cxresearch.mediation` -- :func:`mediation` (bootstrap a*b) and the latent
  :func:`sem_service_profit_chain`;
- :mod:`cxresearch.panel` -- :func:`linkage_panel`, :func:`eiv_regression`,
  :func:`linkage_model`, :func:`cross_lagged_panel`, :func:`add_lags`,
  :func:`mean_reliability`, :func:`true_score_z`, :func:`firm_means`;
- :mod:`cxresearch.simulate` -- :func:`simulate_nested`, :func:`simulate_latent_chain`,
  :func:`simulate_var_panel` and the answer keys :func:`true_linkage_effects`,
  :func:`true_cross_lagged_paths`, :func:`true_chain_effects`;
- :mod:`cxresearch.studies.linkage_05` -- notebook 05's tables:
  :func:`mediation_by_outcome`, :func:`event_rate_by_group`, :func:`nested_wave`;
- :func:`cxresearch.contract.reverse_items` -- recoding reverse-keyed items (one
  implementation; the mapping form ``{item: (lo, hi)}`` used here is accepted there).

New code should import from those modules. All of these are correlational designs: a linkage
coefficient is an association net of the controls named; the cross-lagged panel orders effects
in time but does not remove time-varying confounders.
"""

from __future__ import annotations

from cxresearch.contract import reverse_items
from cxresearch.mediation import SEM_FTOL as SEM_FTOL  # reachable as linkage.SEM_FTOL
from cxresearch.mediation import MediationResult, mediation, sem_service_profit_chain
from cxresearch.multilevel import (
    AggregationWarning,
    MixedModelResult,
    add_group_key,
    aggregation_indices,
    group_scores,
    multilevel_model,
)
from cxresearch.panel import (
    add_lags,
    cross_lagged_panel,
    eiv_regression,
    firm_means,
    linkage_model,
    linkage_panel,
    mean_reliability,
    true_score_z,
)
from cxresearch.regression import (
    linkage_regression,
    log_percent,
    logit_associations,
    standardize,
)
from cxresearch.simulate.answers import (
    true_chain_effects,
    true_cross_lagged_paths,
    true_linkage_effects,
)
from cxresearch.simulate.linkage import simulate_latent_chain, simulate_nested, simulate_var_panel
from cxresearch.studies.linkage_05 import event_rate_by_group, mediation_by_outcome, nested_wave

__all__ = [
    "AggregationWarning",
    "MediationResult",
    "MixedModelResult",
    "add_group_key",
    "add_lags",
    "aggregation_indices",
    "cross_lagged_panel",
    "eiv_regression",
    "event_rate_by_group",
    "firm_means",
    "group_scores",
    "linkage_model",
    "linkage_panel",
    "linkage_regression",
    "log_percent",
    "logit_associations",
    "mean_reliability",
    "mediation",
    "mediation_by_outcome",
    "multilevel_model",
    "nested_wave",
    "reverse_items",
    "sem_service_profit_chain",
    "simulate_latent_chain",
    "simulate_nested",
    "simulate_var_panel",
    "standardize",
    "true_chain_effects",
    "true_cross_lagged_paths",
    "true_linkage_effects",
    "true_score_z",
]
