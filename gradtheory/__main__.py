"""``python -m gradtheory``: the same as the ``gradtheory`` command."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
