"""`keras.utils.text_dataset_from_directory`: a labelled text Dataset from class sub-directories."""

import numpy as np

from capas.keras.utils import dataset_utils


class _StringArray(np.ndarray):
    """A numpy object array of `bytes` that also answers `.numpy()`, as TF's string tensors do."""

    def numpy(self):
        return np.asarray(self)


def _strings(values):
    """Text samples as TF's `.numpy()` shows a string tensor: bytes, in an object array for a batch.

    The one place that decides how capas represents strings in datasets; switch
    here when capas has a string tensor.
    """
    if isinstance(values, bytes):
        out = np.empty((), dtype=object)
        out[()] = values
    else:
        out = np.empty(len(values), dtype=object)
        out[:] = values
    return out.view(_StringArray)


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    max_length=None,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    format="tf",
    verbose=True,
):
    """Generate a `capas.data.Dataset` of texts (and labels) from the `.txt` files in `directory`.

    The same layout and arguments as `image_dataset_from_directory`: one
    sub-directory per class (alphanumeric order), "int"/"categorical"/"binary"
    labels, `validation_split` with `subset` and `seed`.

    Args:
        directory: the data directory.
        labels: "inferred", None, or a list of integer labels in sorted file order.
        label_mode: "int", "categorical", "binary" or None.
        class_names: explicit class order (labels="inferred" only).
        batch_size: batch size, or None for single samples.
        max_length: keep at most this many bytes of each text.
        shuffle: shuffle the files (else by class, then file name).
        seed: seed for the shuffle (required with `validation_split` and `shuffle`).
        validation_split: fraction of files kept for validation.
        subset: "training", "validation" or "both".
        follow_links: follow symbolic links to sub-directories.
        format: "tf".
        verbose: print how many files and classes were found.

    Returns:
        A `capas.data.Dataset` with `.class_names` (or a pair for `subset="both"`).
        Differs from TF: texts are numpy object arrays of `bytes` (what TF's
        `.numpy()` gives; they also answer `.numpy()`), as capas has no string
        tensor yet.

    Example:

    >>> import os, tempfile
    >>> from capas import keras
    >>> root = tempfile.mkdtemp()
    >>> for name, text in (("neg", "bad"), ("pos", "good")):
    ...     os.makedirs(os.path.join(root, name))
    ...     _ = open(os.path.join(root, name, "a.txt"), "w").write(text)
    >>> ds = keras.utils.text_dataset_from_directory(root, shuffle=False, verbose=False)
    >>> texts, labels = next(iter(ds))
    >>> texts.numpy().tolist(), labels.tolist()
    ([b'bad', b'good'], [0, 1])
    """
    labels, label_mode = dataset_utils.check_label_args(labels, label_mode, class_names, "text")
    if format != "tf":
        raise ValueError(f'capas supports format="tf" only (a capas.data.Dataset); received format={format!r}.')
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(
        directory,
        labels,
        (".txt",),
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    dataset_utils.check_binary(label_mode, class_names)
    buffer_size = batch_size * 8 if batch_size is not None else 1024

    def make(subset_name, shuffle_this):
        subset_paths, subset_labels = dataset_utils.split(paths, labels, validation_split, subset_name, verbose)
        if not subset_paths:
            raise ValueError(f"No text files found in directory {directory}. Allowed format: .txt")

        def read(i):
            with open(subset_paths[i], "rb") as f:
                text = f.read()
            return text if max_length is None else text[:max_length]

        def load_x(index):
            return _strings(read(int(index))) if index.ndim == 0 else _strings([read(int(i)) for i in index])

        load = dataset_utils.labelled(load_x, subset_labels, label_mode, len(class_names) if class_names else 0)
        dataset = dataset_utils.indexed_dataset(len(subset_paths), load, batch_size, shuffle_this, seed, buffer_size)
        dataset.class_names = class_names
        dataset.file_paths = subset_paths
        return dataset

    if subset == "both":
        return make("training", shuffle), make("validation", False)
    return make(subset, shuffle)
