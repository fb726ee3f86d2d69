"""Vectorised true/false positive/negative counts at many thresholds at once.

`confusion_counts` returns the increments for one batch; the metric adds them
to its state only after every check passed, so a bad batch changes nothing.

Two paths, as in Keras, so that the counts agree with Keras bit for bit at
bucket edges:

* evenly spaced thresholds (AUC's default 200, the `*AtRecall` family): each
  prediction falls in one bucket `ceil(p * (T - 1)) - 1`; a scatter-add
  fills the buckets and a reversed cumulative sum turns them into
  "prediction above threshold i" counts. O(N + T).
* any other thresholds: one broadcast comparison `(T, N)` and a matrix
  product with the weighted labels. O(N * T), T is small here.
"""

import numpy as np
import torch

from capas.keras.metrics import _utils

NEG_INF = -1e10


def parse_thresholds(metric, thresholds, default):
    """`thresholds` as a list of floats in [0, 1] (`default` when None)."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    bad = [t for t in values if t is None or t < 0 or t > 1]
    if bad:
        raise ValueError(f"{type(metric).__name__}: threshold values must be in [0, 1]. Received: {bad}")
    return [float(t) for t in values]


def evenly_spaced(thresholds):
    """True when `thresholds` are `[0, 1/(T-1), ..., 1]` (T >= 3), Keras's test."""
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=_utils.EPSILON))


def filter_top_k(x, k):
    """Keep the `k` largest values of the last axis; the rest become -1e10."""
    k = min(int(k), x.shape[-1])
    keep = torch.zeros_like(x, dtype=torch.bool)
    keep.scatter_(-1, torch.topk(x, k, dim=-1).indices, True)
    return torch.where(keep, x, torch.full((), NEG_INF, dtype=x.dtype, device=x.device))


def confusion_counts(
    metric,
    kinds,
    y_true,
    y_pred,
    thresholds,
    evenly=False,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
    device=None,
    dtype=torch.float32,
):
    """The batch's counts `{kind: tensor}` for `kinds` (a subset of tp/fp/tn/fn).

    Each tensor has shape `(T,)`, or `(T, num_labels)` when `multi_label`.
    """
    _utils.reject_strings(metric, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    y_pred = _utils.to_tensor(metric, y_pred, what="y_pred")
    device = device if device is not None else y_pred.device
    y_pred = y_pred.to(device=device, dtype=dtype)
    y_true = _utils.to_tensor(metric, y_true, what="y_true").to(device=device, dtype=dtype)
    y_pred, y_true = _utils.squeeze_or_expand_to_same_rank(y_pred, y_true)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"{type(metric).__name__} metric '{metric.name}' needs `y_true` and `y_pred` of "
            f"the same shape; received y_true.shape={tuple(y_true.shape)} and "
            f"y_pred.shape={tuple(y_pred.shape)}."
        )
    if multi_label and y_pred.dim() != 2:
        raise ValueError(
            f"{type(metric).__name__} metric '{metric.name}' with multi_label=True needs "
            f"`y_pred` of rank 2 (batch_size, num_labels); received shape {tuple(y_pred.shape)}."
        )
    if sample_weight is not None:
        weight = _utils.to_tensor(metric, sample_weight, what="sample_weight")
        weight = weight.to(device=device, dtype=dtype).unsqueeze(-1)
        _, weight = _utils.squeeze_or_expand_to_same_rank(y_true, weight, expand_rank_1=False)
        sample_weight = weight
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.dim() == 1:
            raise ValueError(
                f"{type(metric).__name__} metric '{metric.name}': with class_id, y_pred must "
                "be a 2D array of shape (num_samples, num_classes); found shape "
                f"{tuple(y_pred.shape)}."
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    weights = _weights(metric, y_pred, sample_weight, label_weights, multi_label)
    if not multi_label:
        y_true = y_true.reshape(-1)
        y_pred = y_pred.reshape(-1)
    if evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        return _bucketed(kinds, y_true, y_pred, weights, len(thresholds), with_epsilon)
    thresholds_t = _thresholds_on(metric, thresholds, device, dtype)
    return _compared(kinds, y_true, y_pred, weights, thresholds_t, multi_label)


def _thresholds_on(metric, thresholds, device, dtype):
    # Built once per device: a host-to-device copy every step would stall CUDA.
    cache = vars(metric).get("_thresholds_cache")
    if cache is None:
        cache = metric._thresholds_cache = {}  # a dict: Metric.__setattr__ tracks only variables and metrics
    key = (device, dtype)
    if key not in cache:
        cache[key] = torch.tensor(thresholds, dtype=dtype, device=device)
    return cache[key]


def _weights(metric, y_pred, sample_weight, label_weights, multi_label):
    weights = None
    if sample_weight is not None:
        try:
            weights = sample_weight.broadcast_to(y_pred.shape)
        except RuntimeError:
            raise ValueError(
                f"{type(metric).__name__} metric '{metric.name}': sample_weight of shape "
                f"{tuple(sample_weight.shape)} does not broadcast to y_pred of shape "
                f"{tuple(y_pred.shape)}. Pass one weight per sample."
            ) from None
    if label_weights is not None and not multi_label:
        label_weights = label_weights.to(device=y_pred.device, dtype=y_pred.dtype)
        label_weights = label_weights.unsqueeze(0).broadcast_to(y_pred.shape)
        weights = label_weights if weights is None else weights * label_weights
    if weights is None:
        return None
    return weights if multi_label else weights.reshape(-1)


def _bucketed(kinds, y_true, y_pred, weights, count, with_epsilon):
    positive = (y_true != 0).to(y_pred.dtype)
    true_labels = positive if weights is None else positive * weights
    false_labels = (1.0 - positive) if weights is None else (1.0 - positive) * weights
    y_pred = torch.clamp(y_pred, 0.0, 1.0)
    # A prediction p is above threshold i = k/(T-1) for every i < ceil(p (T-1)).
    buckets = torch.ceil(y_pred * (count - 1.0)) - 1.0
    if with_epsilon:
        buckets = torch.relu(buckets)
    # Shift by one so that bucket -1 (above no threshold) lands in a dropped slot.
    slots = buckets.long() + 1
    if y_pred.dim() == 2:  # multi-label: one histogram per label column
        labels = y_pred.shape[1]
        slots = slots * labels + torch.arange(labels, device=y_pred.device)
        shape = (count + 1, labels)
    else:
        shape = (count + 1,)
    size = int(np.prod(shape))

    def cumulative(values):
        hist = torch.zeros(size, dtype=values.dtype, device=values.device)
        hist.index_add_(0, slots.reshape(-1), values.reshape(-1))
        hist = hist.reshape(shape)[1:]
        return torch.flip(torch.cumsum(torch.flip(hist, (0,)), dim=0), (0,))

    out = {}
    if "tp" in kinds or "fn" in kinds:
        tp = cumulative(true_labels)
        if "tp" in kinds:
            out["tp"] = tp
        if "fn" in kinds:
            out["fn"] = true_labels.sum(dim=0) - tp
    if "fp" in kinds or "tn" in kinds:
        fp = cumulative(false_labels)
        if "fp" in kinds:
            out["fp"] = fp
        if "tn" in kinds:
            out["tn"] = false_labels.sum(dim=0) - fp
    return out


def _compared(kinds, y_true, y_pred, weights, thresholds, multi_label):
    positive = (y_true != 0).to(y_pred.dtype)
    true_labels = positive if weights is None else positive * weights
    false_labels = (1.0 - positive) if weights is None else (1.0 - positive) * weights
    shape = (-1,) + (1,) * y_pred.dim()
    above = torch.gt(y_pred.unsqueeze(0), thresholds.reshape(shape)).to(y_pred.dtype)
    below = 1.0 - above

    def count(pred_mask, labels):
        if multi_label:
            return torch.einsum("tnl,nl->tl", pred_mask, labels)
        return torch.mv(pred_mask, labels) if labels.numel() else pred_mask.sum(1)

    out = {}
    if "tp" in kinds:
        out["tp"] = count(above, true_labels)
    if "fp" in kinds:
        out["fp"] = count(above, false_labels)
    if "tn" in kinds:
        out["tn"] = count(below, false_labels)
    if "fn" in kinds:
        out["fn"] = count(below, true_labels)
    return out


def confusion_matrix(labels, predictions, num_classes, weights, dtype):
    """A `(num_classes, num_classes)` matrix: rows are labels, columns predictions."""
    flat = labels.long() * num_classes + predictions.long()
    matrix = torch.zeros(num_classes * num_classes, dtype=dtype, device=labels.device)
    matrix.index_add_(0, flat, weights.to(dtype))
    return matrix.reshape(num_classes, num_classes)
