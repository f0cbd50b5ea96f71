"""Synthetic data with a known truth (every table it makes is labelled synthetic).

- :mod:`cxresearch.simulate.study` -- the CX benchmark study: firms, firm-years, employees,
  customers and the structural coefficients (``truth``) that generated them;
- :mod:`cxresearch.simulate.ecsi` -- a customer survey with a known ECSI/ACSI structure;
- :mod:`cxresearch.simulate.linkage` -- small generators for the linkage estimators: nested
  Likert items, a latent EX -> CX -> outcome chain, a panel VAR(1);
- :mod:`cxresearch.simulate.staggered` -- a staggered-adoption panel with a known effect;
- :mod:`cxresearch.simulate.answers` -- the study's ``truth`` in the units of each estimate;
- :mod:`cxresearch.simulate.null` -- the study with every effect set to zero;
- :mod:`cxresearch.simulate.gaming`, :mod:`cxresearch.simulate.referrals` -- a metric tied to
  bonuses (the metrics-culture loop) and stated versus actual referrals;
- :mod:`cxresearch.simulate.poll`, :mod:`cxresearch.simulate.postings` -- a self-selected poll
  of open answers and a labelled corpus of job postings;
- :mod:`cxresearch.simulate.metrics` -- repeated survey samples with a known NPS (if present).
- :mod:`cxresearch.simulate.tracker` -- a monthly NPS tracker (stores in regions, channels,
  web over-represented) with the customer base's margins and one known change.
"""

from cxresearch.simulate.answers import (
    true_chain_effects,
    true_cross_lagged_paths,
    true_event_study_effects,
    true_event_time_path,
    true_linkage_effects,
    true_owner_effects,
)
from cxresearch.simulate.ecsi import EcsiParams, simulate_ecsi_survey
from cxresearch.simulate.linkage import simulate_latent_chain, simulate_nested, simulate_var_panel
from cxresearch.simulate.staggered import simulate_staggered_panel
from cxresearch.simulate.study import StudyParams, simulate_study

__all__ = [
    "EcsiParams",
    "StudyParams",
    "simulate_ecsi_survey",
    "simulate_latent_chain",
    "simulate_nested",
    "simulate_staggered_panel",
    "simulate_study",
    "simulate_var_panel",
    "true_chain_effects",
    "true_cross_lagged_paths",
    "true_event_study_effects",
    "true_event_time_path",
    "true_linkage_effects",
    "true_owner_effects",
]
