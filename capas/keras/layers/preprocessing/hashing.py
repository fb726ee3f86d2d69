"""`Hashing`: strings or integers to `num_bins` buckets (FarmHash64, or SipHash64 with a salt)."""

import numpy as np
import torch

from capas.keras.layers.layer import Layer
from capas.keras.layers.preprocessing import _encoding
from capas.ops import _hashes
from capas.keras.layers.preprocessing._index_lookup import is_tensor_like
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class Hashing(Layer):
    """A preprocessing layer which hashes and bins categorical features.

    A value goes to `Fingerprint64(value) % num_bins` (FarmHash, TensorFlow's
    `to_hash_bucket_fast`), or `SipHash64(salt, value) % num_bins` with a
    salt; integers are hashed as their decimal strings. With `mask_value`,
    that value goes to 0 and the others to `1 + hash % (num_bins - 1)`.
    The same buckets as Keras (checked on Keras's documented examples, and
    the hashes on FarmHash's and SipHash's reference values).

    Args:
        num_bins: number of hash bins, the mask bin included.
        mask_value: the value mapped to bin 0, or None.
        salt: an int or a pair of ints (the SipHash key); None uses FarmHash.
        output_mode: 'int' (default), 'one_hot', 'multi_hot' or 'count'.
        sparse: must be False.

    Call arguments:
        inputs: a string or (nested) list/numpy array of strings, or integers
            (tensor, array or list).

    Returns:
        int64 tensor of bins (same shape), or float32 encodings.

    Example:

    >>> from capas.keras import layers
    >>> layers.Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).tolist()
    [[1], [0], [1], [1], [2]]

    Differs from Keras: runs in Python per value (an input-pipeline layer,
    not for a compiled training step).
    """

    _accepts_strings = True  # keras.Input(dtype='string') may feed it (layers/_symbolic.py)

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(num_bins, int) or num_bins <= 0:
            raise ValueError(f"Hashing '{self.name}': `num_bins` must be a positive integer; received {num_bins!r}.")
        if output_mode not in _encoding.OUTPUT_MODES:
            raise ValueError(
                f"Hashing '{self.name}': unknown output_mode {output_mode!r}; expected one of "
                f"{list(_encoding.OUTPUT_MODES)}."
            )
        if sparse:
            raise ValueError(f"Hashing '{self.name}': sparse=True is not supported by capas.")
        if salt is not None and not isinstance(salt, (int, list, tuple)):
            raise ValueError(f"Hashing '{self.name}': `salt` must be an int or a pair of ints; received {salt!r}.")
        if isinstance(salt, (list, tuple)) and len(salt) != 2:
            raise ValueError(f"Hashing '{self.name}': a `salt` list needs two ints; received {salt!r}.")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = salt
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        kwargs.pop("training", None)
        if getattr(inputs, "_is_keras_tensor", False):
            return super().__call__(inputs, *args, **kwargs)
        with torch.no_grad():
            return self.call(inputs)

    def _hash(self, token):
        data = _hashes.to_bytes(token.item() if isinstance(token, np.generic) else token)
        if self.salt is None:
            return _hashes.fingerprint64(data)
        key = (self.salt, self.salt) if isinstance(self.salt, int) else tuple(self.salt)
        return _hashes.siphash64(key, data)

    def call(self, inputs):
        device = inputs.device if isinstance(inputs, torch.Tensor) else None
        arr = inputs.detach().cpu().numpy() if is_tensor_like(inputs) else np.asarray(inputs, dtype=object)
        flat = arr.reshape(-1).tolist()
        mask = self.mask_value
        bins = self.num_bins if mask is None else self.num_bins - 1
        out = []
        for token in flat:
            if isinstance(token, bytes):
                token = token.decode("utf-8")
            if mask is not None and token == mask:
                out.append(0)
            elif mask is None:
                out.append(self._hash(token) % bins)
            else:
                out.append(1 + self._hash(token) % bins)
        ids = torch.tensor(out, dtype=torch.int64).reshape(arr.shape)
        if device is not None:
            ids = ids.to(device)
        if self.output_mode == "int":
            return ids
        return _encoding.encode(ids, self.output_mode, self.num_bins, torch.float32)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_bins": self.num_bins,
                "salt": self.salt,
                "mask_value": self.mask_value,
                "output_mode": self.output_mode,
                "sparse": False,
            }
        )
        return config
