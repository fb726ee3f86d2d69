"""`Embedding`: turns integer indices into dense vectors of a fixed size."""

import torch
import torch.nn.functional as F

from capas.keras import constraints, initializers, regularizers
from capas.keras.layers.layer import Layer
from capas.ops._convert import as_torch_dtype
from capas.keras.saving.object_registration import register_builtin


def _serialize_or_none(module, obj):
    return None if obj is None else module.serialize(obj)


@register_builtin("layers")
class Embedding(Layer):
    """Turns nonnegative integers (indexes) into dense vectors of fixed size.

    `[[4], [20]] -> [[[0.25, 0.1]], [[0.6, -0.2]]]`: row `i` of the
    `(input_dim, output_dim)` matrix `embeddings` for each index `i`, looked up
    with `torch.nn.functional.embedding`.

    Args:
        input_dim: int, the vocabulary size (largest index + 1).
        output_dim: int, the size of each vector.
        embeddings_initializer: default 'uniform' (uniform in [-0.05, 0.05]).
        embeddings_regularizer, activity_regularizer: optional regularizers.
        embeddings_constraint: optional constraint.
        mask_zero: treat index 0 as padding: the output carries a mask
            `inputs != 0` for the layers that follow (then index 0 cannot be
            used in the vocabulary, so `input_dim` should be vocabulary + 1).
        weights: optional initial `[embeddings]` array.

    Input shape:
        `(batch_size, ...)` integer indices.

    Output shape:
        `(batch_size, ..., output_dim)`.

    Raises:
        ValueError: for an index outside `[0, input_dim)` (checked by torch).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Embedding(10, 4)(tf.constant([[1, 2, 3]])).shape
    torch.Size([1, 3, 4])
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        activity_regularizer=None,
        **kwargs,
    ):
        kwargs.pop("input_length", None)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Embedding '{self.name}': `{arg}` must be a positive integer, received {value!r}.")
        if lora_rank:
            raise ValueError(f"Embedding '{self.name}': LoRA (lora_rank={lora_rank}) is not supported by capas.")
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        if weights is not None:
            self._maybe_build((), {})
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1 else [weights])

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )

    def call(self, inputs):
        if inputs.is_floating_point():
            inputs = inputs.to(torch.int64)
        try:
            out = F.embedding(inputs, self.embeddings)
        except IndexError:
            raise ValueError(
                f"Embedding '{self.name}' received an index outside [0, {self.input_dim}) (input_dim="
                f"{self.input_dim}); inputs range over [{int(inputs.min())}, {int(inputs.max())}]. Raise "
                "`input_dim` to the vocabulary size (+1 with mask_zero=True)."
            ) from None
        if self._dtype_policy.is_mixed:
            out = out.to(as_torch_dtype(self.compute_dtype))
        return out

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return inputs != 0

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": _serialize_or_none(regularizers, self.embeddings_regularizer),
                "activity_regularizer": _serialize_or_none(regularizers, self._activity_regularizer),
                "embeddings_constraint": _serialize_or_none(constraints, self.embeddings_constraint),
                "mask_zero": self.mask_zero,
                "quantization_config": None,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.pop("quantization_config", None) is not None:
            raise ValueError(
                f"Embedding '{config.get('name')}': quantized embeddings are not supported by capas. Save the "
                "model from Keras without quantizing it."
            )
        config.pop("lora_alpha", None)
        return cls(**config)
