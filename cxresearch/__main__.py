"""``python -m cxresearch``: see :mod:`cxresearch.cli`."""

import sys

from cxresearch.cli import main

if __name__ == "__main__":
    sys.exit(main())
