"""CIFAR100 small images classification dataset."""

from capas.keras.datasets import _cifar
from capas.keras.datasets import _fetch
from capas.keras.datasets import _sources


def load_data(label_mode="fine"):
    """Loads the CIFAR100 dataset.

    This is a dataset of 50,000 32x32 color training images and 10,000 test
    images, labeled over 100 fine-grained classes that are grouped into 20
    coarse-grained classes. The archive `cifar-100-python.tar.gz` is kept in
    the capas dataset cache (downloaded and checked when missing).

    Differs from Keras: the images are always channels-last; Keras follows
    `image_data_format()`.

    Args:
        label_mode: one of `"fine"`, `"coarse"`: the 100 fine-grained labels,
            or the 20 coarse-grained superclasses.

    Returns:
        Tuple of NumPy arrays: `(x_train, y_train), (x_test, y_test)`.

        **`x_train`**: `uint8` array of shape `(50000, 32, 32, 3)`.
        **`y_train`**: `uint8` array of shape `(50000, 1)`.
        **`x_test`**: `uint8` array of shape `(10000, 32, 32, 3)`.
        **`y_test`**: `uint8` array of shape `(10000, 1)`.

    Example:

    >>> (x_train, y_train), _ = cifar100.load_data(label_mode="coarse")  # doctest: +SKIP
    >>> int(y_train.max())  # doctest: +SKIP
    19
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'cifar100.load_data: `label_mode` must be one of "fine", "coarse". Received: label_mode={label_mode!r}.'
        )
    path = _fetch.get_file(_sources.CIFAR100)
    return _cifar.read_splits(path, (["train"], ["test"]), f"{label_mode}_labels")
