"""Weight quantization helpers: abs-max int8 quantization, float8 scaling, int4 packing.

The numeric building blocks of Keras 3's `keras.quantizers`, on torch tensors. Differs from
Keras: the quantization configs (`Int8QuantizationConfig`, GPTQ, AWQ...), grouped
zero-point quantization and `fake_quant_with_min_max_vars` are not provided, nor quantized
layers (`layer.quantize(...)`).
"""

import numpy as np
import torch

from capas.keras import config
from capas.ops._convert import as_torch_dtype, convert_to_tensor, dtype_name


def _epsilon():
    return config.epsilon()


def _axes(axis, ndim):
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(a % ndim for a in axes)


class Quantizer:
    """The base class of quantizers: `quantizer(x)` returns the quantized tensor (and its scale).

    Args:
        output_dtype: the dtype of the quantized values (default "int8").
    """

    def __init__(self, output_dtype="int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        return x

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


def abs_max_quantize(inputs, axis, value_range=(-127, 127), dtype="int8", epsilon=None, to_numpy=False):
    """Scale `inputs` so their absolute maximum along `axis` maps to `value_range[1]`, round and clip.

    Args:
        inputs: the tensor to quantize.
        axis: the axis (or axes) the scale is computed over.
        value_range: the (min, max) of the quantized values.
        dtype: the quantized dtype.
        epsilon: added to the absolute maximum (default `keras.config.epsilon()`).
        to_numpy: compute on the host with numpy (saves device memory).

    Returns:
        `(quantized, scale)`; `quantized / scale` approximates `inputs`.

    Example:

    >>> import torch
    >>> from capas import keras
    >>> q, scale = keras.quantizers.abs_max_quantize(torch.tensor([[0.5, -1.0, 0.25]]), axis=-1)
    >>> q.tolist(), q.dtype
    ([[63, -127, 32]], torch.int8)
    """
    epsilon = _epsilon() if epsilon is None else epsilon
    inputs = convert_to_tensor(inputs)
    axes = _axes(axis, inputs.dim())
    if to_numpy:
        array = inputs.detach().cpu().numpy()
        scale = np.divide(value_range[1], np.add(np.max(np.abs(array), axis=axes, keepdims=True), epsilon))
        out = np.clip(np.round(np.multiply(array, scale)), value_range[0], value_range[1]).astype(dtype)
        return torch.from_numpy(out), torch.from_numpy(np.asarray(scale)).to(inputs.dtype)
    scale = value_range[1] / (inputs.abs().amax(dim=axes, keepdim=True) + epsilon)
    scale = scale.to(inputs.dtype)
    out = torch.clamp(torch.round(inputs * scale), value_range[0], value_range[1])
    return out.to(as_torch_dtype(dtype)), scale


class AbsMaxQuantizer(Quantizer):
    """`abs_max_quantize` as a quantizer object.

    Args:
        axis: deprecated; pass `axis` to the call instead (default -1).
        value_range: the (min, max) of the quantized values (within [-128, 127] for int8).
        epsilon: added to the absolute maximum.
        output_dtype: the quantized dtype.

    Example:

    >>> import torch
    >>> from capas import keras
    >>> q, scale = keras.quantizers.AbsMaxQuantizer()(torch.tensor([2.0, -4.0]))
    >>> q.tolist()
    [64, -127]
    """

    def __init__(self, axis=None, value_range=(-127, 127), epsilon=None, output_dtype="int8"):
        super().__init__(output_dtype=output_dtype)
        self.axis = None if axis is None else ((axis,) if isinstance(axis, int) else tuple(axis))
        self.value_range = value_range
        self.epsilon = _epsilon() if epsilon is None else epsilon
        if output_dtype == "int8" and (value_range[0] < -128 or value_range[1] > 127):
            raise ValueError(
                "Quantizer with output_dtype='int8' requires value_range to be within the interval "
                f"[-128, 127]. Received: value_range={value_range}"
            )

    def __call__(self, x, axis=None, to_numpy=False):
        axis = axis if axis is not None else (self.axis if self.axis is not None else -1)
        return abs_max_quantize(x, axis, self.value_range, self.output_dtype, self.epsilon, to_numpy)

    def get_config(self):
        config = {"value_range": self.value_range, "epsilon": self.epsilon, "output_dtype": self.output_dtype}
        if self.axis is not None:
            config["axis"] = self.axis
        return config


def compute_float8_scale(amax, scale, dtype_max, margin=0):
    """The next float8 scale from the running absolute maximum `amax` (Transformer Engine's rule).

    Where `amax` is positive and finite the new scale is `amax * 2**margin / dtype_max`;
    elsewhere the current `scale` is kept.
    """
    amax, scale = convert_to_tensor(amax), convert_to_tensor(scale)
    current = torch.reciprocal(scale)
    factor = (dtype_max / amax) / (2**margin)
    factor = torch.where(amax > 0.0, factor, current)
    factor = torch.where(torch.isfinite(amax), factor, current)
    return torch.reciprocal(factor)


def compute_float8_amax_history(x, amax_history):
    """`amax_history` rolled one step, with `max(abs(x))` written first."""
    x, amax_history = convert_to_tensor(x), convert_to_tensor(amax_history)
    rolled = torch.roll(amax_history, shifts=-1, dims=0).clone()
    rolled[0] = x.abs().max().to(amax_history.dtype)
    return rolled


def quantize_and_dequantize(inputs, scale, quantized_dtype, compute_dtype):
    """`inputs / scale` clipped to `quantized_dtype`'s range, cast to it and back, times `scale`.

    Example:

    >>> import torch
    >>> from capas import keras
    >>> keras.quantizers.quantize_and_dequantize(torch.tensor([1.0, 500.0]), torch.tensor(1.0), "float8_e4m3fn", "float32")
    tensor([  1., 448.])
    """
    qdtype, cdtype = _float8_or(quantized_dtype), as_torch_dtype(compute_dtype)
    limit = torch.tensor(float(torch.finfo(qdtype).max), dtype=cdtype)
    scale = convert_to_tensor(scale).to(cdtype)
    x = torch.clamp(convert_to_tensor(inputs).to(cdtype) / scale, -limit, limit)
    return x.to(qdtype).to(cdtype) * scale


def _float8_or(dtype):
    """A torch dtype from a name, float8 names included (capas's dtype table has no float8)."""
    if isinstance(dtype, str) and dtype.startswith("float8") and hasattr(torch, dtype):
        return getattr(torch, dtype)
    return as_torch_dtype(dtype)


def pack_int4(arr, axis=0, dtype="int8"):
    """Pack pairs of 4-bit values along `axis` into one byte (low nibble first).

    Returns:
        `(packed, packed_shape, original_length)`.

    Example:

    >>> import torch
    >>> from capas import keras
    >>> packed, shape, n = keras.quantizers.pack_int4(torch.tensor([[1], [-2], [3]], dtype=torch.int8))
    >>> packed.tolist(), shape, n
    ([[-31], [3]], (2, 1), 3)
    """
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")
    arr = convert_to_tensor(arr)
    if dtype_name(arr.dtype) != dtype:
        raise TypeError(f"Expected {dtype} tensor for packing, got {dtype_name(arr.dtype)}.")
    array = np.moveaxis(arr.detach().cpu().numpy(), axis % arr.dim(), 0)
    n = array.shape[0]
    if n % 2:
        array = np.concatenate([array, np.zeros((1,) + array.shape[1:], array.dtype)], axis=0)
    np_dtype = np.dtype(dtype)
    low = np.bitwise_and(array[::2].astype(np_dtype), np_dtype.type(0x0F))
    high = np.bitwise_and(array[1::2].astype(np_dtype), np_dtype.type(0x0F))
    packed = np.bitwise_or(low, np.left_shift(high, np_dtype.type(4))).astype(np_dtype)
    packed = np.moveaxis(packed, 0, axis % arr.dim())
    return torch.from_numpy(np.ascontiguousarray(packed)), tuple(packed.shape), n


def unpack_int4(packed, orig_len, axis=0, dtype="int8"):
    """Undo `pack_int4`: two 4-bit values per byte along `axis`, cut to `orig_len` (signed for int8)."""
    if dtype not in ("int8", "uint8"):
        raise ValueError(f"Expected dtype to be 'int8' or 'uint8', but got '{dtype}'.")
    packed = convert_to_tensor(packed)
    if packed.dtype not in (torch.int8, torch.uint8):
        raise TypeError(f"Expected int8 or uint8 tensor for unpacking, got {dtype_name(packed.dtype)}")
    axis = axis % packed.dim()
    moved = torch.movedim(packed, axis, 0).to(torch.int16) & 0xFF
    low, high = moved & 0x0F, (moved >> 4) & 0x0F
    if dtype == "int8":
        low, high = (low ^ 8) - 8, (high ^ 8) - 8
    out = torch.stack([low, high], dim=1).reshape((-1,) + tuple(moved.shape[1:]))[:orig_len]
    return torch.movedim(out.to(as_torch_dtype(dtype)), 0, axis)
