"""`BatchNormalization`: normalize with batch statistics in training, moving ones otherwise."""

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.modules._functions import SyncBatchNorm

from capas.keras import constraints, initializers, regularizers
from capas.keras.layers import _symbolic
from capas.keras.layers.layer import Layer
from capas.keras.layers.normalization._norm_utils import cast_like, output_dtype, serialize_or_none, to_float32
from capas.keras.saving.object_registration import register_builtin


def _world_size():
    """The number of torch.distributed processes (1 when not distributed)."""
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


class _AllReduceSum(torch.autograd.Function):
    """A sum over processes whose gradient is the sum of every process's gradient."""

    @staticmethod
    def forward(ctx, tensor):
        out = tensor.clone()
        dist.all_reduce(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        dist.all_reduce(grad)
        return grad


def _sync_batch_norm(xt, batch_mean, batch_var, gamma, beta, epsilon, local_count):
    """torch's SyncBatchNorm function over all processes; returns (output, global count per feature)."""
    count = torch.tensor([float(local_count)], device=xt.device)
    dist.all_reduce(count)  # the global count turns torch's unbiased variance into Keras's biased one
    y = SyncBatchNorm.apply(
        xt, gamma, beta, batch_mean, batch_var, epsilon, 1.0, dist.group.WORLD, dist.get_world_size()
    )
    return y, int(count.item())


def _global_moments(x, mask, axis):
    """Mean and biased variance over every process's batch (`synchronized=True`).

    One differentiable all-reduce of the per-feature sums, sums of squares and
    counts, so the gradient flows through the statistics of the whole batch.
    """
    reduce = [d for d in range(x.dim()) if d != axis]
    if mask is None:
        weights = torch.ones((), dtype=x.dtype, device=x.device).expand(x.shape)
    else:
        weights = mask.unsqueeze(-1).expand(x.shape).to(x.dtype)
    stats = torch.stack(
        [(x * weights).sum(dim=reduce), (x.square() * weights).sum(dim=reduce), weights.sum(dim=reduce)]
    )
    total, squares, count = _AllReduceSum.apply(stats)
    mean = total / count
    var = (squares / count - mean.square()).clamp(min=0.0)
    shape = [1] * x.dim()
    shape[axis] = -1
    return mean.view(shape), var.view(shape)


@register_builtin("layers")
class BatchNormalization(Layer):
    """Layer that normalizes its inputs.

    During training (`training=True` and the layer is trainable) the output is
    `gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta` with the batch's
    mean and (biased) variance over every axis but `axis`, and the moving
    statistics are updated as Keras does:
    `moving = moving * momentum + batch * (1 - momentum)`, with the *biased*
    batch variance. Otherwise (inference, or `trainable=False`, as in Keras 3's
    fine-tuning convention) it uses `moving_mean` and `moving_variance`. Both
    paths are one fused `torch.nn.functional.batch_norm` call.

    Args:
        axis: int, the features axis (-1 for channels_last, 1 for channels_first).
        momentum: float, the momentum of the moving averages.
        epsilon: small float added to the variance.
        center: add the offset `beta`.
        scale: multiply by `gamma`.
        beta_initializer, gamma_initializer, moving_mean_initializer,
            moving_variance_initializer: initializers.
        beta_regularizer, gamma_regularizer: optional regularizers.
        beta_constraint, gamma_constraint: optional constraints.
        synchronized: under torch.distributed (several processes), compute the
            batch statistics over every process's batch (one differentiable
            all-reduce per call); a single process ignores it.

    Call arguments:
        inputs: a tensor of any rank >= 2.
        training: use (and update) batch statistics when True.
        mask: optional boolean `(batch, ...)` mask of rank `ndim - 1`; masked
            positions are left out of the batch statistics.

    Input shape:
        Arbitrary. Output shape: the input shape.

    Differs from Keras: `renorm` is not supported.

    Example:

    >>> import capas as tf
    >>> from capas.keras import layers
    >>> bn = layers.BatchNormalization()
    >>> bn(tf.ones((4, 3)), training=True).shape
    torch.Size([4, 3])
    >>> [w.name.split("/")[-1] for w in bn.weights]
    ['gamma:0', 'beta:0', 'moving_mean:0', 'moving_variance:0']
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        synchronized=False,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(f"BatchNormalization '{self.name}': `axis` must be an int, received axis={axis!r}.")
        if renorm:
            raise ValueError(f"BatchNormalization '{self.name}': `renorm=True` is not supported by capas.")
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        if not -ndim <= self.axis < ndim:
            raise ValueError(
                f"BatchNormalization '{self.name}': axis {self.axis} is out of bounds for an input of rank "
                f"{ndim} (shape {tuple(input_shape)})."
            )
        features = input_shape[self.axis]
        if features is None:
            raise ValueError(
                f"BatchNormalization '{self.name}' needs a known size on axis {self.axis}; received input "
                f"shape {tuple(input_shape)}."
            )
        shape = (int(features),)
        self.gamma = (
            self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
            if self.center
            else None
        )
        self.moving_mean = self.add_weight(
            name="moving_mean", shape=shape, initializer=self.moving_mean_initializer, trainable=False
        )
        self.moving_variance = self.add_weight(
            name="moving_variance", shape=shape, initializer=self.moving_variance_initializer, trainable=False
        )
        self._features = shape[0]
        self._ndim = ndim

    def _check(self, inputs):
        if inputs.dim() != self._ndim or inputs.shape[self.axis] != self._features:
            raise ValueError(
                f"Input 0 of layer '{self.name}' (BatchNormalization) is incompatible with the layer: it was "
                f"built for rank-{self._ndim} inputs with {self._features} features on axis {self.axis}, but "
                f"received input with shape {tuple(inputs.shape)}. Feed inputs of the built shape, or use a "
                "new layer."
            )

    def _inference_fn(self):
        """`call(x, training=False)`: the moving statistics' normalization (`Layer._inference_fn`)."""
        return self._own_call_fn(BatchNormalization)

    def call(self, inputs, training=None, mask=None):
        self._check(inputs)
        x = to_float32(inputs)
        axis = self.axis % x.dim()
        if mask is not None and mask.dim() != x.dim() - 1:
            raise ValueError(
                f"BatchNormalization '{self.name}': the mask must have one dimension less than the inputs; "
                f"received mask.shape={tuple(mask.shape)}, inputs.shape={tuple(x.shape)}."
            )
        use_batch_stats = bool(training) and self.trainable
        if use_batch_stats and self.synchronized and _world_size() > 1:
            if mask is None and x.is_cuda and x.numel() > x.shape[axis]:  # torch's SyncBatchNorm (CUDA only)
                xt = x.movedim(axis, 1) if axis != 1 else x
                y = self._training(xt.contiguous(), synchronized=True)
                y = y.movedim(1, axis) if axis != 1 else y
            else:  # CPU or masked: per-feature sums all-reduced (torch's kernel is CUDA-only, has no mask)
                y = self._manual_training(x, mask, axis, synchronized=True)
        elif use_batch_stats and (mask is not None or x.numel() == x.shape[axis]):
            # Masked moments, or one value per feature (torch's kernel refuses to train on it).
            y = self._manual_training(x, mask, axis)
        else:
            # torch wants the features on dim 1: a view, not a copy.
            xt = x.movedim(axis, 1) if axis != 1 else x
            if use_batch_stats:
                y = self._training(xt)
            else:
                y = F.batch_norm(
                    xt,
                    cast_like(self.moving_mean, xt),
                    cast_like(self.moving_variance, xt),
                    cast_like(self.gamma, xt),
                    cast_like(self.beta, xt),
                    False,
                    0.0,
                    self.epsilon,
                )
            y = y.movedim(1, axis) if axis != 1 else y
        dtype = output_dtype(self, inputs)
        return y.to(dtype) if y.dtype != dtype else y

    def _training(self, xt, synchronized=False):
        # With momentum=1, torch's running buffers receive exactly the batch mean and the
        # *unbiased* batch variance; Keras's update uses the biased one: scale by (n - 1) / n.
        features = xt.shape[1]
        batch_mean = torch.zeros(features, dtype=xt.dtype, device=xt.device)
        batch_var = torch.zeros(features, dtype=xt.dtype, device=xt.device)
        n = xt.numel() // max(features, 1)
        if synchronized:
            y, n = _sync_batch_norm(
                xt, batch_mean, batch_var, cast_like(self.gamma, xt), cast_like(self.beta, xt), self.epsilon, n
            )
        else:
            y = F.batch_norm(
                xt, batch_mean, batch_var, cast_like(self.gamma, xt), cast_like(self.beta, xt), True, 1.0, self.epsilon
            )
        if not _symbolic.in_symbolic_call():
            with torch.no_grad():
                self.moving_mean.lerp_(batch_mean.to(self.moving_mean.dtype), 1.0 - self.momentum)
                biased = batch_var * ((n - 1) / n)
                self.moving_variance.lerp_(biased.to(self.moving_variance.dtype), 1.0 - self.momentum)
        return y

    def _manual_training(self, x, mask, axis, synchronized=False):
        reduce = [d for d in range(x.dim()) if d != axis]
        if synchronized:
            mean, var = _global_moments(x, mask, axis)
        elif mask is None:
            var, mean = torch.var_mean(x, dim=reduce, correction=0, keepdim=True)
        else:
            keep = mask.unsqueeze(-1).expand(x.shape).bool()
            weights = keep.to(x.dtype).sum(dim=reduce, keepdim=True)
            mean = torch.where(keep, x, 0).sum(dim=reduce, keepdim=True) / (weights + 1e-7)
            var = torch.where(keep, x - mean, 0).square().sum(dim=reduce, keepdim=True) / (weights + 1e-7)
        if not _symbolic.in_symbolic_call():
            with torch.no_grad():
                self.moving_mean.lerp_(mean.reshape(-1).to(self.moving_mean.dtype), 1.0 - self.momentum)
                self.moving_variance.lerp_(var.reshape(-1).to(self.moving_variance.dtype), 1.0 - self.momentum)
        shape = [1] * x.dim()
        shape[axis] = -1
        inv = torch.rsqrt(var + self.epsilon)
        if self.gamma is not None:
            inv = inv * cast_like(self.gamma, x).view(shape)
        y = (x - mean) * inv
        return y + cast_like(self.beta, x).view(shape) if self.beta is not None else y

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "axis": self.axis,
                "momentum": self.momentum,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": serialize_or_none(regularizers, self.beta_regularizer),
                "gamma_regularizer": serialize_or_none(regularizers, self.gamma_regularizer),
                "beta_constraint": serialize_or_none(constraints, self.beta_constraint),
                "gamma_constraint": serialize_or_none(constraints, self.gamma_constraint),
                "synchronized": self.synchronized,
                "renorm": self.renorm,
                "renorm_clipping": self.renorm_clipping,
                "renorm_momentum": self.renorm_momentum,
            }
        )
        return config
