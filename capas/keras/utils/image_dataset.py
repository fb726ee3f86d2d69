"""`keras.utils.image_dataset_from_directory`: a labelled image Dataset from class sub-directories."""

import numpy as np

from capas.keras.utils import dataset_utils, image_utils

ALLOWLIST_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode="rgb",
    batch_size=32,
    image_size=(256, 256),
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    interpolation="bilinear",
    follow_links=False,
    crop_to_aspect_ratio=False,
    pad_to_aspect_ratio=False,
    data_format=None,
    format="tf",
    verbose=True,
):
    """Generate a `capas.data.Dataset` of images (and labels) from the files in `directory`.

    With `labels="inferred"`, `directory` holds one sub-directory per class;
    classes are numbered in the alphanumeric order of their names (or the
    order of `class_names`). Images are decoded (png, jpeg, gif, bmp), resized
    to `image_size` and returned as float32 batches `(batch, height, width,
    channels)` with values in 0-255, together with labels.

    Args:
        directory: the data directory.
        labels: "inferred", None (images only), or a list of integer labels in
            the sorted order of the image paths.
        label_mode: "int" (int32), "categorical" (one-hot float32), "binary"
            (float32 `(batch, 1)`, two classes), or None (no labels).
        class_names: explicit class order (labels="inferred" only).
        color_mode: "grayscale", "rgb" or "rgba".
        batch_size: batch size, or None for single samples.
        image_size: `(height, width)` to resize to.
        shuffle: shuffle the files (else alphanumeric order: by class, then file name).
        seed: seed for the shuffle (required with `validation_split` and `shuffle`).
        validation_split: fraction of the files to keep for validation.
        subset: "training", "validation" or "both" (a `(train, validation)` pair).
        interpolation: "bilinear", "nearest", "bicubic" or "area".
        follow_links: follow symbolic links to sub-directories.
        crop_to_aspect_ratio: center-crop to the target aspect ratio before resizing.
        pad_to_aspect_ratio: resize keeping the aspect ratio, then pad with zeros.
        data_format: "channels_last" (default) or "channels_first".
        format: "tf" (a capas.data.Dataset).
        verbose: print how many files and classes were found.

    Returns:
        A `capas.data.Dataset` with `.class_names` and `.file_paths`, or a
        pair of them for `subset="both"`.

    Example:

    >>> import numpy as np, os, tempfile
    >>> from capas import keras
    >>> root = tempfile.mkdtemp()
    >>> for name in ("cat", "dog"):
    ...     os.makedirs(os.path.join(root, name))
    ...     keras.utils.save_img(os.path.join(root, name, "0.png"), np.zeros((4, 4, 3)), scale=False)
    >>> ds = keras.utils.image_dataset_from_directory(root, image_size=(2, 2), shuffle=False, verbose=False)
    >>> ds.class_names
    ['cat', 'dog']
    >>> images, labels = next(iter(ds))
    >>> tuple(images.shape), labels.tolist()
    ((2, 2, 2, 3), [0, 1])
    """
    labels, label_mode = dataset_utils.check_label_args(labels, label_mode, class_names, "image")
    if color_mode not in _CHANNELS:
        raise ValueError(
            f'`color_mode` must be one of {{"rgb", "rgba", "grayscale"}}. Received: color_mode={color_mode!r}'
        )
    num_channels = _CHANNELS[color_mode]
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    if not isinstance(image_size, (list, tuple)) or len(image_size) != 2:
        raise ValueError(
            f"Invalid `image_size` value. Expected a tuple of 2 integers. Received: image_size={image_size!r}"
        )
    image_size = (int(image_size[0]), int(image_size[1]))
    interpolation = interpolation.lower()
    if interpolation not in image_utils._TORCH_MODES:
        raise ValueError(
            f"interpolation={interpolation!r} is not supported by capas; use one of {sorted(image_utils._TORCH_MODES)}."
        )
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of `pad_to_aspect_ratio`, `crop_to_aspect_ratio` can be set to `True`.")
    if format != "tf":
        raise ValueError(f'capas supports format="tf" only (a capas.data.Dataset); received format={format!r}.')
    data_format = image_utils._data_format(data_format)
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(
        directory,
        labels if labels is not None else None,
        ALLOWLIST_FORMATS,
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
            what = f"{subset_name} " if subset_name in ("training", "validation") and validation_split else ""
            raise ValueError(f"No {what}images found in directory {directory}. Allowed formats: {ALLOWLIST_FORMATS}")

        def load_one(i):
            return _load(
                subset_paths[i],
                image_size,
                num_channels,
                interpolation,
                data_format,
                crop_to_aspect_ratio,
                pad_to_aspect_ratio,
            )

        load = dataset_utils.labelled(
            lambda index: dataset_utils.stack_or_one(index, load_one),
            subset_labels,
            label_mode,
            len(class_names) if class_names else 0,
        )
        dataset = dataset_utils.indexed_dataset(len(subset_paths), load, batch_size, shuffle_this, seed, buffer_size)
        dataset.class_names = class_names
        dataset.file_paths = subset_paths
        return dataset

    if subset == "both":
        return make("training", shuffle), make("validation", False)
    return make(subset, shuffle)


def _load(path, image_size, num_channels, interpolation, data_format, crop, pad):
    image = image_utils.decode_image(path, num_channels)
    if crop:
        image = image_utils.resize(image_utils.crop_to_aspect_ratio(image, image_size), image_size, interpolation)
    elif pad:
        image = image_utils.resize_with_pad(image, image_size, interpolation)
    else:
        image = image_utils.resize(image, image_size, interpolation)
    return image.permute(2, 0, 1).contiguous() if data_format == "channels_first" else image
