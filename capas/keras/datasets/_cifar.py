"""CIFAR batches, read straight from the downloaded `.tar.gz`.

Keras extracts the archive into its cache; capas keeps only the archive and
reads the pickled batches out of it (a couple of seconds of gunzip per load),
so the cache holds one checked file and nothing is ever unpacked onto disk.
"""

import tarfile

import numpy as np

from capas.keras.datasets import _formats


def read_splits(archive_path, splits, label_key):
    """`((x_train, y_train), (x_test, y_test))` from a CIFAR archive, in one pass.

    Args:
        archive_path: the `cifar-*-python.tar.gz` file.
        splits: `(train_batches, test_batches)`: lists of batch names
            (`"data_batch_1"`, `"test"`, ...), found under the archive's top folder.
        label_key: `"labels"` (CIFAR-10), `"fine_labels"` or `"coarse_labels"`.

    Returns:
        Per split, `uint8` images of shape `(n, 32, 32, 3)` (channels last)
        and `uint8` labels of shape `(n, 1)`.
    """
    wanted = {name: None for names in splits for name in names}
    with tarfile.open(archive_path, "r:gz") as archive:
        for info in archive:
            base = info.name.rsplit("/", 1)[-1]
            if base in wanted and info.isfile():
                with archive.extractfile(info) as f:
                    wanted[base] = _formats.load_pickle(f, encoding="bytes")
    missing = [name for name, batch in wanted.items() if batch is None]
    if missing:
        raise ValueError(
            f"The CIFAR archive {archive_path} has no member(s) {missing}. It is not "
            "the expected file; delete it and fetch it again."
        )
    return tuple(_stack([wanted[name] for name in names], label_key) for names in splits)


def _stack(batches, label_key):
    images, labels = [], []
    for batch in batches:
        batch = {k.decode() if isinstance(k, bytes) else k: v for k, v in batch.items()}
        data = np.asarray(batch["data"], dtype=np.uint8)
        images.append(data.reshape(len(data), 3, 32, 32))
        labels.append(np.asarray(batch[label_key], dtype=np.uint8))
    x = np.concatenate(images).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(x), np.concatenate(labels).reshape(-1, 1)
