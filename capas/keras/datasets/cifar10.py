"""CIFAR10 small images classification dataset."""

from capas.keras.datasets import _cifar
from capas.keras.datasets import _fetch
from capas.keras.datasets import _sources


def load_data():
    """Loads the CIFAR10 dataset.

    This is a dataset of 50,000 32x32 color training images and 10,000 test
    images, labeled over 10 categories: 0 airplane, 1 automobile, 2 bird,
    3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck. The archive
    `cifar-10-python.tar.gz` is kept in the capas dataset cache (downloaded
    from the CIFAR homepage and checked when missing).

    Differs from Keras: the images are always channels-last; Keras follows
    `image_data_format()`.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.

        **`x_train`**: `uint8` array of shape `(50000, 32, 32, 3)`.
        **`y_train`**: `uint8` array of shape `(50000, 1)`, labels 0 to 9.
        **`x_test`**: `uint8` array of shape `(10000, 32, 32, 3)`.
        **`y_test`**: `uint8` array of shape `(10000, 1)`.

    Example:

    >>> (x_train, y_train), (x_test, y_test) = cifar10.load_data()  # doctest: +SKIP
    >>> x_train.shape, y_train.shape  # doctest: +SKIP
    ((50000, 32, 32, 3), (50000, 1))
    """
    path = _fetch.get_file(_sources.CIFAR10)
    train_batches = [f"data_batch_{i}" for i in range(1, 6)]
    return _cifar.read_splits(path, (train_batches, ["test_batch"]), "labels")
