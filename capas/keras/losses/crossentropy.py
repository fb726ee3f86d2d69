"""Cross-entropy loss functions (binary, categorical, sparse, focal) and CTC.

Probabilities are clipped to `[1e-7, 1 - 1e-7]` exactly where Keras 3's torch
backend clips them; logits go through `log_softmax` / PyTorch's fused
cross-entropy kernels. Sparse labels are gathered, never one-hot encoded.
"""

import warnings

import torch
import torch.nn.functional as F

from capas import _kernels
from capas.keras.losses._common import EPSILON
from capas.keras.losses._common import as_tensor
from capas.keras.losses._common import check_axis
from capas.keras.losses._common import convert_pair
from capas.keras.losses._common import same_shape_pair
from capas.keras.losses._common import shape_error
from capas.keras.losses.loss import LossInputError
from capas.ops.nn import softmax_xent
from capas.keras.saving.object_registration import register_builtin


def _fused_logits(y_pred, from_logits, axis):
    """The logits behind a softmax/sigmoid output, when a from_logits=False crossentropy can use them.

    tf.keras computes such a loss from the pre-activation logits (`_keras_logits`, which
    capas's softmax and sigmoid keep on their outputs): log-softmax form, no clip.
    """
    if from_logits or not isinstance(y_pred, torch.Tensor):
        return None
    logits = getattr(y_pred, "_keras_logits", None)
    if logits is None or (axis != -1 and axis != y_pred.dim() - 1):
        return None
    return logits


def _smooth_binary(y_true, label_smoothing):
    if label_smoothing:
        return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return y_true


@register_builtin("losses", "BCE", "bce")
@register_builtin("metrics")
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy, averaged over `axis`.

    Probabilities are clipped to `[1e-7, 1 - 1e-7]`; with `from_logits=True`
    the fused `binary_cross_entropy_with_logits` kernel is used.

    Args:
        y_true: Labels in `[0, 1]`, shape `(batch_size, d0, .. dN)`; a
            `(batch_size,)` y_true also matches a `(batch_size, 1)` y_pred.
        y_pred: Probabilities (or logits), same shape.
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: In `[0, 1]`; labels move towards 0.5 by this amount.
        axis: The axis the mean is taken over.

    Returns:
        Losses with `axis` reduced.

    Example:

    >>> round(float(binary_crossentropy([[0.0, 1.0]], [[0.4, 0.6]])[0]), 4)
    0.5108
    """
    logits = _fused_logits(y_pred, from_logits, axis)
    if logits is not None:
        y_pred, from_logits = logits, True
    y_true, y_pred = same_shape_pair("binary_crossentropy", y_true, y_pred)
    y_true = _smooth_binary(y_true, label_smoothing)
    if from_logits:
        bce = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    else:
        y_pred = torch.clamp(y_pred, EPSILON, 1.0 - EPSILON)
        bce = F.binary_cross_entropy(y_pred, y_true, reduction="none")
    return torch.mean(bce, dim=axis)


@register_builtin("losses")
@register_builtin("metrics")
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
    """Binary focal cross-entropy: `(1 - p_t) ** gamma * bce`, averaged over `axis`.

    Args:
        y_true: Labels in `[0, 1]`, shape `(batch_size, d0, .. dN)`.
        y_pred: Probabilities (or logits), same shape.
        apply_class_balancing: Weigh positives by `alpha` and negatives by
            `1 - alpha`.
        alpha: The class-balancing weight.
        gamma: The focusing parameter.
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: In `[0, 1]`; labels move towards 0.5 by this amount.
        axis: The axis the mean is taken over.

    Returns:
        Losses with `axis` reduced.

    Example:

    >>> round(float(binary_focal_crossentropy([[1.0]], [[0.5]])[0]), 4)
    0.1733
    """
    y_true, y_pred = same_shape_pair("binary_focal_crossentropy", y_true, y_pred)
    y_true = _smooth_binary(y_true, label_smoothing)
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    bce = F.binary_cross_entropy(torch.clamp(y_pred, EPSILON, 1.0 - EPSILON), y_true, reduction="none")
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return torch.mean(focal_bce, dim=axis)


_INTEGER_LABELS_HINT = (
    " y_true looks like integer class indices: use sparse_categorical_crossentropy "
    "(keras.losses.SparseCategoricalCrossentropy), or one-hot encode the labels "
    "(keras.utils.to_categorical) to match y_pred."
)


def _categorical_pair(fn_name, y_true, y_pred, axis):
    if isinstance(axis, bool):
        raise LossInputError(f"{fn_name}: `axis` must be of type `int`. Received: axis={axis!r}.")
    y_true, y_pred = convert_pair(fn_name, y_true, y_pred)
    if y_true.shape != y_pred.shape:
        looks_sparse = y_pred.dim() >= 1 and (
            y_true.dim() == y_pred.dim() - 1 or (y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1)
        )
        raise shape_error(fn_name, y_true, y_pred, _INTEGER_LABELS_HINT if looks_sparse else "")
    if y_pred.dim() < 1:
        raise LossInputError(f"{fn_name}: y_true and y_pred must be at least rank 1; received scalars.")
    axis = check_axis(fn_name, axis, y_pred.dim())
    if y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {fn_name}, expected y_pred.shape to be (batch_size, num_classes) with "
            f"num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. Consider using "
            "'binary_crossentropy' if you only have 2 classes.",
            SyntaxWarning,
            stacklevel=3,
        )
    return y_true, y_pred, axis


def _smooth_categorical(y_true, label_smoothing, axis):
    # Differs from Keras: the number of classes is read along `axis` (Keras
    # reads the last axis, which is wrong for axis != -1).
    if label_smoothing:
        return y_true * (1.0 - label_smoothing) + label_smoothing / y_true.shape[axis]
    return y_true


def _normalized_probabilities(y_pred, axis):
    # Keras rescales probabilities to sum to one, then clips.
    y_pred = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
    return torch.clamp(y_pred, EPSILON, 1.0 - EPSILON)


@register_builtin("losses")
@register_builtin("metrics")
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Categorical cross-entropy for one-hot (or soft) labels.

    `loss = -sum(y_true * log(p), axis)`, where `p` is `softmax(y_pred)` for
    logits, else `y_pred` rescaled to sum to one and clipped to
    `[1e-7, 1 - 1e-7]`.

    Args:
        y_true: One-hot labels, same shape as `y_pred`. For integer class
            indices use `sparse_categorical_crossentropy`.
        y_pred: Probabilities (or logits), shape `(batch_size, ..., num_classes)`.
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: In `[0, 1]`; labels become
            `y_true * (1 - label_smoothing) + label_smoothing / num_classes`.
        axis: The class axis.

    Returns:
        Losses with `axis` reduced.

    Raises:
        ValueError: if the shapes differ (with a hint when `y_true` looks
            like integer labels).

    Differs from Keras: with logits (or a softmax output) the gradient is TF's fused kernel's,
    `softmax - y_true`, as tf.keras trains; Keras's torch backend gets
    `softmax * sum(y_true) - y_true` from autograd (the same when label rows sum to one).

    Example:

    >>> round(float(categorical_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])[0]), 4)
    0.6931
    """
    logits = _fused_logits(y_pred, from_logits, axis)
    if logits is not None:
        y_pred, from_logits = logits, True
    y_true, y_pred, axis = _categorical_pair("categorical_crossentropy", y_true, y_pred, axis)
    y_true = _smooth_categorical(y_true, label_smoothing, axis)
    if from_logits:  # TF's fused kernel and its gradient (softmax - labels, whatever the label sums)
        return softmax_xent(y_true, y_pred, axis if axis >= 0 else y_pred.dim() + axis)
    log_prob = torch.log(_normalized_probabilities(y_pred, axis))
    return -torch.sum(y_true * log_prob, dim=axis)


@register_builtin("losses")
@register_builtin("metrics")
def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical focal cross-entropy: `sum(alpha * (1 - p) ** gamma * -y_true * log(p), axis)`.

    Args:
        y_true: One-hot labels, same shape as `y_pred`.
        y_pred: Probabilities (or logits), shape `(batch_size, ..., num_classes)`.
        alpha: The weighting factor.
        gamma: The focusing parameter.
        from_logits: Whether `y_pred` holds logits.
        label_smoothing: In `[0, 1]`, as in `categorical_crossentropy`.
        axis: The class axis.

    Returns:
        Losses with `axis` reduced.

    Example:

    >>> round(float(categorical_focal_crossentropy([[0.0, 1.0]], [[0.5, 0.5]])[0]), 4)
    0.0433
    """
    y_true, y_pred, axis = _categorical_pair("categorical_focal_crossentropy", y_true, y_pred, axis)
    y_true = _smooth_categorical(y_true, label_smoothing, axis)
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    output = _normalized_probabilities(y_pred, axis)
    cce = -y_true * torch.log(output)
    focal = torch.pow(1.0 - output, gamma) * alpha * cce
    return torch.sum(focal, dim=axis)


def _sparse_labels(fn_name, y_true, y_pred, axis):
    """Squeeze a trailing 1, check the shape, and return int64 labels."""
    if y_pred.dim() < 1:
        raise LossInputError(f"{fn_name}: y_pred must be at least rank 1; received a scalar.")
    axis = check_axis(fn_name, axis, y_pred.dim())
    if y_true.dim() == y_pred.dim() and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)
    expected = y_pred.shape[:axis] + y_pred.shape[axis + 1 :]
    if y_true.shape != expected:
        hint = ""
        if y_true.dim() == y_pred.dim() and y_true.shape[axis] == y_pred.shape[axis]:
            hint = (
                " y_true looks one-hot encoded: use categorical_crossentropy "
                "(keras.losses.CategoricalCrossentropy), or pass class indices "
                "(argmax over the class axis)."
            )
        raise LossInputError(
            f"{fn_name} expects integer class indices y_true of shape {tuple(expected)} "
            f"(y_pred's shape without the class axis {axis}; a trailing 1 is allowed). "
            f"Received: y_true.shape={tuple(y_true.shape)}, y_pred.shape={tuple(y_pred.shape)}.{hint}"
        )
    labels = y_true if y_true.dtype == torch.int64 else y_true.to(torch.int64)
    return labels, axis


def _check_label_range(fn_name, labels, num_classes):
    # Out-of-range labels make torch raise an opaque IndexError on the CPU and
    # a device-side assert on CUDA. The check below needs the min and max on
    # the host, which is free for CPU tensors (no device to wait for) but a
    # sync per step on an accelerator, so it runs on the CPU only (and not
    # while torch.compile traces); on accelerators torch's kernel assert
    # stands. The min/max is one fused reduction.
    if labels.device.type != "cpu" or labels.numel() == 0 or torch.compiler.is_compiling():
        return
    low, high = torch.aminmax(labels)
    low = int(low)
    high = int(high)
    if low < 0 or high >= num_classes:
        bad = low if low < 0 else high
        raise LossInputError(
            f"{fn_name}: received a label value of {bad}, outside the valid range [0, "
            f"{num_classes - 1}] for y_pred with {num_classes} classes. Labels must be class "
            "indices; use `ignore_class=` for a padding value."
        )


@register_builtin("losses")
@register_builtin("metrics")
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Categorical cross-entropy for integer class indices.

    The true-class probability is gathered, not one-hot encoded: with logits
    this is PyTorch's fused `cross_entropy`; with probabilities it is
    `-log(clip(p[label] / sum(p), 1e-7, 1 - 1e-7))`, Keras's numbers.

    Args:
        y_true: Integer class indices, shape of `y_pred` without the class
            axis (a trailing axis of size 1 is allowed).
        y_pred: Probabilities (or logits), shape `(batch_size, ..., num_classes)`.
        from_logits: Whether `y_pred` holds logits.
        ignore_class: A label value (e.g. padding) that contributes zero loss
            and is left out of the `"sum_over_batch_size"` average.
        axis: The class axis.

    Returns:
        Losses of `y_true`'s shape. With `ignore_class`, they carry the
        validity mask as `_keras_mask`, which `Loss` uses when reducing.

    Raises:
        ValueError: for one-hot or mis-shaped labels, and (for CPU tensors)
            labels outside `[0, num_classes)`.

    Example:

    >>> round(float(sparse_categorical_crossentropy([1], [[0.5, 0.5]])[0]), 4)
    0.6931
    """
    fn_name = "sparse_categorical_crossentropy"
    logits = _fused_logits(y_pred, from_logits, axis)
    if logits is not None:
        y_pred, from_logits = logits, True
    y_pred = as_tensor(y_pred, fn_name, "y_pred")
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(torch.float32)
    y_true = as_tensor(y_true, fn_name, "y_true", device=y_pred.device)
    labels, axis = _sparse_labels(fn_name, y_true, y_pred, axis)
    num_classes = y_pred.shape[axis]
    valid = None
    if ignore_class is not None:
        ignore_class = int(ignore_class)
        valid = labels != ignore_class
        labels = torch.where(valid, labels, torch.zeros_like(labels))
    _check_label_range(fn_name, labels, num_classes)
    if from_logits:
        logits = y_pred
        if y_pred.dim() > 1 and axis != 1:
            logits = y_pred.movedim(axis, 1)
        result = _kernels.sparse_cross_entropy(logits, labels)
    else:
        total = torch.sum(y_pred, dim=axis)
        picked = torch.gather(y_pred, axis, labels.unsqueeze(axis)).squeeze(axis)
        result = -torch.log(torch.clamp(picked / total, EPSILON, 1.0 - EPSILON))
    if valid is not None:
        result = torch.where(valid, result, torch.zeros_like(result))
        result._keras_mask = valid
    return result


@register_builtin("losses")
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross-entropy for noisy integer labels: `(1 - p[label] ** q) / q`.

    Args:
        y_true: Integer class indices, shape `(batch_size, ...)`.
        y_pred: Probabilities, shape `(batch_size, ..., num_classes)`.
        q: In `(0, 1)`; towards 0 it approaches cross-entropy, at 1 it is MAE.

    Returns:
        Losses of `y_true`'s shape.

    Example:

    >>> float(categorical_generalized_cross_entropy([1], [[0.75, 0.25]], q=0.5)[0])
    1.0
    """
    fn_name = "categorical_generalized_cross_entropy"
    y_pred = as_tensor(y_pred, fn_name, "y_pred")
    y_true = as_tensor(y_true, fn_name, "y_true", device=y_pred.device)
    labels, _ = _sparse_labels(fn_name, y_true, y_pred, -1)
    p = torch.gather(y_pred, -1, labels.unsqueeze(-1)).squeeze(-1)
    return (1 - torch.pow(p, q)) / q


@register_builtin("losses")
def ctc(y_true, y_pred):
    """Connectionist Temporal Classification loss (blank and padding label 0).

    Args:
        y_true: Integer labels, shape `(batch_size, max_label_length)`, padded
            with 0 (which is also the blank class).
        y_pred: Logits, shape `(batch_size, max_time, num_classes)`.

    Returns:
        Losses of shape `(batch_size,)`.

    Example:

    >>> loss = ctc([[1, 2]], torch.zeros(1, 4, 3))
    >>> tuple(loss.shape)
    (1,)
    """
    y_pred = as_tensor(y_pred, "ctc", "y_pred")
    y_true = as_tensor(y_true, "ctc", "y_true", device=y_pred.device)
    if y_true.dim() != 2:
        raise LossInputError(
            "ctc expects targets y_true of shape (batch_size, max_length) in integer format. "
            f"Received: y_true.shape={tuple(y_true.shape)}"
        )
    if y_pred.dim() != 3:
        raise LossInputError(
            "ctc expects logits y_pred of shape (batch_size, max_length, num_classes). "
            f"Received: y_pred.shape={tuple(y_pred.shape)}"
        )
    if y_pred.dtype != torch.float64:
        y_pred = y_pred.to(torch.float32)
    targets = y_true.to(torch.int64)
    batch, time = y_pred.shape[0], y_pred.shape[1]
    target_lengths = torch.sum(targets != 0, dim=-1)
    input_lengths = torch.full((batch,), time, dtype=torch.int64, device=y_pred.device)
    log_probs = F.log_softmax(y_pred.transpose(0, 1), dim=-1)
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="none")


# `y_true` holds class indices: `Loss.__call__` keeps them integer.
sparse_categorical_crossentropy._integer_labels = True
categorical_generalized_cross_entropy._integer_labels = True
ctc._integer_labels = True
