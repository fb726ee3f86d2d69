"""Gradients reduced by PyTorch's DistributedDataParallel reducer.

Every set of trainable variables that a distributed step differentiates gets
one `DistributedDataParallel` wrapper (over a holder module that shares the
variables, so nothing is copied). Before the backward pass the wrapper runs
its own forward bookkeeping (`ddp(fn)`: DDP's pre- and post-forward around a
no-op), which arms its reducer; the backward then fires DDP's autograd hooks,
which all-reduce the gradients bucket by bucket while the backward is still
running, and leave the reduced gradients in `.grad`.

Two reductions, chosen by the caller's context:

- `"mean"` inside `fit` (each rank's loss is the mean of its part of the
  global batch, so the mean over ranks is the global batch's gradient);
- `"sum"` inside `Strategy.run` (TF's custom-loop convention: the loss is
  already divided by the global batch size, `tf.nn.compute_average_loss`).

`GradientTape.gradient` computes through here while a context is active (it
uses `torch.autograd.backward` then, since `torch.autograd.grad` does not run
DDP's hooks), and restores the `.grad` values it found.
"""

import contextlib
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from capas.distribute import process_group, sharding

_CONTEXT = [None]  # "mean" | "sum" | None: the reduction of the active distributed step
_WRAPPERS = {}
_BATCH_WEIGHT = [1.0]  # this rank's share of the current global batch, times the number of ranks


def set_batch_weight(weight):
    """Set by fit's sharded input: the factor that makes the mean over ranks the global batch's mean."""
    _BATCH_WEIGHT[0] = weight


def active():
    """The active reduction ('mean' or 'sum'), or None outside distributed steps."""
    return _CONTEXT[0]


@contextlib.contextmanager
def reducing(mode):
    """Within the block, gradients of trainable variables are reduced across ranks with `mode`."""
    previous = _CONTEXT[0]
    _CONTEXT[0] = mode if process_group.is_distributed() else None
    try:
        yield
    finally:
        _CONTEXT[0] = previous


class _Holder(torch.nn.Module):
    """Shares the variables with DDP; its forward runs a callable (a no-op here)."""

    def __init__(self, variables):
        super().__init__()
        self.shared = torch.nn.ParameterList(variables)

    def forward(self, fn):
        return fn()


def _used_variables(outputs, variables):
    """The ids of `variables` that the autograd graph of `outputs` reaches (run once per wrapper)."""
    wanted = {id(v) for v in variables}
    found, seen = set(), set()
    stack = [o.grad_fn for o in outputs if isinstance(o, torch.Tensor) and o.grad_fn is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        leaf = getattr(node, "variable", None)
        if leaf is not None and id(leaf) in wanted:
            found.add(id(leaf))
        stack.extend(n for n, _ in node.next_functions if n is not None)
    return found


def _find_unused_forced():
    return os.environ.get("CAPAS_DDP_FIND_UNUSED_PARAMETERS", "").lower() in ("1", "true", "yes")


def _wrapper(variables, outputs):
    key = tuple(id(v) for v in variables)
    ddp = _WRAPPERS.get(key)
    if ddp is None:
        process_group.check_same_shapes(
            [(getattr(v, "path", None) or getattr(v, "name", "?"), v.shape) for v in variables],
            what="set of trainable variables",
        )
        # A variable the loss does not use gets no gradient, and DDP's reducer would wait for it forever:
        # when the first step's graph misses one (on any rank), DDP looks for unused variables at every step.
        used = _used_variables(outputs, variables)
        unused = torch.tensor([int(len(used) < len(variables) or _find_unused_forced())])
        if variables[0].device.type == "cuda":
            unused = unused.to(variables[0].device)
        dist.all_reduce(unused, op=dist.ReduceOp.MAX)
        device = variables[0].device
        # init_sync=False: the weights were broadcast already (strategy scope / fit), through `.data`,
        # so that a forward recorded before this point stays valid for its backward.
        ddp = DistributedDataParallel(
            _Holder(variables),
            device_ids=[device.index] if device.type == "cuda" else None,
            init_sync=False,
            forward_sync_buffers=False,
            find_unused_parameters=bool(unused.item()),
        )
        _WRAPPERS[key] = ddp
        process_group.leave_at_exit()  # the wrappers go at exit, also from a group the user initialised
    return ddp


def _through_reducers(outputs, variables, mode):
    """Arm the reducers of `variables` for the backward of `outputs`: DDP's (replicated ones), FSDP2's (sharded).

    Returns the outputs to differentiate and the replicated variables (their gradients come out as the mean
    over ranks: `_mean_to_sum` turns them into the sum for mode "sum").
    """
    single = isinstance(outputs, torch.Tensor)
    outputs = [outputs] if single else list(outputs)
    units = sharding.units_of(variables) if sharding.active() else []
    replicated = [v for v in variables if not units or id(v) not in sharding._BY_VARIABLE]
    if replicated:
        ddp = _wrapper(replicated, outputs)
        try:
            outputs = ddp(lambda: outputs)
        except RuntimeError as exc:
            if "Expected to have finished reduction" not in str(exc):
                raise
            raise RuntimeError(
                "A trainable variable received no gradient in the previous distributed step although every "
                "variable did in the first one, so DDP's reducer still waits for it. Make the loss use every "
                "trainable variable (or freeze the unused ones: layer.trainable = False), or set "
                "CAPAS_DDP_FIND_UNUSED_PARAMETERS=1 to look for unused variables at every step."
            ) from exc
        outputs = list(outputs)
    if units:
        outputs = sharding.arm_backward(outputs, units, mode)
    return (outputs[0] if single else outputs), replicated


def _mean_to_sum(variables, mode):
    """Mode "sum": turn the mean over ranks that DDP's reducer left in `.grad` into the sum (times the world size).

    DDP's own reducer divides each rank's gradient by the world size before its all-reduce. A comm hook
    that sums instead would run a Python callback on gloo's threads, which can outlive the interpreter at exit
    and abort a finished rank; scaling afterwards keeps every collective in C++. With two ranks (any power of
    two) the result has the bits of the plain sum.
    """
    if mode != "sum":
        return
    grads = [v.grad for v in variables if v.grad is not None]
    if grads:
        torch._foreach_mul_(grads, process_group.world_size())


def release():
    """Forget the DDP wrappers (before the process group is destroyed)."""
    _WRAPPERS.clear()


process_group.add_shutdown_step(release)


def backward(loss, variables):
    """`loss.backward()` with the gradients of `variables` reduced across ranks into `.grad`."""
    mode = _CONTEXT[0]
    if mode is None:
        loss.backward()
        return
    variables = [v for v in variables if v.requires_grad]
    if mode == "mean" and _BATCH_WEIGHT[0] != 1.0:
        loss = loss * _BATCH_WEIGHT[0]
    # The reducers' forward bookkeeping arms them for this backward (DDP: all-reduce; FSDP2: reduce-scatter).
    loss, replicated = _through_reducers(loss, variables, mode)
    loss.backward()
    _mean_to_sum(replicated, mode)


def gradient(outputs, sources, grad_outputs, retain_graph, create_graph=False):
    """`torch.autograd.grad` under an active context, reduced by DDP; None when no context is active."""
    mode = _CONTEXT[0]
    if mode is None:
        return None
    if create_graph:
        raise NotImplementedError(
            "Higher-order gradients (a GradientTape inside another) are not reduced across replicas under a "
            "tf.distribute strategy; compute them outside strategy.run."
        )
    if not all(s.is_leaf and s.requires_grad for s in sources):
        raise ValueError(
            "GradientTape.gradient under a tf.distribute strategy differentiates trainable variables only "
            "(their gradients are reduced across replicas); received a non-leaf tensor among the sources. "
            "Compute gradients of intermediate tensors outside strategy.run."
        )
    if mode == "mean" and _BATCH_WEIGHT[0] != 1.0:
        outputs = [o * _BATCH_WEIGHT[0] for o in outputs]
    unique = list({id(s): s for s in sources}.values())
    saved = [s.grad for s in unique]
    for s in unique:
        s.grad = None
    try:
        outputs, replicated = _through_reducers(list(outputs), unique, mode)
        torch.autograd.backward(outputs, grad_tensors=grad_outputs, retain_graph=retain_graph, inputs=unique)
        _mean_to_sum(replicated, mode)
        grads = {id(s): s.grad for s in unique}
        if sharding.active():  # sharded variables: the reduce-scattered gradient (a DTensor of the full shape)
            for unit in sharding.units_of(unique):
                for fsdp_param, variable in zip(unit.fsdp_params, unit.variables):
                    if id(variable) in grads:
                        grads[id(variable)] = fsdp_param.sharded_param.grad
                        fsdp_param.sharded_param.grad = None
    finally:
        for s, g in zip(unique, saved):
            s.grad = g
    return [grads[id(s)] for s in sources]
