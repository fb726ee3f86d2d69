"""From what users pass to `fit` to batches on the model's device.

In-memory data (numpy arrays, torch tensors, lists/dicts of them) is converted
once and moved to the device once; each epoch draws one permutation on the
device, and batches are slices (no shuffle) or `index_select`s of it: no
per-step host work beyond the Python loop itself. Datasets, DataLoaders and
generators are iterated and each batch is moved with `non_blocking` copies.
"""

import math
import warnings

import numpy as np
import torch

from capas.keras.layers._symbolic import flatten, map_structure
from capas.ops.strings import StringTensor, is_string_value

_ARRAYS = (torch.Tensor, StringTensor)


def unpack_x_y_sample_weight(data):
    """`(x,)`, `(x, y)` or `(x, y, sample_weight)` -> the three parts."""
    if isinstance(data, tuple):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
        raise ValueError(
            f"Data should be a tuple (x,), (x, y) or (x, y, sample_weight); received a tuple of {len(data)} items."
        )
    if isinstance(data, list) and len(data) in (2, 3) and not isinstance(data[0], (int, float)):
        return unpack_x_y_sample_weight(tuple(data))
    return data, None, None


def _to_tensor(value, device):
    if value is None:
        return None
    if isinstance(value, torch.Tensor):
        t = value
    elif isinstance(value, StringTensor):
        return value  # strings stay on the CPU, for a model that starts with a text layer
    else:
        arr = np.asarray(value)
        if arr.dtype.kind in "US" or (arr.dtype == object and is_string_value(arr)):
            return StringTensor(arr)
        if arr.dtype == object or arr.dtype.kind in "USO":
            raise TypeError(
                f"fit/evaluate/predict received an array of dtype {arr.dtype}; capas trains on numbers. "
                "Encode strings first (e.g. with layers.StringLookup outside the model)."
            )
        if arr.dtype == np.float64:
            arr = arr.astype(np.float32)
        t = torch.from_numpy(np.ascontiguousarray(arr))
    if t.dtype == torch.float64:
        t = t.to(torch.float32)
    if device is not None and t.device != device:
        t = t.to(device, non_blocking=True)
    return t


def to_device(structure, device):
    return map_structure(
        lambda v: _to_tensor(v, device) if v is not None and not isinstance(v, (str, bytes)) else v, structure
    )


def _num_samples(structure, what):
    sizes = {int(t.shape[0]) for t in flatten(structure) if isinstance(t, _ARRAYS) and t.dim() > 0}
    if len(sizes) > 1:
        raise ValueError(f"All arrays of `{what}` must have the same number of samples; found sizes {sorted(sizes)}.")
    return sizes.pop() if sizes else None


def _is_in_memory(x):
    return all(
        isinstance(v, (np.ndarray, torch.Tensor, StringTensor, list, float, int)) or v is None for v in flatten(x)
    ) and not (isinstance(x, list) and x and isinstance(x[0], tuple))


def _slice(structure, index):
    if structure is None:  # the common cases, once per batch: no targets or weights, one tensor
        return None
    if structure.__class__ is torch.Tensor:
        return structure[index]
    return map_structure(lambda t: t[index] if isinstance(t, _ARRAYS) else t, structure)


def _take(structure, idx):
    if structure is None:
        return None
    if structure.__class__ is torch.Tensor:
        return structure.index_select(0, idx)
    return map_structure(lambda t: t.index_select(0, idx) if isinstance(t, _ARRAYS) else t, structure)


class ArrayAdapter:
    """Batches of in-memory tensors, shuffled per epoch on the device."""

    def __init__(
        self, x, y=None, sample_weight=None, batch_size=32, shuffle=False, steps=None, device=None, class_weight=None
    ):
        self.x = to_device(x, device)
        self.y = to_device(y, device)
        self.sample_weight = to_device(sample_weight, device)
        nx = _num_samples(self.x, "x")
        ny = _num_samples(self.y, "y") if self.y is not None else None
        if nx is None:
            raise ValueError("`x` has no samples (received scalars or empty structures).")
        if ny is not None and ny != nx:
            raise ValueError(
                f"x and y must have the same number of samples: x has {nx}, y has {ny}. "
                "Check that the labels match the inputs (e.g. x_train with y_train, not y_test)."
            )
        if self.sample_weight is not None:
            ns = _num_samples(self.sample_weight, "sample_weight")
            if ns != nx:
                raise ValueError(f"sample_weight has {ns} samples but x has {nx}.")
        if class_weight is not None:
            self.sample_weight = _class_weights_to_sample_weights(self.y, class_weight, self.sample_weight)
        self.n = nx
        self.batch_size = int(batch_size or 32)
        self.shuffle = shuffle
        self.device = device
        self.num_batches = math.ceil(self.n / self.batch_size)
        self.steps = steps if steps is not None else self.num_batches
        self._explicit_steps = steps is not None
        # fit(steps_per_epoch=k) reads the data as one stream across epochs (Keras): an
        # epoch ends early when the pass runs out, and the next epoch starts a new pass.
        self.continue_across_epochs = False
        self._cursor = 0
        self._order = None
        self.generator = None  # a torch.Generator for the per-epoch permutation (set by fit)
        self._rank, self._world = 0, 1
        self._nan_checked = False

    def shard(self, rank, world):
        """Data parallelism: each global batch is split into `world` parts; this rank takes part `rank`.

        The incomplete last batch is dropped, so every rank takes the same number of steps.
        """
        if self.batch_size % world:
            raise ValueError(
                f"batch_size={self.batch_size} is the global batch of a data-parallel fit over {world} "
                f"processes; it must be divisible by {world} (each process takes batch_size // {world})."
            )
        self._rank, self._world = rank, world
        full = self.n // self.batch_size
        if full == 0:
            raise ValueError(f"{self.n} samples do not fill one global batch of {self.batch_size}.")
        self.steps = min(self.steps, full)
        self.num_batches = full

    def _local(self, start, stop):
        if self._world == 1:
            return start, stop
        per = (stop - start) // self._world
        return start + self._rank * per, start + (self._rank + 1) * per

    def warn_if_nan_inputs(self):
        """Called by fit when an epoch's loss is not finite: say whether the inputs hold NaN.

        Checking the inputs up front would cost a pass over all the data on every
        fit call; a NaN loss is the symptom, so the check runs only then, once.
        """
        if self._nan_checked:
            return
        self._nan_checked = True
        for t in flatten(self.x):
            if isinstance(t, torch.Tensor) and t.is_floating_point() and t.numel() and bool(torch.isnan(t).any()):
                warnings.warn(
                    "The input data contains NaN values, and the loss became NaN. Clean the data "
                    "(e.g. np.nan_to_num), or add keras.callbacks.TerminateOnNaN() to stop at the first NaN.",
                    stacklevel=3,
                )
                break

    def _new_order(self):
        """The order of one pass over the data: a permutation of samples, of batches, or None."""
        if self.shuffle == "batch":
            return torch.randperm(self.num_batches, generator=self.generator).tolist()
        if self.shuffle:
            if self.generator is not None:
                return torch.randperm(self.n, generator=self.generator).to(self.device, non_blocking=True)
            return torch.randperm(self.n, device=self.device)
        return None

    def _batch(self, b):
        bs, order = self.batch_size, self._order
        if self.shuffle and self.shuffle != "batch":
            lo, hi = self._local(b * bs, min(b * bs + bs, self.n))
            idx = order[lo:hi]
            return _pack(_take(self.x, idx), _take(self.y, idx), _take(self.sample_weight, idx))
        if order is not None:
            b = order[b]
        sl = slice(*self._local(b * bs, min(b * bs + bs, self.n)))
        return _pack(_slice(self.x, sl), _slice(self.y, sl), _slice(self.sample_weight, sl))

    def __iter__(self):
        if not self.continue_across_epochs:
            self._cursor = 0
        if self._cursor == 0:
            self._order = self._new_order()
        for _ in range(self.steps):
            if self._cursor >= self.num_batches:
                if self._explicit_steps:
                    warn_ran_out_of_data()
                break
            self._cursor += 1
            yield self._batch(self._cursor - 1)
        if self._cursor >= self.num_batches:
            self._cursor = 0


def warn_ran_out_of_data():
    """TF's warning when `steps_per_epoch` asks for more batches than the data holds."""
    warnings.warn(
        "Your input ran out of data; interrupting training. Make sure that your dataset or generator can "
        "generate at least `steps_per_epoch * epochs` batches. You may need to use the `.repeat()` function "
        "when building your dataset.",
        stacklevel=3,
    )


def _pack(x, y, sw):
    """Keras's batches: x, (x, y) or (x, y, sample_weight).

    Without targets a single input comes as it is, not as `(x,)` (a custom train_step's `data`
    is the images themselves, as in keras-io's VAE); a tuple or list of inputs comes as `(x,)`.
    """
    if sw is not None:
        return (x, y, sw)
    if y is not None:
        return (x, y)
    return (x,) if isinstance(x, (tuple, list)) else x


def _class_weights_to_sample_weights(y, class_weight, sample_weight):
    if not isinstance(y, torch.Tensor):
        raise ValueError("class_weight is supported for a single output only.")
    labels = y.argmax(-1) if y.dim() > 1 and y.shape[-1] > 1 else y.reshape(-1).round().long()
    n_classes = int(max(class_weight)) + 1
    table = torch.ones(max(n_classes, int(labels.max()) + 1), device=y.device)
    for k, w in class_weight.items():
        table[int(k)] = float(w)
    weights = table[labels.long()]
    return weights if sample_weight is None else sample_weight * weights


class IterableAdapter:
    """Batches from a Dataset, a DataLoader, a generator or any iterable."""

    def __init__(self, data, steps=None, device=None, class_weight=None):
        self.data = data
        self.steps = steps
        self.device = device
        self.class_weight = class_weight
        self._iterator = None
        self._seen = 0
        self._explicit_steps = steps is not None
        self.continue_across_epochs = False  # set by fit(steps_per_epoch=...): a finite dataset is read as one stream
        if steps is None:
            try:
                self.steps = len(data)
            except TypeError:
                self.steps = None

    def __iter__(self):
        is_generator = hasattr(self.data, "__next__")
        if is_generator:
            source = self.data
        elif (
            self.steps is not None
            and self._iterator is not None
            and (not hasattr(self.data, "__len__") or self.continue_across_epochs)
        ):
            source = self._iterator  # continue where the last epoch stopped
        else:
            source = iter(self.data)
            self._iterator = source
            self._seen = 0
        count = 0
        for batch in self._batches(source):
            yield batch
            count += 1
            self._seen += 1
            if self.steps is not None and count >= self.steps:
                if self._seen >= _length(self.data):
                    self._iterator = None  # exactly at the end of a pass: the next epoch starts a new one
                return
        self._iterator = None  # the pass is over: the next epoch starts a new one
        if self._explicit_steps and count < self.steps:
            warn_ran_out_of_data()

    def _batches(self, source):
        for batch in source:
            x, y, sw = unpack_x_y_sample_weight(_as_tuple(batch))
            x = to_device(x, self.device)
            y = to_device(y, self.device)
            sw = to_device(sw, self.device)
            if self.class_weight is not None and y is not None:
                sw = _class_weights_to_sample_weights(y, self.class_weight, sw)
            yield _pack(x, y, sw)


def _length(data):
    """The number of batches of `data`, or infinity when unknown (a repeated dataset, a generator)."""
    try:
        return len(data)
    except TypeError:
        return math.inf


def _as_tuple(batch):
    if isinstance(batch, list) and len(batch) in (2, 3):
        return tuple(batch)
    return batch


def make_adapter(
    x, y=None, sample_weight=None, batch_size=None, shuffle=False, steps=None, device=None, class_weight=None
):
    """Pick the adapter for `x` (and `y`, `sample_weight`)."""
    if isinstance(x, dict) or _is_in_memory(x):
        return ArrayAdapter(
            x,
            y,
            sample_weight,
            batch_size=batch_size or 32,
            shuffle=shuffle,
            steps=steps,
            device=device,
            class_weight=class_weight,
        )
    if y is not None:
        raise ValueError(
            "`y` must not be given when `x` is a dataset, a DataLoader or a generator; "
            "yield (x, y) pairs from it instead."
        )
    return IterableAdapter(x, steps=steps, device=device, class_weight=class_weight)


def split_validation(x, y, sample_weight, validation_split):
    """Keras's `validation_split`: the last fraction of the samples, before shuffling."""
    if not 0.0 < validation_split < 1.0:
        raise ValueError(f"validation_split must be in (0, 1), received {validation_split}.")
    if not (isinstance(x, dict) or _is_in_memory(x)):
        raise ValueError("validation_split is only supported for arrays and tensors, not datasets or generators.")
    n = _num_samples(map_structure(lambda v: _to_tensor(v, None), x), "x")
    split = int(math.floor(n * (1.0 - validation_split)))
    if split == 0 or split == n:
        raise ValueError(f"validation_split={validation_split} leaves an empty split for {n} samples.")

    def head(s):
        return map_structure(lambda t: t[:split] if t is not None else None, s) if s is not None else None

    def tail(s):
        return map_structure(lambda t: t[split:] if t is not None else None, s) if s is not None else None

    return (head(x), head(y), head(sample_weight)), (tail(x), tail(y), tail(sample_weight))
