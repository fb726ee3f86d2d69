"""Probabilistic loss classes: the cross-entropies, KL divergence, Poisson and CTC."""

from capas.keras.losses import crossentropy
from capas.keras.losses import losses
from capas.keras.losses.loss_function_wrapper import _BuiltinLoss
from capas.keras.saving.object_registration import register_builtin


@register_builtin("losses")
class BinaryCrossentropy(_BuiltinLoss):
    """Binary cross-entropy between labels in `[0, 1]` and predicted probabilities.

    Args:
        from_logits: Whether `y_pred` holds logits rather than probabilities.
        label_smoothing: In `[0, 1]`; labels move towards 0.5 by this amount.
        axis: The axis the mean is taken over.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> round(float(BinaryCrossentropy()([[0.0, 1.0]], [[0.4, 0.6]])), 4)
    0.5108
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_crossentropy",
        dtype=None,
    ):
        self._init_builtin(
            crossentropy.binary_crossentropy,
            name,
            reduction,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@register_builtin("losses")
class BinaryFocalCrossentropy(_BuiltinLoss):
    """Binary focal cross-entropy, which down-weights easy examples.

    Args:
        apply_class_balancing: Weigh positives by `alpha`, negatives by `1 - alpha`.
        alpha: The class-balancing weight.
        gamma: The focusing parameter.
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: In `[0, 1]`; labels move towards 0.5 by this amount.
        axis: The axis the mean is taken over.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> round(float(BinaryFocalCrossentropy()([[1.0]], [[0.5]])), 4)
    0.1733
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha", "gamma")

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        self._init_builtin(
            crossentropy.binary_focal_crossentropy,
            name,
            reduction,
            dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@register_builtin("losses")
class CategoricalCrossentropy(_BuiltinLoss):
    """Categorical cross-entropy for one-hot labels.

    For integer class indices use `SparseCategoricalCrossentropy`.

    Args:
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: In `[0, 1]`; labels become
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: The class axis.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> round(float(CategoricalCrossentropy()([[0.0, 1.0]], [[0.5, 0.5]])), 4)
    0.6931
    """

    _config_keys = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_crossentropy",
        dtype=None,
    ):
        self._init_builtin(
            crossentropy.categorical_crossentropy,
            name,
            reduction,
            dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@register_builtin("losses")
class CategoricalFocalCrossentropy(_BuiltinLoss):
    """Categorical focal cross-entropy for one-hot labels.

    Args:
        alpha: The weighting factor.
        gamma: The focusing parameter.
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: In `[0, 1]`, as in `CategoricalCrossentropy`.
        axis: The class axis.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> round(float(CategoricalFocalCrossentropy()([[0.0, 1.0]], [[0.5, 0.5]])), 4)
    0.0433
    """

    _config_keys = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction="sum_over_batch_size",
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        self._init_builtin(
            crossentropy.categorical_focal_crossentropy,
            name,
            reduction,
            dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


@register_builtin("losses")
class SparseCategoricalCrossentropy(_BuiltinLoss):
    """Categorical cross-entropy for integer class indices.

    Args:
        from_logits: Whether `y_pred` holds logits.
        ignore_class: A label value (e.g. padding) that contributes no loss
            and is left out of the average.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        axis: The class axis of `y_pred`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Differs from Keras: integer labels stay integer (Keras casts them to
    float32 first, inexact beyond 2**24 classes), and `get_config()`
    includes `axis`.

    Example:

    >>> round(float(SparseCategoricalCrossentropy()([1], [[0.5, 0.5]])), 4)
    0.6931
    """

    _config_keys = ("from_logits", "ignore_class", "axis")

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction="sum_over_batch_size",
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        self._init_builtin(
            crossentropy.sparse_categorical_crossentropy,
            name,
            reduction,
            dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )


@register_builtin("losses")
class CategoricalGeneralizedCrossEntropy(_BuiltinLoss):
    """Generalized cross-entropy for noisy integer labels: `(1 - p[label] ** q) / q`.

    Args:
        q: In `(0, 1)`.
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(CategoricalGeneralizedCrossEntropy(q=0.5)([1], [[0.75, 0.25]]))
    1.0
    """

    _config_keys = ("q",)

    def __init__(
        self,
        q=0.5,
        reduction="sum_over_batch_size",
        name="categorical_generalized_cross_entropy",
        dtype=None,
    ):
        if not 0 < q < 1:
            raise ValueError(f"CategoricalGeneralizedCrossEntropy: `q` must be in the interval (0, 1). Received: q={q}")
        self._init_builtin(crossentropy.categorical_generalized_cross_entropy, name, reduction, dtype, q=q)


@register_builtin("losses")
class KLDivergence(_BuiltinLoss):
    """Kullback-Leibler divergence: `sum(y_true * log(y_true / y_pred), axis=-1)`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(KLDivergence()([[0.5, 0.5]], [[0.5, 0.5]]))
    0.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        self._init_builtin(losses.kl_divergence, name, reduction, dtype)


@register_builtin("losses")
class Poisson(_BuiltinLoss):
    """Poisson loss: `mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> float(Poisson()([[0.0]], [[2.0]]))
    2.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        self._init_builtin(losses.poisson, name, reduction, dtype)


@register_builtin("losses")
class CTC(_BuiltinLoss):
    """Connectionist Temporal Classification loss (blank and padding label 0).

    `y_true`: integer labels `(batch_size, max_label_length)` padded with 0;
    `y_pred`: logits `(batch_size, max_time, num_classes)`.

    Args:
        reduction: See `keras.losses.Loss`; defaults to `"sum_over_batch_size"`.
        name: Optional name for the loss instance.
        dtype: The dtype of the loss computation; defaults to float32.

    Example:

    >>> import torch
    >>> tuple(CTC(reduction=None)([[1, 2]], torch.zeros(1, 4, 3)).shape)
    (1,)
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        self._init_builtin(crossentropy.ctc, name, reduction, dtype)
