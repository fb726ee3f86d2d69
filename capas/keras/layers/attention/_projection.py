"""The projections of multi-head attention, with Keras's EinsumDense weight layout.

Keras builds them as `EinsumDense` layers named 'query', 'key', 'value' and
'attention_output'; a kernel of shape `bound_dims + output_shape` and a bias of
shape `output_shape`. Here one `torch.nn.functional.linear` over the
flattened bound dims computes the same contraction.
"""

import math

import torch.nn.functional as F

from capas.keras.layers.layer import Layer


class _Projection(Layer):
    """`(..., *bound) -> (..., *output_shape)` with kernel `bound + output_shape`."""

    def __init__(
        self,
        output_shape,
        bound_rank,
        use_bias,
        kernel_initializer,
        bias_initializer,
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.out_shape = tuple(int(d) for d in output_shape)
        self.bound_rank = bound_rank
        self.use_bias = use_bias
        self._init = (kernel_initializer, bias_initializer)
        self._reg = (kernel_regularizer, bias_regularizer)
        self._con = (kernel_constraint, bias_constraint)

    def build(self, input_shape):
        bound = tuple(int(d) for d in input_shape[len(input_shape) - self.bound_rank :])
        self.kernel = self.add_weight(
            name="kernel",
            shape=bound + self.out_shape,
            initializer=self._init[0],
            regularizer=self._reg[0],
            constraint=self._con[0],
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=self.out_shape,
                initializer=self._init[1],
                regularizer=self._reg[1],
                constraint=self._con[1],
            )
        self._in_features = math.prod(bound)

    def call(self, inputs):
        lead = inputs.shape[: inputs.dim() - self.bound_rank]
        x = inputs.reshape(tuple(lead) + (self._in_features,))
        weight = self.kernel.reshape(self._in_features, -1).t()
        bias = self.bias.reshape(-1) if self.bias is not None else None
        return F.linear(x, weight, bias).reshape(tuple(lead) + self.out_shape)
