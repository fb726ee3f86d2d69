"""`ReversibleEmbedding`: an Embedding that can also project vectors back to vocabulary logits."""

import torch

from capas.keras.layers.core.embedding import Embedding
from capas.ops._convert import as_torch_dtype
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class ReversibleEmbedding(Embedding):
    """An embedding layer which can project backwards to the input dim.

    `layer(ids)` looks up vectors as `Embedding` does; `layer(x, reverse=True)`
    computes logits `x @ embeddings.T` (tied weights, the default) or
    `x @ reverse_embeddings` (a separate `(output_dim, input_dim)` weight when
    `tie_weights=False`), the output head of a language model.

    Args:
        input_dim, output_dim, embeddings_initializer, embeddings_regularizer,
            embeddings_constraint, mask_zero: as for `Embedding`.
        tie_weights: reuse the embeddings for the reverse projection (default True).
        reverse_dtype: dtype of the reverse matmul (None: the compute dtype).
        logit_soft_cap: if set, logits become `tanh(logits / cap) * cap`.

    Call arguments:
        inputs: integer ids, or with `reverse=True` vectors `(..., output_dim)`.
        reverse: project back to `(..., input_dim)` logits.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> emb = layers.ReversibleEmbedding(input_dim=10, output_dim=4)
    >>> vectors = emb(tf.constant([[1, 2, 3]]))
    >>> emb(vectors, reverse=True).shape
    torch.Size([1, 3, 10])
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        tie_weights=True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        reverse_dtype=None,
        logit_soft_cap=None,
        **kwargs,
    ):
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                name="reverse_embeddings",
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
            )

    def call(self, inputs, reverse=False):
        if not reverse:
            out = super().call(inputs)
            if self.mask_zero:
                out._keras_mask = inputs != 0  # forward calls only: the reverse projection keeps no mask
            return out
        kernel = self.embeddings.T if self.tie_weights else self.reverse_embeddings
        if self.reverse_dtype is not None:
            dtype = as_torch_dtype(self.reverse_dtype)
            inputs, kernel = inputs.to(dtype), kernel.to(dtype)
        elif kernel.dtype != inputs.dtype:
            kernel = kernel.to(inputs.dtype)
        logits = torch.matmul(inputs, kernel)
        if self.logit_soft_cap is not None:
            logits = torch.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def compute_mask(self, inputs, mask=None):
        return None  # set in call, where `reverse` is known

    def compute_output_shape(self, input_shape, reverse=False):
        shape = list(input_shape)
        if reverse:
            shape[-1] = self.input_dim
        else:
            shape.append(self.output_dim)
        return tuple(shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "tie_weights": self.tie_weights,
                "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap,
            }
        )
        return config
