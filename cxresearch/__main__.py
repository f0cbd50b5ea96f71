"""``python -m cxresearch``: see :mod:`cxresearch.cli.main`."""

import sys

from cxresearch.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
