"""Fully sharded data parallelism on FSDP2 (`torch.distributed.fsdp.fully_shard`), one unit per layer.

**Units.** The trainable variables made in `FSDPStrategy.scope()` (or found at
the start of a sharded `fit`) wait until the model that owns them is first
called or fitted; then they are split into FSDP2 units by the strategy's
policy (`FSDPStrategy(units=..., min_unit_params=...)`):

- `units="layers"` (the default): every top-level layer of the model (the
  layers of a Sequential or functional model, the sublayers a subclassed
  model tracks; nested models are opened up) whose shardable variables hold at
  least `min_unit_params` elements is one unit with all of its variables. The
  rest (small layers, the model's own variables, variables with a regularizer,
  which `model.losses` reads after the forward pass) form the model's root
  unit. `fully_shard` is applied to the layer units first, then to the root,
  whose module contains theirs (PyTorch's FSDP2 recipe).
- `units="model"`: one unit for the whole model (safe for subclassed models
  whose `call` reads a sublayer's weights directly, e.g. tied embeddings).

Each unit is a holder module that shares the capas variables (a Variable is
a Parameter; the layers themselves are not rewritten), so the variables keep
their identity, names and paths.

- **At rest** each rank keeps its slice (`Shard(dim)`, dim 0 unless a Keras
  `LayoutMap` names another) of every variable: FSDP2's sharded DTensor
  parameters. The capas variables view FSDP2's all-gather buffers, which are
  empty while a unit is sharded.
- **Forward** (a call that records gradients): the model's top-level call
  runs through the root holder, and each unit layer's call through its own
  holder, so FSDP2's hooks all-gather one unit just before its layer runs and
  free it again right after (`reshard_after_forward=True`); the root unit stays
  gathered until the backward pass, as FSDP2 does for roots.
- **Backward**: FSDP2's hooks all-gather each unit again before its layer's
  backward and reduce-scatter its gradients right after (each rank receives the
  mean, or the sum under `strategy.run`, of its slice), unit by unit.
- **Inference** (`evaluate`, `predict`, calls without gradients) runs through
  the same holders (one unit gathered at a time) while the units are sharded.
  Reads (`get_weights`, the end of `fit`) give each variable a private full
  copy (`materialize`), which later inference uses; the next training call
  copies any write into the shards and frees the copies.
- **Optimizer**: `Optimizer.apply`/`build` call `local_shards`, which replaces
  every sharded variable by a variable over this rank's slice (sharing the
  DTensor's local storage) and its gradient by this rank's slice of the
  reduced gradient: optimizer state is sharded too. Updates are elementwise,
  so the result is the one-process update.
- **Files**: `full_weights(model)` gathers the parameters and the optimizer
  slots on every rank (a collective), so that rank 0 writes one complete
  `.keras` file that a one-process program opens.
"""

import contextlib
import functools
import warnings

import torch
import torch.distributed as dist

from capas.distribute import process_group
from capas.variables import Variable

_UNITS = []  # every live ShardedUnit, in creation order (the same on every rank)
_BY_VARIABLE = {}  # id(capas variable) -> unit
_SHARD_OF = {}  # id(capas variable) -> its shard variable
_PENDING = {}  # id(variable) -> variable made in a sharded scope, waiting for its model's first call or fit
# "sharded": set by keras.distribution.set_distribution(ModelParallel(...)); "placement": its LayoutMap's rule
# (variable -> None to replicate, or the dimension to shard); "strategy": its FSDPStrategy.
_INTENT = {"sharded": False, "placement": None, "strategy": None}
_FORWARD = [0]  # > 0 while a training forward runs through the root holders (unit layers then go through theirs)
_NOT_ELEMENTWISE = ("Lamb", "Adafactor")


def active():
    """True when some variables of this process are sharded by FSDP2 (or wait to be)."""
    return bool(_UNITS) or bool(_PENDING)


def _kind_shardable(variable):
    return (
        isinstance(variable, torch.nn.Parameter)
        and variable.requires_grad
        and variable.is_floating_point()
        and variable.dim() >= 1
        and getattr(variable, "constraint", None) is None
    )


def shardable(variable):
    """Trainable floating variables of rank >= 1 without a constraint are sharded (FSDP2 refuses scalars).

    A constrained variable stays replicated: the optimizer applies its constraint (MaxNorm, UnitNorm, ...)
    to the whole variable, which a rank's slice is not.
    """
    return _kind_shardable(variable) and id(variable) not in _BY_VARIABLE


class Shared(torch.nn.ParameterList):
    """A unit's variables, shared with FSDP2 (not new variables: a strategy scope does not sync them)."""


class _Holder(torch.nn.Module):
    """A module FSDP2 shards: it shares the variables; its forward runs a callable on the arguments."""

    def __init__(self, variables):
        super().__init__()
        self.shared = Shared(variables)
        self.units = torch.nn.ModuleList()  # the root's: the holders of the layer units (FSDP2 submodules)

    def forward(self, fn, *args, **kwargs):
        return fn(*args, **kwargs)


def _param_group(holder):
    from torch.distributed.fsdp._fully_shard._fsdp_state import _get_module_fsdp_state

    state = _get_module_fsdp_state(holder)
    groups = getattr(state, "_fsdp_param_groups", None)
    if groups is None:
        groups = [state._fsdp_param_group] if getattr(state, "_fsdp_param_group", None) is not None else []
    return [p for group in groups for p in group.fsdp_params]


class ShardedUnit:
    """One FSDP2 unit over `variables` (capas variables, kept by identity), run by `owner`'s calls.

    `owner` is the layer whose call gathers the unit (None for a root unit: the model's top-level call).
    `dims` gives each variable's shard dimension. `children` are the layer units of a root.
    """

    def __init__(self, variables, dims, owner=None, children=()):
        from torch.distributed.fsdp import fully_shard
        from torch.distributed.tensor import Shard

        self.variables = list(variables)
        self.dims = list(dims)
        self.owner = owner
        self.children = list(children)
        self.root = self  # a layer unit's root is set by the root unit
        self.index = {id(v): i for i, v in enumerate(self.variables)}
        self.holder = _Holder(self.variables)
        for child in self.children:
            self.holder.units.append(child.holder)
            child.root = self
        placement = {id(v): Shard(d) for v, d in zip(self.variables, self.dims)}
        # A layer unit frees its parameters after its layer's forward; a root keeps them for the backward.
        fully_shard(
            self.holder,
            reshard_after_forward=True if owner is not None else None,
            shard_placement_fn=lambda p: placement.get(id(p), Shard(0)),
        )
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
        self.shards = [_shard_variable(p, v, d) for p, v, d in zip(self.fsdp_params, self.variables, self.dims)]
        for variable, shard in zip(self.variables, self.shards):
            _SHARD_OF[id(variable)] = shard
        # "sharded": the variables view FSDP2's all-gather buffers (filled only while FSDP2 has the unit
        # gathered); "copy": they hold private full copies (readable like any variable).
        self.state = "sharded"
        self._mode = "mean"
        if owner is not None:
            owner._set_untracked(_capas_fsdp_unit=self)
        _UNITS.append(self)

    # --------------------------------------------------------------- calls
    def call(self, inner, args, kwargs):
        """Run a unit layer's call through its holder: FSDP2 gathers the unit before it and frees it after.

        FSDP2 gathers the unit again for the backward pass when a gradient reaches a tensor the holder
        returned. Besides the layer's outputs, the holder therefore returns the tensors the layer leaves
        beside them and through which gradients reach its weights without passing through the outputs:
        the logits behind a softmax or sigmoid output (`_keras_logits`, which crossentropy reads) and
        the losses the layer added (`add_loss`).
        """
        masks = [getattr(a, "_keras_mask", None) for a in args]
        layers = self.owner._flatten_layers()
        counts = [len(layer.__dict__.get("_losses") or ()) for layer in layers]

        def run(*new_args, **new_kwargs):
            for new, mask in zip(new_args, masks):  # FSDP2 may hand over new tensors (its backward hooks)
                if mask is not None and isinstance(new, torch.Tensor) and getattr(new, "_keras_mask", None) is None:
                    new._keras_mask = mask
            outputs = inner(new_args, new_kwargs)
            beside = [getattr(t, "_keras_logits", None) for t in _tensors(outputs)]
            for layer, count in zip(layers, counts):
                beside.extend((layer.__dict__.get("_losses") or [])[count:])
            return outputs, [t for t in beside if isinstance(t, torch.Tensor)]

        return self.holder(run, *args, **kwargs)[0]

    # ------------------------------------------------------------ gathering
    def materialize(self):
        """Give every variable a private copy of its full value (a collective; for reads, files, inference)."""
        if self.state == "copy":
            return
        with torch.inference_mode(False), torch.no_grad():
            self.holder.unshard()
            copies = [view.detach().clone() for view in self.views]
            self.holder.reshard()
            for variable, copy in zip(self.variables, copies):
                variable.data = copy
        self.state = "copy"

    def push_writes(self):
        """Copy the private full values into this rank's shards, so that writes to the variables are kept."""
        if self.state != "copy":
            return
        r, world = process_group.rank(), process_group.world_size()
        with torch.no_grad():
            for variable, shard, dim in zip(self.variables, self.shards, self.dims):
                parts = torch.chunk(variable.detach(), world, dim=dim)
                if r < len(parts) and shard.numel():
                    shard.copy_(parts[r])

    def release(self):
        """Back to the shards alone (after copying any write into them): the variables view FSDP2's buffers."""
        if self.state == "sharded":
            return
        self.push_writes()
        for variable, view in zip(self.variables, self.views):
            variable.data = view
        self.state = "sharded"

    # ------------------------------------------------------------- backward
    def prepare_backward(self, mode):
        """Before a backward pass: the reduction of the reduce-scatter ('mean' over ranks, or 'sum')."""
        if mode != self._mode:
            self.holder.set_gradient_divide_factor(1.0 if mode == "sum" else float(process_group.world_size()))
            self._mode = mode
        for p in self.fsdp_params:
            p.sharded_param.grad = None

    def local_gradient(self, index):
        grad = self.fsdp_params[index].sharded_param.grad
        return None if grad is None else grad.to_local()


def _tensors(structure):
    """The tensors of a layer's outputs (a tensor, or lists, tuples and dicts of them)."""
    if isinstance(structure, torch.Tensor):
        return [structure]
    if isinstance(structure, dict):
        structure = list(structure.values())
    if isinstance(structure, (list, tuple)):
        return [t for item in structure for t in _tensors(item)]
    return []


def _shard_variable(fsdp_param, variable, dim):
    """A capas Variable over this rank's slice of `variable` (shares FSDP2's sharded storage)."""
    local = fsdp_param.sharded_param.to_local()
    shard = Variable(torch.zeros((), dtype=local.dtype), trainable=True, name=_short_name(variable))
    shard.data = local.detach()
    path = getattr(variable, "path", None)
    if path is not None:
        shard._path = path  # slots are named after the variable, as in one process
    shard.__dict__["_capas_full_variable"] = variable
    shard.__dict__["_capas_shard_dim"] = dim
    return shard


def _short_name(variable):
    name = str(getattr(variable, "name", "variable"))
    return name.rsplit("/", 1)[-1].removesuffix(":0")


# ------------------------------------------------------------------ policy
def _policy(current=None):
    """(units, min_unit_params) of `current`, or of the active sharded strategy."""
    from capas.distribute import strategy as _strategy  # in-function: import cycle distribute.strategy -> this module

    if current is None:
        current = _strategy.get_strategy()
    if not getattr(current, "_sharded", False):
        current = _INTENT["strategy"]
    return getattr(current, "_units", "layers"), getattr(current, "_min_unit_params", 0)


def _dim(variable):
    """The shard dimension of a variable (None: keep it replicated), by the Keras LayoutMap when one is set."""
    rule = _INTENT["placement"]
    return 0 if rule is None else rule(variable)


def _numel(variables):
    return sum(v.numel() for v in variables)


def _partition(model, todo, min_size):
    """[(layer, its variables among `todo`)] for the unit layers of `model`; the rest is the root's."""
    from capas.keras.layers.layer import Layer  # in-function: import cycle keras.layers -> this module

    groups = []

    def visit(layer):
        children = [c for c in layer._direct_sublayers() if isinstance(c, Layer)]
        owned = [[v for v in c.trainable_weights if id(v) in todo] for c in children]
        counts = {}
        for variables in owned:
            for v in {id(v): v for v in variables}.values():
                counts[id(v)] = counts.get(id(v), 0) + 1
        for key, count in counts.items():
            if count > 1:
                todo.pop(key, None)  # used by two layers: the root's (gathered for the whole forward pass)
        for child, variables in zip(children, owned):
            mine = list({id(v): v for v in variables if counts[id(v)] == 1}.values())  # shared: the root's
            if not mine:
                continue
            if _is_model(child) and child._direct_sublayers():
                visit(child)  # a nested model: its layers are the units
            elif _numel(mine) >= min_size:
                groups.append((child, mine))
                for v in mine:
                    todo.pop(id(v), None)

    visit(model)
    return groups


def _is_model(layer):
    from capas.keras.models.model import Model  # in-function: import cycle keras.models -> this module

    return isinstance(layer, Model)


def shard_model(model, variables, strategy=None):
    """Shard `variables` (the model's; None: no model known) into FSDP2 units by the policy; returns the root."""
    if _INTENT["placement"] is not None and model is not None:  # a LayoutMap sharding what stays replicated: refused
        for v in model.weights:
            if not _kind_shardable(v):
                _INTENT["placement"](v, shardable=False)
    dims = {}
    for v in {id(v): v for v in variables if shardable(v)}.values():
        dim = _dim(v)
        if dim is not None:
            dims[id(v)] = (v, dim)
    if not dims:
        return None
    units, min_size = _policy(strategy)
    todo = {key: v for key, (v, _) in dims.items() if getattr(v, "regularizer", None) is None}
    groups = _partition(model, todo, min_size) if units == "layers" and hasattr(model, "_direct_sublayers") else []
    children = [ShardedUnit(vs, [dims[id(v)][1] for v in vs], owner=layer) for layer, vs in groups]
    grouped = {id(v) for _, vs in groups for v in vs}
    rest = [v for key, (v, _) in dims.items() if key not in grouped]
    root = ShardedUnit(rest, [dims[id(v)][1] for v in rest], owner=None, children=children)
    for key in dims:
        _PENDING.pop(key, None)
    return root


def shard_variables(variables, strategy=None):
    """At the exit of a sharded scope: the shardable variables wait for their model's first call or fit."""
    if not process_group.is_distributed():
        return
    for v in variables:
        if shardable(v):
            _PENDING[id(v)] = (v, strategy)


def _shard_pending(model):
    """The pending variables of `model` become FSDP2 units (by the policy of the scope that made them)."""
    params = list(model.parameters()) if model is not None else [v for v, _ in _PENDING.values()]
    pending = [p for p in params if id(p) in _PENDING]
    if pending:
        shard_model(model, pending, strategy=_PENDING[id(pending[0])][1])


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
    """At the start of a distributed fit: shard the model's trainable variables when sharding is wanted."""
    if _PENDING:
        _shard_pending(model)
    if wants_sharding() or is_sharded(model):
        shard_model(model, model.trainable_weights)
    for unit in units_of(model.weights):
        unit.release()  # fit starts from the shards (writes made since the last gather are kept)


_MOVED_HINT = (
    "A weight of a layer sharded by FSDPStrategy was read while FSDP2 had it freed: under "
    "FSDPStrategy(units='layers') each top-level layer's weights exist in full only during that layer's "
    "call, and this model reads one outside it (e.g. tied embeddings in a subclassed model's call). Use "
    "tf.distribute.FSDPStrategy(units='model') for such a model."
)


def top_level(layer, inner):
    """`Layer._top_level_call`: the function that runs `inner(args, kwargs)` (a layer's call) under FSDP2.

    A call that records gradients runs through the root holders of the layer's units (their FSDP2 hooks
    then gather each unit as its layer runs); other calls read private full copies (`materialize`).
    """
    if _PENDING:
        _shard_pending(layer)
    from capas.keras.layers.layer import _structure_version  # in-function: import cycle keras.layers -> this module

    key = (_structure_version[0], len(_UNITS))
    cache = layer.__dict__.get("_capas_units")
    if cache is None or cache[0] != key:
        cache = (key, units_of(list(layer.parameters())))
        layer._set_untracked(_capas_units=cache)
    units = cache[1]
    if not units:
        return inner
    own = layer.__dict__.get("_capas_fsdp_unit")
    roots = list({id(u.root): u.root for u in units}.values())

    def run(args, kwargs):
        if not torch.is_grad_enabled():
            if any(unit.state == "copy" for unit in units):  # full copies exist (after fit, reads): use them
                for unit in units:
                    unit.materialize()
                return inner(args, kwargs)
            # evaluate/predict/validation from the shards: FSDP2 gathers one layer unit at a time here too
        else:
            for unit in units:
                unit.release()

        def fn():
            return own.call(inner, args, kwargs) if own is not None else inner(args, kwargs)

        for root in roots:
            fn = _through(root, fn)
        _FORWARD[0] += 1
        try:
            return fn()
        except Exception as exc:  # (tf ops re-raise torch's RuntimeError as their own error types)
            if "storage of size 0" in str(exc) or "data is not allocated" in str(exc):
                raise RuntimeError(f"{_MOVED_HINT} (In '{layer.name}': {str(exc).splitlines()[0]})") from exc
            raise
        finally:
            _FORWARD[0] -= 1

    return run


def _through(root, fn):
    return lambda: root.holder(fn)


def in_forward():
    """True while a training forward runs through FSDP2's root holders (unit layers go through theirs)."""
    return _FORWARD[0] > 0


def readable(layer):
    """`get_weights`/`set_weights` of a layer with sharded variables: give them full values (a collective)."""
    for unit in units_of(layer.weights):
        unit.materialize()


def after_fit(model):
    """At the end of fit: gather the model, so that it reads like a one-process model."""
    for unit in units_of(model.weights):
        unit.materialize()


def unsharded_parameters(model):
    """The model's parameters and buffers that FSDP2 does not manage (broadcast/compared as in DDP)."""
    return [t for t in list(model.parameters()) + list(model.buffers()) if id(t) not in _BY_VARIABLE]


def arm_backward(outputs, units, mode):
    """Before a backward pass from `outputs` (losses): the units reduce-scatter with `mode` ('mean' or 'sum').

    The losses pass through the forward of the units' root holders, as FSDP2 expects of a root: its
    backward hook on them queues the end-of-backward callback that reduce-scatters the root unit (and
    any unit whose own hooks did not run), also when the gradients reach the weights by other paths
    than the model's outputs (crossentropy from the logits behind a softmax, regularization losses).
    """
    for unit in units:
        unit.prepare_backward(mode)
    for root in {id(u.root): u.root for u in units}.values():
        # (a closure, not an argument: FSDP2 would reduce-scatter as soon as the losses' gradient came)
        with warnings.catch_warnings():  # a loss may be a view; nothing writes to it in place
            warnings.filterwarnings("ignore", message=".*returned a view tensor")
            outputs = list(root.holder(functools.partial(list, outputs)))
    return outputs


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
    if _PENDING and any(id(v) in _PENDING for v in variables):
        _shard_pending(None)  # an optimizer built before its model's first call: the pending variables, one unit
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


def _all_slices(local, full_size, dim):
    """All ranks' slices of a tensor sharded along `dim`, concatenated (uneven shards padded)."""
    return _all_rows(local.movedim(dim, 0).contiguous(), full_size).movedim(0, dim).contiguous()


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
    if _PENDING:
        _shard_pending(model)
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
            model_var, dim = shard.__dict__["_capas_full_variable"], shard.__dict__["_capas_shard_dim"]
            gathered = _all_slices(slot.detach(), model_var.shape[dim], dim)
            swapped.append((slot, slot.data, dim))
            slot.data = gathered.reshape(model_var.shape)
        yield process_group.rank() == 0
    finally:
        r, world = process_group.rank(), process_group.world_size()
        with torch.no_grad():
            for slot, local, dim in swapped:
                rows = torch.chunk(slot.detach(), world, dim=dim)
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
