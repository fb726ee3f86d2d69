"""`tf.distribute` strategies on processes started by `torchrun`.

One process is one replica. `MirroredStrategy()` (and
`MultiWorkerMirroredStrategy()`) joins torchrun's process group, so
`num_replicas_in_sync` is the number of processes across all machines;
started without torchrun it is one replica on the local device. Inside
`strategy.scope()` build and compile the model as usual; `fit` then splits
every global batch across the replicas and DDP's reducer averages the
gradients. In custom loops, `strategy.run(step, args=(batch,))` runs the step
on this replica with the gradients of `GradientTape.gradient` summed across
replicas (TF's convention: divide the loss by the global batch size with
`tf.nn.compute_average_loss`), and `strategy.reduce` combines values.
"""

import contextlib
import threading

import torch
import torch.distributed as dist

from capas._function import _trace
from capas.distribute import input as _input
from capas.distribute import process_group, replica, sharding
from capas.distribute.cluster_resolver import TorchrunClusterResolver
from capas.distribute.reduce_op import ReduceOp

_STATE = threading.local()


def _stack():
    if not hasattr(_STATE, "stack"):
        _STATE.stack = []
    return _STATE.stack


class StrategyExtended:
    """`strategy.extended`: the few attributes TF programs read."""

    def __init__(self, strategy):
        self._strategy = strategy

    @property
    def worker_devices(self):
        return (str(self._strategy._device),)

    @property
    def parameter_devices(self):
        return self.worker_devices

    @property
    def should_checkpoint(self):
        return process_group.rank() == 0

    @property
    def should_save_summary(self):
        return process_group.rank() == 0

    def _in_multi_worker_mode(self):
        return process_group.world_size() > 1


class Strategy:
    """The base of the strategies: one replica per process, `num_replicas_in_sync` processes.

    Example:

    >>> import capas as tf
    >>> strategy = tf.distribute.MirroredStrategy()
    >>> strategy.num_replicas_in_sync  # one process, no torchrun
    1
    >>> with strategy.scope():
    ...     tf.distribute.has_strategy()
    True
    """

    _reduction = "sum"  # strategy.run sums the replicas' gradients (TF's convention)
    _sharded = False  # FSDPStrategy: variables made in the scope are sharded across the replicas

    def __init__(self, communication_options=None):
        self._device = process_group.initialize(communication_options)
        process_group.agree_on_seed()
        self.extended = StrategyExtended(self)
        self._cluster_resolver = TorchrunClusterResolver()

    # ----------------------------------------------------------- properties
    @property
    def num_replicas_in_sync(self):
        return process_group.world_size()

    @property
    def cluster_resolver(self):
        return self._cluster_resolver

    # ---------------------------------------------------------------- scope
    @contextlib.contextmanager
    def scope(self):
        """Within the block, `tf.distribute.get_strategy()` is this strategy (models and optimizers made here)."""
        stack = _stack()
        for other in stack:
            if other is not self:
                raise RuntimeError(
                    f"Mixing different tf.distribute.Strategy objects: {other!r} is not {self!r} (a strategy's "
                    "scope was entered inside the scope of another). Use one strategy per program."
                )
        outermost = not stack
        created = []
        handle = None
        if outermost and process_group.is_distributed():
            # Variables made in the scope start as rank 0's (TF mirrors their initial values).
            handle = torch.nn.modules.module.register_module_parameter_registration_hook(
                lambda module, name, param: (
                    created.append(param) if param is not None and not isinstance(module, sharding.Shared) else None
                )
            )
        stack.append(self)
        try:
            yield self
        finally:
            stack.pop()
            if handle is not None:
                handle.remove()
                _sync_created(created)
                if self._sharded:
                    sharding.shard_variables(created, self)  # sharded at the model's first call or fit

    # ---------------------------------------------------------------- input
    def experimental_distribute_dataset(self, dataset, options=None):
        """This replica's view of a dataset of global batches (see `capas/distribute/input.py`)."""
        return _input.DistributedDataset(dataset, split=True)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """Call `dataset_fn(InputContext)` on each process and iterate its per-replica batches."""
        context = _input.InputContext(
            num_input_pipelines=process_group.world_size(),
            input_pipeline_id=process_group.rank(),
            num_replicas_in_sync=self.num_replicas_in_sync,
        )
        return _input.DistributedDataset(dataset_fn(context), split=False)

    experimental_distribute_datasets_from_function = distribute_datasets_from_function

    # ------------------------------------------------------------ replicas
    def run(self, fn, args=(), kwargs=None, options=None):
        """Run `fn(*args, **kwargs)` on this replica; `GradientTape.gradient` inside sums across replicas."""
        if self._reduction is not None and process_group.is_distributed():
            _run_as_python()
        _STATE.replica_depth = getattr(_STATE, "replica_depth", 0) + 1
        try:
            with self.scope() if self not in _stack() else contextlib.nullcontext(), replica.reducing(self._reduction):
                return fn(*args, **(kwargs or {}))
        finally:
            _STATE.replica_depth -= 1

    def reduce(self, reduce_op, value, axis=None):
        """Combine a per-replica `value` over the replicas (and over `axis` of it when given)."""
        op = _reduce_op(reduce_op)
        tensor = torch.as_tensor(value)
        if axis is not None:
            count = torch.tensor(float(tensor.shape[axis]), device=tensor.device)
            tensor = tensor.sum(dim=axis)
        else:
            count = torch.tensor(1.0, device=tensor.device)
        tensor = tensor.detach().clone()
        if process_group.is_distributed():
            dist.all_reduce(tensor)
            dist.all_reduce(count)
        if op is ReduceOp.MEAN:
            tensor = tensor / count.to(tensor.dtype) if tensor.is_floating_point() else tensor // count.long()
        return tensor

    def gather(self, value, axis):
        """Concatenate the replicas' `value`s along `axis` (sizes along `axis` may differ)."""
        tensor = torch.as_tensor(value)
        if not process_group.is_distributed():
            return tensor
        parts = [None] * process_group.world_size()
        dist.all_gather_object(parts, tensor.detach().cpu())
        return torch.cat(parts, dim=axis).to(tensor.device)

    def experimental_local_results(self, value):
        """The values held by this process's replicas: a one-tuple (one replica per process)."""
        return (value,)

    def __repr__(self):
        return f"<{type(self).__name__} num_replicas_in_sync={self.num_replicas_in_sync}>"


def _run_as_python():
    """Inside a `tf.function` trace: make this call an eager run (DDP's hooks and collectives run each call)."""
    recorder = _trace.current_recorder()
    if recorder is None or recorder.python_only is not None:
        return
    recorder.python_only = "tf.distribute: strategy.run across processes runs as Python"
    if not recorder.dry:  # as when a traced value is read: catch up the prints recorded so far
        for fn, template, tensors in recorder.pending:
            fn(template, *tensors)


def _sync_created(params):
    """Compare the shapes of the variables made in a scope across ranks, then copy rank 0's values."""
    unique = list({id(p): p for p in params}.values())
    process_group.check_same_shapes(
        [(getattr(p, "path", None) or getattr(p, "name", "?"), tuple(p.shape)) for p in unique],
        what="set of variables created in strategy.scope()",
    )
    with torch.no_grad():
        for p in unique:
            dist.broadcast(p.data, src=0)


def _reduce_op(reduce_op):
    if isinstance(reduce_op, ReduceOp):
        return reduce_op
    if isinstance(reduce_op, str) and reduce_op.upper() in ("SUM", "MEAN"):
        return ReduceOp[reduce_op.upper()]
    raise ValueError(f"reduce_op must be tf.distribute.ReduceOp.SUM or .MEAN (or 'SUM'/'MEAN'), got {reduce_op!r}.")


class MirroredStrategy(Strategy):
    """Synchronous data parallelism: one replica per torchrun process, gradients all-reduced by DDP.

    Args:
        devices: accepted for TF compatibility; each process uses its local
            device (`cuda:LOCAL_RANK` or the CPU). Start one process per GPU
            with `torchrun --nproc_per_node`.
        cross_device_ops: accepted for TF compatibility (DDP reduces).

    Example:

    >>> import capas as tf
    >>> strategy = tf.distribute.MirroredStrategy()
    >>> float(strategy.reduce(tf.distribute.ReduceOp.SUM, tf.constant(3.0), axis=None))
    3.0
    """

    def __init__(self, devices=None, cross_device_ops=None):
        super().__init__()


class MultiWorkerMirroredStrategy(Strategy):
    """`MirroredStrategy` over several machines: the same code, started with torchrun's `--nnodes`.

    Args:
        communication_options: a `tf.distribute.experimental.CommunicationOptions`
            (its `timeout_seconds` bounds every collective).
        cluster_resolver: accepted for TF compatibility; torchrun's environment
            defines the cluster.

    Example:

    >>> import capas as tf
    >>> tf.distribute.MultiWorkerMirroredStrategy().cluster_resolver.task_type
    'worker'
    """

    def __init__(self, cluster_resolver=None, communication_options=None):
        super().__init__(communication_options)


class FSDPStrategy(Strategy):
    """Fully sharded data parallelism on FSDP2: each replica keeps 1/N of the variables and optimizer state.

    Use it as `MirroredStrategy` (one replica per torchrun process, global
    batches split across the replicas): the trainable variables created in
    `scope()` are sharded along their first axis across the processes with
    `torch.distributed.fsdp.fully_shard` when their model is first called or
    fitted, one FSDP2 unit per top-level layer. A forward pass all-gathers one
    unit at a time (and frees it after its layer), the backward pass
    reduce-scatters each unit's gradients, and the optimizer updates (and keeps
    its slots for) this replica's rows only, so a model whose weights,
    gradients and optimizer state do not fit one device in full trains on
    several. `model.save` (on every rank) writes one complete `.keras` file
    from rank 0. Without torchrun it is one replica and nothing is sharded.
    See docs/distributed.md.

    Args:
        communication_options: `tf.distribute.experimental.CommunicationOptions`
            (its `timeout_seconds` sets the collective timeout).
        units: `"layers"` (default): each top-level layer of the model (nested
            models opened up) is its own FSDP2 unit; the model's own variables,
            small layers and regularized variables form the root unit.
            `"model"`: the whole model is one unit (for subclassed models whose
            `call` reads a sublayer's weights outside that sublayer's call,
            such as tied embeddings).
        min_unit_params: a layer whose trainable variables hold fewer elements
            joins the root unit instead of being a unit of its own (fewer,
            larger collectives). Default 0: every layer with weights.

    Example:

    >>> import capas as tf
    >>> strategy = tf.distribute.FSDPStrategy()
    >>> strategy.num_replicas_in_sync
    1
    """

    _sharded = True

    def __init__(self, communication_options=None, *, units="layers", min_unit_params=0):
        if units not in ("layers", "model"):
            raise ValueError(f"FSDPStrategy(units={units!r}): expected 'layers' (one FSDP2 unit per layer) or 'model'.")
        if not isinstance(min_unit_params, int) or isinstance(min_unit_params, bool) or min_unit_params < 0:
            raise ValueError(f"FSDPStrategy(min_unit_params={min_unit_params!r}): expected an integer >= 0.")
        super().__init__(communication_options)
        self._units = units
        self._min_unit_params = min_unit_params


class OneDeviceStrategy(Strategy):
    """One replica on one device, whatever the process group: `num_replicas_in_sync` is 1.

    Example:

    >>> import capas as tf
    >>> tf.distribute.OneDeviceStrategy("/cpu:0").num_replicas_in_sync
    1
    """

    _reduction = None

    def __init__(self, device=None):
        self.extended = StrategyExtended(self)
        self._device = (
            torch.device("cpu")
            if device is None or "cpu" in str(device).lower()
            else torch.device("cuda", int(str(device).rsplit(":", 1)[-1]) if ":" in str(device) else 0)
        )
        self._cluster_resolver = None

    @property
    def num_replicas_in_sync(self):
        return 1

    def experimental_distribute_dataset(self, dataset, options=None):
        return _input.DistributedDataset(dataset, split=False)

    def reduce(self, reduce_op, value, axis=None):
        _reduce_op(reduce_op)
        tensor = torch.as_tensor(value)
        if axis is None:
            return tensor
        return tensor.sum(dim=axis) if _reduce_op(reduce_op) is ReduceOp.SUM else tensor.mean(dim=axis)


class _DefaultStrategy(OneDeviceStrategy):
    """The strategy in effect outside any scope: one replica, nothing distributed."""

    def __init__(self):
        super().__init__(None)


_DEFAULT = []


def get_strategy():
    """The strategy whose scope is active, or the default one-replica strategy.

    Example:

    >>> import capas as tf
    >>> tf.distribute.get_strategy().num_replicas_in_sync
    1
    """
    stack = _stack()
    if stack:
        return stack[-1]
    if not _DEFAULT:
        _DEFAULT.append(_DefaultStrategy())
    return _DEFAULT[0]


def has_strategy():
    """True inside a non-default strategy's `scope()`.

    Example:

    >>> import capas as tf
    >>> tf.distribute.has_strategy()
    False
    """
    return bool(_stack())


def in_cross_replica_context():
    """True inside a strategy's scope but outside `strategy.run`.

    Example:

    >>> import capas as tf
    >>> strategy = tf.distribute.MirroredStrategy()
    >>> with strategy.scope():
    ...     (tf.distribute.in_cross_replica_context(), strategy.run(tf.distribute.in_cross_replica_context))
    (True, False)
    """
    return has_strategy() and not getattr(_STATE, "replica_depth", 0)
