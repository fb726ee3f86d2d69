"""`HashedCrossing`: the hashed cross of categorical features, TensorFlow's `sparse.cross_hashed`."""

import numpy as np
import torch

from capas.keras.layers.layer import Layer
from capas.keras.layers.preprocessing import _encoding
from capas.ops import _hashes
from capas.keras.layers.preprocessing._index_lookup import is_tensor_like
from capas.keras.saving.object_registration import register_builtin

_MASK64 = (1 << 64) - 1
_MUL = 0xC6A4A7935BD1E995
_HASH_KEY = 0xDECAFCAFFE  # tf.sparse.cross_hashed's default key


def _shift_mix(v):
    return v ^ (v >> 47)


def _fingerprint_cat64(fp1, fp2):
    # TensorFlow's FingerprintCat64 (tensorflow/core/platform/fingerprint.h), on unsigned 64-bit ints.
    result = fp1 ^ _MUL
    result ^= (_shift_mix((fp2 * _MUL) & _MASK64) * _MUL) & _MASK64
    result = (result * _MUL) & _MASK64
    result = (_shift_mix(result) * _MUL) & _MASK64
    return _shift_mix(result)


def _feature_hash(value):
    # A string is hashed with Fingerprint64; an integer enters the cross as its own 64 bits.
    if isinstance(value, (bytes, str)):
        return _hashes.fingerprint64(_hashes.to_bytes(value))
    return int(value) & _MASK64


def _as_array(x):
    if is_tensor_like(x):
        return x.detach().cpu().numpy()
    arr = np.asarray(x)
    return arr if arr.dtype.kind in "iu" else np.asarray(x, dtype=object)


@register_builtin("layers")
class HashedCrossing(Layer):
    """A preprocessing layer which crosses features using the "hashing trick".

    Each row's values (one per input) are combined into one bin:
    `FingerprintCat64` over the features' hashes (Fingerprint64 of a string,
    the integer itself for an integer), then `% num_bins`; the bins are those
    of TensorFlow's `tf.sparse.cross_hashed`, which Keras uses.

    Args:
        num_bins: number of hash bins.
        output_mode: 'int' (bin ids, int64; default) or 'one_hot'.
        sparse: must be False.

    Call arguments:
        inputs: a list or tuple of at least two inputs of equal shape `()`,
            `(batch,)` or `(batch, 1)`, integer or string (tensors, numpy
            arrays or lists).

    Returns:
        int64 bins with the inputs' shape, or a float32 one-hot encoding.

    Example:

    >>> from capas.keras import layers
    >>> cross = layers.HashedCrossing(num_bins=5)
    >>> cross([["A", "B", "A"], [101, 101, 102]]).shape
    torch.Size([3])

    Differs from Keras: runs in Python per row (an input-pipeline layer), and
    needs no TensorFlow.
    """

    _accepts_strings = True  # keras.Input(dtype='string') may feed it (layers/_symbolic.py)

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                f"HashedCrossing '{self.name}': unknown output_mode {output_mode!r}; expected 'int' or 'one_hot'."
            )
        if sparse:
            raise ValueError(
                f"HashedCrossing '{self.name}': sparse=True needs TensorFlow's sparse tensors, which capas does "
                "not have; use sparse=False (dense outputs)."
            )
        if not isinstance(num_bins, int) or isinstance(num_bins, bool) or num_bins <= 0:
            raise ValueError(f"HashedCrossing '{self.name}': `num_bins` must be a positive int, received {num_bins!r}.")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        kwargs.pop("training", None)
        if isinstance(inputs, (list, tuple)) and any(getattr(x, "_is_keras_tensor", False) for x in inputs):
            return super().__call__(inputs, *args, **kwargs)
        with torch.no_grad():
            return self.call(inputs)

    def _check(self, arrays):
        first = arrays[0].shape
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError(
                f"HashedCrossing '{self.name}': all inputs should have shape (), (batch_size,) or "
                f"(batch_size, 1). Received shapes {[a.shape for a in arrays]}."
            )
        if any(a.shape != first for a in arrays[1:]):
            raise ValueError(
                f"HashedCrossing '{self.name}': all inputs should have equal shape. "
                f"Received shapes {[a.shape for a in arrays]}."
            )
        for a in arrays:
            if a.dtype.kind not in "iuOSU" or (a.dtype == object and not all(_is_token(v) for v in a.reshape(-1))):
                raise ValueError(
                    f"HashedCrossing '{self.name}': all inputs should have an integer or string dtype. "
                    f"Received dtypes {[str(a.dtype) for a in arrays]}; cast floats to int or to str first."
                )

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(
                f"HashedCrossing '{self.name}' should be called on a list or tuple of at least two inputs. "
                f"Received: {inputs!r}"
            )
        device = next((x.device for x in inputs if isinstance(x, torch.Tensor)), None)
        arrays = [_as_array(x) for x in inputs]
        self._check(arrays)
        shape = arrays[0].shape
        columns = [a.reshape(-1).tolist() for a in arrays]
        bins = []
        for row in zip(*columns):
            h = _HASH_KEY
            for value in row:
                h = _fingerprint_cat64(h, _feature_hash(value))
            bins.append(h % self.num_bins)
        ids = torch.tensor(bins, dtype=torch.int64).reshape(shape)
        if device is not None:
            ids = ids.to(device)
        if self.output_mode == "int":
            return ids
        return _encoding.encode(ids, "one_hot", self.num_bins, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        first = tuple(input_shape[0])
        if self.output_mode == "int":
            return first
        if first and first[-1] == 1:
            return first[:-1] + (self.num_bins,)
        return first + (self.num_bins,)

    def get_config(self):
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": self.dtype_policy.name if hasattr(self, "dtype_policy") else self.dtype,
        }


def _is_token(v):
    return isinstance(v, (str, bytes, int, np.integer)) and not isinstance(v, bool)
