"""keras.ops' neural-network ops: activations, softmax, one-hot, convolution and pooling, losses."""

import math

import torch
import torch.nn.functional as F

from capas import _kernels
from capas.keras.ops._dispatch import floatx as _floatx
from capas.keras.ops._dispatch import keras_op
from capas.keras.ops._dispatch import tensor as _t
from capas.keras.ops._dispatch import to_float as _f
from capas.ops import nn_conv as _conv
from capas.ops._convert import as_torch_dtype
from capas.keras import config
from capas.ops.nn import softmax_xent


# -- activations ----------------------------------------------------------------------------
@keras_op
def relu(x):
    """`max(x, 0)`.

    Example:

    >>> from capas import keras
    >>> keras.ops.relu([-1.0, 2.0]).tolist()
    [0.0, 2.0]
    """
    return F.relu(_f(x))


@keras_op
def relu6(x):
    """`min(max(x, 0), 6)`."""
    return F.relu6(_f(x))


@keras_op
def sigmoid(x):
    """`1 / (1 + exp(-x))`."""
    return torch.sigmoid(_f(x))


@keras_op
def sparse_sigmoid(x):
    """0 below -1, 1 above 1, `(x + 1) / 2` between."""
    return torch.clamp((_f(x) + 1) / 2, 0, 1)


@keras_op
def log_sigmoid(x):
    """`log(sigmoid(x))`, computed stably."""
    return F.logsigmoid(_f(x))


@keras_op
def hard_sigmoid(x):
    """`relu6(x + 3) / 6`."""
    return F.hardsigmoid(_f(x))


@keras_op
def silu(x):
    """`x * sigmoid(x)`."""
    return F.silu(_f(x))


swish = silu


@keras_op
def hard_silu(x):
    """`x * hard_sigmoid(x)`."""
    return F.hardswish(_f(x))


hard_swish = hard_silu


@keras_op
def gelu(x, approximate=True):
    """Gaussian error linear unit (tanh approximation by default, as Keras)."""
    return F.gelu(_f(x), approximate="tanh" if approximate else "none")


@keras_op
def elu(x, alpha=1.0):
    """`x` if positive, else `alpha * (exp(x) - 1)`."""
    return F.elu(_f(x), alpha=alpha)


@keras_op
def selu(x):
    """Scaled exponential linear unit."""
    return F.selu(_f(x))


@keras_op
def celu(x, alpha=1.0):
    """Continuously differentiable exponential linear unit."""
    return F.celu(_f(x), alpha=alpha)


@keras_op
def leaky_relu(x, negative_slope=0.2):
    """`x` if positive, else `negative_slope * x`."""
    return F.leaky_relu(_f(x), negative_slope=negative_slope)


@keras_op
def softplus(x):
    """`log(exp(x) + 1)`."""
    return F.softplus(_f(x))


@keras_op
def softsign(x):
    """`x / (abs(x) + 1)`."""
    return F.softsign(_f(x))


@keras_op
def sparse_plus(x):
    """0 below -1, x above 1, `(x + 1)**2 / 4` between."""
    x = _f(x)
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x >= 1, x, (x + 1) ** 2 / 4))


@keras_op
def squareplus(x, b=4):
    """`(x + sqrt(x**2 + b)) / 2`."""
    x = _f(x)
    return (x + torch.sqrt(x * x + b)) / 2


@keras_op
def hard_tanh(x):
    """`x` clipped to [-1, 1]."""
    return F.hardtanh(_f(x))


@keras_op
def hard_shrink(x, threshold=0.5):
    """`x` where `|x| > threshold`, else 0."""
    return F.hardshrink(_f(x), lambd=threshold)


@keras_op
def soft_shrink(x, threshold=0.5):
    """`x` moved toward 0 by `threshold` (0 inside the threshold)."""
    return F.softshrink(_f(x), lambd=threshold)


@keras_op
def tanh_shrink(x):
    """`x - tanh(x)`."""
    return F.tanhshrink(_f(x))


@keras_op
def threshold(x, threshold, default_value):
    """`x` where `x > threshold`, else `default_value`."""
    return F.threshold(_f(x), threshold, default_value)


@keras_op
def glu(x, axis=-1):
    """Gated linear unit: first half times sigmoid of the second half along `axis`."""
    return F.glu(_f(x), dim=axis)


@keras_op
def softmax(x, axis=-1):
    """`exp(x) / sum(exp(x))` along `axis` (all axes when None)."""
    x = _f(x)
    if axis is None:
        return F.softmax(x.reshape(-1), dim=0).reshape(x.shape)
    if isinstance(axis, (list, tuple)):
        return torch.exp(x - torch.logsumexp(x, dim=tuple(axis), keepdim=True))
    return _kernels.softmax(x, axis)


@keras_op
def log_softmax(x, axis=-1):
    """`log(softmax(x))` along `axis`, computed stably."""
    x = _f(x)
    if axis is None:
        return F.log_softmax(x.reshape(-1), dim=0).reshape(x.shape)
    if isinstance(axis, (list, tuple)):
        return x - torch.logsumexp(x, dim=tuple(axis), keepdim=True)
    return F.log_softmax(x, dim=axis)


@keras_op
def sparsemax(x, axis=-1):
    """The Euclidean projection of `x` onto the probability simplex along `axis`."""
    x = _f(x)
    z = torch.sort(x, dim=axis, descending=True).values
    k = torch.arange(1, x.shape[axis] + 1, dtype=x.dtype).reshape([-1] + [1] * (x.dim() - 1 - axis % x.dim()))
    cumulative = torch.cumsum(z, dim=axis)
    support = (1 + k * z) > cumulative
    k_max = torch.sum(support, dim=axis, keepdim=True)
    tau = (torch.gather(cumulative, axis, k_max - 1) - 1) / k_max.to(x.dtype)
    return torch.clamp(x - tau, min=0)


# -- encodings -----------------------------------------------------------------------------
@keras_op
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot vectors of the integer tensor `x` (negative or too-large indices give zeros)."""
    x = _t(x).to(torch.int64)
    valid = (x >= 0) & (x < num_classes)
    out = F.one_hot(torch.where(valid, x, 0), num_classes) * valid.unsqueeze(-1)
    out = out.to(as_torch_dtype(dtype) or _floatx())
    return out if axis == -1 else torch.movedim(out, -1, axis)


@keras_op
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """Multi-hot vectors: 1 for each class present in the last axis of `inputs`."""
    x = _t(inputs).to(torch.int64)
    squeeze = x.dim() == 1
    if squeeze:
        x = x.unsqueeze(0)
    out = one_hot(x, num_classes, dtype=dtype).amax(dim=-2)
    out = out.squeeze(0) if squeeze else out
    return out if axis == -1 else torch.movedim(out, -1, axis)


# -- convolution and pooling ---------------------------------------------------------------------
def _tf_format(data_format, ndim):
    channels_last = (data_format or config.image_data_format()) == "channels_last"
    spatial = ndim - 2
    return {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}[spatial][0 if channels_last else 1]


def _tuple(value, n):
    return (int(value),) * n if isinstance(value, int) else tuple(int(v) for v in value)


@keras_op
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution; `kernel` is `(spatial..., in_channels, out_channels)` as in Keras."""
    inputs, kernel = _f(inputs), _f(kernel)
    n = inputs.dim() - 2
    return _conv.convolution(
        inputs,
        kernel,
        strides=_tuple(strides, n),
        padding=padding.upper(),
        data_format=_tf_format(data_format, inputs.dim()),
        dilations=_tuple(dilation_rate, n),
    )


@keras_op
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Depthwise convolution; `kernel` is `(spatial..., in_channels, multiplier)`."""
    inputs, kernel = _f(inputs), _f(kernel)
    n = inputs.dim() - 2
    fmt = _tf_format(data_format, inputs.dim())
    channels_last = fmt.endswith("C")
    x = inputs if not channels_last else torch.movedim(inputs, -1, 1)
    in_channels, multiplier = kernel.shape[-2], kernel.shape[-1]
    weight = kernel.reshape(tuple(kernel.shape[:n]) + (1, in_channels * multiplier))
    weight = weight.permute(n + 1, n, *range(n))
    pads = _conv._pads(
        padding.upper(), x.shape[2:], kernel.shape[:n], _tuple(strides, n), _tuple(dilation_rate, n), False
    )
    x = F.pad(x, _conv._to_torch_padding(pads)) if pads else x
    fn = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[n]
    out = fn(x, weight, stride=_tuple(strides, n), dilation=_tuple(dilation_rate, n), groups=in_channels)
    return torch.movedim(out, 1, -1) if channels_last else out


@keras_op
def separable_conv(
    inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None, dilation_rate=1
):
    """Depthwise convolution followed by a 1x1 convolution."""
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format, 1)


@keras_op
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Max pooling over windows of `pool_size`."""
    inputs = _t(inputs)
    n = inputs.dim() - 2
    strides = pool_size if strides is None else strides
    return _conv.max_pool(
        inputs,
        _tuple(pool_size, n),
        _tuple(strides, n),
        padding.upper(),
        data_format=_tf_format(data_format, inputs.dim()),
    )


@keras_op
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Average pooling over windows of `pool_size` (padding excluded from the average)."""
    inputs = _f(inputs)
    n = inputs.dim() - 2
    strides = pool_size if strides is None else strides
    return _conv.avg_pool(
        inputs,
        _tuple(pool_size, n),
        _tuple(strides, n),
        padding.upper(),
        data_format=_tf_format(data_format, inputs.dim()),
    )


# -- normalization and statistics ------------------------------------------------------------------
@keras_op
def moments(x, axes, keepdims=False, synchronized=False):
    """`(mean, variance)` of `x` over `axes`."""
    x = _f(x)
    dims = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    mean = torch.mean(x, dim=dims, keepdim=True)
    variance = torch.mean(torch.square(x - mean), dim=dims, keepdim=True)
    if not keepdims:
        mean, variance = mean.squeeze(dims), variance.squeeze(dims)
    return mean, variance


@keras_op
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    """`(x - mean) / sqrt(variance + epsilon) * scale + offset`, with the statistics along `axis`."""
    x = _f(x)
    shape = [1] * x.dim()
    shape[axis] = x.shape[axis]

    def b(v):
        return _t(v).reshape(shape)

    out = (x - b(mean)) * torch.rsqrt(b(variance) + epsilon)
    if scale is not None:
        out = out * b(scale)
    if offset is not None:
        out = out + b(offset)
    return out


@keras_op
def normalize(x, axis=-1, order=2, epsilon=None):
    """`x` divided by its `order`-norm along `axis`."""
    x = _f(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)


@keras_op
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalize `x` over `axis`, then scale by `gamma` and shift by `beta`."""
    x = _f(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    mean = x.mean(dim=axis, keepdim=True)
    variance = ((x - mean) ** 2).mean(dim=axis, keepdim=True)
    out = (x - mean) * torch.rsqrt(variance + epsilon)
    if gamma is not None:
        out = out * _t(gamma)
    if beta is not None:
        out = out + _t(beta)
    return out


@keras_op
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x / sqrt(mean(x**2) + epsilon) * scale` over `axis`."""
    x = _f(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    out = x * torch.rsqrt(torch.mean(x * x, dim=axis, keepdim=True) + epsilon)
    return out if scale is None else out * _t(scale)


# -- losses ------------------------------------------------------------------------------------
def _clip(output):
    eps = config.epsilon()
    return torch.clamp(output, eps, 1 - eps)


@keras_op
def binary_crossentropy(target, output, from_logits=False):
    """Element-wise binary cross-entropy between `target` and `output` (probabilities or logits)."""
    target, output = _f(target), _f(output)
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    output = _clip(output)
    return -(target * torch.log(output) + (1 - target) * torch.log(1 - output))


@keras_op
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot `target` and `output` along `axis`."""
    target, output = _f(target), _f(output)
    if from_logits:  # the TF backend's fused kernel, with its gradient (softmax - target)
        return softmax_xent(target, output, axis % output.dim())
    output = output / torch.sum(output, dim=axis, keepdim=True)
    log_prob = torch.log(_clip(output))
    return -torch.sum(target * log_prob, dim=axis)


@keras_op
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between integer `target` and `output` along `axis`."""
    target, output = _t(target).to(torch.int64), _f(output)
    if target.dim() == output.dim() and target.shape[-1] == 1:
        target = target.squeeze(-1)
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        output = output / torch.sum(output, dim=axis, keepdim=True)
        log_prob = torch.log(_clip(output))
    return -torch.sum(one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype) * log_prob, dim=axis)


@keras_op
def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal=False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention on `(batch, length, heads, head_dim)` tensors."""
    q, k, v = (torch.movedim(_f(t), -2, -3) for t in (query, key, value))
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    logits = torch.matmul(q, k.transpose(-1, -2)) * scale
    if attn_logits_soft_cap is not None:
        logits = torch.tanh(logits / attn_logits_soft_cap) * attn_logits_soft_cap
    if bias is not None:
        logits = logits + _t(bias)
    if is_causal:
        causal = torch.ones(logits.shape[-2:], dtype=torch.bool).tril()
        mask = causal if mask is None else _t(mask).to(torch.bool) & causal
    if mask is not None:
        logits = logits.masked_fill(~_t(mask).to(torch.bool), torch.finfo(logits.dtype).min)
    return torch.movedim(torch.matmul(torch.softmax(logits, dim=-1), v), -3, -2)
