"""`Dense`: `activation(inputs @ kernel + bias)`."""

import threading

import torch

from capas import _kernels
from capas.keras import activations, constraints, initializers, regularizers
from capas.keras.layers._lora import LoraMixin
from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


class _LogitsOut(threading.local):
    """`evaluate`'s fused step asks one softmax `Dense` (its model's output) for its logits (`_fused_eval`).

    `layer`: the layer asked, until it answers; `taken`: the logits it returned instead of the
    probabilities. Per thread: a `predict` in another thread gets probabilities.
    """

    layer = None
    taken = None


LOGITS_OUT = _LogitsOut()


def softmax_output(logits):
    """A softmax `Dense`'s output: the probabilities, with the `logits` kept for crossentropy to read."""
    out = _kernels.softmax(logits, -1)
    out._keras_logits = logits
    return out


def _sigmoid_output(logits):
    """A sigmoid `Dense`'s output, with the `logits` kept for crossentropy to read (activations._mark_logits)."""
    out = torch.sigmoid(logits)
    out._keras_logits = logits
    return out


def _affine(x, kernel, bias):
    """`x @ kernel + bias`: one `addmm` for a 2-D input with a bias."""
    if bias is not None and x.dim() == 2:
        return _kernels.addmm(bias, x, kernel)
    out = torch.matmul(x, kernel)
    return out if bias is None else out + bias


@register_builtin("layers")
class Dense(LoraMixin, Layer):
    """Just your regular densely-connected NN layer.

    `output = activation(dot(input, kernel) + bias)`, with `kernel` of shape
    `(input_dim, units)` (Keras's layout), computed by one `torch.addmm` for
    2-D inputs with a bias (`torch.matmul` plus the bias otherwise).

    Args:
        units: dimensionality of the output space.
        activation: activation function (name or callable); None is linear.
        use_bias: whether to add a bias vector.
        kernel_initializer: default 'glorot_uniform'.
        bias_initializer: default 'zeros'.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        kernel_constraint, bias_constraint: optional constraints.
        lora_rank: when set, the layer enables LoRA when built (see
            `enable_lora`): the kernel is frozen and a trainable low-rank
            update `lora_kernel_a @ lora_kernel_b` is learned instead.
        lora_alpha: scales the update by `lora_alpha / lora_rank`
            (default `lora_rank`).

    Input shape:
        N-D tensor `(batch_size, ..., input_dim)`.

    Output shape:
        N-D tensor `(batch_size, ..., units)`.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.Dense(3)(tf.ones((2, 5))).shape
    torch.Size([2, 3])
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._init_lora(lora_rank, lora_alpha)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"Dense '{self.name}': `units` must be a positive integer, received {units!r}.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.supports_masking = True
        self._activation_is_linear = self.activation is activations.linear
        # The common activations as their bare torch kernels: identical numbers, less Python per call.
        self._fast_activation = {
            activations.relu: torch.relu,
            activations.sigmoid: torch.sigmoid,
            activations.tanh: torch.tanh,
        }.get(self.activation)
        self._softmax = self.activation is activations.softmax

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Dense '{self.name}' needs a known last input dimension; received input shape {input_shape}."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self._input_dim = int(input_dim)
        if self.lora_rank:
            self.built = True  # as Keras: the layer is built when LoRA is enabled on it
            self.enable_lora(self.lora_rank, self.lora_alpha)

    def call(self, inputs):
        if inputs.shape[-1] != self._input_dim:
            raise ValueError(
                f"Input 0 of layer '{self.name}' (Dense) is incompatible with the layer: expected axis -1 "
                f"of input shape to have value {self._input_dim}, but received input with shape "
                f"{tuple(inputs.shape)}. The layer was built for {self._input_dim} features; feed inputs "
                f"with {self._input_dim} features, or use a new Dense layer."
            )
        # The weights from the module's parameter dict when they are there (as they are unless a
        # subclass or a quantizer replaced them): `self.kernel` goes through Module.__getattr__, ~1 µs.
        params = self._parameters
        kernel = self.merged_kernel() if self.lora_enabled else params.get("kernel")
        if kernel is None:
            kernel = self.kernel
        bias = params.get("bias")
        if bias is None:
            bias = self.bias
        if inputs.dtype is not kernel.dtype and not torch.is_autocast_enabled():  # dtypes are singletons
            inputs = inputs.to(kernel.dtype)
        outputs = _affine(inputs, kernel, bias)
        if self._activation_is_linear:
            return outputs
        return self._activation_fn()(outputs)

    def _activation_fn(self):
        """What `call` applies to the pre-activation outputs (the layer is not linear)."""
        fast = self._fast_activation
        if fast is torch.sigmoid:
            return _sigmoid_output
        if fast is not None:
            return fast
        if self._softmax:
            return self._softmax_or_logits
        return self.activation

    def _softmax_or_logits(self, outputs):
        """The softmax output, or the logits themselves when `evaluate`'s fused step asks this layer."""
        if LOGITS_OUT.layer is self:
            LOGITS_OUT.layer, LOGITS_OUT.taken = None, outputs
            return outputs
        return softmax_output(outputs)

    def _inference_fn(self):
        """`call` for a float32 batch as one function of the weights themselves (`Layer._inference_fn`)."""
        if not self._calls_plainly(Dense) or self.lora_enabled:
            return None
        params = self._parameters
        kernel, bias = params.get("kernel"), params.get("bias")
        if kernel is None or kernel.dtype is not torch.float32 or kernel.dim() != 2:
            return None
        if bias is None and getattr(self, "bias", None) is not None:
            return None  # a bias held outside the parameter dict: the general path reads it
        activate = None if self._activation_is_linear else self._activation_fn()

        def dense(x):
            out = _affine(x, kernel, bias)
            return out if activate is None else activate(out)

        return dense

    def get_config(self):
        config = super().get_config()
        if self._activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self._activity_regularizer)
        config.update(
            {
                "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer)
                if self.kernel_regularizer
                else None,
                "bias_regularizer": regularizers.serialize(self.bias_regularizer) if self.bias_regularizer else None,
                "kernel_constraint": constraints.serialize(self.kernel_constraint) if self.kernel_constraint else None,
                "bias_constraint": constraints.serialize(self.bias_constraint) if self.bias_constraint else None,
                "quantization_config": None,
            }
        )
        config.update(self._lora_config())
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        quantization = config.pop("quantization_config", None)
        if quantization is not None:
            raise ValueError(
                f"Dense '{config.get('name')}': the config asks for quantization ({quantization!r}), which "
                "capas does not support. Save the model from Keras without quantizing it."
            )
        return cls(**config)
