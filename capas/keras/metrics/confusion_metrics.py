"""Confusion-matrix metrics: counts, `Precision`, `Recall`, the `*At*` family and `AUC`.

All of them accumulate true/false positive/negative counts at one or more
thresholds (a prediction is positive when it is *strictly above* the
threshold); `_confusion.py` computes a batch's counts for every threshold at
once. Results are computed from the counts with `divide_no_nan`, on device.
"""

import torch

from capas.keras.metrics import _confusion, _utils
from capas.keras.metrics.metric import Metric
from capas.keras.saving.object_registration import register_builtin

_FULL_NAMES = {
    "tp": "true_positives",
    "fp": "false_positives",
    "tn": "true_negatives",
    "fn": "false_negatives",
}


class _ConfusionMetric(Metric):
    """Shared plumbing: threshold list, count variables, and a checked update."""

    _kinds = ()

    def _make_counts(self, shape):
        for kind in self._kinds:
            setattr(
                self, _FULL_NAMES[kind], self.add_variable(shape=shape, initializer="zeros", name=_FULL_NAMES[kind])
            )

    def _update_counts(self, y_true, y_pred, sample_weight, **options):
        counts = _confusion.confusion_counts(
            self,
            self._kinds,
            y_true,
            y_pred,
            self._thresholds_list,
            evenly=self._evenly,
            sample_weight=sample_weight,
            device=self._device,
            **options,
        )
        for kind in self._kinds:  # only now, with every check passed
            getattr(self, _FULL_NAMES[kind]).add_(counts[kind])

    def _single(self, value):
        return value[0] if len(self._thresholds_list) == 1 else value


class _ConfusionMatrixConditionCount(_ConfusionMetric):
    def __init__(self, kind, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._kind = kind
        self.init_thresholds = thresholds
        self.thresholds = _confusion.parse_thresholds(self, thresholds, 0.5)
        self._thresholds_list = self.thresholds
        self._evenly = _confusion.evenly_spaced(self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),), initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the count of this condition at every threshold."""
        counts = _confusion.confusion_counts(
            self,
            (self._kind,),
            y_true,
            y_pred,
            self.thresholds,
            evenly=self._evenly,
            sample_weight=sample_weight,
            device=self._device,
        )
        self.accumulator.add_(counts[self._kind])

    def result(self):
        return self._single(self.accumulator.detach().clone())

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


@register_builtin("metrics", "true_positives")
class TruePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true positives: label 1, prediction above threshold.

    Args:
        thresholds: (Optional) a float or list of floats in [0, 1]; a
            prediction is positive when above it. Defaults to 0.5. With a
            list, `result()` has one value per threshold.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = TruePositives()
    >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
    2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__("tp", thresholds=thresholds, name=name, dtype=dtype)


@register_builtin("metrics", "false_positives")
class FalsePositives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false positives: label 0, prediction above threshold.

    Args: as `TruePositives`.

    Example:

    >>> m = FalsePositives()
    >>> float(m([0, 1, 0, 0], [0, 0, 1, 1]))
    2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__("fp", thresholds=thresholds, name=name, dtype=dtype)


@register_builtin("metrics", "true_negatives")
class TrueNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of true negatives: label 0, prediction not above threshold.

    Args: as `TruePositives`.

    Example:

    >>> m = TrueNegatives()
    >>> float(m([0, 1, 0, 0], [1, 1, 0, 0]))
    2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__("tn", thresholds=thresholds, name=name, dtype=dtype)


@register_builtin("metrics", "false_negatives")
class FalseNegatives(_ConfusionMatrixConditionCount):
    """The (weighted) number of false negatives: label 1, prediction not above threshold.

    Args: as `TruePositives`.

    Example:

    >>> m = FalseNegatives()
    >>> float(m([0, 1, 1, 1], [0, 1, 0, 0]))
    2.0
    """

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__("fn", thresholds=thresholds, name=name, dtype=dtype)


class _PrecisionRecall(_ConfusionMetric):
    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else _confusion.NEG_INF
        self.thresholds = _confusion.parse_thresholds(self, thresholds, default)
        self._thresholds_list = self.thresholds
        self._evenly = _confusion.evenly_spaced(self.thresholds)
        self._make_counts((len(self.thresholds),))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the counts at every threshold (after `top_k`/`class_id` filtering)."""
        self._update_counts(y_true, y_pred, sample_weight, top_k=self.top_k, class_id=self.class_id)

    def get_config(self):
        config = {"thresholds": self.init_thresholds, "top_k": self.top_k, "class_id": self.class_id}
        return {**super().get_config(), **config}


@register_builtin("metrics", "precision")
class Precision(_PrecisionRecall):
    """Precision: true positives / (true positives + false positives).

    Args:
        thresholds: (Optional) a float or list of floats in [0, 1]; a
            prediction is positive when above it. Defaults to 0.5 (or, with
            `top_k`, every top-k prediction counts as positive).
        top_k: (Optional) only the `k` highest predictions of each sample
            may count as positive.
        class_id: (Optional) compute the metric for this class only.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = Precision()
    >>> round(float(m([0, 1, 1, 1], [0.9, 0.2, 0.8, 0.7])), 4)
    0.6667
    """

    _kinds = ("tp", "fp")

    def result(self):
        value = _utils.divide_no_nan(self.true_positives, self.true_positives + self.false_positives)
        return self._single(value)


@register_builtin("metrics", "recall")
class Recall(_PrecisionRecall):
    """Recall: true positives / (true positives + false negatives).

    Args: as `Precision`.

    Example:

    >>> m = Recall()
    >>> round(float(m([0, 1, 1, 1], [0.9, 0.2, 0.8, 0.7])), 4)
    0.6667
    """

    _kinds = ("tp", "fn")

    def result(self):
        value = _utils.divide_no_nan(self.true_positives, self.true_positives + self.false_negatives)
        return self._single(value)


class _SensitivitySpecificityBase(_ConfusionMetric):
    """Counts at `num_thresholds` evenly spaced thresholds, searched in `result()`."""

    _kinds = ("tp", "fp", "tn", "fn")
    _value_name = "value"

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        if value < 0 or value > 1:
            raise ValueError(
                f"{type(self).__name__}: argument `{self._value_name}` must be in the range "
                f"[0, 1]. Received: {self._value_name}={value}"
            )
        if num_thresholds <= 0:
            raise ValueError(
                f"{type(self).__name__}: argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.value = value
        setattr(self, self._value_name, value)
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._evenly = True
        self._thresholds_list = self.thresholds
        self._make_counts((len(self.thresholds),))

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the four counts at every threshold."""
        self._update_counts(y_true, y_pred, sample_weight, class_id=self.class_id)

    def _rates(self):
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        return {
            "sensitivity": _utils.divide_no_nan(tp, tp + fn),
            "specificity": _utils.divide_no_nan(tn, tn + fp),
            "precision": _utils.divide_no_nan(tp, tp + fp),
        }

    def _max_under_constraint(self, constrained, dependent):
        feasible = torch.ge(constrained, self.value)
        return torch.amax(torch.where(feasible, dependent, torch.zeros_like(dependent)).clamp(min=0.0))

    def get_config(self):
        config = {"class_id": self.class_id, "num_thresholds": self.num_thresholds, self._value_name: self.value}
        return {**super().get_config(), **config}


@register_builtin("metrics", "sensitivity_at_specificity")
class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    """The best sensitivity (recall) among thresholds whose specificity is >= `specificity`.

    Args:
        specificity: a float in [0, 1].
        num_thresholds: (Optional) number of evenly spaced thresholds. Defaults to 200.
        class_id: (Optional) compute the metric for this class only.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.

    Example:

    >>> m = SensitivityAtSpecificity(0.5)
    >>> float(m([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]))
    0.5
    """

    _value_name = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._max_under_constraint(rates["specificity"], rates["sensitivity"])


@register_builtin("metrics", "specificity_at_sensitivity")
class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    """The best specificity among thresholds whose sensitivity is >= `sensitivity`.

    Args: as `SensitivityAtSpecificity`, with `sensitivity` in [0, 1].

    Example:

    >>> m = SpecificityAtSensitivity(0.5)
    >>> round(float(m([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])), 4)
    0.6667
    """

    _value_name = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._max_under_constraint(rates["sensitivity"], rates["specificity"])


@register_builtin("metrics", "precision_at_recall")
class PrecisionAtRecall(_SensitivitySpecificityBase):
    """The best precision among thresholds whose recall is >= `recall`.

    Args: as `SensitivityAtSpecificity`, with `recall` in [0, 1].

    Example:

    >>> m = PrecisionAtRecall(0.5)
    >>> float(m([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]))
    0.5
    """

    _value_name = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._max_under_constraint(rates["sensitivity"], rates["precision"])


@register_builtin("metrics", "recall_at_precision")
class RecallAtPrecision(_SensitivitySpecificityBase):
    """The best recall among thresholds whose precision is >= `precision`.

    Args: as `SensitivityAtSpecificity`, with `precision` in [0, 1].

    Example:

    >>> m = RecallAtPrecision(0.8)
    >>> float(m([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]))
    0.5
    """

    _value_name = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        rates = self._rates()
        return self._max_under_constraint(rates["precision"], rates["sensitivity"])


_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


def _enum_value(value):
    return getattr(value, "value", value)  # accept Keras's enums too


@register_builtin("metrics", "auc")
class AUC(_ConfusionMetric):
    """Approximate area under the ROC or precision-recall curve (Riemann sum).

    Predictions are bucketed at `num_thresholds` thresholds and the curve is
    built from the true/false positive/negative counts at each; with
    `summation_method="interpolation"` the ROC area uses the trapezoid rule
    and the PR area Davis & Goadrich's interpolation, as Keras does.

    Args:
        num_thresholds: (Optional) number of thresholds, > 1. Defaults to 200.
        curve: (Optional) `"ROC"` (default), `"PR"` or `"PRGAIN"`.
        summation_method: (Optional) `"interpolation"` (default),
            `"minoring"` or `"majoring"`.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) data type of the metric result.
        thresholds: (Optional) explicit thresholds in [0, 1]; overrides
            `num_thresholds` (two thresholds just outside [0, 1] are added).
        multi_label: (Optional) treat each column of 2D data as its own
            label, compute one AUC per label and average them.
        num_labels: (Optional) number of labels with `multi_label=True`;
            inferred from the first batch when not given.
        label_weights: (Optional) non-negative weight per label: with
            `multi_label`, the weights of the per-label average; otherwise
            weights of each label's contribution to the counts.
        from_logits: (Optional) apply a sigmoid to the predictions first.

    Differs from Keras: `get_config()["label_weights"]` is a list, not a
    tensor, so that the config is JSON.

    Example:

    >>> m = AUC()
    >>> round(float(m([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])), 2)
    0.75
    """

    _kinds = ("tp", "fp", "tn", "fn")

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        curve_key = str(_enum_value(curve))
        if curve_key not in ("ROC", "PR", "PRGAIN") and curve_key not in _CURVES:
            raise ValueError(f'AUC: invalid `curve` value "{curve}". Expected one of ["ROC", "PR", "PRGAIN"].')
        summation = str(_enum_value(summation_method)).lower()
        if summation not in _SUMMATIONS:
            raise ValueError(
                f'AUC: invalid `summation_method` value "{summation_method}". Expected one of '
                '["interpolation", "majoring", "minoring"].'
            )
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            if inner:
                _confusion.parse_thresholds(self, inner, 0.5)
            self.num_thresholds = len(inner) + 2
            evenly = _confusion.evenly_spaced([0.0] + inner + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    f"AUC: argument `num_thresholds` must be an integer > 1. Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            evenly = True
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self._evenly = evenly
        self._thresholds_list = [0.0 - _utils.EPSILON] + inner + [1.0 + _utils.EPSILON]
        self.curve = _CURVES.get(curve_key.lower(), curve_key)
        self.summation_method = summation
        self.multi_label = multi_label
        self.num_labels = num_labels
        if label_weights is not None:
            label_weights = torch.as_tensor(label_weights, dtype=self._torch_dtype)
        self.label_weights = label_weights
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build(num_labels)
        else:
            if num_labels:
                raise ValueError("AUC: `num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        """The thresholds used, including the two just outside [0, 1]."""
        return list(self._thresholds_list)

    def _build(self, num_labels):
        shape = (self.num_thresholds,) if num_labels is None else (self.num_thresholds, num_labels)
        self._num_labels = num_labels
        self._make_counts(shape)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Accumulate the four counts at every threshold (per label with `multi_label`)."""
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
        y_pred = _utils.to_tensor(self, y_pred, what="y_pred")
        weights = self.label_weights
        if weights is not None and self._device is not None and weights.device != self._device:
            self.label_weights = weights.to(self._device)  # once, not per step
        if self._from_logits:
            y_pred = torch.sigmoid(y_pred.float() if not y_pred.is_floating_point() else y_pred)
        counts = _confusion.confusion_counts(
            self,
            self._kinds,
            y_true,
            y_pred,
            self._thresholds_list,
            evenly=self._evenly,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights,
            device=self._device,
        )
        if not self._built:
            self._build(counts["tp"].shape[1])
        elif self.multi_label and counts["tp"].shape[1] != self._num_labels:
            raise ValueError(
                f"AUC metric '{self.name}' was built for {self._num_labels} labels, received "
                f"y_pred with {counts['tp'].shape[1]} labels (shape {tuple(y_pred.shape)})."
            )
        for kind in self._kinds:
            getattr(self, _FULL_NAMES[kind]).add_(counts[kind])

    def reset_state(self):
        if self._built:
            super().reset_state()

    def _average(self, terms):
        if not self.multi_label:
            return terms.sum()
        by_label = terms.sum(dim=0)
        if self.label_weights is None:
            return by_label.mean()
        if self.label_weights.device != by_label.device:  # moved once, not per call
            self.label_weights = self.label_weights.to(by_label.device)
        weights = self.label_weights
        return _utils.divide_no_nan((by_label * weights).sum(), weights.sum())

    def _interpolate_pr_auc(self):
        # Davis & Goadrich: interpolate true positives linearly in the number
        # of predicted positives between consecutive thresholds.
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        d_tp = tp[:-1] - tp[1:]
        p = tp + fp
        d_p = p[:-1] - p[1:]
        slope = _utils.divide_no_nan(d_tp, torch.clamp(d_p, min=0.0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = torch.where(both, _utils.divide_no_nan(p[:-1], torch.clamp(p[1:], min=0.0)), torch.ones_like(p[1:]))
        increment = _utils.divide_no_nan(
            slope * (d_tp + intercept * torch.log(ratio)),
            torch.clamp(tp[1:] + fn[1:], min=0.0),
        )
        return self._average(increment)

    def result(self):
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc()
        tp, fp, tn, fn = self.true_positives, self.false_positives, self.true_negatives, self.false_negatives
        recall = _utils.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _utils.divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _utils.divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scale = _utils.divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * _utils.divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * _utils.divide_no_nan(fp, tp)
            no_tp = tp == 0.0
            x = torch.clamp(torch.where(no_tp, torch.zeros_like(recall_gain), recall_gain), min=0.0)
            y = torch.where(no_tp, torch.ones_like(precision_gain), precision_gain)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def get_config(self):
        label_weights = self.label_weights
        config = {
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": label_weights.tolist() if label_weights is not None else None,
            "from_logits": self._from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self._thresholds_list[1:-1]
        return {**super().get_config(), **config}
