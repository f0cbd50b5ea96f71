"""The command line, ``python -m cxresearch``, and the machinery behind it.

The commands (:mod:`~cxresearch.cli.main`), whether each notebook can run on a folder
(:mod:`~cxresearch.cli.check`), executing notebooks (:mod:`~cxresearch.cli.runner`), pairing and
cleaning them (:mod:`~cxresearch.cli.notebooks`) and building the bundled data with its checksums
(:mod:`~cxresearch.cli.data_build`). The top floor: it may import every other subpackage, except
the notebook-only helpers in :mod:`cxresearch.studies`.
"""
