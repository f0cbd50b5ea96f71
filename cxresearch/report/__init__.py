"""Reporting: sentences, figures, the claims ledger and the site.

The house style and :func:`~cxresearch.report.figures.save_figure`
(:mod:`~cxresearch.report.figures`), the figure manifest (:mod:`~cxresearch.report.manifest`),
figure checks (:mod:`~cxresearch.report.figure_checks`), shared plots
(:mod:`~cxresearch.report.plots`), sentences built from results
(:mod:`~cxresearch.report.conclusions`), the claims ledger (:mod:`~cxresearch.report.claims`) and
the report site with its gallery (:mod:`~cxresearch.report.site`). A new figure helper goes in
``plots``; reporting imports estimators' results, never the other way round.
"""
