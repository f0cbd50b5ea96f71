"""Drivers and linkage: how answers, units and outcomes relate.

Regression with robust and clustered errors (:mod:`~cxresearch.linkage.regression`), aggregation
and random-intercept models (:mod:`~cxresearch.linkage.multilevel`), mediation
(:mod:`~cxresearch.linkage.mediation`), firm-year panels with errors in variables and
cross-lagged paths (:mod:`~cxresearch.linkage.panel`), the random-intercept cross-lagged panel
that separates within-unit paths from stable differences (:mod:`~cxresearch.linkage.ri_clpm`),
key-driver importance (:mod:`~cxresearch.linkage.drivers`), ownership contrasts
(:mod:`~cxresearch.linkage.ownership`) and the unit-level pipeline for one company's stores,
branches or teams (:mod:`~cxresearch.linkage.units`). Associations, never designs for causal
claims: those live in :mod:`cxresearch.causal`.
"""
