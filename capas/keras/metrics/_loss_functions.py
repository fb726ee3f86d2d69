"""The per-sample loss formulas the metrics average, with Keras 3's numerics.

These mirror `keras.losses` functions (epsilon placement, clipping, label
smoothing). Metrics keep their own copy so that they depend on no trainer
or loss object; `capas.keras.losses` exposes the public loss functions.
"""

import math

import torch
import torch.nn.functional as F

from capas.keras.metrics._utils import EPSILON, squeeze_or_expand_to_same_rank
from capas.ops._convert import convert_to_tensor


def _pair(y_true, y_pred, match_rank=True):
    y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.float32)
    y_true = convert_to_tensor(y_true, dtype=y_pred.dtype)
    if y_true.device != y_pred.device:
        y_true = y_true.to(y_pred.device)
    if match_rank:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    diff = torch.abs((y_true - y_pred) / torch.clamp(torch.abs(y_true), min=EPSILON))
    return 100.0 * torch.mean(diff, dim=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    first = torch.log(torch.clamp(y_pred, min=EPSILON) + 1.0)
    second = torch.log(torch.clamp(y_true, min=EPSILON) + 1.0)
    return torch.mean(torch.square(first - second), dim=-1)


def log_cosh(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return torch.mean(x + F.softplus(x * -2.0) - math.log(2.0), dim=-1)


def _hinge_labels(y_true):
    # 0/1 labels become -1/1; anything else is used as given (no host sync).
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.clamp(1.0 - y_true * y_pred, min=0.0), dim=-1)


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    y_true = _hinge_labels(y_true)
    return torch.mean(torch.square(torch.clamp(1.0 - y_true * y_pred, min=0.0)), dim=-1)


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    pos = torch.sum(y_true * y_pred, dim=-1)
    neg = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


def kl_divergence(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    y_true = torch.clamp(y_true, EPSILON, 1.0)
    y_pred = torch.clamp(y_pred, EPSILON, 1.0)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


def poisson(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    return torch.mean(y_pred - y_true * torch.log(y_pred + EPSILON), dim=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "binary_crossentropy: `y_true` and `y_pred` must have the same shape, received "
            f"y_true.shape={tuple(y_true.shape)} and y_pred.shape={tuple(y_pred.shape)}."
        )
    if from_logits:
        values = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    else:
        y_pred = torch.clamp(y_pred, EPSILON, 1.0 - EPSILON)
        values = F.binary_cross_entropy(y_pred, y_true, reduction="none")
    return torch.mean(values, dim=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    if y_true.shape != y_pred.shape or y_pred.dim() < 1:
        raise ValueError(
            "categorical_crossentropy: `y_true` (one-hot) and `y_pred` must have the same "
            f"shape, received y_true.shape={tuple(y_true.shape)} and "
            f"y_pred.shape={tuple(y_pred.shape)}. For integer labels use "
            "sparse_categorical_crossentropy."
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[-1]
    if from_logits:
        log_prob = F.log_softmax(y_pred, dim=axis)
    else:
        y_pred = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clamp(y_pred, EPSILON, 1.0 - EPSILON))
    return -torch.sum(y_true * log_prob, dim=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    values, _ = sparse_categorical_crossentropy_with_mask(
        y_true, y_pred, from_logits=from_logits, ignore_class=ignore_class, axis=axis
    )
    return values


def sparse_categorical_crossentropy_with_mask(
    y_true, y_pred, from_logits=False, ignore_class=None, axis=-1
):
    """Per-sample crossentropy and the validity mask (None without `ignore_class`)."""
    y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.float32)
    y_true = convert_to_tensor(y_true)
    if y_true.device != y_pred.device:
        y_true = y_true.to(y_pred.device)
    if y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    class_axis = axis % y_pred.dim()
    expected = tuple(d for i, d in enumerate(y_pred.shape) if i != class_axis)
    if tuple(y_true.shape) != expected:
        raise ValueError(
            "sparse_categorical_crossentropy: `y_true` must hold one integer label per "
            f"sample, of shape {expected} for y_pred.shape={tuple(y_pred.shape)}; received "
            f"y_true.shape={tuple(y_true.shape)}."
        )
    valid = None
    if ignore_class is not None:
        valid = y_true != ignore_class
        y_true = torch.where(valid, y_true, torch.zeros_like(y_true))
        y_pred = torch.where(valid.unsqueeze(class_axis), y_pred, torch.zeros_like(y_pred))
    target = y_true.long()
    logits = y_pred.movedim(class_axis, 1) if y_pred.dim() > 1 else y_pred.unsqueeze(0)
    target = target if y_pred.dim() > 1 else target.unsqueeze(0)
    if from_logits:
        values = F.cross_entropy(logits, target, reduction="none")
    else:
        probs = logits / torch.sum(logits, dim=1, keepdim=True)
        values = F.nll_loss(torch.log(torch.clamp(probs, EPSILON, 1.0 - EPSILON)), target, reduction="none")
    if y_pred.dim() == 1:
        values = values.squeeze(0)
    if valid is not None:
        values = torch.where(valid, values, torch.zeros_like(values))
    return values, valid


# keras.metrics also exposes these loss functions; they live in capas.keras.losses
# and are imported at call time so that metrics import without the losses package.
def huber(y_true, y_pred, delta=1.0):
    """The Huber loss per sample (see `capas.keras.losses.huber`)."""
    from capas.keras import losses

    return losses.huber(y_true, y_pred, delta=delta)


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """The binary focal crossentropy per sample (see `capas.keras.losses`)."""
    from capas.keras import losses

    return losses.binary_focal_crossentropy(
        y_true,
        y_pred,
        apply_class_balancing=apply_class_balancing,
        alpha=alpha,
        gamma=gamma,
        from_logits=from_logits,
        label_smoothing=label_smoothing,
        axis=axis,
    )


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """The categorical focal crossentropy per sample (see `capas.keras.losses`)."""
    from capas.keras import losses

    return losses.categorical_focal_crossentropy(
        y_true,
        y_pred,
        alpha=alpha,
        gamma=gamma,
        from_logits=from_logits,
        label_smoothing=label_smoothing,
        axis=axis,
    )
