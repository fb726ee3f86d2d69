"""What the `*_dataset_from_directory` functions share: indexing files, splits, labels, batching.

The file order follows Keras exactly: class sub-directories in alphanumeric
order, files sorted within each (recursively, by `os.walk` root), then, when
`shuffle=True`, one global `np.random.RandomState(seed)` shuffle. So the files
that land in the training and the validation subsets are the ones TensorFlow
picks for the same seed. The shuffle buffer applied on top (as tf.data's
`shuffle`) draws its own order.
"""

import os

import numpy as np
import torch

from capas.data import Dataset


def index_directory(
    directory, labels, formats, class_names=None, shuffle=True, seed=None, follow_links=False, verbose=True
):
    """List the files of `directory` with their integer labels -> (file_paths, labels, class_names)."""
    if not os.path.isdir(directory):
        raise ValueError(f"Directory {directory!r} does not exist or is not a directory.")
    if labels == "inferred":
        subdirs = [
            d
            for d in sorted(os.listdir(directory))
            if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")
        ]
        if class_names is not None:
            if not set(class_names).issubset(subdirs):
                raise ValueError(
                    f"The `class_names` passed did not match the names of the subdirectories of {directory!r}. "
                    f"Expected: {subdirs} (or a subset of it), but received: class_names={list(class_names)}"
                )
            subdirs = list(class_names)
    else:
        if class_names is not None:
            raise ValueError(
                "`class_names` can only be given with labels='inferred' (with explicit labels the class names "
                f"are the sorted labels; with labels=None there are none). Received labels={labels!r}."
            )
        subdirs = [""]
    filenames, label_list = [], []
    for index, subdir in enumerate(subdirs):
        found = _valid_files(os.path.join(directory, subdir), follow_links, formats)
        filenames += found
        label_list += [index] * len(found)
    if labels == "inferred":
        labels = np.asarray(label_list, dtype="int32")
        class_names = subdirs
    elif labels is None:
        class_names = None
    else:
        if len(labels) != len(filenames):
            raise ValueError(
                f"Expected the lengths of `labels` to match the number of files in {directory!r}: len(labels) is "
                f"{len(labels)} while {len(filenames)} files were found."
            )
        class_names = [str(label) for label in sorted(set(labels))]
        labels = np.asarray(labels)
    if verbose:
        if labels is None:
            print(f"Found {len(filenames)} files.")
        else:
            print(f"Found {len(filenames)} files belonging to {len(class_names)} classes.")
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(filenames)
        if labels is not None:
            np.random.RandomState(seed).shuffle(labels)
    return filenames, labels, class_names


def _valid_files(directory, follow_links, formats):
    formats = tuple(f.lower() for f in formats)
    found = []
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda entry: entry[0]):
        found += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(formats)]
    return found


def check_validation_split_arg(validation_split, subset, shuffle, seed):
    """Keras's argument checks for `validation_split`, `subset`, `shuffle` and `seed`."""
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both", received: {subset!r}')
    if validation_split and shuffle and seed is None:
        raise ValueError(
            "If using `validation_split` and shuffling the data, you must provide a `seed` argument, so that the "
            "training and validation subsets do not overlap."
        )


def check_label_args(labels, label_mode, class_names, what):
    """Validate `labels`/`label_mode`; returns them with `None` meaning 'no labels'."""
    if labels not in ("inferred", None):
        if not isinstance(labels, (list, tuple)):
            raise ValueError(
                f"`labels` argument should be a list/tuple of integer labels, one per {what} file in the directory, "
                f"'inferred' (labels from the sub-directory names) or None (no labels). Received: labels={labels!r}"
            )
        if class_names:
            raise ValueError(f"You can only pass `class_names` if labels='inferred'. Received: labels={labels!r}")
    if label_mode not in {"int", "categorical", "binary", None}:
        raise ValueError(
            f'`label_mode` argument must be one of "int", "categorical", "binary", or None. '
            f"Received: label_mode={label_mode!r}"
        )
    if labels is None or label_mode is None:
        return None, None
    return labels, label_mode


def check_binary(label_mode, class_names):
    if label_mode == "binary" and len(class_names) != 2:
        raise ValueError(
            f'When passing label_mode="binary", there must be exactly 2 class_names. Received: class_names={class_names}'
        )


def split(samples, labels, validation_split, subset, verbose=True):
    """The training (all but the last fraction) or validation (the last fraction) part of `samples`."""
    if not validation_split:
        return samples, labels
    num_val = int(validation_split * len(samples))
    cut = len(samples) - num_val
    if subset == "training":
        part = slice(0, cut)
        message = f"Using {cut} files for training."
    else:
        part = slice(cut, None)
        message = f"Using {num_val} files for validation."
    print(message)  # Keras prints this even with verbose=False
    return samples[part], None if labels is None else labels[part]


def encode_labels(labels, label_mode, num_classes):
    """Integer labels -> the tensor `label_mode` asks for (int32, one-hot float32, or float32 column)."""
    labels = torch.as_tensor(np.asarray(labels), dtype=torch.int64)
    if label_mode == "binary":
        return labels.to(torch.float32).unsqueeze(-1)
    if label_mode == "categorical":
        return torch.nn.functional.one_hot(labels, num_classes).to(torch.float32)
    return labels.to(torch.int32)


def indexed_dataset(count, load, batch_size, shuffle, seed, buffer_size):
    """A Dataset of `load(indices)` for the sample indices `0..count-1`, shuffled then batched.

    `load` receives a numpy array of indices (0-d for one sample, 1-d for a
    batch) and returns the element. Shuffling and batching act on indices, so
    each file is read once per epoch, in the background of `prefetch`.
    """
    dataset = Dataset.from_tensor_slices(np.arange(count, dtype="int64"))
    if shuffle:
        dataset = dataset.shuffle(buffer_size, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    return dataset.map(lambda index: load(index.numpy())).prefetch(Dataset.AUTOTUNE)


def labelled(load_x, labels, label_mode, num_classes):
    """`load(indices)` that returns `x` alone, or `(x, labels)` when there are labels."""
    if label_mode is None:
        return load_x
    encoded = encode_labels(labels, label_mode, num_classes)

    def load(index):
        return load_x(index), encoded[torch.as_tensor(index)]

    return load


def stack_or_one(index, load_one):
    """Apply `load_one` to each index of a batch and stack, or to the single index."""
    if index.ndim == 0:
        return load_one(int(index))
    return torch.stack([load_one(int(i)) for i in index]) if len(index) else torch.empty(0)
