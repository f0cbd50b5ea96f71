"""Measurement models: does a set of items measure what it claims?

Scale reliability, exploratory and confirmatory factor models and invariance
(:mod:`~cxresearch.measurement.psychometrics`), PLS path models of satisfaction indices
(:mod:`~cxresearch.measurement.csi`) and the criterion validity of metrics -- AUC, DeLong
(:mod:`~cxresearch.measurement.validity`). A new reliability or factor estimator goes in the
module named after its method. Imports :mod:`cxresearch.core`, :mod:`cxresearch.metrics` and the
readers of :mod:`cxresearch.io`.
"""
