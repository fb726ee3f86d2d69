"""Activation functions: Keras 3's `keras.activations`, on torch.nn.functional kernels.

Every function takes a tensor (anything `convert_to_tensor` accepts) and
returns a `torch.Tensor` of the same shape and dtype. They run on every step,
so each is one fused kernel where torch has one, with no host syncs.
"""

import torch
import torch.nn.functional as F

from capas import _kernels
from capas.ops._convert import convert_to_tensor
from capas.keras.saving.object_registration import register_builtin


def _tensor(x):
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


@register_builtin("activations")
def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Applies the rectified linear unit activation function.

    With default values, this returns the standard ReLU activation:
    `max(x, 0)`, the element-wise maximum of 0 and the input tensor.
    Modifying default parameters allows you to use non-zero thresholds,
    change the max value of the activation, and to use a non-zero multiple
    of the input for values below the threshold.

    Args:
        x: Input tensor.
        negative_slope: A float that controls the slope for values lower
            than the threshold.
        max_value: A float that sets the saturation threshold (the largest
            value the function will return).
        threshold: A float giving the threshold value of the activation
            function below which values will be damped or set to zero.

    Returns:
        A tensor with the same shape and dtype as `x`.

    Example:

    >>> import torch
    >>> from capas.keras import activations
    >>> x = torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0])
    >>> activations.relu(x)
    tensor([ 0.,  0.,  0.,  5., 10.])
    >>> activations.relu(x, negative_slope=0.5)
    tensor([-5.0000, -2.5000,  0.0000,  5.0000, 10.0000])
    >>> activations.relu(x, max_value=5.0)
    tensor([0., 0., 0., 5., 5.])
    >>> activations.relu(x, threshold=5.0)
    tensor([ 0.,  0.,  0.,  0., 10.])
    """
    x = _tensor(x)
    if threshold == 0 and max_value is None:
        if negative_slope == 0:
            return F.relu(x)
        return F.leaky_relu(x, negative_slope)
    if threshold == 0 and negative_slope == 0 and max_value == 6:
        return F.relu6(x)
    if threshold != 0:
        y = torch.where(x > threshold, x, 0.0)
    else:
        y = F.relu(x)
    if max_value is not None:
        y = torch.clamp(y, 0.0, max_value)
    if negative_slope != 0:
        y = y - negative_slope * F.relu(threshold - x)
    return y


@register_builtin("activations")
def leaky_relu(x, negative_slope=0.2):
    """Leaky relu activation function: `x` if `x > 0`, else `negative_slope * x`.

    Args:
        x: Input tensor.
        negative_slope: A float that controls the slope for values lower than
            the threshold.
    """
    return F.leaky_relu(_tensor(x), negative_slope)


@register_builtin("activations")
def relu6(x):
    """Relu6 activation function: the ReLU function, capped at 6, `min(max(x, 0), 6)`.

    Args:
        x: Input tensor.
    """
    return F.relu6(_tensor(x))


def _softmax_like(kernel, x, axis):
    x = _tensor(x)
    dtype = x.dtype
    if dtype == torch.float16 and x.device.type == "cpu":
        x = x.float()  # As Keras does on CPU, compute half precision in float32.
    if axis is None:
        out = kernel(x.reshape(-1), dim=-1).reshape(x.shape)
    elif isinstance(axis, (tuple, list)):
        # Several axes: move them last, flatten them into one, and move them back.
        axes = tuple(axis)
        moved_to = tuple(range(-len(axes), 0))
        moved = torch.movedim(x, axes, moved_to)
        out = kernel(moved.flatten(-len(axes)), dim=-1).reshape(moved.shape)
        out = torch.movedim(out, moved_to, axes)
    else:
        out = kernel(x, dim=axis)
    return out.to(dtype)


@register_builtin("activations")
def softmax(x, axis=-1):
    """Softmax converts a vector of values to a probability distribution.

    The elements of the output vector are in range `[0, 1]` and sum to 1
    along `axis`: `exp(x) / sum(exp(x), axis)`.

    Args:
        x: Input tensor.
        axis: Integer, tuple of integers, or None: the axis (axes) along
            which the softmax normalization is applied (None: all axes).

    Example:

    >>> import torch
    >>> from capas.keras import activations
    >>> activations.softmax(torch.tensor([[0.0, 0.0], [0.0, 2.0]]))
    tensor([[0.5000, 0.5000],
            [0.1192, 0.8808]])
    """
    out = _softmax_like(_kernels.softmax, x, axis)
    if axis == -1 or (isinstance(axis, int) and isinstance(x, torch.Tensor) and axis == x.dim() - 1):
        _mark_logits(out, x)
    return out


def _mark_logits(out, logits):
    """Keep the pre-activation `logits` on a softmax/sigmoid output, as tf.keras does.

    A crossentropy with `from_logits=False` that receives `out` computes the loss
    from these logits in the log-softmax (log-sigmoid) form: the same value where the
    probability clip is not hit, the true value (and gradient) where it is.
    """
    if isinstance(out, torch.Tensor) and isinstance(logits, torch.Tensor) and out.shape == logits.shape:
        out._keras_logits = logits
    return out


@register_builtin("activations")
def log_softmax(x, axis=-1):
    """Log-Softmax activation function: `x - log(sum(exp(x), axis))`.

    Args:
        x: Input tensor.
        axis: Integer, tuple of integers, or None, as in `softmax`.
    """
    return _softmax_like(F.log_softmax, x, axis)


@register_builtin("activations")
def elu(x, alpha=1.0):
    """Exponential Linear Unit: `x` if `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
        x: Input tensor.
        alpha: A scalar, slope of positive section.

    Reference:

    - [Clevert et al., 2016](https://arxiv.org/abs/1511.07289)
    """
    return F.elu(_tensor(x), alpha)


@register_builtin("activations")
def selu(x):
    """Scaled Exponential Linear Unit: `scale * elu(x, alpha)` with
    `alpha=1.67326324` and `scale=1.05070098`.

    Args:
        x: Input tensor.

    Reference:

    - [Klambauer et al., 2017](https://arxiv.org/abs/1706.02515)
    """
    return F.selu(_tensor(x))


@register_builtin("activations")
def celu(x, alpha=1.0):
    """Continuously Differentiable Exponential Linear Unit:
    `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`.

    Args:
        x: Input tensor.
        alpha: The α value for the CELU formulation.

    Reference:

    - [Barron, 2017](https://arxiv.org/abs/1704.07483)
    """
    return F.celu(_tensor(x), alpha)


@register_builtin("activations")
def softplus(x):
    """Softplus activation function: `log(exp(x) + 1)`.

    Args:
        x: Input tensor.
    """
    return F.softplus(_tensor(x))


@register_builtin("activations")
def softsign(x):
    """Softsign activation function: `x / (abs(x) + 1)`.

    Args:
        x: Input tensor.
    """
    return F.softsign(_tensor(x))


@register_builtin("activations")
def soft_shrink(x, threshold=0.5):
    """Soft Shrink: `x - threshold` above `threshold`, `x + threshold` below
    `-threshold`, 0 in between.

    Args:
        x: Input tensor.
        threshold: Threshold value. Defaults to 0.5.
    """
    return F.softshrink(_tensor(x), threshold)


@register_builtin("activations")
def hard_shrink(x, threshold=0.5):
    """Hard Shrink: `x` where `|x| > threshold`, else 0.

    Args:
        x: Input tensor.
        threshold: Threshold value. Defaults to 0.5.
    """
    return F.hardshrink(_tensor(x), threshold)


@register_builtin("activations")
def sparse_plus(x):
    """SparsePlus: 0 for `x <= -1`, `(x + 1)**2 / 4` for `-1 < x < 1`, `x` for `x >= 1`.

    Args:
        x: Input tensor.
    """
    x = _tensor(x)
    inner = torch.where(x < 1, 0.25 * (x + 1) ** 2, x)
    return torch.where(x <= -1, 0.0, inner)


@register_builtin("activations")
def sparse_sigmoid(x):
    """Sparse sigmoid: 0 for `x <= -1`, `(x + 1) / 2` for `-1 < x < 1`, 1 for `x >= 1`.

    Args:
        x: Input tensor.
    """
    x = _tensor(x)
    return torch.clamp(0.5 * (x + 1), 0.0, 1.0)


@register_builtin("activations", "swish")
def silu(x):
    """Swish (or Silu) activation function: `x * sigmoid(x)`.

    Args:
        x: Input tensor.

    Reference:

    - [Ramachandran et al., 2017](https://arxiv.org/abs/1710.05941)
    """
    return F.silu(_tensor(x))


@register_builtin("activations")
def squareplus(x, b=4):
    """Squareplus activation function: `(x + sqrt(x**2 + b)) / 2`.

    Args:
        x: Input tensor.
        b: Smoothness parameter. Defaults to 4.

    Reference:

    - [Ramachandran et al., 2021](https://arxiv.org/abs/2112.11687)
    """
    x = _tensor(x)
    return (x + torch.sqrt(torch.square(x) + b)) / 2


@register_builtin("activations")
def gelu(x, approximate=False):
    """Gaussian error linear unit (GELU): `x * P(X <= x)` with `X ~ N(0, 1)`.

    Args:
        x: Input tensor.
        approximate: A bool, whether to use the tanh approximation.

    Reference:

    - [Hendrycks et al., 2016](https://arxiv.org/abs/1606.08415)
    """
    return F.gelu(_tensor(x), approximate="tanh" if approximate else "none")


@register_builtin("activations")
def glu(x, axis=-1):
    """Gated Linear Unit: splits `x` in halves `a, b` along `axis`, returns `a * sigmoid(b)`.

    Args:
        x: Input tensor (its `axis` dimension must be even).
        axis: The axis along which to split the input tensor. Defaults to -1.

    Reference:

    - [Dauphin et al., 2017](https://arxiv.org/abs/1612.08083)
    """
    x = _tensor(x)
    if x.shape[axis] % 2:
        raise ValueError(
            f"glu splits axis {axis} of its input into two halves, so that axis must have "
            f"an even size. Received: x.shape={tuple(x.shape)}."
        )
    return F.glu(x, dim=axis)


@register_builtin("activations")
def tanh(x):
    """Hyperbolic tangent activation function: `(exp(x) - exp(-x)) / (exp(x) + exp(-x))`.

    Args:
        x: Input tensor.
    """
    return torch.tanh(_tensor(x))


@register_builtin("activations")
def tanh_shrink(x):
    """Tanh shrink activation function: `x - tanh(x)`.

    Args:
        x: Input tensor.
    """
    return F.tanhshrink(_tensor(x))


@register_builtin("activations")
def hard_tanh(x):
    """HardTanh activation function: `x` clipped to `[-1, 1]`.

    Args:
        x: Input tensor.
    """
    return F.hardtanh(_tensor(x), -1.0, 1.0)


@register_builtin("activations")
def threshold(x, threshold, default_value):
    """Threshold activation function: `x` where `x > threshold`, else `default_value`.

    Args:
        x: Input tensor.
        threshold: The value that decides when to retain or replace x.
        default_value: Value to assign when `x <= threshold`.
    """
    return F.threshold(_tensor(x), threshold, default_value)


@register_builtin("activations")
def sigmoid(x):
    """Sigmoid activation function: `1 / (1 + exp(-x))`.

    Args:
        x: Input tensor.
    """
    x = _tensor(x)
    return _mark_logits(torch.sigmoid(x), x)


@register_builtin("activations")
def log_sigmoid(x):
    """Logarithm of the sigmoid activation function: `log(1 / (1 + exp(-x)))`.

    Args:
        x: Input tensor.
    """
    return F.logsigmoid(_tensor(x))


@register_builtin("activations")
def exponential(x):
    """Exponential activation function: `exp(x)`.

    Args:
        x: Input tensor.
    """
    return torch.exp(_tensor(x))


@register_builtin("activations")
def hard_sigmoid(x):
    """Hard sigmoid activation function: `relu6(x + 3) / 6` (Keras 3's definition).

    Args:
        x: Input tensor.
    """
    return F.hardsigmoid(_tensor(x))


@register_builtin("activations", "hard_swish")
def hard_silu(x):
    """Hard SiLU (hard swish) activation function: `x * relu6(x + 3) / 6`.

    Args:
        x: Input tensor.

    Reference:

    - [Howard et al., 2019](https://arxiv.org/abs/1905.02244)
    """
    return F.hardswish(_tensor(x))


@register_builtin("activations")
def linear(x):
    """Linear activation function (pass-through): returns `x` unchanged.

    Args:
        x: Input tensor.
    """
    return x


@register_builtin("activations")
def mish(x):
    """Mish activation function: `x * tanh(softplus(x))`.

    Args:
        x: Input tensor.

    Reference:

    - [Misra, 2019](https://arxiv.org/abs/1908.08681)
    """
    return F.mish(_tensor(x))


@register_builtin("activations")
def sparsemax(x, axis=-1):
    """Sparsemax: the Euclidean projection of `x` onto the probability simplex
    along `axis`, so that many outputs are exactly 0.

    Args:
        x: Input tensor.
        axis: Integer, the axis along which to apply sparsemax. Defaults to -1.

    Reference:

    - [Martins et al., 2016](https://arxiv.org/abs/1602.02068)

    Differs from Keras: the threshold is `(sum of the supported sorted values
    - 1) / k` as in the paper, so outputs sum to 1; Keras 3.15 sums the
    cumulative sums instead, and its outputs need not sum to 1.
    """
    x = _tensor(x)
    z_sorted = torch.sort(x, dim=axis, descending=True).values
    z_cumsum = torch.cumsum(z_sorted, dim=axis)
    k = torch.arange(1, x.shape[axis] + 1, device=x.device, dtype=x.dtype)
    view = [1] * x.ndim
    view[axis] = -1
    k = k.view(view)
    support = z_sorted - (z_cumsum - 1) / k > 0
    support_size = support.sum(dim=axis, keepdim=True)
    support_sum = torch.where(support, z_sorted, 0.0).sum(dim=axis, keepdim=True)
    tau = (support_sum - 1) / support_size
    return torch.clamp(x - tau, min=0.0)
