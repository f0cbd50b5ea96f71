"""The project's kernel: what every other subpackage may use, and which imports none of them.

Put here only what is shared by estimators, readers and reports alike: the one validation layer
and its :class:`~cxresearch.core.validation.DataError` (:mod:`~cxresearch.core.validation`), the
study's vocabulary of items, ranges, owners and labels (:mod:`~cxresearch.core.contract`), the
statistics kernel -- critical values, binomial intervals, Holm and Benjamini-Hochberg, Kish
weights, the clustered linearisation (:mod:`~cxresearch.core.inference`) --, the results
protocol (:mod:`~cxresearch.core.results`) and the project's paths (:mod:`~cxresearch.core.paths`).
Nothing here imports another ``cxresearch`` subpackage or a heavy dependency.
"""
