"""`EinsumDense`: a dense layer of any rank, written as an einsum equation."""

import re

import torch

from capas.keras import activations, constraints, initializers, regularizers
from capas.keras.layers.layer import Layer
from capas.keras.saving.object_registration import register_builtin


def _serialize_or_none(module, obj):
    return None if obj is None else module.serialize(obj)


def _parse(equation, owner):
    """(input_spec, kernel_spec, output_spec, elided side) of an 'ab,bc->ac' equation."""
    text = equation.replace("...", "0")
    for pattern, side in (
        (r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", None),
        (r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", "left"),
        (r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", "right"),
    ):
        match = re.fullmatch(pattern, text)
        if match:
            return match.group(1), match.group(2), match.group(3), side
    raise ValueError(
        f"{owner}: invalid einsum equation {equation!r}. Equations look like 'ab,bc->ac', "
        "'...b,bc->...c' or 'abc...,cd->abd...': one input, one kernel, one output."
    )


def _analyze(equation, bias_axes, input_shape, output_shape, owner):
    """(kernel shape, bias shape or None, full output shape) for `input_shape`."""
    input_spec, kernel_spec, output_spec, side = _parse(equation, owner)
    input_shape = list(input_shape)
    elided = len(input_shape) - len(input_spec)
    full = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    full.insert(0, input_shape[0])
    if elided > 0 and side == "left":
        for i in range(1, elided):
            full.insert(1, input_shape[i])
    elif elided > 0:
        full.extend(input_shape[len(input_shape) - elided :])
    if side == "left":
        in_dims = {c: i + elided - len(input_shape) for i, c in enumerate(input_spec)}
        out_dims = {c: i + elided - len(full) for i, c in enumerate(output_spec)}
    else:
        in_dims = {c: i for i, c in enumerate(input_spec)}
        out_dims = {c: i for i, c in enumerate(output_spec)}
    for c in input_spec:
        if c in out_dims:
            want, got = input_shape[in_dims[c]], full[out_dims[c]]
            if want is not None and got is not None and want != got:
                raise ValueError(
                    f"{owner}: input shape {tuple(input_shape)} and output_shape {tuple(full[1:])} disagree on "
                    f"dim '{c}' of {equation!r} ({want} vs {got})."
                )
    for c in output_spec:
        if c not in input_spec and c not in kernel_spec:
            raise ValueError(
                f"{owner}: output dim '{c}' of {equation!r} appears in neither the input nor the kernel spec."
            )
    kernel_shape = []
    for c in kernel_spec:
        if c in in_dims:
            kernel_shape.append(input_shape[in_dims[c]])
        elif c in out_dims:
            kernel_shape.append(full[out_dims[c]])
        else:
            raise ValueError(
                f"{owner}: kernel dim '{c}' of {equation!r} appears in neither the input nor the output spec."
            )
    bias_shape = None
    if bias_axes:
        sizes = {c: full[out_dims[c]] for c in output_spec}
        for c in bias_axes:
            if c not in output_spec:
                raise ValueError(f"{owner}: bias axis '{c}' is not in the output spec {output_spec!r} of {equation!r}.")
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [sizes[c] if c in bias_axes else 1 for c in output_spec[first:]]
        if side != "left":
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, full


@register_builtin("layers")
class EinsumDense(Layer):
    """A layer that uses `einsum` as the backing computation.

    `output = activation(einsum(equation, inputs, kernel) + bias)`: a dense
    layer whose input, kernel and output may have any rank, for example
    `'abc,cde->abde'` (project the last axis into two) or `'...b,bc->...c'`.

    Args:
        equation: the einsum equation `'<input>,<kernel>-><output>'`, with an
            optional `...` at the start (or end) of input and output.
        output_shape: the output's shape without the batch dim (and without the
            elided dims); an int for a single dim, None for dims inferred from
            the input.
        activation: activation function (name or callable); None is linear.
        bias_axes: the output letters that have a bias, e.g. 'de'; None: no bias.
        kernel_initializer, bias_initializer: default 'glorot_uniform' and 'zeros'.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional.
        kernel_constraint, bias_constraint: optional.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 5), bias_axes="de")(tf.ones((2, 3, 6))).shape
    torch.Size([2, 3, 4, 5])
    """

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
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
        if lora_rank:
            raise ValueError(f"EinsumDense '{self.name}': LoRA (lora_rank={lora_rank}) is not supported by capas.")
        _parse(equation, f"EinsumDense '{self.name}'")
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._linear = self.activation is activations.linear

    def build(self, input_shape):
        owner = f"EinsumDense '{self.name}'"
        kernel_shape, bias_shape, full = _analyze(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape, owner
        )
        if any(d is None for d in kernel_shape):
            raise ValueError(
                f"{owner}: the kernel of {self.equation!r} needs known sizes; received input shape "
                f"{tuple(input_shape)} and output_shape {self.partial_output_shape}."
            )
        self.full_output_shape = tuple(full)
        self.kernel = self.add_weight(
            name="kernel",
            shape=kernel_shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=bias_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None

    def call(self, inputs):
        if inputs.dtype != self.kernel.dtype and not torch.is_autocast_enabled():
            inputs = inputs.to(self.kernel.dtype)
        try:
            y = torch.einsum(self.equation, inputs, self.kernel)
        except RuntimeError as exc:
            raise ValueError(
                f"EinsumDense '{self.name}': input shape {tuple(inputs.shape)} does not fit equation "
                f"{self.equation!r} with kernel shape {tuple(self.kernel.shape)} ({exc})."
            ) from None
        if self.bias is not None:
            y = y + self.bias
        return y if self._linear else self.activation(y)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "output_shape": self.partial_output_shape,
                "equation": self.equation,
                "activation": activations.serialize(self.activation),
                "bias_axes": self.bias_axes,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": _serialize_or_none(regularizers, self.kernel_regularizer),
                "bias_regularizer": _serialize_or_none(regularizers, self.bias_regularizer),
                "activity_regularizer": _serialize_or_none(regularizers, self._activity_regularizer),
                "kernel_constraint": _serialize_or_none(constraints, self.kernel_constraint),
                "bias_constraint": _serialize_or_none(constraints, self.bias_constraint),
                "quantization_config": None,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if config.pop("quantization_config", None) is not None:
            raise ValueError(f"EinsumDense '{config.get('name')}': quantization is not supported by capas.")
        config.pop("lora_alpha", None)
        return cls(**config)
