"""cxresearch: CX leadership, customer-centric culture and outcomes, measured honestly.

The package holds every piece of logic the notebooks use; each module has one job:

- :mod:`cxresearch.paths` -- absolute project paths (notebooks never depend on the cwd);
- :mod:`cxresearch.figures` -- the house style and :func:`~cxresearch.figures.save_figure`;
- :mod:`cxresearch.metrics` -- NPS, CSAT, CES and top-box scores with honest intervals;
- :mod:`cxresearch.psychometrics` -- scale reliability and factor models;
- :mod:`cxresearch.csi` -- ECSI/ACSI-style PLS path models;
- :mod:`cxresearch.drivers` -- key-driver analysis (relative weights, Shapley/LMG);
- :mod:`cxresearch.linkage` -- employee experience -> customer experience -> outcomes;
- :mod:`cxresearch.leadership` -- CX ownership models and event studies;
- :mod:`cxresearch.simulate` -- synthetic studies with a known truth;
- :mod:`cxresearch.datasets` -- real data sets shipped by installed packages;
- :mod:`cxresearch.io` -- reading and validating a user's survey exports;
- :mod:`cxresearch.runner` / :mod:`cxresearch.cli` -- ``python -m cxresearch``.

Importing the package prints nothing and imports no heavy dependency.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
