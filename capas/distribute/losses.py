"""`tf.nn.compute_average_loss` and `tf.nn.scale_regularization_loss`: losses of custom distributed loops."""

import torch

from capas.distribute import strategy as _strategy


def _check_replica_context(name):
    if _strategy.has_strategy() and _strategy.in_cross_replica_context():
        raise RuntimeError(
            f"You are calling `{name}` in cross replica context, while it was expected to be called in replica context."
        )


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """The sum of the per-example losses divided by the *global* batch size.

    Summed over the replicas (`strategy.run` sums gradients), this is the mean
    loss of the global batch. Without `global_batch_size`, it is this
    replica's batch size times `num_replicas_in_sync`.

    Args:
        per_example_loss: the losses, one per example (rank >= 1).
        sample_weight: optional weights, broadcast against the losses.
        global_batch_size: the global batch size (an integer).

    Example:

    >>> import capas as tf
    >>> float(tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 3.0]), global_batch_size=6))
    1.0
    """
    loss = torch.as_tensor(per_example_loss)
    if loss.dim() < 1:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1. "
            f"Received: per_example_loss={per_example_loss!r} with rank 0."
        )
    dtype = loss.dtype
    if sample_weight is not None:
        loss = (loss * torch.as_tensor(sample_weight, device=loss.device)).to(dtype)
    if global_batch_size is None:
        _check_replica_context("compute_average_loss")
        global_batch_size = loss.shape[0] * _strategy.get_strategy().num_replicas_in_sync
    if isinstance(global_batch_size, torch.Tensor):
        if global_batch_size.dim() != 0 or global_batch_size.is_floating_point():
            raise TypeError(f"`global_batch_size` must be a scalar integer, got {global_batch_size!r}.")
        global_batch_size = int(global_batch_size)
    elif isinstance(global_batch_size, float) or not isinstance(global_batch_size, int):
        raise TypeError(f"`global_batch_size` must be a scalar integer, got {global_batch_size!r}.")
    return loss.sum() / torch.tensor(float(global_batch_size), dtype=dtype, device=loss.device)


def scale_regularization_loss(regularization_loss):
    """The regularization loss divided by `num_replicas_in_sync` (summed over replicas, it counts once).

    Example:

    >>> import capas as tf
    >>> float(tf.nn.scale_regularization_loss(tf.constant(2.0)))
    2.0
    """
    _check_replica_context("scale_regularization_loss")
    loss = torch.as_tensor(regularization_loss)
    return loss.sum() / _strategy.get_strategy().num_replicas_in_sync
