"""`keras.utils.audio_dataset_from_directory`: a labelled WAV Dataset from class sub-directories."""

import wave

import numpy as np
import torch

from capas.keras.utils import dataset_utils
from capas.ops.tensor_spec import TensorSpec

ALLOWED_FORMATS = (".wav",)


def decode_wav(path, desired_samples=-1):
    """A PCM WAV file -> (float32 tensor `(samples, channels)` in [-1, 1), sample rate), as `tf.audio.decode_wav`."""
    with wave.open(str(path), "rb") as f:
        channels, width, rate, count = f.getnchannels(), f.getsampwidth(), f.getframerate(), f.getnframes()
        raw = f.readframes(count)
    if width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 4:
        samples = (np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
    else:
        raise ValueError(f"{path}: {8 * width}-bit WAV is not supported; capas reads 8, 16 and 32-bit PCM.")
    audio = torch.from_numpy(samples.reshape(-1, channels).copy())
    if desired_samples is not None and desired_samples >= 0:
        if audio.shape[0] >= desired_samples:
            audio = audio[:desired_samples]
        else:
            audio = torch.cat([audio, audio.new_zeros(desired_samples - audio.shape[0], channels)])
    return audio, rate


def _pad_stack(items):
    longest = max(int(a.shape[0]) for a in items)
    out = items[0].new_zeros((len(items), longest, items[0].shape[1]))
    for k, a in enumerate(items):
        out[k, : a.shape[0]] = a
    return out


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size=32,
    sampling_rate=None,
    output_sequence_length=None,
    ragged=False,
    shuffle=True,
    seed=None,
    validation_split=None,
    subset=None,
    follow_links=False,
    verbose=True,
):
    """Generate a `capas.data.Dataset` of audio (and labels) from the `.wav` files in `directory`.

    Audio is float32 `(batch, samples, channels)`; without
    `output_sequence_length` each batch is zero-padded to its longest clip
    (TF's `padded_batch`), with it every clip is cut or padded to that length.

    Args:
        directory: the data directory (one sub-directory per class with labels="inferred").
        labels: "inferred", None, or a list of integer labels in sorted file order.
        label_mode: "int", "categorical", "binary" or None.
        class_names: explicit class order (labels="inferred" only).
        batch_size: batch size, or None for single samples.
        sampling_rate: the files' sample rate; capas does not resample (TF needs tensorflow-io for it).
        output_sequence_length: cut or zero-pad every clip to this many samples.
        ragged: not supported by capas (no ragged tensors); False.
        shuffle, seed, validation_split, subset, follow_links, verbose: as in `image_dataset_from_directory`.

    Returns:
        A `capas.data.Dataset` with `.class_names` (or a pair for `subset="both"`).

    Example:

    >>> import os, tempfile, wave
    >>> from capas import keras
    >>> root = tempfile.mkdtemp()
    >>> os.makedirs(os.path.join(root, "yes"))
    >>> with wave.open(os.path.join(root, "yes", "a.wav"), "wb") as f:
    ...     f.setnchannels(1); f.setsampwidth(2); f.setframerate(8000); f.writeframes(bytes(8))
    >>> ds = keras.utils.audio_dataset_from_directory(root, verbose=False)
    >>> audio, labels = next(iter(ds))
    >>> tuple(audio.shape), ds.class_names
    ((1, 4, 1), ['yes'])
    """
    labels, label_mode = dataset_utils.check_label_args(labels, label_mode, class_names, "audio")
    if ragged:
        raise ValueError(
            "audio_dataset_from_directory(ragged=True) is not supported: capas has no ragged tensors. "
            "Use output_sequence_length= or the default padded batches."
        )
    if sampling_rate is not None and (not isinstance(sampling_rate, int) or sampling_rate <= 0):
        raise ValueError(f"`sampling_rate` should be a positive integer. Received: sampling_rate={sampling_rate!r}")
    dataset_utils.check_validation_split_arg(validation_split, subset, shuffle, seed)
    if seed is None:
        seed = np.random.randint(1e6)
    paths, labels, class_names = dataset_utils.index_directory(
        directory,
        labels,
        ALLOWED_FORMATS,
        class_names=class_names,
        shuffle=shuffle,
        seed=seed,
        follow_links=follow_links,
        verbose=verbose,
    )
    dataset_utils.check_binary(label_mode, class_names)
    buffer_size = batch_size * 8 if batch_size is not None else 1024

    def load_one(path):
        audio, rate = decode_wav(path, -1 if output_sequence_length is None else output_sequence_length)
        if sampling_rate is not None and rate != sampling_rate:
            raise ValueError(
                f"{path} is sampled at {rate} Hz but sampling_rate={sampling_rate}; capas does not "
                "resample audio. Resample the files, or leave sampling_rate=None."
            )
        return audio

    def make(subset_name, shuffle_this):
        subset_paths, subset_labels = dataset_utils.split(paths, labels, validation_split, subset_name, verbose)
        if not subset_paths:
            raise ValueError(f"No audio files found in directory {directory}. Allowed format: {ALLOWED_FORMATS}")

        def load_x(index):
            if index.ndim == 0:
                return load_one(subset_paths[int(index)])
            return _pad_stack([load_one(subset_paths[int(i)]) for i in index])

        load = dataset_utils.labelled(load_x, subset_labels, label_mode, len(class_names) if class_names else 0)
        dataset = dataset_utils.indexed_dataset(len(subset_paths), load, batch_size, shuffle_this, seed, buffer_size)
        dataset._spec = _audio_spec(dataset.element_spec, label_mode, batch_size, output_sequence_length)
        dataset.class_names = class_names
        return dataset

    if subset == "both":
        return make("training", shuffle), make("validation", False)
    return make(subset, shuffle)


def _audio_spec(spec, label_mode, batch_size, output_sequence_length):
    """TF's element spec: audio `(batch, samples, channels)` with the channels (and the samples,
    unless `output_sequence_length` fixes them) unknown, as the files decide them."""
    audio = spec[0] if label_mode is not None else spec
    dims = (output_sequence_length, None)
    if batch_size is not None:
        dims = (None,) + dims
    audio = TensorSpec(dims, audio.dtype)
    if label_mode is None:
        return audio
    label = spec[1]
    if batch_size is not None:
        label = TensorSpec((None,) + tuple(label.shape)[1:], label.dtype)
    return audio, label
