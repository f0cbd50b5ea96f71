"""Text: coding open answers and the content of job postings.

Agreement between coders and multinomial intervals for coded shares
(:mod:`~cxresearch.text.coding`) and the content analysis of job postings
(:mod:`~cxresearch.text.postings`). Imports only :mod:`cxresearch.core`.
"""
