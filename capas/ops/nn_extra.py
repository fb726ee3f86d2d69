"""Smaller `tf.nn` ops: `crelu`, `local_response_normalization`, `log_poisson_loss`, `in_top_k`, moments helpers, `zero_fraction`."""

import math

import torch
import torch.nn.functional as F

from capas.ops._recording import op
from capas.ops._utils import to_tensor


def _axes(axes, ndim):
    if axes is None:
        return list(range(ndim))
    if isinstance(axes, int):
        return [axes]
    return [int(a) for a in (axes.tolist() if isinstance(axes, torch.Tensor) else axes)]


@op
def crelu(features, axis=-1, name=None):
    """`concat([relu(x), relu(-x)], axis)`: doubles the size of `axis`."""
    x = to_tensor(features)
    return torch.cat([F.relu(x), F.relu(-x)], dim=axis)


@op
def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, name=None):  # noqa: A002
    """`x / (bias + alpha * sum of x**2 over depth_radius neighbours on the last axis) ** beta`."""
    x = to_tensor(input)
    if x.dim() != 4:
        raise ValueError(
            f"tf.nn.local_response_normalization: input must be 4-D (as TF); received shape {tuple(x.shape)}."
        )
    r = int(depth_radius)
    squares = F.pad(x * x, (r, r))
    window = squares.unfold(-1, 2 * r + 1, 1).sum(-1)
    return x / torch.pow(bias + alpha * window, beta)


lrn = local_response_normalization


@op
def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """`exp(log_input) - log_input * targets`, plus Stirling's term for targets > 1 with `compute_full_loss`."""
    log_input = to_tensor(log_input)
    targets = to_tensor(targets, dtype=log_input.dtype)
    if targets.shape != log_input.shape:
        raise ValueError(
            f"tf.nn.log_poisson_loss: `targets` {tuple(targets.shape)} and `log_input` {tuple(log_input.shape)} "
            "must have the same shape."
        )
    result = torch.exp(log_input) - log_input * targets
    if compute_full_loss:
        stirling = targets * torch.log(targets) - targets + 0.5 * torch.log(2 * math.pi * targets)
        result = result + torch.where(targets <= 1, torch.zeros_like(stirling), stirling)
    return result


@op
def in_top_k(targets, predictions, k, name=None):
    """Whether each target's prediction is among the `k` largest of its row (ties at the boundary count as in).

    Rows holding any non-finite prediction give False, as in TF.
    """
    predictions = to_tensor(predictions)
    targets = to_tensor(targets).to(torch.int64)
    if predictions.dim() != 2 or targets.dim() != 1 or targets.shape[0] != predictions.shape[0]:
        raise ValueError(
            f"tf.nn.in_top_k: `predictions` must be [batch, classes] and `targets` [batch]; received "
            f"{tuple(predictions.shape)} and {tuple(targets.shape)}."
        )
    classes = predictions.shape[1]
    valid = (targets >= 0) & (targets < classes)
    target_values = predictions.gather(1, targets.clamp(0, classes - 1)[:, None])
    above = (predictions > target_values).sum(1)
    return valid & torch.isfinite(predictions).all(1) & (above < int(k))


@op
def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """`(count, sum of x - shift, sum of squares of x - shift, shift)` over `axes` (the inputs of `normalize_moments`)."""
    x = to_tensor(x)
    axes = _axes(axes, x.dim())
    count = 1
    for a in axes:
        count *= x.shape[a]
    counts = torch.tensor(count, dtype=x.dtype, device=x.device)
    centered = x if shift is None else x - to_tensor(shift, dtype=x.dtype)
    mean_ss = centered.sum(dim=axes, keepdim=keepdims)
    var_ss = (centered * centered).sum(dim=axes, keepdim=keepdims)
    return counts, mean_ss, var_ss, (None if shift is None else to_tensor(shift, dtype=x.dtype))


@op
def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """`(mean, variance)` from the sufficient statistics."""
    mean_ss = to_tensor(mean_ss)
    divisor = 1.0 / to_tensor(counts, dtype=mean_ss.dtype)
    shifted_mean = mean_ss * divisor
    mean = shifted_mean if shift is None else shifted_mean + to_tensor(shift, dtype=mean_ss.dtype)
    variance = to_tensor(variance_ss, dtype=mean_ss.dtype) * divisor - shifted_mean * shifted_mean
    return mean, variance


@op
def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """`(mean, variance)` of `x` over `axes` with each element counted `frequency_weights` times."""
    x = to_tensor(x)
    weights = to_tensor(frequency_weights, dtype=x.dtype)
    axes = _axes(axes, x.dim())
    weighted_sum = (weights * x).sum(dim=axes, keepdim=True)
    broadcast_weights = weights + torch.zeros_like(x)
    divisor = 1.0 / broadcast_weights.sum(dim=axes, keepdim=True)
    mean = weighted_sum * divisor
    variance = (broadcast_weights * (x - mean) ** 2).sum(dim=axes, keepdim=True) * divisor
    if not keepdims:
        for a in sorted((a % x.dim() for a in axes), reverse=True):
            mean = mean.squeeze(a)
            variance = variance.squeeze(a)
    return mean, variance


@op
def zero_fraction(value, name=None):
    """The fraction of zeros in `value`, as a float32 scalar."""
    x = to_tensor(value)
    if x.numel() == 0:
        return torch.tensor(float("nan"), dtype=torch.float32)
    return (x == 0).to(torch.float32).mean()
