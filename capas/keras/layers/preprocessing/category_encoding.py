"""`CategoryEncoding`: integer features to one-hot, multi-hot or count vectors."""

import torch

from capas.keras.layers.layer import Layer
from capas.keras.layers.preprocessing import _encoding
from capas.ops._convert import as_torch_dtype
from capas.keras.saving.object_registration import register_builtin


@register_builtin("layers")
class CategoryEncoding(Layer):
    """A preprocessing layer which encodes integer features.

    Args:
        num_tokens: the number of tokens; inputs are integers in `[0, num_tokens)`.
        output_mode: 'multi_hot' (default; 'binary' is an alias), 'one_hot' or 'count'.
        sparse: must be False (no sparse tensors in capas).

    Call arguments:
        inputs: integer tensor, 1-D (one sample) or 2-D `(batch, k)`.
        count_weights: optional weights for 'count', shaped like `inputs`.

    Output shape:
        'one_hot': `inputs.shape + (num_tokens,)` (a last axis of 1 is
        replaced); 'multi_hot'/'count': `inputs.shape[:-1] + (num_tokens,)`.
        dtype: the layer's dtype (float32).

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")(tf.constant([[0, 1], [0, 0]])).tolist()
    [[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in ("count", "one_hot", "multi_hot"):
            raise ValueError(
                f"CategoryEncoding '{self.name}': unknown output_mode {output_mode!r}; expected 'one_hot', "
                "'multi_hot' or 'count'."
            )
        if num_tokens is None or not isinstance(num_tokens, int) or num_tokens < 1:
            raise ValueError(
                f"CategoryEncoding '{self.name}': `num_tokens` must be a positive integer (the number of "
                f"categories); received {num_tokens!r}."
            )
        if sparse:
            raise ValueError(f"CategoryEncoding '{self.name}': sparse=True is not supported by capas.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = False

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(
                f"CategoryEncoding '{self.name}': `count_weights` is only used with output_mode='count'; "
                f"this layer has output_mode={self.output_mode!r}."
            )
        if count_weights is not None and not isinstance(count_weights, torch.Tensor):
            count_weights = torch.as_tensor(count_weights, device=inputs.device)
        _encoding.check_range(self, inputs, self.num_tokens)
        dtype = as_torch_dtype(self.compute_dtype) or torch.float32
        return _encoding.encode(inputs, self.output_mode, self.num_tokens, dtype, count_weights)

    def get_config(self):
        config = super().get_config()
        config.update({"num_tokens": self.num_tokens, "output_mode": self.output_mode, "sparse": False})
        return config
