"""cxresearch: CX leadership, customer-centric culture and outcomes, measured honestly.

The package holds every piece of logic the notebooks use; each module has one job:

- :mod:`cxresearch.paths` -- absolute project paths (notebooks never depend on the cwd);
- :mod:`cxresearch.figures` -- the house style and :func:`~cxresearch.figures.save_figure`;
- :mod:`cxresearch.metrics` -- NPS, CSAT, CES and top-box scores with honest intervals;
- :mod:`cxresearch.psychometrics` -- scale reliability and factor models;
- :mod:`cxresearch.csi` -- ECSI/ACSI-style PLS path models;
- :mod:`cxresearch.drivers` -- key-driver analysis (relative weights, Shapley/LMG);
- :mod:`cxresearch.regression`, :mod:`cxresearch.multilevel`, :mod:`cxresearch.mediation`,
  :mod:`cxresearch.panel`, :mod:`cxresearch.did`, :mod:`cxresearch.ownership` -- estimators
  named after their method (:mod:`cxresearch.linkage` and :mod:`cxresearch.leadership` re-export
  them for old imports);
- :mod:`cxresearch.validity`, :mod:`cxresearch.coding` -- metric validity; coding open answers;
- :mod:`cxresearch.plots`, :mod:`cxresearch.conclusions`, :mod:`cxresearch.claims` -- shared
  plots, sentences built from results, the claims ledger;
- :mod:`cxresearch._checks`, :mod:`cxresearch.contract` -- one validation layer; the study's
  vocabulary;
- :mod:`cxresearch.studies` -- tables and scenarios that belong to one notebook;
- :mod:`cxresearch.simulate` -- synthetic studies with a known truth;
- :mod:`cxresearch.datasets` -- real data sets shipped by installed packages;
- :mod:`cxresearch.io` -- reading and validating a user's survey exports;
- :mod:`cxresearch.runner` / :mod:`cxresearch.cli` -- ``python -m cxresearch``.

Importing the package prints nothing and imports no heavy dependency.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
