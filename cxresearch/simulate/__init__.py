"""Synthetic data with a known truth (every table it makes is labelled synthetic).

- :mod:`cxresearch.simulate.study` -- the CX benchmark study: firms, firm-years, employees,
  customers and the structural coefficients (``truth``) that generated them;
- :mod:`cxresearch.simulate.ecsi` -- a customer survey with a known ECSI/ACSI structure.
"""

from cxresearch.simulate.ecsi import EcsiParams, simulate_ecsi_survey
from cxresearch.simulate.study import Study, StudyParams, simulate_study

__all__ = ["EcsiParams", "Study", "StudyParams", "simulate_ecsi_survey", "simulate_study"]
