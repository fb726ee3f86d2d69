"""`python -m capas.keras.datasets import NAME --from SOURCE` and `check NAME`."""

import sys

from capas.keras.datasets._importer import main

if __name__ == "__main__":
    sys.exit(main())
