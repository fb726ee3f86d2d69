"""Fashion-MNIST dataset."""

import gzip

from capas.keras.datasets import _fetch
from capas.keras.datasets import _formats
from capas.keras.datasets import _sources


def load_data():
    """Loads the Fashion-MNIST dataset.

    This is a dataset of 60,000 28x28 grayscale images of 10 fashion
    categories, along with a test set of 10,000 images; a drop-in
    replacement for MNIST. The four gzipped idx files live in the
    `fashion-mnist/` folder of the capas dataset cache; they are downloaded
    from Keras's address when missing, or built from a local copy with
    `python -m capas.keras.datasets import fashion_mnist --from <folder>`
    (for example Debian's `/usr/share/datasets/fashion-mnist/`).

    The classes are: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat,
    5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.

        **`x_train`**: `uint8` array of shape `(60000, 28, 28)`.
        **`y_train`**: `uint8` array of shape `(60000,)`, labels 0 to 9.
        **`x_test`**: `uint8` array of shape `(10000, 28, 28)`.
        **`y_test`**: `uint8` array of shape `(10000,)`.

    Raises:
        ConnectionError: a file is neither cached nor downloadable; the
            message names the full path to place it at.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()  # doctest: +SKIP
    >>> x_train.shape  # doctest: +SKIP
    (60000, 28, 28)

    License: Fashion-MNIST is copyright Zalando SE, under the MIT license.
    """
    arrays = {}
    for key, source in _sources.FASHION_MNIST.items():
        fpath = _fetch.get_file(source)
        with gzip.open(fpath, "rb") as f:
            arrays[key] = _formats.parse_idx(f.read(), what=fpath)
    for split in ("train", "test"):
        x, y = arrays["x_" + split], arrays["y_" + split]
        if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise ValueError(
                f"The Fashion-MNIST {split} files disagree: images of shape {x.shape}, "
                f"labels of shape {y.shape}; expected (n, 28, 28) and (n,). Delete the "
                f"files in the cache's fashion-mnist/ folder and fetch them again."
            )
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
