"""Data parallelism over `torch.distributed` (DESIGN.md, decision 10).

Start the same training script on every process with `torchrun` (gloo on the
CPU, NCCL on GPUs) and call `torch.distributed.init_process_group()` before
`fit`. Then `fit`:

- broadcasts the weights from rank 0 and seeds the data order identically,
  so every rank starts from the same model and sees one shard of each batch;
- treats `batch_size` as the *global* batch, as Keras's distribution does:
  each rank computes `batch_size // world_size` samples of it (an incomplete
  last batch is dropped so that every rank takes the same number of steps);
- averages the gradients across ranks (one coalesced all-reduce per step)
  before the optimizer applies them — also inside user `train_step`s, since
  the reduction happens in `optimizer.apply`;
- sums the metric states across ranks at the end of each epoch, so the logs
  are those of the whole data;
- prints and writes files (checkpoints, CSV, TensorBoard, backups) on rank 0.

With one process (or without `init_process_group`) nothing changes.
"""

import contextlib

import torch
import torch.distributed as dist


def is_distributed():
    """True when torch.distributed runs with more than one process."""
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def rank():
    return dist.get_rank() if is_distributed() else 0


def world_size():
    return dist.get_world_size() if is_distributed() else 1


def broadcast_state(model, src=0):
    """Copy rank `src`'s weights and buffers to every rank."""
    with torch.no_grad():
        for tensor in list(model.parameters()) + list(model.buffers()):
            dist.broadcast(tensor.data, src=src)


def broadcast_generator(generator, src=0):
    """Every rank's `generator` takes rank `src`'s state (so the data orders agree)."""
    state = generator.get_state()
    dist.broadcast(state, src=src)
    generator.set_state(state)


def average_gradients(grads):
    """All-reduce and average a list of gradients (None stays None), in one flat buffer."""
    present = [g for g in grads if g is not None]
    if not present:
        return grads
    flat = torch.cat([g.reshape(-1) for g in present])
    dist.all_reduce(flat, op=dist.ReduceOp.SUM)
    flat /= dist.get_world_size()
    out = []
    offset = 0
    for g in grads:
        if g is None:
            out.append(None)
            continue
        n = g.numel()
        out.append(flat[offset:offset + n].view_as(g))
        offset += n
    return out


def sum_metric_states(metrics):
    """Sum every metric's state variables across ranks (in place), before results are read."""
    with torch.no_grad():
        for metric in metrics:
            for variable in getattr(metric, "variables", []):
                if variable.is_floating_point() or variable.dtype in (torch.int32, torch.int64):
                    dist.all_reduce(variable.data, op=dist.ReduceOp.SUM)


@contextlib.contextmanager
def gradient_averaging(optimizer):
    """Within the block, `optimizer.apply` averages gradients across ranks first."""
    previous = optimizer.__dict__.get("_gradient_reducer")
    optimizer.__dict__["_gradient_reducer"] = average_gradients
    try:
        yield
    finally:
        if previous is None:
            optimizer.__dict__.pop("_gradient_reducer", None)
        else:
            optimizer.__dict__["_gradient_reducer"] = previous
