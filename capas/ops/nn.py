"""Activations, normalization helpers, dropout and the `*_cross_entropy_with_logits` losses (`tf.nn`)."""

import torch
import torch.nn.functional as F

from capas import _kernels
from capas.ops._recording import op
from capas.ops._utils import axes as _axes
from capas.ops._utils import axis_int, pair, to_tensor
from capas.ops.random import _generator

# -- activations ---------------------------------------------------------------


@op
def relu(features, name=None):
    """`max(features, 0)`."""
    return torch.relu(to_tensor(features))


@op
def relu6(features, name=None):
    """`min(max(features, 0), 6)`."""
    return F.relu6(to_tensor(features))


@op
def elu(features, name=None):
    """`features` where positive, `exp(features) - 1` elsewhere."""
    return F.elu(to_tensor(features))


@op
def selu(features, name=None):
    """The scaled ELU of Klambauer et al. (2017)."""
    return F.selu(to_tensor(features))


@op
def gelu(features, approximate=False, name=None):
    """The Gaussian error linear unit; `approximate=True` uses the tanh formula."""
    return F.gelu(to_tensor(features), approximate="tanh" if approximate else "none")


@op
def silu(features, beta=1.0, name=None):
    """`features * sigmoid(beta * features)` (also called swish)."""
    x = to_tensor(features)
    if beta == 1.0:
        return F.silu(x)
    return x * torch.sigmoid(beta * x)


swish = silu


@op
def leaky_relu(features, alpha=0.2, name=None):
    """`features` where positive, `alpha * features` elsewhere (default alpha 0.2)."""
    return F.leaky_relu(to_tensor(features), negative_slope=alpha)


@op
def sigmoid(x, name=None):
    """`1 / (1 + exp(-x))`."""
    return torch.sigmoid(to_tensor(x))


@op
def tanh(x, name=None):
    """The hyperbolic tangent."""
    return torch.tanh(to_tensor(x))


@op
def softplus(features, name=None):
    """`log(exp(features) + 1)`."""
    return F.softplus(to_tensor(features))


@op
def softsign(features, name=None):
    """`features / (abs(features) + 1)`."""
    return F.softsign(to_tensor(features))


@op
def softmax(logits, axis=None, name=None):
    """`exp(logits) / sum(exp(logits))` along `axis` (default -1)."""
    x = to_tensor(logits)
    return _kernels.softmax(x, -1 if axis is None else axis_int(axis, x.dim()))


@op
def log_softmax(logits, axis=None, name=None):
    """`logits - log(sum(exp(logits)))` along `axis` (default -1)."""
    x = to_tensor(logits)
    return torch.log_softmax(x, dim=-1 if axis is None else axis_int(axis, x.dim()))


# -- normalization -----------------------------------------------------------


@op
def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """`x / sqrt(max(sum(x ** 2, axis), epsilon))`."""
    x = to_tensor(x)
    axis = dim if axis is None else axis
    dims = _axes(axis, x.dim())
    sq = torch.sum(x * x, dim=dims, keepdim=True)
    return x * torch.rsqrt(torch.clamp_min(sq, epsilon))


@op
def moments(x, axes, shift=None, keepdims=False, name=None):
    """The mean and (population) variance of `x` over `axes`.

    Returns:
        A `(mean, variance)` tuple.
    """
    x = to_tensor(x)
    var, mean = torch.var_mean(x, dim=_axes(axes, x.dim()), correction=0, keepdim=keepdims)
    return mean, var


@op
def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """`(x - mean) / sqrt(variance + variance_epsilon) * scale + offset` (offset/scale may be None)."""
    x = to_tensor(x)
    inv = torch.rsqrt(to_tensor(variance) + variance_epsilon)
    if scale is not None:
        inv = inv * to_tensor(scale)
    out = (x - to_tensor(mean)) * inv
    return out if offset is None else out + to_tensor(offset)


@op
def bias_add(value, bias, data_format=None, name=None):
    """`value + bias` with `bias` (1-D) on the channel axis: last, or 1 for 'NC...' formats."""
    x = to_tensor(value)
    b = to_tensor(bias)
    channels_first = data_format is not None and str(data_format).startswith("NC")
    axis = 1 if channels_first else -1
    if b.dim() != 1 or x.dim() < 2 or x.shape[axis] != b.shape[0]:
        raise ValueError(
            f"tf.nn.bias_add: bias of shape {tuple(b.shape)} must be 1-D with the size of the channel "
            f"axis ({axis}) of value, whose shape is {tuple(x.shape)} (data_format={data_format!r})."
        )
    if channels_first:
        b = b.reshape((-1,) + (1,) * (x.dim() - 2))
    return x + b


@op
def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zero each entry of `x` with probability `rate` and scale the rest by `1 / (1 - rate)`.

    Unlike `keras.layers.Dropout`, this always applies (there is no training flag).

    Args:
        x: a floating tensor.
        rate: the drop probability, in `[0, 1)`.
        noise_shape: optional shape of the keep/drop mask, broadcast to `x`.
        seed: optional op-level seed (see `tf.random`).
    """
    x = to_tensor(x)
    if isinstance(rate, (int, float)) and not 0 <= rate < 1:
        raise ValueError(f"tf.nn.dropout: rate must be in [0, 1); received {rate}.")
    shape = (
        x.shape
        if noise_shape is None
        else tuple(x.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape))
    )
    noise = torch.rand(shape, dtype=x.dtype, device=x.device, generator=_generator(seed, x.device))
    keep = noise >= rate
    return x * keep / (1 - rate)


# -- losses ----------------------------------------------------------------------


@op
def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Per-example `-log(softmax(logits)[label])` for integer `labels` of shape `logits.shape[:-1]`."""
    logits = to_tensor(logits)
    labels = to_tensor(labels)
    if labels.shape != logits.shape[:-1]:
        raise ValueError(
            "tf.nn.sparse_softmax_cross_entropy_with_logits: labels must have the shape of logits "
            f"without its last axis; received labels {tuple(labels.shape)} and logits {tuple(logits.shape)}."
        )
    if labels.is_floating_point():
        raise TypeError(f"Labels must be integer class indices; received dtype {labels.dtype}.")
    flat = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1).long(), reduction="none")
    return flat.reshape(labels.shape)


class _SoftmaxXent(torch.autograd.Function):
    """`-sum(labels * log_softmax(logits), dim)` with the gradient of TF's fused kernel.

    TF's `SoftmaxCrossEntropyWithLogits` gives the logits the gradient `softmax(logits) - labels`.
    That is the exact gradient only when each row of `labels` sums to one; with multi-hot or
    unnormalized labels TF (and tf.keras training with `from_logits=True`) follows this one, and
    autograd would give `softmax * sum(labels) - labels`. The labels get `-log_softmax(logits)`.
    """

    @staticmethod
    def forward(ctx, labels, logits, dim):
        log_prob = torch.log_softmax(logits, dim=dim)
        ctx.save_for_backward(labels, log_prob)
        ctx.dim = dim
        return -torch.sum(labels * log_prob, dim=dim)

    @staticmethod
    def backward(ctx, grad):
        labels, log_prob = ctx.saved_tensors
        grad = grad.unsqueeze(ctx.dim)
        grad_labels = grad_logits = None
        if ctx.needs_input_grad[1]:
            grad_logits = ((torch.exp(log_prob) - labels) * grad).to(log_prob.dtype)
        if ctx.needs_input_grad[0]:
            grad_labels = (-log_prob * grad).to(labels.dtype)
        return grad_labels, grad_logits, None


def softmax_xent(labels, logits, dim):
    """TF's softmax cross-entropy (its gradient included) along `dim` (`dim` >= 0)."""
    plain = not (labels.requires_grad or logits.requires_grad) or not torch.is_grad_enabled()
    if plain or labels.shape != logits.shape:
        return -torch.sum(labels * torch.log_softmax(logits, dim=dim), dim=dim)
    return _SoftmaxXent.apply(labels, logits, dim)


@op
def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Per-example `-sum(labels * log_softmax(logits), axis)` for probability `labels`.

    The logits' gradient is TF's, `softmax(logits) - labels`, also for labels whose rows do not
    sum to one (see `_SoftmaxXent`).
    """
    labels, logits = pair(labels, logits)
    if labels.shape != logits.shape:
        raise ValueError(
            "tf.nn.softmax_cross_entropy_with_logits: labels and logits must have one shape; received "
            f"{tuple(labels.shape)} and {tuple(logits.shape)}."
        )
    axis = axis_int(axis, logits.dim())
    return softmax_xent(labels, logits, axis)


@op
def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Element-wise `max(x, 0) - x * z + log(1 + exp(-|x|))` for logits x and labels z."""
    labels, logits = pair(labels, logits)
    if labels.shape != logits.shape:
        raise ValueError(
            "tf.nn.sigmoid_cross_entropy_with_logits: labels and logits must have one shape; received "
            f"{tuple(labels.shape)} and {tuple(logits.shape)}."
        )
    return F.binary_cross_entropy_with_logits(logits, labels.to(logits.dtype), reduction="none")


@op
def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """Like `sigmoid_cross_entropy_with_logits`, with positive labels weighted by `pos_weight`."""
    labels, logits = pair(labels, logits)
    log_weight = 1 + (pos_weight - 1) * labels
    return (1 - labels) * logits + log_weight * (torch.log1p(torch.exp(-logits.abs())) + torch.relu(-logits))


@op
def l2_loss(t, name=None):
    """`sum(t ** 2) / 2`."""
    t = to_tensor(t)
    return torch.sum(t * t) / 2


@op
def embedding_lookup(params, ids, max_norm=None, name=None):
    """Rows of `params` at `ids` (`tf.gather(params, ids)` for one tensor of params)."""
    p = to_tensor(params)
    idx = to_tensor(ids).long()
    out = F.embedding(idx.to(p.device), p)
    if max_norm is not None:
        norms = torch.linalg.vector_norm(out, dim=-1, keepdim=True)
        out = out * torch.clamp(max_norm / torch.clamp_min(norms, 1e-12), max=1.0)
    return out
