"""Distributed input: each replica takes its part of every global batch.

`Strategy.experimental_distribute_dataset(dataset)` follows TF's auto-shard
*DATA* policy as seen from the replicas: every rank iterates the same
pipeline (a shuffle must be seeded, as TF's multi-worker tutorial asks, so
that the ranks agree on the order) and takes its rows of each global batch:
with N replicas and a batch of B rows, rank r takes rows `[r*B//N,
(r+1)*B//N)` (uneven splits, e.g. a last partial batch, give some ranks one
row more, as TF's rebatching does). Each rank therefore sees a disjoint part
of every batch and all parts together are exactly the global batch.

`Strategy.distribute_datasets_from_function(fn)` calls `fn` with an
`InputContext` and iterates what it returns unchanged (the function shards
and batches per replica itself).
"""

import numpy as np
import torch

from capas.distribute import process_group


class InputContext:
    """`tf.distribute.InputContext`: which input pipeline this is, and the per-replica batch size.

    Example:

    >>> import capas as tf
    >>> ctx = tf.distribute.InputContext(num_input_pipelines=2, input_pipeline_id=1, num_replicas_in_sync=2)
    >>> ctx.get_per_replica_batch_size(64)
    32
    """

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self.num_input_pipelines = num_input_pipelines
        self.input_pipeline_id = input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size):
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(
                f"The `global_batch_size` {global_batch_size} is not divisible by `num_replicas_in_sync` "
                f"{self.num_replicas_in_sync}"
            )
        return global_batch_size // self.num_replicas_in_sync


def _rows(value):
    if isinstance(value, (torch.Tensor, np.ndarray)) and value.ndim > 0:
        return value.shape[0]
    return None


def _leading(structure):
    if isinstance(structure, dict):
        for v in structure.values():
            n = _leading(v)
            if n is not None:
                return n
        return None
    if isinstance(structure, (list, tuple)):
        for v in structure:
            n = _leading(v)
            if n is not None:
                return n
        return None
    return _rows(structure)


def _take_rows(structure, start, stop):
    if isinstance(structure, dict):
        return {k: _take_rows(v, start, stop) for k, v in structure.items()}
    if isinstance(structure, tuple):
        return tuple(_take_rows(v, start, stop) for v in structure)
    if isinstance(structure, list):
        return [_take_rows(v, start, stop) for v in structure]
    if _rows(structure) is not None:
        return structure[start:stop]
    return structure


def replica_bounds(batch_rows, rank, world):
    """The rows `[start, stop)` of a global batch of `batch_rows` that replica `rank` takes."""
    if batch_rows < world:
        raise ValueError(
            f"A global batch of {batch_rows} rows cannot be split over {world} replicas: every replica needs at "
            f"least one row. Use a global batch size that is a multiple of {world} (e.g. 64 * {world})."
        )
    return rank * batch_rows // world, (rank + 1) * batch_rows // world


def split_batch(batch, rank, world):
    """This replica's part of one global batch (any structure of tensors/arrays with a leading batch axis)."""
    n = _leading(batch)
    if n is None or world == 1:
        return batch, 1.0
    start, stop = replica_bounds(n, rank, world)
    # The factor turns this rank's mean loss into its share of the global mean (mean over ranks).
    return _take_rows(batch, start, stop), (stop - start) * world / n


class DistributedDataset:
    """What `experimental_distribute_dataset` returns: iterate it for this replica's batches.

    Each element is this replica's part of a global batch (TF calls it a
    PerReplica value; with one replica per process it is a plain batch).
    """

    def __init__(self, dataset, split=True):
        self._dataset = dataset
        self._split = split
        self.element_spec = getattr(dataset, "element_spec", None)

    def __iter__(self):
        rank, world = process_group.rank(), process_group.world_size()
        for batch in self._dataset:
            yield split_batch(batch, rank, world)[0] if self._split else batch

    def __len__(self):
        return len(self._dataset)

    def reduce(self, initial_state, reduce_func):
        state = initial_state
        for element in self:
            state = reduce_func(state, element)
        return state


class ShardedIterable:
    """Wraps fit's input: yields this rank's part of every global batch, and remembers its loss weight."""

    def __init__(self, data):
        self.data = data
        self.weight = 1.0

    def __iter__(self):
        rank, world = process_group.rank(), process_group.world_size()
        for batch in self.data:
            part, self.weight = split_batch(batch, rank, world)
            yield part

    def __len__(self):
        return len(self.data)
