"""The distributed seams of `fit` and `evaluate` (DESIGN.md, decision 10).

Start the same training script on every process with `torchrun` and create a
`tf.distribute.MirroredStrategy()` (or call
`torch.distributed.init_process_group()` yourself). Then `fit`:

- checks that every rank built the same model (a clear error names the first
  weight whose shape differs), broadcasts rank 0's weights and data-order seed;
- treats each batch as the *global* batch, as TF and Keras do: every rank
  takes its rows of it (`capas/distribute/input.py`); arrays, `tf.data`
  datasets, generators and DataLoaders alike (all ranks must produce the same
  batches: unseeded `Dataset.shuffle`s agree under a strategy);
- reduces the gradients with PyTorch's DDP reducer (`replica.py`), weighting
  each rank so that the result is the gradient of the global batch's mean loss;
- shards the validation data too and sums the metric states across ranks
  before they are read, so the logs are those of the whole data;
- prints and writes files (checkpoints, CSV, TensorBoard, backups) on rank 0.

With one process nothing changes.
"""

import contextlib

import torch
import torch.distributed as dist

from capas.distribute import input as _input
from capas.distribute import replica, sharding
from capas.distribute.process_group import broadcast_generator as broadcast_generator
from capas.distribute.process_group import broadcast_state as broadcast_state
from capas.distribute.process_group import check_same_shapes as check_same_shapes
from capas.distribute.process_group import is_distributed as is_distributed
from capas.distribute.process_group import rank as rank
from capas.distribute.process_group import world_size as world_size


class ShardedAdapter:
    """A fit/evaluate data adapter whose batches are this rank's rows of each global batch."""

    def __init__(self, adapter):
        self.__dict__["adapter"] = adapter

    def __getattr__(self, name):
        return getattr(self.__dict__["adapter"], name)

    def __setattr__(self, name, value):
        setattr(self.__dict__["adapter"], name, value)

    def __iter__(self):
        r, world = rank(), world_size()
        for batch in self.__dict__["adapter"]:
            part, weight = _input.split_batch(batch, r, world)
            replica.set_batch_weight(weight)
            yield part


def prepare_fit(model, train, val):
    """Same model and data order on every rank; returns the sharded (train, val) adapters."""
    check_same_shapes([(getattr(w, "path", None) or w.name, tuple(w.shape)) for w in model.weights])
    with torch.no_grad():  # rank 0's values (variables sharded by FSDP2 were made equal before sharding)
        for tensor in sharding.unsharded_parameters(model):
            dist.broadcast(tensor.data, src=0)
    broadcast_generator(model._data_generator())
    sharding.prepare_model(model)
    if sharding.is_sharded(model):
        sharding.check_optimizer(model.optimizer)
    _FITTING.append(model)
    return ShardedAdapter(train), (ShardedAdapter(val) if val is not None else None)


def shard(adapter):
    """The adapter of `evaluate` (and of fit's validation) on this rank."""
    return ShardedAdapter(adapter) if is_distributed() else adapter


def _to_cpu(structure):
    if isinstance(structure, torch.Tensor):
        return structure.detach().cpu()
    if isinstance(structure, dict):
        return {k: _to_cpu(v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_to_cpu(v) for v in structure)
    return structure


def _concat_parts(parts):
    first = parts[0]
    if isinstance(first, torch.Tensor):
        return torch.cat(parts, dim=0)
    if isinstance(first, dict):
        return {k: _concat_parts([p[k] for p in parts]) for k in first}
    if isinstance(first, (list, tuple)):
        return type(first)(_concat_parts([p[i] for p in parts]) for i in range(len(first)))
    return first


def gather_batches(outputs):
    """`predict` on several ranks: every rank gets every batch's outputs, rows in the original order."""
    if not is_distributed():
        return outputs
    everyone = [None] * world_size()
    dist.all_gather_object(everyone, [_to_cpu(o) for o in outputs])
    return [_concat_parts([everyone[r][i] for r in range(world_size())]) for i in range(len(outputs))]


def sum_metric_states(metrics):
    """Sum every metric's state variables across ranks (in place), before results are read."""
    if not is_distributed():
        return
    with torch.no_grad():
        for metric in metrics:
            for variable in getattr(metric, "variables", []):
                if variable.is_floating_point() or variable.dtype in (torch.int32, torch.int64):
                    dist.all_reduce(variable.data, op=dist.ReduceOp.SUM)


_FITTING = []  # the models whose distributed fit is running (prepare_fit -> training)


@contextlib.contextmanager
def training():
    """The context of fit's epochs: gradients averaged across ranks (DDP, or FSDP2's reduce-scatter)."""
    model = _FITTING[-1] if _FITTING else None
    try:
        with replica.reducing("mean"):
            yield
    finally:
        if _FITTING:
            _FITTING.pop()
    if model is not None:  # (not after an error: no collective on the way out of a failed fit)
        sharding.after_fit(model)  # FSDP2: the model reads as a one-process model after fit
