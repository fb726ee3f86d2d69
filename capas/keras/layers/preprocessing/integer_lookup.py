"""`IntegerLookup`: integers to contiguous indices through a vocabulary (or back, with invert=True)."""

from capas.keras.layers.preprocessing._index_lookup import _IndexLookup
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class IntegerLookup(_IndexLookup):
    """A preprocessing layer that maps integers to (possibly encoded) indices.

    Index layout as in `StringLookup`. With several OOV indices an unknown
    value goes to `oov_start + value % num_oov_indices` ('floormod', the
    default) or to a FarmHash bucket of its decimal string ('farmhash').

    Args:
        max_tokens: maximum vocabulary size (special tokens included), or None.
        num_oov_indices: number of out-of-vocabulary indices (default 1).
        mask_token: the integer that means "masked" (None: no mask).
        oov_token: the value returned for OOV indices when `invert=True` (-1).
        vocabulary: a list or array of integers, or a file path.
        vocabulary_dtype: 'int64' (accepted).
        idf_weights: with output_mode 'tf_idf', the inverse document frequencies.
        invert: map indices back to integers.
        output_mode: 'int' (default), 'one_hot', 'multi_hot', 'count' or 'tf_idf'.
        sparse: must be False.
        pad_to_max_tokens: pad encoded outputs to `max_tokens`.
        oov_method: 'floormod' (default) or 'farmhash'.
        salt: key of SipHash with 'farmhash'.

    Call arguments:
        inputs: an integer tensor, array or list.

    Returns:
        int64 tensor of indices, int64 one_hot/multi_hot/count encodings, float32 tf_idf.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer(tf.constant([[12, 1138, 42], [42, 1000, 36]])).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    _string_tokens = False

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices=1,
        mask_token=None,
        oov_token=-1,
        vocabulary=None,
        vocabulary_dtype="int64",
        idf_weights=None,
        invert=False,
        output_mode="int",
        sparse=False,
        pad_to_max_tokens=False,
        oov_method="floormod",
        salt=None,
        name=None,
        **kwargs,
    ):
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"IntegerLookup: unknown oov_method {oov_method!r}; expected 'floormod' or 'farmhash'.")
        if salt is not None and oov_method != "farmhash":
            raise ValueError("IntegerLookup: `salt` is only used with oov_method='farmhash'.")
        self.vocabulary_dtype = vocabulary_dtype
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
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def get_config(self):
        config = super().get_config()
        config.update({"vocabulary_dtype": self.vocabulary_dtype, "oov_method": self.oov_method})
        return config
