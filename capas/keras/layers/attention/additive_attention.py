"""`AdditiveAttention`: Bahdanau-style attention, `sum(scale * tanh(query + key))`."""

import torch

from capas.keras.layers.attention.attention import Attention, _validate
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class AdditiveAttention(Attention):
    """Additive attention layer, a.k.a. Bahdanau-style attention.

    `scores = sum(scale * tanh(query[:, :, None] + key[:, None]), axis=-1)`,
    `output = softmax(scores) @ value`.

    Args:
        use_scale: create a variable `scale` of shape `(dim,)` (default True).
        dropout: fraction of the attention scores to drop (training only).

    Call arguments:
        inputs: list `[query, value]` or `[query, value, key]`.
        mask: list `[query_mask, value_mask]`.
        training, return_attention_scores, use_causal_mask: as in `Attention`.

    Output shape:
        `(batch, Tq, dim)`, and the scores `(batch, Tq, Tv)` when asked.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.AdditiveAttention()([tf.ones((2, 3, 4)), tf.ones((2, 5, 4))]).shape
    torch.Size([2, 3, 4])
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        _validate(self, input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(input_shape[0][-1],), initializer="glorot_uniform")

    def _calculate_scores(self, query, key):
        summed = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))
        if self.scale is not None:
            summed = self.scale * summed
        return summed.sum(-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
