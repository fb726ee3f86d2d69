"""F-scores: `FBetaScore` and `F1Score`, per class or averaged (micro, macro, weighted)."""

import torch

from capas.keras.metrics import _utils
from capas.keras.metrics.metric import Metric
from capas.keras.saving.object_registration import register_builtin


@register_builtin("metrics", "f_beta_score")
class FBetaScore(Metric):
    """The F-beta score: `(1 + beta^2) * precision * recall / (beta^2 * precision + recall)`.

    Inputs are 2D, `(batch_size, num_classes)`: one-hot (or multi-hot) labels
    and scores. Without `threshold` the highest score of each row counts as
    the predicted class; with it, every score above `threshold` does.

    Args:
        average: (Optional) `None` (one score per class), `"micro"`
            (global counts), `"macro"` (unweighted mean of the class scores)
            or `"weighted"` (mean weighted by each class's support).
        beta: (Optional) a Python float > 0, the weight of recall. Defaults to 1.0.
        threshold: (Optional) a Python float in (0, 1].
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Returns:
        A tensor of shape `(num_classes,)`, or a scalar when averaged.

    Example:

    >>> m = FBetaScore(beta=2.0, threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> [round(v, 4) for v in m.result().tolist()]
    [0.3846, 0.9091, 0.8333]
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                f"{type(self).__name__}: invalid `average` argument value. Expected one of: "
                f"{{None, 'micro', 'macro', 'weighted'}}. Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                f"{type(self).__name__}: invalid `beta` argument value. It should be a Python "
                f"float. Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"{type(self).__name__}: invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    f"{type(self).__name__}: invalid `threshold` argument value. It should be a "
                    f"Python float. Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    f"{type(self).__name__}: invalid `threshold` argument value. It should "
                    f"verify 0 < threshold <= 1. Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, num_classes):
        shape = () if self.average == "micro" else (num_classes,)
        for name in ("true_positives", "false_positives", "false_negatives", "intermediate_weights"):
            setattr(self, name, self.add_variable(shape=shape, initializer="zeros", dtype=self.dtype, name=name))
        self._num_classes = num_classes
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the per-class (or global) counts of the batch."""
        dtype = self._torch_dtype
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
        y_true = _utils.to_tensor(self, y_true, dtype, "y_true")
        y_pred = _utils.to_tensor(self, y_pred, dtype, "y_pred").to(y_true.device)
        if y_true.dim() != 2 or y_pred.dim() != 2 or y_true.shape != y_pred.shape:
            raise ValueError(
                f"{type(self).__name__} metric '{self.name}' expects 2D inputs of the same shape "
                f"(batch_size, output_dim). Received input shapes: y_pred.shape="
                f"{tuple(y_pred.shape)} and y_true.shape={tuple(y_true.shape)}."
            )
        if self._built and y_pred.shape[-1] != self._num_classes:
            raise ValueError(
                f"{type(self).__name__} metric '{self.name}' was built for {self._num_classes} "
                f"classes, received y_pred.shape={tuple(y_pred.shape)}."
            )
        if self.threshold is None:
            top = torch.amax(y_pred, dim=-1, keepdim=True)
            predicted = (y_pred >= top) & (torch.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.to(dtype)
        weight = None
        if sample_weight is not None:
            weight = _utils.to_tensor(self, sample_weight, dtype, "sample_weight").to(y_true.device)
            _utils.check_broadcastable(self, y_true.shape, weight.unsqueeze(1).shape, ("y_true", "sample_weight"))

        def weighted_sum(values):
            if weight is not None:
                values = values * weight.unsqueeze(1)
            return values.sum() if self.axis is None else values.sum(dim=self.axis)

        increments = (
            weighted_sum(predicted * y_true),
            weighted_sum(predicted * (1 - y_true)),
            weighted_sum((1 - predicted) * y_true),
            weighted_sum(y_true),
        )
        if not self._built:
            self._build(y_pred.shape[-1])
        self.true_positives.add_(increments[0])
        self.false_positives.add_(increments[1])
        self.false_negatives.add_(increments[2])
        self.intermediate_weights.add_(increments[3])

    def result(self):
        if not self._built:
            raise ValueError(
                f"{type(self).__name__} metric '{self.name}' has no result yet: call "
                "`update_state` first (the number of classes comes from the first batch)."
            )
        eps = _utils.EPSILON
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + eps)
        recall = tp / (tp + self.false_negatives + eps)
        beta_sq = self.beta**2
        score = precision * recall / (beta_sq * precision + recall + eps) * (1 + beta_sq)
        if self.average == "weighted":
            weights = self.intermediate_weights / (self.intermediate_weights.sum() + eps)
            return (score * weights).sum()
        if self.average is not None:
            return score.mean()
        return score

    def get_config(self):
        config = {
            "name": self.name,
            "dtype": self.dtype,
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }
        return {**super().get_config(), **config}


@register_builtin("metrics", "f1_score")
class F1Score(FBetaScore):
    """The F1 score, the harmonic mean of precision and recall (`FBetaScore` with beta=1).

    Args:
        average: (Optional) `None`, `"micro"`, `"macro"` or `"weighted"`.
        threshold: (Optional) a Python float in (0, 1].
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = F1Score(threshold=0.5)
    >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    ...                [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
    >>> [round(v, 4) for v in m.result().tolist()]
    [0.5, 0.8, 0.6667]
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
