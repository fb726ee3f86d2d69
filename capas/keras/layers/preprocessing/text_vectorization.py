"""`TextVectorization`: raw strings to token ids or bag-of-words vectors."""

import re

import numpy as np
import torch

from capas.keras.layers.layer import Layer
from capas.keras.layers.preprocessing._index_lookup import is_tensor_like
from capas.keras.layers.preprocessing.string_lookup import StringLookup
from capas.ops.strings import StringTensor
from capas.keras.saving.object_registration import register_builtin

# Keras's DEFAULT_STRIP_REGEX: ASCII punctuation.
_PUNCTUATION = re.compile(r"[!\"#$%&()\*\+,\-\./:;<=>?@\[\\\]^_`{|}~']")
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")


@register_builtin("layers")
class TextVectorization(Layer):
    """A preprocessing layer which maps text features to integer sequences.

    Each string is standardized (lowercase, punctuation stripped), split
    into tokens (on whitespace), optionally joined into ngrams, then looked
    up in a vocabulary (index 0 is padding, 1 is OOV '[UNK]'). `adapt(texts)`
    learns the vocabulary by frequency.

    Args:
        max_tokens: maximum vocabulary size (padding and OOV included).
        standardize: 'lower_and_strip_punctuation' (default), 'lower',
            'strip_punctuation', None, or a callable that takes the batch as a
            string tensor and returns one (e.g. built from `tf.strings` ops).
        split: 'whitespace' (default), 'character', None, or a callable
            that takes the standardized 1-D batch and returns a ragged tensor
            (or list of token lists), e.g. `tf.strings.split`.
        ngrams: None, an int n (all 1..n-grams) or a tuple of ngram sizes.
        output_mode: 'int' (default), 'multi_hot', 'count' or 'tf_idf'.
        output_sequence_length: with 'int', pad or truncate to this length
            (default: pad to the longest sequence of the batch).
        pad_to_max_tokens: with the bag modes, output `max_tokens` columns.
        vocabulary: a list of tokens or a file path.
        idf_weights: with 'tf_idf', the inverse document frequencies.
        sparse, ragged: must be False.
        encoding: accepted ('utf-8').

    Call arguments:
        inputs: a string, or a list / numpy array of strings `(batch,)` or `(batch, 1)`.

    Returns:
        'int': int64 tensor `(batch, sequence_length)`; 'tf_idf': float32; other modes: int64
        `(batch, vocabulary_size)`.

    Example:

    >>> from capas.keras import layers
    >>> layer = layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["the cat sat", "the dog ran far"])
    >>> layer(["The cat ran!", "a bird"]).tolist()
    [[2, 7, 4, 0], [1, 1, 0, 0]]

    Strings are `tf.string` tensors (capas/ops/strings.py), lists or numpy
    arrays. A model that starts with this layer (e.g. `Sequential([layer,
    model])`) runs eagerly on a string batch in `predict`/`evaluate`: its
    graph is not traced symbolically, since symbolic tensors are numeric.
    """

    _accepts_strings = True  # keras.Input(dtype='string') may feed it (layers/_symbolic.py)

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode="int",
        output_sequence_length=None,
        pad_to_max_tokens=False,
        vocabulary=None,
        idf_weights=None,
        sparse=False,
        ragged=False,
        encoding="utf-8",
        name=None,
        **kwargs,
    ):
        kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        where = f"TextVectorization '{self.name}'"
        if not (standardize is None or callable(standardize) or standardize in _STANDARDIZE):
            raise ValueError(
                f"{where}: unknown standardize {standardize!r}; expected one of {list(_STANDARDIZE)}, "
                "None or a callable."
            )
        if not (split is None or callable(split) or split in _SPLIT):
            raise ValueError(
                f"{where}: unknown split {split!r}; expected 'whitespace', 'character', None or a callable."
            )
        if output_mode not in ("int", "multi_hot", "count", "tf_idf"):
            raise ValueError(
                f"{where}: unknown output_mode {output_mode!r}; expected 'int', 'multi_hot', 'count' or 'tf_idf'."
            )
        if output_sequence_length is not None and output_mode != "int":
            raise ValueError(f"{where}: `output_sequence_length` is only used with output_mode='int'.")
        if isinstance(ngrams, int):
            ngrams = tuple(range(1, ngrams + 1))
        if sparse or ragged:
            raise ValueError(f"{where}: sparse and ragged outputs are not supported by capas.")
        self.max_tokens = max_tokens
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.pad_to_max_tokens = pad_to_max_tokens
        self.encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            mask_token="",
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            name=f"{self.name}_lookup",
        )
        self.built = True

    # ------------------------------------------------------------- tokenizing
    def _standardize(self, arr):
        """Standardize an object array of strings; a callable gets the whole batch as a string tensor (as Keras)."""
        if self.standardize is None:
            return arr
        if callable(self.standardize):
            out = self.standardize(StringTensor(arr))
            out = out._array if isinstance(out, StringTensor) else np.asarray(out, dtype=object)
            if out.shape != arr.shape:
                raise ValueError(
                    f"TextVectorization '{self.name}': the `standardize` callable must return strings of the shape "
                    f"it was given {arr.shape}; received shape {out.shape}."
                )
            return out
        out = np.empty(arr.shape, dtype=object)
        flat_out = out.reshape(-1)
        for i, text in enumerate(arr.reshape(-1).tolist()):
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            text = str(text)
            if "lower" in self.standardize:
                text = text.lower()
            if "strip_punctuation" in self.standardize:
                text = _PUNCTUATION.sub("", text)
            flat_out[i] = text
        return out

    def _split_batch(self, arr):
        """Tokens of each string of a 1-D batch; a callable `split` gets the batch as a string tensor."""
        if not callable(self.split):
            return [self._tokens(t) for t in arr.tolist()]
        out = self.split(StringTensor(arr))
        rows = out.to_list() if hasattr(out, "to_list") else np.asarray(out, dtype=object).tolist()
        docs = []
        for row in rows:
            tokens = [t.decode("utf-8") if isinstance(t, bytes) else str(t) for t in row]
            docs.append(self._ngrams(tokens))
        return docs

    def _split(self, text):
        if self.split is None:
            return [text]
        if self.split == "whitespace":
            return text.split()
        return list(text)

    def _tokens(self, text):
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        tokens = self._split(str(text))
        return self._ngrams(tokens)

    def _ngrams(self, tokens):
        if not self.ngrams:
            return tokens
        out = []
        for n in self.ngrams:
            out += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        return out

    def _documents(self, inputs):
        if is_tensor_like(inputs):
            raise TypeError(
                f"TextVectorization '{self.name}' takes strings (a list or numpy array), not a tensor: torch has "
                "no string tensors."
            )
        arr = inputs._array if isinstance(inputs, StringTensor) else np.asarray(inputs, dtype=object)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        arr = self._standardize(arr)
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.ndim != 1:
            raise ValueError(
                f"TextVectorization '{self.name}' expects a batch of strings of shape (batch,) or (batch, 1); "
                f"received shape {arr.shape}."
            )
        return self._split_batch(arr)

    # --------------------------------------------------------------- vocabulary
    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary from texts (a list/array of strings, or an iterable of batches)."""
        if isinstance(data, (str, bytes, list, tuple, np.ndarray, StringTensor)):
            batches = [data]
        else:
            batches = data
        lookup = self._lookup_layer
        lookup.reset_state()
        for i, batch in enumerate(batches):
            if steps is not None and i >= steps:
                break
            for doc in self._documents(batch):
                lookup.update_state(np.array([doc], dtype=object) if doc else np.zeros((1, 0), dtype=object))
        lookup.finalize_state()

    def save_assets(self, dir_path):
        """The lookup layer's vocabulary.txt, in this layer's assets folder too (as Keras 3 writes it)."""
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)

    def get_vocabulary(self, include_special_tokens=True):
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    # ------------------------------------------------------------------- call
    def __call__(self, inputs, *args, **kwargs):
        kwargs.pop("training", None)
        if getattr(inputs, "_is_keras_tensor", False):  # keras.Input(dtype='string'): a graph node
            return super().__call__(inputs, *args, **kwargs)
        with torch.no_grad():
            return self.call(inputs)

    def call(self, inputs):
        docs = self._documents(inputs)
        lookup = self._lookup_layer
        if self.output_mode == "int":
            length = self.output_sequence_length
            if length is None:
                length = max((len(d) for d in docs), default=0)
            rows = [(d[:length] + [""] * (length - len(d))) for d in docs]
            return lookup.lookup(np.array(rows, dtype=object).reshape(len(docs), length))
        depth = self.max_tokens if self.pad_to_max_tokens and self.max_tokens else lookup.vocabulary_size()
        out = torch.zeros((len(docs), depth), dtype=torch.float32)
        for i, doc in enumerate(docs):
            if doc:
                ids = lookup.lookup(np.array(doc, dtype=object))
                ids = ids[ids >= 0]
                out[i].index_add_(0, ids, torch.ones(ids.shape, dtype=torch.float32))
        if self.output_mode == "multi_hot":
            out = out.clamp(max=1.0)
        elif self.output_mode == "tf_idf":
            return out * lookup.idf_weights[:depth]
        return out.to(torch.int64)  # multi_hot/count are int64 in TF's Keras 3

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "max_tokens": self.max_tokens,
                "standardize": self.standardize if not callable(self.standardize) else None,
                "split": self.split if not callable(self.split) else None,
                "ngrams": self.ngrams,
                "output_mode": self.output_mode,
                "output_sequence_length": self.output_sequence_length,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                "sparse": False,
                "ragged": False,
                "vocabulary": self._lookup_layer.input_vocabulary,
                "idf_weights": self._lookup_layer.input_idf_weights,
                "encoding": self.encoding,
                "vocabulary_size": self.vocabulary_size(),
            }
        )
        return config
