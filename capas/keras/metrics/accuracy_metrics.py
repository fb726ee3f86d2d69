"""Accuracy metrics: the functions (`binary_accuracy`, ...) and their `Mean` wrappers.

Each function returns one 0/1 value per sample; each class averages it.
These run every training step, so each is a few fused torch ops: an
`argmax` or a comparison, an `eq`, a cast, and the `Mean`'s sum and adds.
"""

import torch

from capas.keras.metrics import _utils
from capas.keras.metrics._utils import squeeze_or_expand_to_same_rank
from capas.keras.metrics.reduction_metrics import MeanMetricWrapper
from capas.ops._convert import convert_to_tensor
from capas.keras.saving.object_registration import register_builtin


def _as_float(x):
    x = convert_to_tensor(x)
    return x if x.is_floating_point() else x.to(torch.float32)


def _on(x, like, dtype=None):
    x = convert_to_tensor(x, dtype=dtype)
    return x.to(like.device) if x.device != like.device else x


def _accuracy_matches(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    y_true = _on(y_true, y_pred, dtype=y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return torch.eq(y_true, y_pred)


@register_builtin("metrics")
def accuracy(y_true, y_pred):
    """1.0 where `y_true == y_pred`, else 0.0 (ranks matched as Keras does)."""
    return _accuracy_matches(y_true, y_pred).to(torch.float32)


def _binary_matches(y_true, y_pred, threshold=0.5):
    y_pred = convert_to_tensor(y_pred)
    y_true = _on(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return torch.eq(y_true, torch.gt(y_pred, threshold))  # bool promotes to y_true's dtype


@register_builtin("metrics")
def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `(y_pred > threshold) == y_true`, else 0.0.

    Args:
        y_true: ground truth 0/1 values.
        y_pred: predicted probabilities (or scores).
        threshold: the value above which a prediction counts as 1.

    Returns:
        A float32 tensor of matches, the shape of the rank-matched inputs.
    """
    return _binary_matches(y_true, y_pred, threshold).to(torch.float32)


@register_builtin("metrics")
def categorical_accuracy(y_true, y_pred):
    """1.0 where the argmax of one-hot `y_true` equals the argmax of `y_pred`."""
    return _categorical_matches(y_true, y_pred).to(torch.float32)


def _categorical_matches(y_true, y_pred):
    y_pred = _as_float(y_pred)
    y_true = _on(y_true, y_pred)
    true_ids = torch.argmax(y_true, dim=-1)
    reshape = None
    if true_ids.dim() == y_pred.dim():
        reshape = true_ids.shape
        true_ids = true_ids.squeeze(-1)
    matches = torch.eq(true_ids, torch.argmax(y_pred, dim=-1))
    return matches.reshape(reshape) if reshape is not None else matches


@register_builtin("metrics")
def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label `y_true` equals the argmax of `y_pred`."""
    return _sparse_matches(y_true, y_pred).to(torch.float32)


def _sparse_matches(y_true, y_pred):
    y_pred = _as_float(y_pred)
    y_true = _on(y_true, y_pred)
    reshape = None
    if y_true.dim() == y_pred.dim() and y_true.shape[-1] == 1:
        reshape = y_true.shape
        y_true = y_true.squeeze(-1)
    matches = torch.eq(y_true, torch.argmax(y_pred, dim=-1))
    if reshape is not None:
        matches = matches.reshape(reshape)
    if matches.dim() > 1 and matches.shape[-1] == 1:
        matches = matches.squeeze(-1)
    return matches


def _in_top_k(targets, predictions, k):
    # A target is in the top k when its score reaches the k-th largest score
    # (ties count as hits, as in Keras's torch backend).
    k = min(int(k), predictions.shape[-1])
    kth = torch.topk(predictions, k, dim=-1).values[..., -1]
    target_scores = torch.gather(predictions, -1, targets.long().unsqueeze(-1)).squeeze(-1)
    return torch.ge(target_scores, kth)


@register_builtin("metrics")
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the class of one-hot `y_true` is among the `k` highest scores."""
    y_pred = _as_float(y_pred)
    y_true = _on(y_true, y_pred, dtype=y_pred.dtype)
    true_ids = torch.argmax(y_true, dim=-1)
    shape = true_ids.shape
    if y_pred.dim() > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    if true_ids.dim() > 1:
        true_ids = true_ids.reshape(-1)
    matches = _in_top_k(true_ids, y_pred, k).to(torch.float32)
    return matches.reshape(shape) if len(shape) > 1 else matches


@register_builtin("metrics")
def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label `y_true` is among the `k` highest scores.

    With `from_sorted_ids=True`, `y_pred` holds class ids sorted by score
    (best first) and a hit is `y_true` among its first `k` columns.
    """
    y_pred = convert_to_tensor(y_pred)
    if not from_sorted_ids and not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.float32)
    y_true = _on(y_true, y_pred)
    shape = y_true.shape
    if y_pred.dim() > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    if y_true.dim() > 1:
        y_true = y_true.reshape(-1)
    if from_sorted_ids:
        matches = torch.any(torch.eq(y_true.unsqueeze(1), y_pred[:, :k]), dim=1)
    else:
        matches = _in_top_k(y_true, y_pred, k)
    matches = matches.to(torch.float32)
    return matches.reshape(shape) if len(shape) > 1 else matches


class _MatchesMean(MeanMetricWrapper):
    """A `MeanMetricWrapper` over 0/1 matches, with the per-step fast path.

    Without weights or masks, the boolean matches of a batch go straight into
    the state: `argmax`/compare, `eq`, one `sum` and two in-place adds.
    """

    _matches = None  # the boolean twin of the wrapped public function

    def update_state(self, y_true, y_pred, sample_weight=None):
        if sample_weight is not None or _utils.keras_mask(y_pred) is not None:
            return super().update_state(y_true, y_pred, sample_weight=sample_weight)
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred)
        matches = type(self)._matches(y_true, y_pred, **self._fn_kwargs)
        if matches.dim() >= 1 and matches.numel() == matches.shape[0]:  # (batch,) or (batch, 1)
            self.total.add_(matches.sum())
            self.count.add_(matches.shape[0])
            return
        values = matches.to(self._torch_dtype)
        if values.dim() > 1:
            values = values.mean(dim=tuple(range(1, values.dim())))
        self._accumulate(values, None)


@register_builtin("metrics", "accuracy")
class Accuracy(_MatchesMean):
    """How often predictions equal labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = Accuracy()
    >>> float(m([[1], [2], [3], [4]], [[0], [2], [3], [4]]))
    0.75
    """

    _matches = staticmethod(_accuracy_matches)

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "binary_accuracy")
class BinaryAccuracy(_MatchesMean):
    """How often `y_pred > threshold` matches the binary labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        threshold: (Optional) float above which a prediction is 1.

    Example:

    >>> m = BinaryAccuracy()
    >>> float(m([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]))
    0.75
    """

    _matches = staticmethod(_binary_matches)

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


@register_builtin("metrics", "categorical_accuracy")
class CategoricalAccuracy(_MatchesMean):
    """How often the argmax of the predictions matches the one-hot labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = CategoricalAccuracy()
    >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    _matches = staticmethod(_categorical_matches)

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "sparse_categorical_accuracy")
class SparseCategoricalAccuracy(_MatchesMean):
    """How often the argmax of the predictions matches the integer labels.

    Args:
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = SparseCategoricalAccuracy()
    >>> float(m([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]))
    0.5
    """

    _matches = staticmethod(_sparse_matches)

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin("metrics", "top_k_categorical_accuracy")
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target is among the `k` highest predictions.

    Args:
        k: (Optional) number of top elements to look at. Defaults to 5.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Differs from Keras: a `k` larger than the number of classes counts every
    prediction as a hit (Keras's torch backend raises).

    Example:

    >>> m = TopKCategoricalAccuracy(k=1)
    >>> float(m([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


@register_builtin("metrics", "sparse_top_k_categorical_accuracy")
class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is among the `k` highest predictions.

    Args:
        k: (Optional) number of top elements to look at. Defaults to 5.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        from_sorted_ids: (Optional) when True, `y_pred` holds class ids
            sorted by score, best first, instead of scores.

    Example:

    >>> m = SparseTopKCategoricalAccuracy(k=1)
    >>> float(m([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
