"""Helpers that belong to one notebook: its tables, stacked outcomes and scenarios.

One module per notebook, named ``<topic>_<NN>``, e.g.

- :mod:`cxresearch.studies.linkage_05` -- notebook 05, linkage of EX, CX and outcomes;
- :mod:`cxresearch.studies.leadership_06` -- notebooks 06 (who owns CX) and 11 (appointing a
  CX leader).

A helper lives here when only one notebook uses it (several outcomes stacked with their true
values, a simulated scenario, a descriptive table); an estimator that other studies could use
lives in the package module named after its method (:mod:`cxresearch.causal.did`,
:mod:`cxresearch.linkage.mediation`, ...). Modules here may import the estimators and
:mod:`cxresearch.simulate`; no estimator imports from here. Nothing is imported by this
``__init__``, so ``import cxresearch.studies`` stays free.
"""
