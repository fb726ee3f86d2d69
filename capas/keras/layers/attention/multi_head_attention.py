"""`MultiHeadAttention` (Vaswani et al., 2017), with Keras's weight layout.

Weights, in Keras's order: query/kernel `(dim, num_heads, key_dim)`,
query/bias `(num_heads, key_dim)`, the same for key and value (value_dim),
then attention_output/kernel `(num_heads, value_dim, *output_shape)` and its
bias. Attention over the usual sequence axis runs in
`torch.nn.functional.scaled_dot_product_attention` unless the scores are
requested; other `attention_axes` use an explicit softmax.
"""

import contextlib
import math

import torch
import torch.nn.attention
import torch.nn.functional as F

from capas.keras import constraints, initializers, regularizers
from capas.keras import _config_flags as config_flags
from capas.keras.layers.attention._projection import _Projection
from capas.keras.layers.layer import Layer
from capas.keras.layers.rnn._dropout import dropout_mask
from capas.keras.saving.object_registration import register_builtin

_LARGE_NEGATIVE = -1e9
_NO_FLASH = [
    torch.nn.attention.SDPBackend.EFFICIENT_ATTENTION,
    torch.nn.attention.SDPBackend.CUDNN_ATTENTION,
    torch.nn.attention.SDPBackend.MATH,
]


def _sdpa_kernels():
    """The kernels `scaled_dot_product_attention` may pick: all, or all but flash after `disable_flash_attention()`."""
    if config_flags.is_flash_attention_enabled() is False:
        return torch.nn.attention.sdpa_kernel(_NO_FLASH)
    return contextlib.nullcontext()


def _positive_int(layer_name, arg, value, allow_none=False):
    if allow_none and value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"MultiHeadAttention '{layer_name}': `{arg}` must be a positive integer, received {value!r}.")


@register_builtin("layers")
class MultiHeadAttention(Layer):
    """MultiHeadAttention layer.

    Projects query, key and value into `num_heads` heads, computes scaled
    dot-product attention per head, and projects the concatenated heads back.

    Args:
        num_heads: number of attention heads.
        key_dim: size of each head for query and key.
        value_dim: size of each head for value (default key_dim).
        dropout: dropout rate on the attention probabilities.
        use_bias: whether the dense layers use biases.
        output_shape: the output's trailing shape (default the query's last dim).
        attention_axes: axes over which attention runs (default: all axes
            but batch, heads and features).
        kernel_initializer, bias_initializer, kernel_regularizer,
        bias_regularizer, activity_regularizer, kernel_constraint,
        bias_constraint: for the projections.
        seed: seed of the dropout.

    Call arguments:
        query: `(B, T, dim)`.
        value: `(B, S, dim)`.
        key: optional `(B, S, dim)`; default `value`.
        query_mask, value_mask, key_mask: optional booleans `(B, T)` / `(B, S)`;
            default the inputs' Keras masks.
        attention_mask: optional boolean `(B, T, S)`; False blocks attention.
        return_attention_scores: also return the scores `(B, heads, T, S)`.
        training: enables dropout.
        use_causal_mask: position i attends only to positions j <= i.

    Returns:
        `(B, T, E)` (E: the query's last dim or `output_shape`), and the
        scores when asked.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    >>> mha(tf.ones((2, 3, 8)), tf.ones((2, 5, 8))).shape
    torch.Size([2, 3, 8])
    """

    def __init__(
        self,
        num_heads,
        key_dim,
        value_dim=None,
        dropout=0.0,
        use_bias=True,
        output_shape=None,
        attention_axes=None,
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
        for key in ("flash_attention", "sliding_window", "use_gate"):
            if kwargs.pop(key, None):
                raise ValueError(f"MultiHeadAttention: `{key}` is not supported by capas; leave it unset.")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        _positive_int(self.name, "num_heads", num_heads)
        _positive_int(self.name, "key_dim", key_dim)
        _positive_int(self.name, "value_dim", value_dim, allow_none=True)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        if output_shape:
            output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self._output_shape = output_shape
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(
                f"MultiHeadAttention '{self.name}': `attention_axes` must be an int, list or tuple; received "
                f"{attention_axes!r}."
            )
        self._attention_axes = tuple(attention_axes) if attention_axes is not None else None
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    def _projection(self, output_shape, bound_rank, name):
        return _Projection(
            output_shape,
            bound_rank,
            self._use_bias,
            self._kernel_initializer,
            self._bias_initializer,
            self._kernel_regularizer,
            self._bias_regularizer,
            self._kernel_constraint,
            self._bias_constraint,
            name=name,
            dtype=self.dtype_policy,
        )

    def build(self, query_shape, value_shape, key_shape=None):
        self._set_untracked(_build_shapes={"query_shape": _listify(query_shape), "value_shape": _listify(value_shape)})
        if key_shape is not None:
            self._build_shapes["key_shape"] = _listify(key_shape)
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                f"MultiHeadAttention '{self.name}': all dimensions of `value` and `key` except the last one must "
                f"be equal; received value shape {tuple(value_shape)} and key shape {tuple(key_shape)}. Pass a "
                "key with the value's sequence length."
            )
        if len(query_shape) != len(value_shape):
            raise ValueError(
                f"MultiHeadAttention '{self.name}': `query` and `value` need the same rank; received query shape "
                f"{tuple(query_shape)} and value shape {tuple(value_shape)}."
            )
        heads = self._num_heads
        kv_heads = getattr(self, "_num_key_value_heads", heads)
        self._query_dense = self._projection((heads, self._key_dim), 1, "query")
        self._query_dense._maybe_build((_Shape(query_shape),), {})
        self._key_dense = self._projection((kv_heads, self._key_dim), 1, "key")
        self._key_dense._maybe_build((_Shape(key_shape),), {})
        self._value_dense = self._projection((kv_heads, self._value_dim), 1, "value")
        self._value_dense._maybe_build((_Shape(value_shape),), {})
        rank = len(query_shape) + 1
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(a if a >= 0 else (rank - 1) + a for a in self._attention_axes)
        out_shape = self._output_shape or (query_shape[-1],)
        self._output_dense = self._projection(out_shape, 2, "attention_output")
        self._output_dense._maybe_build((_Shape(tuple(query_shape[:-1]) + (heads, self._value_dim)),), {})

    def get_build_config(self):
        """Keras's layout: `{'shapes_dict': {'query_shape': ..., 'value_shape': ...}}`."""
        shapes = self.__dict__.get("_build_shapes")
        return {"shapes_dict": shapes} if shapes is not None else None

    def build_from_config(self, config):
        if not config or self.built:
            return
        shapes = config.get("shapes_dict", config)
        if "query_shape" in shapes:
            self.build(shapes["query_shape"], shapes["value_shape"], shapes.get("key_shape"))
        else:
            shape = config["input_shape"]
            self.build(shape, shape)
        self.built = True

    @property
    def query_dense(self):
        return self._query_dense

    @property
    def key_dense(self):
        return self._key_dense

    @property
    def value_dense(self):
        return self._value_dense

    @property
    def output_dense(self):
        return self._output_dense

    def call(
        self,
        query,
        value,
        key=None,
        query_mask=None,
        value_mask=None,
        key_mask=None,
        attention_mask=None,
        return_attention_scores=False,
        training=None,
        use_causal_mask=False,
    ):
        key_given = key is not None
        if key is None:
            key = value
        if query_mask is None:
            query_mask = getattr(query, "_keras_mask", None)
        if value_mask is None:
            value_mask = getattr(value, "_keras_mask", None)
        if key_mask is None and key_given:
            key_mask = getattr(key, "_keras_mask", None)
        causal_only = (
            use_causal_mask
            and query_mask is None
            and value_mask is None
            and key_mask is None
            and attention_mask is None
        )
        mask = (
            None
            if causal_only
            else self._compute_attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
            )
        )
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        k, v = self._expand_key_value(k, v)
        output, scores = self._compute_attention(q, k, v, mask, training, return_attention_scores, causal_only)
        output = self._output_dense(output)
        if query_mask is not None:
            output._keras_mask = query_mask
        if return_attention_scores:
            return output, scores
        return output

    def _expand_key_value(self, key, value):
        """Hook for grouped-query attention: projected key/value to `num_heads` heads."""
        return key, value

    def _compute_attention_mask(self, query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask):
        query_mask, value_mask, key_mask, attention_mask = (
            None if m is None else torch.as_tensor(m, device=query.device)
            for m in (query_mask, value_mask, key_mask, attention_mask)
        )
        auto = None
        if query_mask is not None:
            auto = query_mask.to(torch.bool).unsqueeze(-1)
        for m in (value_mask, key_mask):
            if m is not None:
                m = m.to(torch.bool).unsqueeze(-2)
                auto = m if auto is None else auto & m
        if use_causal_mask:
            t, s = query.shape[1], value.shape[1]
            causal = torch.ones((1, t, s), dtype=torch.bool, device=query.device).tril()
            auto = causal if auto is None else auto & causal
        if attention_mask is not None:
            attention_mask = attention_mask.to(torch.bool)
            return attention_mask if auto is None else attention_mask & auto
        return auto

    def _compute_attention(self, query, key, value, mask, training, return_scores, causal_only):
        """Attention over projected `(B, ..., heads, dim)` tensors; returns (output, scores or None)."""
        rank = query.dim()
        axes = self._attention_axes
        rate = self._dropout if training else 0.0
        if rank == 4 and not return_scores and axes == (1,):
            attn_mask = None
            if mask is not None:
                if mask.dim() == 3:
                    mask = mask.unsqueeze(1)
                attn_mask = torch.zeros(mask.shape, dtype=query.dtype, device=query.device).masked_fill(
                    ~mask, _LARGE_NEGATIVE
                )
            with _sdpa_kernels():
                out = F.scaled_dot_product_attention(
                    query.transpose(1, 2),
                    key.transpose(1, 2),
                    value.transpose(1, 2),
                    attn_mask=attn_mask,
                    dropout_p=rate,
                    is_causal=bool(causal_only),
                    scale=self._inverse_sqrt_key_dim,
                )
            return out.transpose(1, 2), None
        if causal_only:
            t, s = query.shape[1], value.shape[1]
            mask = torch.ones((1, t, s), dtype=torch.bool, device=query.device).tril()
        batch_axes = [i for i in range(rank - 1) if i not in axes]  # includes the heads axis (rank - 2)
        perm = batch_axes + list(axes) + [rank - 1]
        batch_shape = [query.shape[i] for i in batch_axes]
        t_shape = [query.shape[i] for i in axes]
        s_shape = [key.shape[i] for i in axes]
        q = query.permute(perm).reshape(batch_shape + [math.prod(t_shape), query.shape[-1]])
        k = key.permute(perm).reshape(batch_shape + [math.prod(s_shape), key.shape[-1]])
        v = value.permute(perm).reshape(batch_shape + [math.prod(s_shape), value.shape[-1]])
        scores = (q * self._inverse_sqrt_key_dim).matmul(k.transpose(-2, -1))
        full_shape = batch_shape + t_shape + s_shape
        if mask is not None:
            for _ in range(len(full_shape) - mask.dim()):
                mask = mask.unsqueeze(-len(axes) * 2 - 1)
            flat_mask = mask.expand(full_shape).reshape(scores.shape)
            scores = scores.masked_fill(~flat_mask, _LARGE_NEGATIVE)
        probs = torch.softmax(scores, dim=-1)
        dropped = probs * dropout_mask(self, probs, rate) if rate > 0 else probs
        out = dropped.matmul(v).reshape(batch_shape + t_shape + [value.shape[-1]])
        inverse = [0] * rank
        for i, p in enumerate(perm):
            inverse[p] = i
        out = out.permute(inverse)
        return out, probs.reshape(full_shape) if return_scores else None

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_heads": self._num_heads,
                "key_dim": self._key_dim,
                "value_dim": self._value_dim,
                "dropout": self._dropout,
                "use_bias": self._use_bias,
                "use_gate": False,
                "output_shape": self._output_shape,
                "attention_axes": self._attention_axes,
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


def _listify(shape):
    return None if shape is None else [None if d is None else int(d) for d in shape]


def _ser(module, obj):
    return module.serialize(obj) if obj is not None else None


class _Shape:
    def __init__(self, shape):
        self.shape = tuple(shape)
