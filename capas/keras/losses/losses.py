"""Loss functions: regression, hinge, divergence and segmentation losses.

Each takes `(y_true, y_pred)` and returns one loss per sample (the last axis
reduced, or everything reduced for `dice`/`tversky` with `axis=None`), with
Keras 3's epsilons and clipping. The cross-entropies and CTC live in
`crossentropy.py`.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F

from capas.keras.losses._common import EPSILON
from capas.keras.losses._common import convert_pair
from capas.keras.losses._common import same_shape_pair
from capas.keras.losses._common import shape_error
from capas.keras.saving.object_registration import register_builtin

_LOG2 = math.log(2.0)


@register_builtin("losses", "MSE", "mse")
@register_builtin("metrics")
def mean_squared_error(y_true, y_pred):
    """Mean squared error over the last axis.

    `loss = mean(square(y_true - y_pred), axis=-1)`

    Args:
        y_true: Ground truth values, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]])[0])
    0.5
    """
    y_true, y_pred = same_shape_pair("mean_squared_error", y_true, y_pred, broadcast=True)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


@register_builtin("losses", "MAE", "mae")
@register_builtin("metrics")
def mean_absolute_error(y_true, y_pred):
    """Mean absolute error over the last axis: `mean(abs(y_true - y_pred), axis=-1)`.

    Args:
        y_true: Ground truth values, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(mean_absolute_error([[0.0, 1.0]], [[1.0, 1.0]])[0])
    0.5
    """
    y_true, y_pred = same_shape_pair("mean_absolute_error", y_true, y_pred, broadcast=True)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


@register_builtin("losses", "MAPE", "mape")
@register_builtin("metrics")
def mean_absolute_percentage_error(y_true, y_pred):
    """Mean absolute percentage error.

    `loss = 100 * mean(abs((y_true - y_pred) / maximum(abs(y_true), 1e-7)), axis=-1)`

    Args:
        y_true: Ground truth values, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 4.0]])[0])
    25.0
    """
    y_true, y_pred = same_shape_pair("mean_absolute_percentage_error", y_true, y_pred, broadcast=True)
    diff = torch.abs((y_true - y_pred) / torch.clamp_min(torch.abs(y_true), EPSILON))
    return 100.0 * torch.mean(diff, dim=-1)


@register_builtin("losses", "MSLE", "msle")
@register_builtin("metrics")
def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean squared logarithmic error.

    `loss = mean(square(log(maximum(y_pred, 1e-7) + 1) - log(maximum(y_true, 1e-7) + 1)), axis=-1)`

    Args:
        y_true: Ground truth values, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> round(float(mean_squared_logarithmic_error([[0.0]], [[math.e - 1]])[0]), 4)
    1.0
    """
    y_true, y_pred = same_shape_pair("mean_squared_logarithmic_error", y_true, y_pred, broadcast=True)
    first_log = torch.log(torch.clamp_min(y_pred, EPSILON) + 1.0)
    second_log = torch.log(torch.clamp_min(y_true, EPSILON) + 1.0)
    return torch.mean(torch.square(first_log - second_log), dim=-1)


def _l2_normalize(x, axis):
    # Keras's `ops.normalize`: x * min(rsqrt(sum(x**2)), 1 / epsilon).
    inv_norm = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
    return x * torch.clamp_max(inv_norm, 1.0 / EPSILON)


@register_builtin("losses")
def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity between labels and predictions.

    `loss = -sum(l2_norm(y_true) * l2_norm(y_pred), axis)`: -1 for identical
    directions, 0 for orthogonal vectors, 0 when either vector is zero.

    Args:
        y_true: Ground truth values.
        y_pred: Predicted values, same shape.
        axis: The axis along which the similarity is computed.

    Returns:
        Losses with `axis` reduced.

    Example:

    >>> float(cosine_similarity([[1.0, 0.0]], [[2.0, 0.0]])[0])
    -1.0
    """
    y_true, y_pred = same_shape_pair("cosine_similarity", y_true, y_pred, broadcast=True)
    return -torch.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), dim=axis)


@register_builtin("losses")
@register_builtin("metrics")
def huber(y_true, y_pred, delta=1.0):
    """Huber loss: quadratic for small errors, linear beyond `delta`.

    `0.5 * e**2` where `|e| <= delta`, else `delta * |e| - 0.5 * delta**2`,
    averaged over the last axis (`e = y_pred - y_true`).

    Args:
        y_true: Ground truth values, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted values, same shape.
        delta: Where the loss turns from quadratic to linear.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(huber([[0.0, 0.0]], [[0.5, 3.0]])[0])
    1.3125
    """
    y_true, y_pred = same_shape_pair("huber", y_true, y_pred, broadcast=True)
    error = y_pred - y_true
    abs_error = torch.abs(error)
    if isinstance(delta, torch.Tensor):
        delta = delta.to(y_pred.dtype)
        half_delta_sq = 0.5 * torch.square(delta)
    else:
        # Python scalars keep the step free of host-to-device copies; the
        # constant is rounded as Keras's float32 `0.5 * square(delta)` is.
        delta = float(delta)
        half_delta_sq = 0.5 * delta * delta
        if y_pred.dtype != torch.float64:
            half_delta_sq = float(np.float32(0.5) * np.square(np.float32(delta)))
    quadratic = 0.5 * torch.square(error)
    linear = delta * abs_error - half_delta_sq
    return torch.mean(torch.where(abs_error <= delta, quadratic, linear), dim=-1)


@register_builtin("losses", "logcosh")
@register_builtin("metrics")
def log_cosh(y_true, y_pred):
    """Logarithm of the hyperbolic cosine of the prediction error.

    Computed stably as `x + softplus(-2x) - log(2)` with `x = y_pred - y_true`,
    then averaged over the last axis.

    Args:
        y_true: Ground truth values, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted values, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(log_cosh([[0.0]], [[0.0]])[0])
    0.0
    """
    y_true, y_pred = same_shape_pair("log_cosh", y_true, y_pred, broadcast=True)
    x = y_pred - y_true
    return torch.mean(x + F.softplus(x * -2.0) - _LOG2, dim=-1)


@register_builtin("losses", "KLD", "kld", "kullback_leibler_divergence")
@register_builtin("metrics")
def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence.

    `loss = sum(y_true * log(y_true / y_pred), axis=-1)`, with both inputs
    clipped to `[1e-7, 1]`.

    Args:
        y_true: Target distributions, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted distributions, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(kl_divergence([[0.5, 0.5]], [[0.5, 0.5]])[0])
    0.0
    """
    y_true, y_pred = same_shape_pair("kl_divergence", y_true, y_pred, broadcast=True)
    y_true = torch.clamp(y_true, EPSILON, 1.0)
    y_pred = torch.clamp(y_pred, EPSILON, 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


@register_builtin("losses")
@register_builtin("metrics")
def poisson(y_true, y_pred):
    """Poisson loss: `mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)`.

    Args:
        y_true: Ground truth counts, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted rates, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(poisson([[0.0]], [[2.0]])[0])
    2.0
    """
    y_true, y_pred = same_shape_pair("poisson", y_true, y_pred, broadcast=True)
    return torch.mean(y_pred - y_true * torch.log(y_pred + EPSILON), dim=-1)


def _to_signed_labels(y_true):
    # Keras converts {0, 1} labels to {-1, 1} when *all* labels are binary.
    # The test stays on the device (a `where`, not a Python `if`).
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


@register_builtin("losses")
@register_builtin("metrics")
def hinge(y_true, y_pred):
    """Hinge loss: `mean(maximum(1 - y_true * y_pred, 0), axis=-1)`.

    `y_true` should be -1 or 1; labels that are all 0 or 1 are mapped to -1/1.

    Args:
        y_true: Ground truth labels, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted scores, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(hinge([[1.0, 0.0]], [[0.5, -2.0]])[0])
    0.25
    """
    y_true, y_pred = same_shape_pair("hinge", y_true, y_pred, broadcast=True)
    y_true = _to_signed_labels(y_true)
    return torch.mean(torch.clamp_min(1.0 - y_true * y_pred, 0.0), dim=-1)


@register_builtin("losses")
@register_builtin("metrics")
def squared_hinge(y_true, y_pred):
    """Squared hinge loss: `mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)`.

    `y_true` should be -1 or 1; labels that are all 0 or 1 are mapped to -1/1.

    Args:
        y_true: Ground truth labels, shape `(batch_size, d0, .. dN)`.
        y_pred: Predicted scores, same shape.

    Returns:
        Losses of shape `(batch_size, d0, .. dN-1)`.

    Example:

    >>> float(squared_hinge([[1.0, 0.0]], [[0.5, -2.0]])[0])
    0.125
    """
    y_true, y_pred = same_shape_pair("squared_hinge", y_true, y_pred, broadcast=True)
    y_true = _to_signed_labels(y_true)
    return torch.mean(torch.square(torch.clamp_min(1.0 - y_true * y_pred, 0.0)), dim=-1)


@register_builtin("losses")
@register_builtin("metrics")
def categorical_hinge(y_true, y_pred):
    """Categorical hinge loss for one-hot labels.

    `maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)` over
    the last axis.

    Args:
        y_true: One-hot labels, shape `(batch_size, num_classes)`.
        y_pred: Predicted scores, same shape.

    Returns:
        Losses of shape `(batch_size,)`.

    Example:

    >>> round(float(categorical_hinge([[0.0, 1.0]], [[0.3, 0.9]])[0]), 5)
    0.4
    """
    y_true, y_pred = convert_pair("categorical_hinge", y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise shape_error("categorical_hinge", y_true, y_pred)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp_min(neg - pos + 1.0, 0.0)


def _sum(x, axis):
    return torch.sum(x) if axis is None else torch.sum(x, dim=axis)


@register_builtin("losses")
def dice(y_true, y_pred, axis=None):
    """Dice loss: `1 - 2 * sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + 1e-7)`.

    Args:
        y_true: Ground truth masks.
        y_pred: Predicted masks, same shape.
        axis: Axes summed over; `None` (default) sums everything and returns
            a scalar.

    Returns:
        The Dice loss, with `axis` reduced.

    Example:

    >>> round(float(dice([[1.0, 0.0]], [[1.0, 0.0]])), 5)
    0.0
    """
    y_true, y_pred = same_shape_pair("dice", y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    union = _sum(y_true, axis) + _sum(y_pred, axis) + EPSILON
    return 1 - (2.0 * intersection) / union


@register_builtin("losses")
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Tversky loss, a Dice loss that weighs false positives and negatives.

    `1 - tp / (tp + alpha * fp + beta * fn + 1e-7)`, with
    `tp = sum(y_true * y_pred)`, `fp = sum((1 - y_pred) * y_true)` and
    `fn = sum(y_pred * (1 - y_true))`, as Keras 3 defines them.

    Args:
        y_true: Ground truth masks.
        y_pred: Predicted masks, same shape.
        alpha: Weight of `fp`.
        beta: Weight of `fn`.
        axis: Axes summed over; `None` (default) sums everything.

    Returns:
        The Tversky loss, with `axis` reduced.

    Example:

    >>> round(float(tversky([[1.0, 0.0]], [[1.0, 0.0]])), 5)
    0.0
    """
    y_true, y_pred = same_shape_pair("tversky", y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    fp = _sum((1 - y_pred) * y_true, axis)
    fn = _sum(y_pred * (1 - y_true), axis)
    return 1 - intersection / (intersection + fp * alpha + fn * beta + EPSILON)
