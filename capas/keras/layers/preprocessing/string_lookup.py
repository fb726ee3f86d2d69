"""`StringLookup`: strings to integer indices through a vocabulary (or back, with invert=True)."""

from capas.keras.layers.preprocessing._index_lookup import _IndexLookup
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class StringLookup(_IndexLookup):
    """A preprocessing layer that maps strings to (possibly encoded) indices.

    Index layout: with `mask_token` (in 'int' mode) index 0 is the mask; then
    `num_oov_indices` OOV indices; then the vocabulary. With several OOV
    indices, an unknown token goes to `oov_start + Fingerprint64(token) %
    num_oov_indices` (SipHash-2-4 with `salt`), as TensorFlow buckets it.

    Args:
        max_tokens: maximum vocabulary size (special tokens included), or None.
        num_oov_indices: number of out-of-vocabulary indices (default 1).
        mask_token: the token that means "masked" (None: no mask).
        oov_token: the token returned for OOV indices when `invert=True` ('[UNK]').
        vocabulary: a list or array of strings, or a file path (one per line).
        idf_weights: with output_mode 'tf_idf', the inverse document frequencies.
        invert: map indices back to strings.
        output_mode: 'int' (default), 'one_hot', 'multi_hot', 'count' or 'tf_idf'.
        pad_to_max_tokens: pad encoded outputs to `max_tokens`.
        sparse: must be False.
        encoding: accepted ('utf-8').
        salt: key of SipHash for multiple OOV indices (an int or two ints).

    Call arguments:
        inputs: a string, a (nested) list or numpy array of strings; with
            `invert=True`, an integer tensor or array.

    Returns:
        int64 tensor of indices (same shape), int64 encodings (float32 for tf_idf) for the other
        output modes, or (invert) a numpy array of `str`.

    Example:

    >>> from capas.keras import layers
    >>> layer = layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> layer([["a", "c", "d"], ["d", "z", "b"]]).tolist()
    [[1, 3, 4], [4, 0, 2]]

    It takes StringTensors (`tf.constant(["a"])`), numpy/Python strings, and
    `keras.Input(dtype='string')` in functional models; it cannot sit inside a
    compiled (`jit_compile`) graph, as strings are not torch tensors.
    """

    _accepts_strings = True  # keras.Input(dtype='string') may feed it (layers/_symbolic.py)

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token="[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert=False,
        output_mode="int",
        pad_to_max_tokens=False,
        sparse=False,
        encoding="utf-8",
        name=None,
        salt=None,
        **kwargs,
    ):
        # Keras 3 writes `oov_method` into a StringLookup's config ('floormod'), but strings are
        # always hashed (farmhash) into the OOV buckets, there and here.
        kwargs.pop("oov_method", None)
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            oov_method="farmhash",
            salt=salt,
            name=name,
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        config.update({"encoding": self.encoding, "vocabulary_dtype": "string"})
        return config
