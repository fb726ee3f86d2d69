"""The per-sample loss formulas the metrics average.

The plain ones are `capas.keras.losses`'s own functions (one implementation of
Keras's numerics); what stays here are the metric-only variants (the masked
sparse crossentropy, huber and the focal losses' metric forms).
"""

import torch
import torch.nn.functional as F

from capas.keras.metrics._utils import EPSILON
from capas.ops._convert import convert_to_tensor

# One implementation of each formula: the metrics average the loss functions themselves.
from capas.keras.losses.losses import mean_squared_error as mean_squared_error  # noqa: E402,F401
from capas.keras.losses.losses import mean_absolute_error as mean_absolute_error  # noqa: E402,F401
from capas.keras.losses.losses import mean_absolute_percentage_error as mean_absolute_percentage_error  # noqa: E402,F401
from capas.keras.losses.losses import mean_squared_logarithmic_error as mean_squared_logarithmic_error  # noqa: E402,F401
from capas.keras.losses.losses import log_cosh as log_cosh  # noqa: E402,F401
from capas.keras.losses.losses import hinge as hinge  # noqa: E402,F401
from capas.keras.losses.losses import squared_hinge as squared_hinge  # noqa: E402,F401
from capas.keras.losses.losses import categorical_hinge as categorical_hinge  # noqa: E402,F401
from capas.keras.losses.losses import kl_divergence as kl_divergence  # noqa: E402,F401
from capas.keras.losses.losses import poisson as poisson  # noqa: E402,F401
from capas.keras.losses.crossentropy import binary_crossentropy as binary_crossentropy  # noqa: E402,F401
from capas.keras.losses.crossentropy import categorical_crossentropy as categorical_crossentropy  # noqa: E402,F401
from capas.keras.losses.crossentropy import sparse_categorical_crossentropy as sparse_categorical_crossentropy  # noqa: E402,F401
from capas.keras.losses.crossentropy import binary_focal_crossentropy as binary_focal_crossentropy  # noqa: E402,F401
from capas.keras.losses.crossentropy import categorical_focal_crossentropy as categorical_focal_crossentropy  # noqa: E402,F401
from capas.keras.losses.losses import huber as huber  # noqa: E402,F401


def sparse_categorical_crossentropy_with_mask(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
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
