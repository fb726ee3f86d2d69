"""The `Loss` base class: input conversion, sample weights, masks and reduction.

A loss is a function of tensors: `call(y_true, y_pred)` returns one value per
sample (or per timestep), and `__call__` weights and reduces them exactly as
Keras 3 does. Nothing here syncs with the host, so a loss can run every
training step on any device.
"""

import torch

from capas.keras.utils import naming
from capas.ops._convert import as_torch_dtype
from capas.ops._convert import convert_to_tensor
from capas.ops._convert import dtype_name
from capas.keras.saving.object_registration import register_builtin

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


class LossInputError(ValueError):
    """Bad `y_true`/`y_pred` for a loss; `Loss.__call__` adds the loss's class and name."""


def standardize_reduction(reduction):
    """Validate a reduction name (`None` and `'none'` both mean "no reduction").

    tf.keras's `'auto'` (`Reduction.AUTO`) is read as `'sum_over_batch_size'`.
    """
    if reduction == "auto":
        return "sum_over_batch_size"
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Invalid value for argument `reduction`. Expected one of {list(REDUCTIONS)}. "
            f"Received: reduction={reduction!r}"
        )
    return reduction


def _loss_dtype(dtype):
    """`None` -> float32 (Keras's floatx); a dtype policy -> its compute dtype."""
    if dtype is None:
        return torch.float32
    compute = getattr(dtype, "compute_dtype", None)
    if compute is not None:
        return as_torch_dtype(compute)
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        return as_torch_dtype(dtype[len("mixed_") :])
    return as_torch_dtype(dtype)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Make ranks equal when they differ by one and the longer ends in 1.

    `(batch,)` against `(batch, 1)`: the rank-1 tensor gains a trailing axis
    (or, with `expand_rank_1=False`, the other loses it); `(b, t)` against
    `(b, t, 1)`: the trailing 1 is squeezed. Other shapes are left as they are.
    """
    r1 = x1.dim()
    r2 = x2.dim()
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def get_keras_mask(x):
    """The `_keras_mask` a masking layer attached to `x`, else None."""
    return getattr(x, "_keras_mask", None)


def _merge_mask(sample_weight, mask, dtype, reduction):
    """Fold a boolean mask into the sample weights (Keras's `apply_mask`).

    For the averaging reductions a valid entry weighs `total / valid`, so the
    mean runs over valid entries only; the division is on the device.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        valid = mask.sum(dtype=dtype)
        weight = torch.where(valid == 0, torch.zeros_like(valid), float(mask.numel()) / valid)
        float_mask = torch.where(mask.bool(), weight, torch.zeros_like(weight))
    else:
        float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(float_mask, sample_weight)
    return sample_weight * float_mask


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None, owner=None
):
    """Weight per-sample loss `values` and reduce them as Keras 3 does.

    Args:
        values: Per-sample (or per-timestep) losses.
        sample_weight: Optional weights broadcastable to `values` after the
            rank adjustment of `squeeze_or_expand_to_same_rank`.
        mask: Optional boolean mask with the shape of `values`.
        reduction: One of `REDUCTIONS`.
        dtype: The dtype of the computation (defaults to `values.dtype`).
        owner: A description of the calling loss, used in error messages.

    Returns:
        The reduced loss (a scalar tensor unless `reduction` is `'none'`/None).
    """
    reduction = standardize_reduction(reduction)
    dtype = values.dtype if dtype is None else dtype
    if values.dtype != dtype:
        values = values.to(dtype)
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight, dtype=dtype, device=values.device)
    if mask is not None:
        mask = convert_to_tensor(mask, device=values.device)
    sample_weight = _merge_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        _check_weight_shape(values, sample_weight, owner)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def _check_weight_shape(values, sample_weight, owner):
    # Differs from Keras: weights that would enlarge the per-sample losses
    # (e.g. (batch, d) weights against (batch,) losses) raise instead of
    # broadcasting into a (batch, batch)-style wrong result. A scalar loss
    # (Dice, Tversky with axis=None) may still be weighted per sample.
    if values.dim() == 0 or sample_weight.shape == values.shape:
        return
    try:
        merged = torch.broadcast_shapes(values.shape, sample_weight.shape)
    except RuntimeError:
        merged = None
    if merged != values.shape:
        who = f"{owner}: " if owner else ""
        raise ValueError(
            f"{who}`sample_weight` of shape {tuple(sample_weight.shape)} does not broadcast to the "
            f"per-sample losses of shape {tuple(values.shape)}. The loss already reduced the last "
            "axis of y_pred; pass one weight per sample, of shape "
            f"{tuple(values.shape)} (or {tuple(values.shape[:1]) + (1,)})."
        )


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Sum, average or keep the (already weighted) values."""
    if reduction is None or reduction == "none" or values.dim() == 0 or tuple(values.shape) == (0,):
        return values
    if reduction == "sum":
        return values.sum()
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        loss = values.sum()
        divisor = sample_weight.sum().to(loss.dtype)
        # divide_no_nan, on the device.
        return torch.where(divisor == 0, torch.zeros_like(loss), loss / divisor)
    if values.numel() == 0:
        return values.sum()
    # sum / number of elements, in one kernel (the same float32 result on the CPU).
    return values.mean()


@register_builtin("losses")
class Loss:
    """Loss base class.

    Subclass it and implement `call(y_true, y_pred)`, which returns the loss
    of each sample (the last axis of `y_pred` reduced). `__call__` converts
    the inputs, applies `sample_weight` (and any Keras mask carried by
    `y_pred`) and reduces.

    Args:
        name: Optional name for the loss instance (defaults to the class name
            in snake_case, made unique).
        reduction: `"sum_over_batch_size"` (default: sum divided by the
            number of elements), `"sum"`, `"mean"` (same as
            `"sum_over_batch_size"`), `"mean_with_sample_weight"` (sum divided
            by the sum of the sample weights), or `"none"`/`None` (no
            reduction).
        dtype: The dtype of the loss computation; defaults to `"float32"`.
            Both `y_true` and `y_pred` are cast to it.

    Example:

    >>> import torch
    >>> from capas.keras import losses
    >>> class MeanError(losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return torch.mean(y_pred - y_true, dim=-1)
    >>> float(MeanError()([[0.0, 1.0]], [[1.0, 3.0]]))
    1.5
    """

    # Subclasses whose `y_true` holds class indices keep them integer instead
    # of casting to `dtype` (exact for indices beyond float32's 2**24).
    _integer_labels = False

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or naming.uniquify(naming.to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = _loss_dtype(dtype)

    @property
    def dtype(self):
        """The compute dtype as a string (`'float32'`)."""
        return dtype_name(self._dtype)

    def _describe(self):
        return f"{type(self).__name__} (name='{self.name}')"

    def _convert(self, value, which, device=None):
        if isinstance(value, (str, bytes)):
            raise TypeError(
                f"{self._describe()}: `{which}` must be a tensor, array or number. "
                f"Received a {type(value).__name__}: {value!r}."
            )
        integer = self._integer_labels and which == "y_true"
        try:
            tensor = convert_to_tensor(value, device=device)
        except TypeError as err:
            raise TypeError(f"{self._describe()}: cannot use `{which}` of type {type(value).__name__}: {err}") from err
        if integer and not tensor.is_floating_point():
            return tensor
        return tensor if tensor.dtype is self._dtype else tensor.to(self._dtype)  # dtypes are singletons

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Compute the weighted, reduced loss.

        Args:
            y_true: Ground truth values.
            y_pred: Predicted values.
            sample_weight: Optional weights: a scalar, one per sample
                (`(batch,)` or `(batch, 1)`), or one per loss element.

        Returns:
            The loss, a scalar tensor unless `reduction` is `'none'`/None.
        """
        in_mask = get_keras_mask(y_pred)
        y_pred = self._convert(y_pred, "y_pred")
        y_true = self._convert(y_true, "y_true", device=y_pred.device)
        try:
            losses = self.call(y_true, y_pred)
        except LossInputError as err:
            raise LossInputError(f"{self._describe()}: {err}") from None
        out_mask = get_keras_mask(losses)
        if in_mask is not None and out_mask is not None:
            mask = in_mask.bool() & out_mask.bool()
        else:
            mask = in_mask if in_mask is not None else out_mask
        if not isinstance(losses, torch.Tensor):
            losses = convert_to_tensor(losses, dtype=self._dtype, device=y_pred.device)
        return reduce_weighted_values(
            losses,
            sample_weight=sample_weight,
            mask=mask,
            reduction=self.reduction,
            dtype=self._dtype,
            owner=self._describe(),
        )

    def call(self, y_true, y_pred):
        """Per-sample losses; subclasses implement this."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `call(self, y_true, y_pred)` returning the per-sample losses."
        )

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        """Rebuild a loss from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"
