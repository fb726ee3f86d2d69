"""`Attention`: dot-product (Luong-style) or concat attention over [query, value, key]."""

import torch

from capas.keras.layers.layer import Layer
from capas.keras.layers.rnn._dropout import dropout_mask
from capas.keras.saving.object_registration import register_builtin


def _validate(layer, inputs, mask=None):
    name = type(layer).__name__
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(
            f"{name} '{layer.name}' must be called on a list of inputs, namely [query, value] or "
            f"[query, value, key]; received a single {type(inputs).__name__}. Call it as "
            f"{name.lower()}([query, value])."
        )
    if not 2 <= len(inputs) <= 3:
        raise ValueError(
            f"{name} '{layer.name}' accepts a list of 2 or 3 inputs, namely [query, value] or "
            f"[query, value, key]; received {len(inputs)}."
        )
    if mask is not None and (not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3):
        raise ValueError(f"{name} '{layer.name}': `mask` must be a list [query_mask, value_mask]; received {mask!r}.")


@register_builtin("layers")
class Attention(Layer):
    """Dot-product attention layer, a.k.a. Luong-style attention.

    `scores = query @ key^T` ('dot', optionally times a learned `scale`) or
    `concat_score_weight * sum(tanh(scale * (query + key)))` ('concat');
    `output = softmax(scores) @ value`.

    Args:
        use_scale: create a scalar variable `scale` multiplying the scores.
        score_mode: 'dot' or 'concat'.
        dropout: fraction of the attention scores to drop (training only).
        seed: seed of the dropout.

    Call arguments:
        inputs: list `[query, value]` or `[query, value, key]`, shapes
            `(batch, Tq, dim)`, `(batch, Tv, dim)`, `(batch, Tv, dim)`.
        mask: list `[query_mask, value_mask]` of booleans `(batch, Tq)`,
            `(batch, Tv)`; taken from the inputs' Keras masks when not given.
        training: enables dropout.
        return_attention_scores: also return the attention distribution.
        use_causal_mask: position i attends only to positions j <= i.

    Output shape:
        `(batch, Tq, dim)`, and the scores `(batch, Tq, Tv)` when asked.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Attention()([tf.ones((2, 3, 4)), tf.ones((2, 5, 4))]).shape
    torch.Size([2, 3, 4])
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(
                f"{type(self).__name__} '{self.name}': unknown score_mode {score_mode!r}; expected 'dot' or 'concat'."
            )
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        self.supports_masking = True

    def build(self, input_shape):
        _validate(self, input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(), initializer="ones")

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = query.matmul(key.transpose(-2, -1))
            return scores * self.scale if self.scale is not None else scores
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)
        if self.scale is not None:
            summed = self.scale * summed
        return self.concat_score_weight * torch.tanh(summed).sum(-1)

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        _validate(self, inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        if mask is None:
            masks = [getattr(t, "_keras_mask", None) for t in inputs]
            mask = masks if any(m is not None for m in masks) else None
        q_mask = torch.as_tensor(mask[0], device=query.device) if mask and mask[0] is not None else None
        v_mask = torch.as_tensor(mask[1], device=query.device) if mask and mask[1] is not None else None
        scores = self._calculate_scores(query, key)
        scores_mask = None
        if v_mask is not None:
            scores_mask = v_mask.to(torch.bool).unsqueeze(-2)
        if use_causal_mask:
            tq, tv = scores.shape[-2], scores.shape[-1]
            causal = torch.ones((tq, tv), dtype=torch.bool, device=scores.device).tril()
            scores_mask = causal if scores_mask is None else scores_mask & causal
        if scores_mask is not None:
            big = 65504.0 if scores.dtype == torch.float16 else 1.0e9
            scores = torch.where(scores_mask, scores, scores - big)
        weights = torch.softmax(scores, dim=-1)
        dropped = weights
        if training and self.dropout > 0:
            dropped = weights * dropout_mask(self, weights, self.dropout)
        output = dropped.matmul(value)
        if q_mask is not None:
            output = torch.where(q_mask.to(torch.bool).unsqueeze(-1), output, torch.zeros_like(output))
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            masks = [getattr(t, "_keras_mask", None) for t in inputs] if isinstance(inputs, (list, tuple)) else []
            mask = masks if any(m is not None for m in masks) else None
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def get_config(self):
        config = super().get_config()
        config.update(
            {"use_scale": self.use_scale, "score_mode": self.score_mode, "dropout": self.dropout, "seed": self.seed}
        )
        return config
