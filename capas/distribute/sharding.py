"""Fully sharded data parallelism on FSDP2 (`torch.distributed.fsdp.fully_shard`).

A `ShardedUnit` takes a set of trainable variables (a model's) and hands them
to `fully_shard` through a holder module that shares them. From then on:

- **At rest** each rank keeps only its rows (dim 0) of every variable: FSDP2's
  sharded DTensor parameters. The capas variables keep their identity, shape
  and name, but their storage is FSDP2's all-gather buffer, which is empty
  while the unit is sharded.
- **Forward**: a top-level model call (`Layer.__call__` calls
  `before_call`) all-gathers the unit (`FSDPModule.unshard`): the capas
  variables then hold the full values and the model runs unchanged.
- **Backward**: `replica.backward` / `replica.gradient` pass the loss through
  the holder's forward, which arms FSDP2's backward hooks. The backward
  reduce-scatters the gradients (each rank receives the mean, or the sum under
  `strategy.run`, of its rows) and reshards: the full parameters and
  gradients are freed.
- **Optimizer**: `Optimizer.apply`/`build` call `local_shards`, which replaces
  every sharded variable by a variable over this rank's rows (sharing the
  DTensor's local storage) and its gradient by this rank's rows of the
  reduced gradient. The optimizer's slots are therefore made per shard:
  optimizer state is sharded too. Updates are elementwise, so the result is
  the one-process update.
- **Files**: `full_weights(model)` gathers the parameters and the optimizer
  slots on every rank (a collective), so that rank 0 writes one complete
  `.keras` file that a one-process program opens; writes to the gathered
  variables (`load_weights`, `set_weights`, `assign`) are copied back into
  the shards before the next gather or backward.

The whole set of variables is one FSDP2 unit: during a step the full
parameters and gradients exist for a moment (peak memory), at rest only the
shards do (docs/distributed.md).
"""

import contextlib

import torch
import torch.distributed as dist

from capas.distribute import process_group
from capas.variables import Variable

_UNITS = []  # every live ShardedUnit, in creation order (the same on every rank)
_BY_VARIABLE = {}  # id(capas variable) -> unit
_SHARD_OF = {}  # id(capas variable) -> its shard variable
_INTENT = {"sharded": False}  # set by keras.distribution.set_distribution(ModelParallel(...))
_NOT_ELEMENTWISE = ("Lamb", "Adafactor")


def active():
    """True when some variables of this process are sharded by FSDP2."""
    return bool(_UNITS)


def shardable(variable):
    """Trainable floating variables of rank >= 1 are sharded (FSDP2 refuses scalars)."""
    return (
        isinstance(variable, torch.nn.Parameter)
        and variable.requires_grad
        and variable.is_floating_point()
        and variable.dim() >= 1
        and id(variable) not in _BY_VARIABLE
    )


class _Holder(torch.nn.Module):
    """The module FSDP2 shards: it shares the variables; its forward passes a value through."""

    def __init__(self, variables):
        super().__init__()
        self.shared = torch.nn.ParameterList(variables)

    def forward(self, fn):
        return fn()


def _param_group(holder):
    from torch.distributed.fsdp._fully_shard._fsdp_state import _get_module_fsdp_state

    state = _get_module_fsdp_state(holder)
    groups = getattr(state, "_fsdp_param_groups", None) or [state._fsdp_param_group]
    return [p for group in groups for p in group.fsdp_params]


class ShardedUnit:
    """One FSDP2 unit over `variables` (capas variables, kept by identity)."""

    def __init__(self, variables):
        from torch.distributed.fsdp import fully_shard

        self.variables = list(variables)
        self.index = {id(v): i for i, v in enumerate(self.variables)}
        self.holder = _Holder(self.variables)
        # Keep the full parameters through backward (the forward ran outside FSDP's hooks).
        fully_shard(self.holder, reshard_after_forward=False)
        # Plain SUM collectives (scaled before/after): gloo has no PREMUL_SUM or AVG reduce-scatter.
        self.holder.set_force_sum_reduction_for_comms(True)
        self.fsdp_params = _param_group(self.holder)
        if len(self.fsdp_params) != len(self.variables):
            raise RuntimeError(f"FSDP2 manages {len(self.fsdp_params)} of the {len(self.variables)} variables.")
        # The first all-gather creates FSDP2's unsharded parameters; from then on the capas variables *are*
        # them (same storage), so the model's own variables carry the full values while the unit is gathered.
        self.holder.unshard()
        self.views = []
        for fsdp_param, variable in zip(self.fsdp_params, self.variables):
            unsharded = fsdp_param._unsharded_param
            if tuple(unsharded.shape) != tuple(variable.shape):
                raise RuntimeError(f"FSDP2 parameter order differs: {tuple(unsharded.shape)} for {variable.shape}.")
            self.views.append(unsharded.data)  # a view of FSDP2's all-gather buffer (freed while sharded)
            variable.data = unsharded.data
            fsdp_param._unsharded_param = variable
            _BY_VARIABLE[id(variable)] = self
        self.holder.reshard()
        self.shards = [_shard_variable(p, v) for p, v in zip(self.fsdp_params, self.variables)]
        for variable, shard in zip(self.variables, self.shards):
            _SHARD_OF[id(variable)] = shard
        # "sharded": only the shards hold values; "fsdp": the variables view FSDP2's all-gather buffers
        # (a training forward, until the backward reshards); "copy": the variables hold private full copies
        # (readable like any variable: reading one as numpy would pin FSDP2's buffer, so they never see it).
        self.state = "sharded"
        self._versions = None
        self._mode = "mean"
        _UNITS.append(self)

    # ------------------------------------------------------------ gathering
    def gather(self):
        """All-gather the full parameters into FSDP2's buffers, which the variables view (a collective)."""
        if self.state == "fsdp":
            return
        if self.state == "copy":
            self.push_writes()
            for variable, view in zip(self.variables, self.views):
                variable.data = view
        for fsdp_param, variable in zip(self.fsdp_params, self.variables):
            # FSDP2 gives the gathered parameter its sharded one's requires_grad: keep the layer's (frozen or not)
            if fsdp_param.sharded_param.requires_grad != variable.requires_grad:
                fsdp_param.sharded_param.requires_grad_(variable.requires_grad)
        self.holder.unshard()
        self.state = "fsdp"
        self._versions = [v._version for v in self.variables]

    def materialize(self, force=True):
        """Give every variable a private copy of its full value (a collective; for reads, files, inference).

        Without `force`, a unit in the middle of a training step (its backward pending) stays as it is.
        """
        if self.state == "copy" or (self.state == "fsdp" and not force):
            return
        with torch.inference_mode(False), torch.no_grad():
            self.gather()
            copies = [v.detach().clone() for v in self.variables]
            self.push_writes()
            self.holder.reshard()
            for variable, copy in zip(self.variables, copies):
                variable.data = copy
        self.state = "copy"
        self._versions = [v._version for v in self.variables]

    def push_writes(self):
        """Copy the gathered values into this rank's shards, so that writes to the variables are kept.

        From private copies every variable is copied back (writes through `.data` leave no trace
        in the version counter); from FSDP2's buffers (a step in progress) only those written to.
        """
        if self.state == "sharded":
            return
        if self.state == "copy":
            changed = range(len(self.variables))
        else:
            changed = [i for i, v in enumerate(self.variables) if v._version != self._versions[i]]
        r, world = process_group.rank(), process_group.world_size()
        with torch.no_grad():
            for i in changed:
                rows = torch.chunk(self.variables[i].detach(), world, dim=0)
                local = self.shards[i]
                if r < len(rows) and local.numel():
                    local.copy_(rows[r])
        self._versions = [v._version for v in self.variables]

    def release(self):
        """Back to the shards alone (after copying any write into them)."""
        if self.state == "sharded":
            return
        self.push_writes()
        if self.state == "copy":
            for variable, view in zip(self.variables, self.views):
                variable.data = view
        else:
            self.holder.reshard()
        self.state = "sharded"

    # ------------------------------------------------------------- backward
    def wrap_loss(self, outputs, mode):
        """Pass `outputs` through the holder's forward: the backward then reduce-scatters the gradients."""
        self.gather()
        self.push_writes()
        if mode != self._mode:
            self.holder.set_gradient_divide_factor(1.0 if mode == "sum" else float(process_group.world_size()))
            self._mode = mode
        for p in self.fsdp_params:
            p.sharded_param.grad = None
        out = self.holder(lambda: outputs)
        self.state = "sharded"  # the backward reshards
        return out

    def local_gradient(self, index):
        grad = self.fsdp_params[index].sharded_param.grad
        return None if grad is None else grad.to_local()


def _shard_variable(fsdp_param, variable):
    """A capas Variable over this rank's rows of `variable` (shares FSDP2's sharded storage)."""
    local = fsdp_param.sharded_param.to_local()
    shard = Variable(torch.zeros((), dtype=local.dtype), trainable=True, name=_short_name(variable))
    shard.data = local.detach()
    path = getattr(variable, "path", None)
    if path is not None:
        shard._path = path  # slots are named after the variable, as in one process
    shard.__dict__["_capas_full_variable"] = variable
    return shard


def _short_name(variable):
    name = str(getattr(variable, "name", "variable"))
    return name.rsplit("/", 1)[-1].removesuffix(":0")


# ------------------------------------------------------------------ sharding
def shard_variables(variables):
    """Shard the shardable ones among `variables` into one new unit; returns it (None when none)."""
    if not process_group.is_distributed():
        return None
    todo = list({id(v): v for v in variables if shardable(v)}.values())
    if not todo:
        return None
    return ShardedUnit(todo)


def units_of(variables):
    seen, out = set(), []
    for v in variables:
        unit = _BY_VARIABLE.get(id(v))
        if unit is not None and id(unit) not in seen:
            seen.add(id(unit))
            out.append(unit)
    return out


def is_sharded(model):
    """True when some of the model's variables are sharded by FSDP2."""
    return bool(_UNITS) and bool(units_of(model.weights if hasattr(model, "weights") else model.parameters()))


def wants_sharding():
    """True when the active strategy (or Keras 3 distribution) is a sharded one."""
    from capas.distribute import strategy as _strategy  # in-function: import cycle distribute.strategy -> this module

    return _INTENT["sharded"] or getattr(_strategy.get_strategy(), "_sharded", False)


def prepare_model(model):
    """At the start of a distributed fit: shard the model's remaining trainable variables when sharding is wanted."""
    if wants_sharding() or is_sharded(model):
        shard_variables(model.trainable_weights)
    for unit in units_of(model.weights):
        unit.release()  # fit starts from the shards (writes made since the last gather are kept)


def before_call(layer):
    """A top-level call of a layer or model: gather the units of its variables (a collective)."""
    cache = layer.__dict__.get("_capas_units")
    from capas.keras.layers.layer import _structure_version  # in-function: import cycle keras.layers -> this module

    key = (_structure_version[0], len(_UNITS))
    if cache is None or cache[0] != key:
        cache = (key, units_of(list(layer.parameters())))
        layer._set_untracked(_capas_units=cache)
    training = torch.is_grad_enabled()
    for unit in cache[1]:
        # A forward that records gradients views FSDP2's buffers (its backward reduce-scatters);
        # evaluate/predict and other inference calls read private copies.
        unit.gather() if training else unit.materialize(force=False)


def readable(layer):
    """`get_weights`/`set_weights` of a layer with sharded variables: give them full values (a collective)."""
    for unit in units_of(layer.weights):
        unit.materialize(force=False)


def after_fit(model):
    """At the end of fit: gather the model, so that it reads like a one-process model."""
    for unit in units_of(model.weights):
        unit.materialize()


def unsharded_parameters(model):
    """The model's parameters and buffers that FSDP2 does not manage (broadcast/compared as in DDP)."""
    return [t for t in list(model.parameters()) + list(model.buffers()) if id(t) not in _BY_VARIABLE]


# ----------------------------------------------------------------- optimizer
def local_shards(grads, variables):
    """`Optimizer.apply`: each sharded variable becomes its shard, its gradient this rank's rows."""
    if not _UNITS:
        return grads, variables
    out_g, out_v = [], []
    for g, v in zip(grads, variables):
        shard = _SHARD_OF.get(id(v))
        if shard is None:
            out_g.append(g)
            out_v.append(v)
            continue
        unit = _BY_VARIABLE[id(v)]
        index = unit.index[id(v)]
        if g is None:
            g = unit.local_gradient(index)  # fit: the reduce-scattered gradient of this step
            unit.fsdp_params[index].sharded_param.grad = None
        elif hasattr(g, "to_local"):
            g = g.to_local()
        elif tuple(g.shape) != tuple(shard.shape):
            raise ValueError(
                f"Under FSDP the gradient of '{getattr(v, 'path', v.name)}' must be the one GradientTape.gradient "
                f"returned inside strategy.run (sharded); received a full tensor of shape {tuple(g.shape)}."
            )
        out_g.append(g)
        out_v.append(shard)
    return out_g, out_v


def local_variables(variables):
    """`Optimizer.build`: sharded variables are replaced by their shards."""
    if not _UNITS:
        return variables
    return [_SHARD_OF.get(id(v), v) for v in variables]


def check_optimizer(optimizer):
    """Refuse optimizers whose update is not elementwise (they would see only this rank's rows)."""
    names = {type(optimizer).__name__, type(getattr(optimizer, "inner_optimizer", optimizer)).__name__}
    bad = names & set(_NOT_ELEMENTWISE)
    if bad:
        raise ValueError(
            f"{bad.pop()} cannot train a model sharded by FSDPStrategy: its update reads whole-variable norms "
            "or factors, and each rank holds only its rows of every variable. Use an elementwise optimizer "
            "(SGD, Adam, AdamW, RMSprop, Adagrad, Nadam, Adamax, Lion, Ftrl) or MirroredStrategy."
        )
    for attr in ("clipnorm", "global_clipnorm"):
        if getattr(optimizer, attr, None) is not None:
            raise ValueError(
                f"optimizer {attr}={getattr(optimizer, attr)} is not supported under FSDPStrategy: each rank "
                "holds only its rows of every gradient, so the norm would be this rank's. Use clipvalue, "
                "or MirroredStrategy."
            )


# --------------------------------------------------------------------- files
def _slot_pairs(model):
    """(slot variable, its shard variable) for the optimizer slots made for sharded variables."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not getattr(optimizer, "built", False):
        return []
    shards = {}
    for unit in units_of(model.weights):
        for shard in unit.shards:
            ref = str(getattr(shard, "path", None) or shard.name)
            shards[ref.replace("/", "_").replace(":", "_") + "_"] = shard
    prefixes = sorted(shards, key=len, reverse=True)
    pairs = []
    for slot in optimizer.variables:
        name = str(getattr(slot, "name", "")).rsplit("/", 1)[-1]
        for prefix in prefixes:
            if name.startswith(prefix) and tuple(slot.shape) == tuple(shards[prefix].shape):
                pairs.append((slot, shards[prefix]))
                break
    return pairs


def _all_rows(local, full_rows):
    """All ranks' rows of a dim-0 sharded tensor, concatenated (uneven shards padded for the collective)."""
    world = process_group.world_size()
    per = -(-full_rows // world)
    padded = torch.zeros((per,) + tuple(local.shape[1:]), dtype=local.dtype, device=local.device)
    padded[: local.shape[0]] = local
    parts = [torch.empty_like(padded) for _ in range(world)]
    dist.all_gather(parts, padded)
    sizes = [len(c) for c in torch.chunk(torch.empty(full_rows), world)]
    sizes += [0] * (world - len(sizes))
    return torch.cat([p[:n] for p, n in zip(parts, sizes)], dim=0)


@contextlib.contextmanager
def full_weights(model):
    """Within the block the model's variables and optimizer slots hold their full values on every rank.

    A collective: every rank enters it. Yields True on rank 0 (the one that writes files), and on
    every rank for a model that is not sharded (nothing changes for it). Writes to the variables
    in the block reach the shards.
    """
    if not is_sharded(model):
        yield True
        return
    for unit in units_of(model.weights):
        unit.materialize()
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and hasattr(optimizer, "build") and not getattr(optimizer, "built", True):
        optimizer.build(model.trainable_variables)  # shard-sized slots, full-sized within the block (load)
    swapped = []
    try:
        for slot, shard in _slot_pairs(model):
            model_var = shard.__dict__["_capas_full_variable"]
            gathered = _all_rows(slot.detach(), model_var.shape[0])
            swapped.append((slot, slot.data))
            slot.data = gathered.reshape(model_var.shape)
        yield process_group.rank() == 0
    finally:
        r, world = process_group.rank(), process_group.world_size()
        with torch.no_grad():
            for slot, local in swapped:
                rows = torch.chunk(slot.detach(), world, dim=0)
                if r < len(rows) and local.numel():
                    local.copy_(rows[r])
                slot.data = local
        for unit in units_of(model.weights):
            unit.push_writes()


def local_numel(model):
    """(elements this rank stores for the model's trainable variables, elements of the full model)."""
    stored = full = 0
    for v in model.trainable_weights:
        full += v.numel()
        shard = _SHARD_OF.get(id(v))
        stored += shard.numel() if shard is not None else v.numel()
    return stored, full
