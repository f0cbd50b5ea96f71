"""Single-question survey metrics, the counting behind them, and weights to the population.

NPS, CSAT, CES, top-box and mean scores with honest intervals (weights, clusters, segments,
pairwise comparisons, suppression) live in :mod:`~cxresearch.metrics.scores`; the one SQL
statement that counts answers where they are stored (DuckDB, Spark or pandas) lives in
:mod:`~cxresearch.metrics.engines`; weights to the customer base (raking, post-stratification,
calibration), whose results the scores take as ``calibration=`` for calibration-aware
intervals, live in :mod:`~cxresearch.metrics.weighting`. A new score of one question goes in
``scores``; a new way of counting answers goes in ``engines``; a new way of weighting goes in
``weighting``. Imports only :mod:`cxresearch.core`.
"""
