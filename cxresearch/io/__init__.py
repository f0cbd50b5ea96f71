"""Data in and out: from a user's export or the bundled files to validated tables.

Platform exports (Qualtrics, SurveyMonkey, Google Forms, plain files;
:mod:`~cxresearch.io.exports`), personal data found by name and value
(:mod:`~cxresearch.io.pii`), the ``instrument.yml`` format (:mod:`~cxresearch.io.instrument`),
reading and validating survey tables and whole studies (:mod:`~cxresearch.io.readers`), the
neutral study data model shared with the simulators (:mod:`~cxresearch.io.study`) and real data
sets shipped by installed packages (:mod:`~cxresearch.io.datasets`). Nothing here imports the
simulators or an estimator. A new reader or export format goes in ``exports``.
"""
