"""Intersection-over-union metrics: `IoU`, `MeanIoU`, `BinaryIoU`, `OneHotIoU`, `OneHotMeanIoU`.

All keep one `(num_classes, num_classes)` confusion matrix (rows: labels,
columns: predictions) filled with one scatter-add per batch; IoU of a class is
`tp / (tp + fp + fn)`, averaged over the target classes that occurred.
"""

import warnings

import torch

from capas.keras.metrics import _confusion, _utils
from capas.keras.metrics.metric import Metric
from capas.keras.saving.object_registration import register_builtin


class _IoUBase(Metric):
    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype or "int32")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            name="total_confusion_matrix",
            shape=(num_classes, num_classes),
            initializer="zeros",
            dtype=self.dtype,
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add the batch's confusion matrix (labels outside [0, num_classes) are skipped)."""
        dtype = self._torch_dtype
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
        y_true = _utils.to_tensor(self, y_true, what="y_true")
        y_pred = _utils.to_tensor(self, y_pred, what="y_pred").to(y_true.device)
        if not self.sparse_y_true:
            y_true = torch.argmax(y_true, dim=self.axis)
        if not self.sparse_y_pred:
            y_pred = torch.argmax(y_pred, dim=self.axis)
        y_true = y_true.to(dtype).reshape(-1)
        y_pred = y_pred.to(dtype).reshape(-1)
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"{type(self).__name__} metric '{self.name}' needs one prediction per label; "
                f"received {y_true.numel()} labels and {y_pred.numel()} predictions."
            )
        if sample_weight is None:
            weight = torch.ones((), dtype=dtype, device=y_true.device)
        else:
            weight = _utils.to_tensor(self, sample_weight, what="sample_weight")
            if weight.is_floating_point() and not dtype.is_floating_point:
                warnings.warn(
                    f"{type(self).__name__} metric '{self.name}': you are passing weight as "
                    "`float`, but dtype is `int`. This may result in an incorrect weight due to "
                    "type casting. Consider using integer weights.",
                    stacklevel=3,
                )
            weight = weight.to(device=y_true.device, dtype=dtype)
            if weight.dim() > 1:
                weight = weight.reshape(-1)
        try:
            weight = weight.broadcast_to(y_true.shape)
        except RuntimeError:
            raise ValueError(
                f"{type(self).__name__} metric '{self.name}': sample_weight of shape "
                f"{tuple(weight.shape)} does not match the {y_true.numel()} labels."
            ) from None
        valid = (y_true >= 0) & (y_true < self.num_classes) & (y_pred >= 0) & (y_pred < self.num_classes)
        if self.ignore_class is not None:
            valid = valid & (y_true != self.ignore_class)
        zero = torch.zeros((), dtype=dtype, device=y_true.device)
        y_true = torch.where(valid, y_true, zero)
        y_pred = torch.where(valid, y_pred, zero)
        weight = torch.where(valid, weight, zero)
        matrix = _confusion.confusion_matrix(y_true, y_pred, self.num_classes, weight, dtype)
        self.total_cm.add_(matrix)


@register_builtin("metrics", "io_u")
class IoU(_IoUBase):
    """Intersection over union, averaged over `target_class_ids`.

    IoU of a class is `tp / (tp + fp + fn)`; classes that never occur (in
    labels or predictions) are left out of the average.

    Args:
        num_classes: the number of possible labels.
        target_class_ids: the classes whose IoU is averaged.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) dtype of the confusion matrix. Defaults to int32.
        ignore_class: (Optional) a label value left out of the counts.
        sparse_y_true: whether labels are integers (True) or one-hot (False).
        sparse_y_pred: whether predictions are integers (True) or scores (False).
        axis: (Optional) the class axis for one-hot inputs. Defaults to -1.

    Example:

    >>> m = IoU(num_classes=2, target_class_ids=[0])
    >>> round(float(m([0, 0, 1, 1], [0, 1, 0, 1])), 4)
    0.3333
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        target_class_ids = list(target_class_ids)
        if target_class_ids and max(target_class_ids) >= num_classes:
            raise ValueError(
                f"{type(self).__name__}: target class id {max(target_class_ids)} is out of "
                f"range, which is [0, {num_classes})."
            )
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        self.target_class_ids = target_class_ids

    def result(self):
        matrix = self.total_cm.to(torch.float32)
        true_positives = torch.diagonal(matrix)
        denominator = matrix.sum(dim=0) + matrix.sum(dim=1) - true_positives
        ids = self.__dict__.get("_target_ids")
        if ids is None or ids.device != matrix.device:  # built once per device, no copy per call
            ids = self._target_ids = torch.tensor(self.target_class_ids, dtype=torch.long, device=matrix.device)
        true_positives = true_positives[ids]
        denominator = denominator[ids]
        valid = denominator > 1e-9
        iou = true_positives / (denominator + _utils.EPSILON)
        iou = torch.where(valid, iou, torch.zeros_like(iou))
        return iou.sum(dim=self.axis) / (valid.to(torch.float32).sum() + _utils.EPSILON)

    def get_config(self):
        config = {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
        return {**super().get_config(), **config}


@register_builtin("metrics", "binary_io_u")
class BinaryIoU(IoU):
    """IoU for binary labels, with predictions thresholded at `threshold`.

    A prediction `>= threshold` counts as class 1.

    Args:
        target_class_ids: (Optional) the classes whose IoU is averaged.
            Defaults to `(0, 1)`.
        threshold: (Optional) the decision threshold. Defaults to 0.5.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) dtype of the confusion matrix. Defaults to int32.

    Example:

    >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> round(float(m([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])), 4)
    0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        _utils.reject_strings(self, y_true=y_true, y_pred=y_pred)
        y_pred = _utils.to_tensor(self, y_pred, torch.float32, "y_pred")
        y_pred = (y_pred >= self.threshold).to(self._torch_dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


@register_builtin("metrics", "mean_io_u")
class MeanIoU(IoU):
    """IoU averaged over all `num_classes` classes.

    Args:
        num_classes: the number of possible labels.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) dtype of the confusion matrix. Defaults to int32.
        ignore_class: (Optional) a label value left out of the counts.
        sparse_y_true: whether labels are integers (True) or one-hot (False).
        sparse_y_pred: whether predictions are integers (True) or scores (False).
        axis: (Optional) the class axis for one-hot inputs. Defaults to -1.

    Example:

    >>> m = MeanIoU(num_classes=2)
    >>> round(float(m([0, 0, 1, 1], [0, 1, 0, 1])), 4)
    0.3333
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


@register_builtin("metrics", "one_hot_io_u")
class OneHotIoU(IoU):
    """`IoU` for one-hot labels and score predictions (argmax taken on `axis`).

    Args:
        num_classes: the number of possible labels.
        target_class_ids: the classes whose IoU is averaged.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) dtype of the confusion matrix. Defaults to int32.
        ignore_class: (Optional) a label value left out of the counts.
        sparse_y_pred: whether predictions are integers (True) or scores (False).
        axis: (Optional) the class axis. Defaults to -1.

    Example:

    >>> m = OneHotIoU(num_classes=3, target_class_ids=[0, 2])
    >>> round(float(m([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
    ...               [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1],
    ...                [0.1, 0.4, 0.5]])), 4)
    0.1667
    """

    def __init__(
        self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1
    ):
        super().__init__(
            num_classes=num_classes,
            target_class_ids=target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


@register_builtin("metrics", "one_hot_mean_io_u")
class OneHotMeanIoU(MeanIoU):
    """`MeanIoU` for one-hot labels and score predictions (argmax taken on `axis`).

    Args:
        num_classes: the number of possible labels.
        name: (Optional) string name of the metric instance.
        dtype: (Optional) dtype of the confusion matrix. Defaults to int32.
        ignore_class: (Optional) a label value left out of the counts.
        sparse_y_pred: whether predictions are integers (True) or scores (False).
        axis: (Optional) the class axis. Defaults to -1.

    Example:

    >>> m = OneHotMeanIoU(num_classes=3)
    >>> round(float(m([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]],
    ...               [[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1],
    ...                [0.1, 0.4, 0.5]])), 4)
    0.1111
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(
            num_classes=num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
