"""Metric-learning loss: Circle loss (function `circle` and class `Circle`)."""

import torch
import torch.nn.functional as F

from capas.keras.losses._common import as_tensor
from capas.keras.losses.loss import LossInputError
from capas.keras.losses.loss_function_wrapper import _BuiltinLoss
from capas.keras.saving.object_registration import register_builtin


@register_builtin("losses")
def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80, margin=0.4):
    """Circle loss over pairwise cosine distances (Sun et al., 2020).

    Pairs with equal labels are pulled together and others pushed apart, each
    pair weighted by how far it is from its optimum. Samples with zero loss
    are masked out of the `"sum_over_batch_size"` average, as in Keras.

    Args:
        y_true: Integer labels, shape `(batch_size,)`.
        y_pred: L2-normalized embeddings, shape `(batch_size, dim)`.
        ref_labels: Optional labels of reference embeddings (default `y_true`).
        ref_embeddings: Optional reference embeddings (default `y_pred`).
        remove_diagonal: Ignore each sample paired with itself.
        gamma: The scale factor.
        margin: The relaxation margin.

    Returns:
        Losses of shape `(batch_size,)`.

    Example:

    >>> import torch
    >>> emb = torch.nn.functional.normalize(torch.tensor([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]), dim=1)
    >>> tuple(circle([0, 0, 1], emb).shape)
    (3,)
    """
    y_pred = as_tensor(y_pred, "circle", "y_pred")
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.float32)
    y_true = as_tensor(y_true, "circle", "y_true", device=y_pred.device).to(torch.int64)
    if y_pred.dim() != 2:
        raise LossInputError(
            f"circle expects embeddings y_pred of shape (batch_size, dim). "
            f"Received: y_pred.shape={tuple(y_pred.shape)}."
        )
    if ref_embeddings is None:
        ref_embeddings = y_pred
    else:
        ref_embeddings = as_tensor(ref_embeddings, "circle", "ref_embeddings", device=y_pred.device)
    if ref_labels is None:
        ref_labels = y_true
    else:
        ref_labels = as_tensor(ref_labels, "circle", "ref_labels", device=y_pred.device).to(torch.int64)
    distances = torch.clamp_min(1 - y_pred @ ref_embeddings.T, 0.0)
    positive = y_true.reshape(-1, 1) == ref_labels.reshape(1, -1)
    negative = ~positive
    if remove_diagonal:
        eye = torch.eye(y_true.numel(), ref_labels.numel(), dtype=torch.bool, device=y_pred.device)
        positive = positive & ~eye
    pos_weights = torch.clamp_min((margin + distances) * positive.to(distances.dtype), 0.0)
    neg_weights = torch.clamp_min(((1 + margin) - distances) * negative.to(distances.dtype), 0.0)
    pos_logits = -1 * gamma * pos_weights * (margin - distances)
    neg_logits = gamma * neg_weights * ((1 - margin) - distances)
    minus_inf = torch.full_like(distances, float("-inf"))
    p_loss = torch.logsumexp(torch.where(positive, pos_logits, minus_inf), dim=1)
    n_loss = torch.logsumexp(torch.where(negative, neg_logits, minus_inf), dim=1)
    loss = F.softplus(p_loss + n_loss)
    loss._keras_mask = loss > 0
    return loss


circle._integer_labels = True  # `y_true` holds class indices


@register_builtin("losses")
class Circle(_BuiltinLoss):
    """Circle loss for metric learning on L2-normalized embeddings.

    `y_true`: integer labels `(batch_size,)`; `y_pred`: embeddings
    `(batch_size, dim)`, e.g. the output of a `UnitNormalization` layer.

    Args:
        gamma: The scale factor.
        margin: The relaxation margin.
        remove_diagonal: Ignore each sample paired with itself.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> import torch
    >>> emb = torch.nn.functional.normalize(torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]]), dim=1)
    >>> float(Circle()([0, 0, 1], emb)) > 0
    True
    """

    _config_keys = ("gamma", "margin", "remove_diagonal")

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        self._init_builtin(circle, name, reduction, dtype, gamma=gamma, margin=margin, remove_diagonal=remove_diagonal)
