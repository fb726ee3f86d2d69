"""`GroupedQueryAttention` (Ainslie et al., 2023): fewer key/value heads than query heads."""

from capas.keras import constraints, initializers, regularizers
from capas.keras.layers.attention.multi_head_attention import MultiHeadAttention, _ser
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers", "GroupQueryAttention")
class GroupedQueryAttention(MultiHeadAttention):
    """Grouped Query Attention layer (Keras exports it as `GroupQueryAttention`; both names work).

    `num_query_heads` query heads share `num_key_value_heads` key/value heads
    (each key/value head serves `num_query_heads // num_key_value_heads`
    consecutive query heads). Weights, in Keras's order: query/kernel
    `(dim, num_query_heads, head_dim)`, key/kernel and value/kernel
    `(dim, num_key_value_heads, head_dim)`, attention_output/kernel
    `(num_query_heads, head_dim, dim)`, each followed by its bias.

    Args:
        head_dim: size of each attention head.
        num_query_heads: number of query heads.
        num_key_value_heads: number of key and value heads; divides num_query_heads.
        dropout: dropout rate on the attention probabilities.
        use_bias: whether the dense layers use biases.
        kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: for the projections.
        seed: seed of the dropout.

    Call arguments:
        query, value, key, query_mask, value_mask, key_mask, attention_mask,
        return_attention_scores, training, use_causal_mask: as in `MultiHeadAttention`.

    Returns:
        `(batch, target_seq_len, feature_dim)`, and the scores
        `(batch, num_query_heads, target_seq_len, source_seq_len)` when asked.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> gqa = layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    >>> gqa(tf.ones((2, 3, 8)), tf.ones((2, 5, 8))).shape
    torch.Size([2, 3, 8])
    """

    _keras_class_name = "GroupQueryAttention"  # the name Keras writes in configs

    def __init__(
        self,
        head_dim,
        num_query_heads,
        num_key_value_heads,
        dropout=0.0,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(
            num_heads=num_query_heads,
            key_dim=head_dim,
            value_dim=head_dim,
            dropout=dropout,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint,
            seed=seed,
            **kwargs,
        )
        if (
            not isinstance(num_key_value_heads, int)
            or num_key_value_heads <= 0
            or num_query_heads % num_key_value_heads != 0
        ):
            raise ValueError(
                f"GroupedQueryAttention '{self.name}': `num_query_heads` ({num_query_heads}) must be divisible "
                f"by `num_key_value_heads` ({num_key_value_heads}); pick a divisor, e.g. "
                f"num_key_value_heads=1."
            )
        self._num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads

    # Keras's GroupedQueryAttention has no public `query_dense`-style properties, so its weights file
    # names the sublayers `_query_dense`, ...; hiding the inherited properties keeps that layout.
    query_dense = key_dense = value_dense = output_dense = None

    head_dim = property(lambda self: self._key_dim)
    num_query_heads = property(lambda self: self._num_heads)
    num_key_value_heads = property(lambda self: self._num_key_value_heads)

    def build(self, query_shape, value_shape, key_shape=None):
        if len(query_shape) != 3:
            raise ValueError(
                f"GroupedQueryAttention '{self.name}' expects 3-D inputs (batch, seq_len, dim); received query "
                f"shape {tuple(query_shape)}."
            )
        super().build(query_shape, value_shape, key_shape)

    def _expand_key_value(self, key, value):
        if self.num_repeats == 1:
            return key, value
        return key.repeat_interleave(self.num_repeats, dim=2), value.repeat_interleave(self.num_repeats, dim=2)

    def get_config(self):
        config = super(MultiHeadAttention, self).get_config()
        config.update(
            {
                "head_dim": self._key_dim,
                "num_query_heads": self._num_heads,
                "num_key_value_heads": self._num_key_value_heads,
                "use_bias": self._use_bias,
                "use_gate": False,
                "dropout": self._dropout,
                "sliding_window": None,
                "kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": _ser(regularizers, self._kernel_regularizer),
                "bias_regularizer": _ser(regularizers, self._bias_regularizer),
                "activity_regularizer": _ser(regularizers, self._activity_regularizer),
                "kernel_constraint": _ser(constraints, self._kernel_constraint),
                "bias_constraint": _ser(constraints, self._bias_constraint),
                "seed": self.seed,
            }
        )
        return config


# Keras's public name for the class (its weights files use the class name, its configs this one).
GroupQueryAttention = GroupedQueryAttention
