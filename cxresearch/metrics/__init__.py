"""Single-question survey metrics and the counting behind them.

NPS, CSAT, CES, top-box and mean scores with honest intervals (weights, clusters, segments,
pairwise comparisons, suppression) live in :mod:`~cxresearch.metrics.scores`; the one SQL
statement that counts answers where they are stored (DuckDB, Spark or pandas) lives in
:mod:`~cxresearch.metrics.engines`. A new score of one question goes in ``scores``; a new way of
counting answers goes in ``engines``. Imports only :mod:`cxresearch.core`.
"""
