"""The vocabulary lookup shared by StringLookup and IntegerLookup (Keras's IndexLookup).

Index layout (Keras's): in 'int' mode with a mask token, index 0 is the
mask; then `num_oov_indices` OOV indices; then the vocabulary, most frequent
first when adapted (ties: the larger token first, as Keras sorts). In the
other output modes the mask has no index and masked tokens are dropped.
String tokens come as `tf.string` tensors (capas/ops/strings.py), Python
`str`/`bytes`, lists or numpy arrays; ids are int64 tensors; inverted
lookups return a `tf.string` tensor of bytes, as TensorFlow does.
"""

import collections
import math
import os

import numpy as np
import torch

from capas.keras.layers import _symbolic
from capas.keras.layers.layer import Layer
from capas.ops.strings import StringTensor
from capas.ragged.ragged_tensor import RaggedTensor
from capas.keras.layers.preprocessing import _encoding
from capas.ops import _hashes

_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def is_tensor_like(x):
    return isinstance(x, torch.Tensor) or getattr(x, "_is_keras_tensor", False)


class _IndexLookup(Layer):
    """Maps tokens to indices (or back, with `invert=True`) through a fixed vocabulary."""

    _string_tokens = True

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        oov_method="farmhash",
        salt=None,
        **kwargs,
    ):
        kwargs.pop("vocabulary_size", None)
        kwargs.pop("vocabulary_dtype", None)
        kwargs.pop("has_input_vocabulary", None)
        super().__init__(**kwargs)
        name = f"{type(self).__name__} '{self.name}'"
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in _OUTPUT_MODES:
            raise ValueError(f"{name}: unknown output_mode {output_mode!r}; expected one of {list(_OUTPUT_MODES)}.")
        if invert and output_mode != "int":
            raise ValueError(f"{name}: invert=True needs output_mode='int'; received output_mode={output_mode!r}.")
        if num_oov_indices < 0:
            raise ValueError(f"{name}: `num_oov_indices` must be >= 0; received {num_oov_indices}.")
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"{name}: `max_tokens` must be > 1 when given; received {max_tokens}.")
        if sparse:
            raise ValueError(f"{name}: sparse=True is not supported by capas.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{name}: `idf_weights` is only used with output_mode='tf_idf'.")
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = invert
        self.output_mode = output_mode
        self.pad_to_max_tokens = pad_to_max_tokens
        self.sparse = False
        self.oov_method = oov_method
        self.salt = salt
        self.input_vocabulary = vocabulary
        self.input_idf_weights = idf_weights
        self._tokens = []
        self._index = {}
        self.idf_weights = None
        self.reset_state()
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        elif output_mode == "tf_idf" and idf_weights is not None:
            raise ValueError(f"{name}: `idf_weights` needs `vocabulary` too.")
        self.built = True

    # -------------------------------------------------------------- vocabulary
    def _oov_start_index(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self):
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self):
        """The number of indices, special ones included."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary, so that a token's position is its index (with special tokens)."""
        specials = []
        if self.mask_token is not None and self.output_mode == "int":
            specials.append(self.mask_token)
        specials += [self.oov_token] * self.num_oov_indices
        return (specials if include_special_tokens else []) + list(self._tokens)

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (a list, array or file path), with or without the special tokens."""
        name = f"{type(self).__name__} '{self.name}'"
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = [line.rstrip("\n") for line in f]
            if not self._string_tokens:
                vocabulary = [int(v) for v in vocabulary]
        vocabulary = [self._token(v) for v in np.asarray(vocabulary, dtype=object).reshape(-1).tolist()]
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{name}: output_mode='tf_idf' needs `idf_weights` with the vocabulary.")
        oov_start = self._oov_start_index()
        specials = [self.mask_token] * oov_start + [self.oov_token] * self.num_oov_indices
        found_specials = vocabulary[: len(specials)] == specials
        tokens = vocabulary[len(specials) :] if found_specials else vocabulary
        for special in (self.mask_token, self.oov_token):
            if (
                special is not None
                and special in tokens
                and not (special == self.oov_token and self.num_oov_indices == 0)
            ):
                raise ValueError(
                    f"{name}: the special token {special!r} appears in the vocabulary's regular tokens; put "
                    f"the special tokens first, in this order: {specials}, or leave them out."
                )
        if len(set(tokens)) != len(tokens):
            repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
            raise ValueError(f"{name}: the vocabulary has repeated tokens: {repeated[:10]}.")
        if self.max_tokens is not None and len(tokens) + self._token_start_index() > self.max_tokens:
            raise ValueError(
                f"{name}: a vocabulary of {len(tokens) + self._token_start_index()} entries (special tokens "
                f"included) exceeds max_tokens={self.max_tokens}."
            )
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            weights = np.asarray(idf_weights, dtype="float32").reshape(-1)
            if len(weights) != len(vocabulary):
                raise ValueError(
                    f"{name}: `idf_weights` has {len(weights)} values for a vocabulary of {len(vocabulary)}."
                )
            if not found_specials:
                weights = np.concatenate([np.full(self._token_start_index(), weights.mean()), weights])
            self.idf_weights = torch.as_tensor(self._pad_idf(weights), dtype=torch.float32)

    def _pad_idf(self, weights):
        if self.pad_to_max_tokens and self.max_tokens is not None and len(weights) < self.max_tokens:
            weights = np.concatenate([weights, np.zeros(self.max_tokens - len(weights), "float32")])
        return weights.astype("float32")

    def _set_tokens(self, tokens):
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._index = {t: i + start for i, t in enumerate(self._tokens)}
        if not self._string_tokens and self._tokens:
            keys = torch.tensor(self._tokens, dtype=torch.int64)
            order = torch.argsort(keys)
            self._int_keys = keys[order]
            self._int_values = torch.arange(start, start + len(self._tokens), dtype=torch.int64)[order]

    def _token(self, v):
        if self._string_tokens:
            return v.decode("utf-8") if isinstance(v, bytes) else str(v)
        return int(v)

    # ------------------------------------------------------------------ adapt
    def reset_state(self):
        self._counts = collections.Counter()
        self._doc_counts = collections.Counter()
        self._num_documents = 0

    def adapt(self, data, steps=None):
        """Learn the vocabulary (by frequency) from `data`: tokens, or an iterable of batches of tokens."""
        self.reset_state()
        if _is_batch(data):
            self.update_state(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data):
        rows = _as_object_array(data, self._string_tokens)
        if rows.ndim == 0:
            rows = rows.reshape(1)
        for row in rows if rows.ndim > 1 else rows.reshape(-1, 1):
            tokens = [self._token(t) for t in np.asarray(row).reshape(-1).tolist()]
            self._counts.update(tokens)
            if self.output_mode == "tf_idf":
                self._doc_counts.update(set(tokens))
                self._num_documents += 1

    def finalize_state(self):
        counts = dict(self._counts)
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        if self.max_tokens:
            ordered = ordered[: self.max_tokens - self._token_start_index()]
        tokens = [t for t, _ in ordered]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            idf = np.array(
                [math.log(1 + self._num_documents / (1 + self._doc_counts[t])) for t in tokens], dtype="float32"
            )
            front = np.full(self._token_start_index(), idf.mean() if len(idf) else 0.0, "float32")
            self.idf_weights = torch.as_tensor(self._pad_idf(np.concatenate([front, idf])))
        self.reset_state()

    # ------------------------------------------------------------------- call
    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, RaggedTensor) and (self.invert or self.output_mode == "int"):
            # As TF: a ragged batch (tf.strings.unicode_split's characters) is looked up value by
            # value and keeps its row structure.
            return inputs.with_flat_values(self.__call__(inputs.flat_values, *args, **kwargs))
        if is_tensor_like(inputs) and not (self.invert and self._string_tokens):
            return super().__call__(inputs, *args, **kwargs)
        kwargs.pop("training", None)
        with torch.no_grad():
            return self.call(inputs, *args, **kwargs)

    def call(self, inputs):
        if self.invert:
            return self._invert(inputs)
        ids = self.lookup(inputs)
        if self.output_mode == "int":
            return ids
        depth = self.max_tokens if self.pad_to_max_tokens and self.max_tokens else self.vocabulary_size()
        # As TF's Keras 3: one_hot/multi_hot/count are int64, tf_idf float32.
        dtype = torch.float32 if self.output_mode == "tf_idf" else torch.int64
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = _encoding.encode(ids, mode, depth, dtype)
        if self.output_mode == "tf_idf":
            out = out * self.idf_weights.to(out.device)[:depth]
        return out

    def lookup(self, inputs):
        """int64 ids of `inputs` ('int' layout; masked tokens -1 outside 'int' mode)."""
        if self._string_tokens or not isinstance(inputs, torch.Tensor):
            arr = _as_object_array(inputs, self._string_tokens)
            flat = [self._token(t) for t in arr.reshape(-1).tolist()]
            ids = torch.tensor([self._index.get(t, -1) for t in flat], dtype=torch.int64).reshape(arr.shape)
            keys = flat
            device = None
        else:
            device = inputs.device
            x = inputs.to(torch.int64)
            ids = torch.full_like(x, -1)
            if self._tokens:
                keys_sorted = self._int_keys.to(device)
                pos = torch.searchsorted(keys_sorted, x).clamp(max=len(self._tokens) - 1)
                hit = keys_sorted[pos] == x
                ids = torch.where(hit, self._int_values.to(device)[pos], ids)
            keys = x
        missing = ids < 0
        if self.mask_token is not None:
            is_mask = self._mask_positions(keys, ids.shape, device)
            missing = missing & ~is_mask
        if self.num_oov_indices == 0:
            # Shape inference runs on placeholder values (zeros, 'a'), which are no user data to refuse.
            if not _symbolic.in_symbolic_call() and bool(missing.any()):
                bad = _first_missing(keys, missing)
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': with num_oov_indices=0 every input must be in the "
                    f"vocabulary; found out-of-vocabulary value {bad!r}. Set num_oov_indices=1."
                )
        elif self.num_oov_indices == 1:
            ids = torch.where(missing, torch.full_like(ids, self._oov_start_index()), ids)
        else:
            ids = torch.where(missing, self._oov_buckets(keys, ids.shape, device) + self._oov_start_index(), ids)
        if self.mask_token is not None:
            ids = torch.where(is_mask, torch.full_like(ids, 0 if self.output_mode == "int" else -1), ids)
        return ids

    def _mask_positions(self, keys, shape, device):
        if isinstance(keys, torch.Tensor):
            return keys == int(self.mask_token)
        return torch.tensor([k == self.mask_token for k in keys], dtype=torch.bool).reshape(shape)

    def _oov_buckets(self, keys, shape, device):
        n = self.num_oov_indices
        if isinstance(keys, torch.Tensor) and self.oov_method == "floormod":
            return torch.remainder(keys, n)
        flat = keys.reshape(-1).tolist() if isinstance(keys, torch.Tensor) else keys
        if self.salt is not None:
            salt = self.salt if isinstance(self.salt, (list, tuple)) else (self.salt, self.salt)
            values = [_hashes.siphash64(salt, _hashes.to_bytes(k)) % n for k in flat]
        else:
            values = [_hashes.fingerprint64(_hashes.to_bytes(k)) % n for k in flat]
        out = torch.tensor(values, dtype=torch.int64).reshape(shape)
        return out.to(device) if device is not None else out

    def _invert(self, inputs):
        ids = inputs if isinstance(inputs, torch.Tensor) else torch.as_tensor(np.asarray(inputs))
        vocab = self.get_vocabulary()
        if self._string_tokens:
            table = np.array([_to_bytes(t) for t in vocab + [self.oov_token]] + [b""], dtype=object)[:-1]
            idx = ids.detach().cpu().to(torch.int64).numpy()
            idx = np.where((idx < 0) | (idx >= len(vocab)), len(vocab), idx)
            return StringTensor._wrap(np.asarray(table[idx], dtype=object))  # bytes, as TF's tf.string
        table = torch.tensor(vocab + [self.oov_token], dtype=torch.int64, device=ids.device)
        idx = ids.to(torch.int64)
        idx = torch.where((idx < 0) | (idx >= len(vocab)), torch.full_like(idx, len(vocab)), idx)
        return table[idx]

    # ----------------------------------------------------------------- assets
    def save_assets(self, dir_path):
        """Write an adapted vocabulary to `dir_path/vocabulary.txt` (a given one lives in the config), as Keras 3."""
        if self.input_vocabulary is not None:
            return
        vocabulary = self.get_vocabulary(include_special_tokens=True)
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in vocabulary))

    def load_assets(self, dir_path):
        """Read the vocabulary `save_assets` wrote (a `.keras` file's `assets/<layer>/vocabulary.txt`)."""
        path = os.path.join(dir_path, "vocabulary.txt")
        if self.input_vocabulary is not None or not os.path.isfile(path):
            return
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        values = lines if self._string_tokens else [int(line) for line in lines]
        idf = None
        if self.output_mode == "tf_idf":
            idf = self.idf_weights.detach().cpu().numpy()[: len(values)]
        self.set_vocabulary(values, idf)

    def get_config(self):
        config = super().get_config()
        vocabulary = self.input_vocabulary
        if isinstance(vocabulary, np.ndarray):
            vocabulary = vocabulary.tolist()
        idf = self.input_idf_weights
        if isinstance(idf, np.ndarray):
            idf = idf.tolist()
        config.update(
            {
                "invert": self.invert,
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "oov_token": self.oov_token,
                "mask_token": self.mask_token,
                "output_mode": self.output_mode,
                "sparse": False,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary": vocabulary,
                "idf_weights": idf,
                "salt": self.salt,
            }
        )
        return config


def _is_batch(data):
    return isinstance(data, (np.ndarray, torch.Tensor, list, tuple, str, bytes, int, StringTensor))


def _as_object_array(data, strings):
    if isinstance(data, torch.Tensor):
        return data.detach().cpu().numpy()
    arr = np.asarray(data, dtype=object) if strings else np.asarray(data)
    return arr


def _first_missing(keys, missing):
    if isinstance(keys, torch.Tensor):
        return int(keys[missing].reshape(-1)[0])
    flat_missing = missing.reshape(-1).tolist()
    return next(k for k, m in zip(keys, flat_missing) if m)


def _to_bytes(token):
    return token if isinstance(token, bytes) else str(token).encode("utf-8")
