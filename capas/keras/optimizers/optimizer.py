"""`Optimizer`: Keras 3's optimizer contract, run as multi-tensor torch ops.

Each optimizer file holds two versions of its math: `update_step(gradient,
variable, learning_rate)`, the readable one-variable reference Keras users
know, and `_apply_foreach(group, grads, learning_rate)`, the same math as a
handful of `torch._foreach_*` ops over every variable of one (device, dtype)
group. `apply()` runs the fused version; the tests check one against the
other and both against the `keras` package.

The per-step work around the update (unscaling, gradient accumulation,
clipping, decoupled weight decay, EMA, the step counter) is also done with
multi-tensor ops over cached groups, in Keras 3's order.

Step-dependent scalars (the learning rate of a schedule, bias corrections)
are Python floats: the step counter and the learning rate variable live on
the CPU, as torch.optim keeps its `step` state, so reading them never waits
for an accelerator. Inside a compiled train step (`jit_compile=True`) the
update runs as a third version, `_apply_graph(group, grads, learning_rate,
step)`, with the step and the learning rate as 0-d tensors, so the step is one
graph that no step-to-step value recompiles (`_graph_apply`; SGD, RMSprop,
Adam and AdamW have it, the others update eagerly after the graph).
`Differs from Keras:` the counter is int64 on the CPU
(Keras' torch backend puts an int32 on the default device); the values a
`.keras` file holds are the same.
"""

import contextlib
import re
import warnings

import numpy as np
import torch

from capas.distribute import sharding as _sharding
from capas.keras.optimizers import _groups
from capas.keras.optimizers.schedules import LearningRateSchedule
from capas.keras.optimizers.schedules import deserialize as _deserialize_schedule
from capas.keras.optimizers.schedules import serialize as _serialize_schedule
from capas.keras.utils import naming
from capas.ops._convert import convert_to_tensor
from capas.tape import GradientTape
from capas.variables import Variable
from capas.variables import current_scope
from capas.variables import name_scope
from capas.keras.saving.object_registration import register_builtin

_BASE_ARGS = (
    "weight_decay",
    "clipnorm",
    "global_clipnorm",
    "clipvalue",
    "use_ema",
    "ema_momentum",
    "ema_overwrite_frequency",
    "loss_scale_factor",
    "gradient_accumulation_steps",
)


@register_builtin("optimizers")
class Optimizer:
    """The base class of all optimizers (Keras 3's `keras.optimizers.Optimizer`).

    Subclasses create their slot variables in `build(var_list)` (after calling
    `super().build(var_list)`), implement `update_step(gradient, variable,
    learning_rate)` and, for speed, `_apply_foreach(group, grads,
    learning_rate)`; a subclass without `_apply_foreach` runs `update_step`
    once per variable.

    Args:
        learning_rate: a float, a `LearningRateSchedule` (evaluated at
            `iterations`), or a callable without arguments returning the rate.
        weight_decay: if set, each step first applies decoupled weight decay
            `variable -= variable * weight_decay * learning_rate`.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to `[-clipvalue, clipvalue]`.
        global_clipnorm: clip all gradients so their global norm is at most this.
        use_ema: keep an exponential moving average of the variables.
        ema_momentum: the EMA momentum.
        ema_overwrite_frequency: every this many steps, copy the EMA into the
            variables (else call `finalize_variable_values` at the end).
        loss_scale_factor: multiply the loss by this (`scale_loss`) and divide
            the gradients by it.
        gradient_accumulation_steps: apply the mean gradient every this many
            calls (an int >= 2) and only accumulate on the others.
        name: the name scope of the optimizer's variables.

    Example:

    >>> import capas as tf
    >>> from capas import keras
    >>> w = tf.Variable(1.0)
    >>> opt = keras.optimizers.SGD(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(tf.convert_to_tensor(2.0), w)])
    >>> round(float(w.numpy()), 6)
    0.8
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        kwargs.pop("decay", None)  # Keras 3 ignores the Keras 2 argument as well.
        if kwargs:
            raise TypeError(
                f"{self.__class__.__name__}() got unexpected keyword arguments {sorted(kwargs)}. "
                "Check the spelling; the accepted arguments are the ones documented on the class."
            )
        clip_args = [a for a in (clipnorm, clipvalue, global_clipnorm) if a is not None]
        if len(clip_args) > 1:
            raise ValueError(
                f"{self.__class__.__name__}: only one of `clipnorm`, `clipvalue` and `global_clipnorm` "
                f"can be set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}."
            )
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError(
                f"{self.__class__.__name__}: `gradient_accumulation_steps` must be an integer >= 2. "
                f"Received: gradient_accumulation_steps={gradient_accumulation_steps}."
            )
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError(
                    f"{self.__class__.__name__}: `ema_momentum` must be in the range [0, 1]. "
                    f"Received: ema_momentum={ema_momentum}."
                )
            if ema_overwrite_frequency and (
                not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
            ):
                raise ValueError(
                    f"{self.__class__.__name__}: `ema_overwrite_frequency` must be an integer >= 1 "
                    f"or None. Received: ema_overwrite_frequency={ema_overwrite_frequency}."
                )
        self.name = name if name is not None else naming.uniquify(naming.to_snake_case(self.__class__.__name__))
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._exclude_ids = set()
        self._exclude_pattern = None
        self._plans = {}
        with name_scope(self.name):
            self._iterations = Variable(0, name="iteration", dtype="int64", trainable=False)
        self._variables.append(self._iterations)
        self._learning_rate = None
        self._set_learning_rate(learning_rate)

    # -- learning rate ---------------------------------------------------------
    @property
    def learning_rate(self):
        """The current rate: the rate variable, or a schedule evaluated at `iterations`."""
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)
        if isinstance(lr, Variable) or not callable(lr):
            return lr
        return lr()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self._set_learning_rate(learning_rate)

    def _set_learning_rate(self, learning_rate):
        current = self._learning_rate
        if isinstance(learning_rate, LearningRateSchedule) or (
            callable(learning_rate) and not isinstance(learning_rate, torch.Tensor)
        ):
            if isinstance(current, Variable):
                self._variables.remove(current)
            self._learning_rate = learning_rate
            return
        if isinstance(current, LearningRateSchedule):
            raise TypeError(
                f"{self.__class__.__name__} '{self.name}' was created with a `LearningRateSchedule` as its "
                "`learning_rate`, hence its learning rate is not settable. Create the optimizer with a "
                "float `learning_rate` to set it later."
            )
        value = _check_learning_rate(self, learning_rate)
        if isinstance(current, Variable):
            current.assign(value)
            return
        with name_scope(self.name):
            variable = Variable(value, name="learning_rate", dtype="float32", trainable=False)
        self._variables.insert(1, variable)
        self._learning_rate = variable

    def _current_learning_rate(self):
        """The rate for this step as a Python float (no accelerator sync: see the module doc)."""
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = lr(self._iterations)
        elif not isinstance(lr, Variable):
            lr = lr()
        else:
            # A constant rate is read once per change (the variable's version counter moves
            # on every assign), not once per step.
            cached = self.__dict__.get("_lr_cache")
            if cached is not None and cached[0] is lr and cached[1] == lr._version:
                return cached[2]
            value = float(lr)
            self._lr_cache = (lr, lr._version, value)
            return value
        return float(lr)

    @property
    def iterations(self):
        """The number of `apply` calls (divided by `gradient_accumulation_steps` when set)."""
        if self.gradient_accumulation_steps:
            return self._iterations // self.gradient_accumulation_steps
        return self._iterations

    def _local_step(self):
        """`iterations + 1` as a Python int: the step that bias corrections use."""
        step = int(self._iterations)  # a CPU counter: no accelerator sync
        if self.gradient_accumulation_steps:
            step //= self.gradient_accumulation_steps
        return step + 1

    @property
    def variables(self):
        """The optimizer's state in Keras 3's order: iteration, learning rate, then slots."""
        return self._variables[:]

    # -- building --------------------------------------------------------------
    def build(self, var_list):
        """Create the slot variables for `var_list` (subclasses add theirs after this)."""
        var_list = _sharding.local_variables(list(var_list))  # FSDPStrategy: the shards' own slots
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(var_list, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(var_list, "gradient_accumulator")
        for i, variable in enumerate(var_list):
            self._trainable_variables_indices[id(variable)] = i
        self._trainable_variables = var_list[:]
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None, name=None, device=None):
        """Create and track one optimizer variable (not trainable) named `'<optimizer>/<name>'`."""
        dtype = dtype or torch.float32
        value = _initial_value(initializer, tuple(shape), dtype, device)
        with self._name_scope():
            variable = Variable(
                value,
                name=name or "variable",
                dtype=dtype,
                trainable=False,
                _owned=isinstance(initializer, (str, int, float)),  # made here; a callable's result may be shared
            )
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped, typed and placed like `reference_variable`, named `'<path>_<name>'`."""
        reference_variable = _sharding.local_variables([reference_variable])[0]  # FSDPStrategy: shard-sized
        ref_name = getattr(reference_variable, "path", None) or str(getattr(reference_variable, "name", "variable"))
        full = f"{ref_name.replace('/', '_').replace(':', '_')}_{name or 'var'}"
        return self.add_variable(
            reference_variable.shape,
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=full,
            device=reference_variable.device,
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Slots for each variable, interleaved per variable as Keras 3 orders them.

        With a list of names, returns one list per name.
        """
        names = [name] if isinstance(name, str) else list(name)
        inits = initializer if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        if len(inits) != len(names):
            raise ValueError(
                f"{self.__class__.__name__}.add_optimizer_variables(): {len(names)} names but "
                f"{len(inits)} initializers. Pass one initializer, or one per name."
            )
        out = tuple([] for _ in names)
        for variable in trainable_variables:
            for i, (slot_name, init) in enumerate(zip(names, inits)):
                out[i].append(self.add_variable_from_reference(variable, slot_name, init))
        return out[0] if isinstance(name, str) else out

    def _name_scope(self):
        """The optimizer's name scope, entered once even when nested (as Keras does)."""
        if current_scope().rsplit("/", 1)[-1] == self.name:
            return contextlib.nullcontext()
        return name_scope(self.name)

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[id(variable)]

    # -- applying --------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Apply `(gradient, variable)` pairs; returns `iterations`."""
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, variables = zip(*pairs)
        self.apply(list(grads), list(variables))
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Update the variables with `grads` (one per variable; None skips that variable).

        Args:
            grads: the gradients, in the order of `trainable_variables`.
            trainable_variables: the variables; may be omitted once built.
        """
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    f"{self.__class__.__name__} '{self.name}': when passing `grads` without `variables`, "
                    "the optimizer must already be built. Call `optimizer.build(trainable_variables)` first."
                )
            variables = self._trainable_variables
        else:
            variables = list(trainable_variables)
            grads, variables = _sharding.local_shards(grads, variables)  # FSDPStrategy: this rank's rows
            if not self.built:
                with self._name_scope():  # as Keras: unnamed variables made in build get the scope
                    self.build(variables)
        if len(grads) != len(variables):
            raise ValueError(
                f"{self.__class__.__name__} '{self.name}': received {len(grads)} gradients for "
                f"{len(variables)} variables. Pass one gradient (or None) per variable."
            )
        plan = self._plan(grads, variables)
        grads = _groups.check_gradients(self, plan, grads)
        self._apply_plan(plan, grads)

    def _plan(self, grads, variables):
        key = (tuple(map(id, variables)), tuple([g is None for g in grads]))
        plan = self._plans.get(key)
        if plan is None:
            plan = _groups.make_plan(self, grads, variables)
            self._plans[key] = plan
        if plan.missing:
            warnings.warn(
                f"Gradients do not exist for variables {plan.missing} when minimizing the loss. "
                "If using `model.compile()`, did you forget to provide a `loss` argument?",
                stacklevel=3,
            )
        return plan

    @torch.no_grad()
    def _apply_plan(self, plan, grads):
        groups = plan.groups
        grad_lists = [[grads[p] for p in group.positions] for group in groups]
        if self.loss_scale_factor is not None:
            grad_lists = [torch._foreach_div(g, self.loss_scale_factor) for g in grad_lists]
        steps = self.gradient_accumulation_steps
        if steps:
            accumulators = [group.take(self._accumulated_gradients) for group in groups]
            if (int(self._iterations) + 1) % steps == 0:
                grad_lists = [torch._foreach_add(g, acc) for g, acc in zip(grad_lists, accumulators)]
                for g in grad_lists:
                    torch._foreach_div_(g, steps)
                self._update(groups, grad_lists)
                torch._foreach_zero_(list(self._accumulated_gradients))
            else:
                for g, acc in zip(grad_lists, accumulators):
                    torch._foreach_add_(acc, g)
        else:
            self._update(groups, grad_lists)
        if self.use_ema:
            self._update_moving_average()
        for variable in plan.constrained:
            variable.copy_(variable.constraint(variable))
        self._iterations.add_(1)

    def _update(self, groups, grad_lists):
        grad_lists = _groups.clip(self, grad_lists)
        learning_rate = self._current_learning_rate()
        if self.weight_decay is not None:
            factor = 1 - self.weight_decay * learning_rate
            for group in groups:
                if group.decayed:
                    torch._foreach_mul_(group.decayed, factor)
        self._prepare_step(learning_rate)
        fused = getattr(self, "_fused", True) and type(self)._apply_foreach is not Optimizer._apply_foreach
        for group, grad_list in zip(groups, grad_lists):
            if fused:
                self._apply_foreach(group, grad_list, learning_rate)
            else:
                for gradient, variable in zip(grad_list, group.variables):
                    self.update_step(gradient, variable, learning_rate)

    # -- inside a compiled train step (jit_compile=True) -------------------------
    def _graph_reason(self):
        """Why the update cannot run inside a compiled train step (None when it can: `_graph_apply`)."""
        cls = type(self)
        graph = _owner(cls, "_apply_graph")
        # The tensor-valued update must be written at or below every class that defines the math.
        if graph is Optimizer or not all(
            issubclass(graph, _owner(cls, name)) for name in ("update_step", "_apply_foreach", "_prepare_step")
        ):
            return f"{cls.__name__} has no update with a tensor-valued step and learning rate"
        if self.gradient_accumulation_steps:
            return "it accumulates gradients (a host decision per step)"
        if self.use_ema:
            return "it keeps moving averages (use_ema: a host decision per step)"
        if self.loss_scale_factor is not None:
            return "it scales the loss"
        return None

    def _graph_learning_rate(self):
        """The 0-d tensor a compiled step reads this step's learning rate from; called outside the graph.

        A constant rate is its variable (`learning_rate = x` assigns into it, so
        the graph sees the new value without recompiling); a schedule or a
        callable is evaluated on the host, as in eager mode, into one tensor
        kept for the purpose.
        """
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr
        feed = getattr(self, "_lr_feed", None)
        if feed is None:
            feed = self._lr_feed = torch.zeros((), dtype=torch.float32)
        feed.fill_(self._current_learning_rate())
        return feed

    @torch.no_grad()
    def _graph_apply(self, plan, grads, learning_rate):
        """`apply` traced into a compiled step: the step and the learning rate are tensors in the graph.

        `plan` is `_plan`'s, made outside the graph; `learning_rate` is
        `_graph_learning_rate()`. The step counter is read (`iterations + 1`,
        cast to the variables' dtype as Keras does) and advanced inside the
        graph, so no Python value changes from step to step and nothing
        recompiles.
        """
        grad_lists = _groups.clip(self, [[grads[p] for p in group.positions] for group in plan.groups])
        step = torch.add(self._iterations, 1)
        for group, grad_list in zip(plan.groups, grad_lists):
            reference = group.variables[0]
            lr = learning_rate.to(device=reference.device, dtype=reference.dtype)
            if self.weight_decay is not None and group.decayed:
                # w - w * weight_decay * lr, in Keras's order of ops
                decay = torch._foreach_mul(group.decayed, self.weight_decay)
                torch._foreach_mul_(decay, lr)
                torch._foreach_sub_(group.decayed, decay)
            self._apply_graph(group, grad_list, lr, step.to(device=reference.device, dtype=reference.dtype))
        for variable in plan.constrained:
            variable.copy_(variable.constraint(variable))
        self._iterations.add_(1)

    def _apply_graph(self, group, grads, learning_rate, step):
        """The update of one group with `learning_rate` and `step` (`iterations + 1`) as 0-d tensors.

        Implemented by the optimizers whose update runs inside a compiled
        train step; the others run `apply` eagerly after the graph.
        """
        raise NotImplementedError

    def assign(self, variable, value):
        """`variable = value` (for `update_step` code written against Keras 3)."""
        variable.copy_(value)

    def assign_add(self, variable, value):
        """`variable += value`."""
        variable.add_(value)

    def assign_sub(self, variable, value):
        """`variable -= value`."""
        variable.sub_(value)

    def _prepare_step(self, learning_rate):
        """Hook run once per update before the per-group math (Nadam keeps a product here)."""

    def update_step(self, gradient, variable, learning_rate):
        """The reference update of one variable; subclasses implement it."""
        raise NotImplementedError(f"{self.__class__.__name__} must implement `update_step`.")

    def _apply_foreach(self, group, grads, learning_rate):
        """The fused update of one (device, dtype) group; defaults to `update_step` per variable."""
        for gradient, variable in zip(grads, group.variables):
            self.update_step(gradient, variable, learning_rate)

    # -- EMA ---------------------------------------------------------------------
    def _update_moving_average(self):
        plan = self._full_plan()
        momentum = self.ema_momentum if int(self.iterations) != 0 else 0.0
        for group in plan.groups:
            torch._foreach_lerp_(group.take(self._model_variables_moving_average), group.variables, 1.0 - momentum)
        freq = self.ema_overwrite_frequency
        if freq and (int(self.iterations) + 1) % freq == 0:
            for group in plan.groups:
                torch._foreach_copy_(group.variables, group.take(self._model_variables_moving_average))

    def _full_plan(self):
        variables = self._trainable_variables
        return self._plan([True] * len(variables), variables)

    def finalize_variable_values(self, var_list):
        """At the end of training: with `use_ema`, copy the moving averages into `var_list`."""
        if not self.use_ema:
            return
        averages = self._model_variables_moving_average
        var_list = list(var_list)
        if len(var_list) != len(averages):
            raise ValueError(
                f"{self.__class__.__name__} '{self.name}': finalize_variable_values() received "
                f"{len(var_list)} variables but holds moving averages of {len(averages)}. "
                "Pass the variables the optimizer was built with."
            )
        with torch.no_grad():
            torch._foreach_copy_(var_list, averages)

    # -- other public API -------------------------------------------------------
    def minimize(self, loss, var_list, tape=None):
        """Compute the gradients of `loss` for `var_list` and apply them.

        Args:
            loss: a scalar tensor (recorded under `tape`) or a callable returning one.
            var_list: the variables, or a callable returning them.
            tape: the `GradientTape` that recorded `loss`.

        Returns:
            `iterations`.
        """
        if callable(loss):
            with GradientTape() as tape:
                value = loss()
            var_list = var_list() if callable(var_list) else var_list
            grads = tape.gradient(value, list(var_list))
        else:
            var_list = list(var_list() if callable(var_list) else var_list)
            if tape is not None:
                grads = tape.gradient(loss, var_list)
            elif isinstance(loss, torch.Tensor) and loss.requires_grad:
                wanted = [v for v in var_list if v.requires_grad]
                found = iter(torch.autograd.grad(loss, wanted, allow_unused=True))
                grads = [next(found) if v.requires_grad else None for v in var_list]
            else:
                raise ValueError(
                    f"{self.__class__.__name__}.minimize(): `loss` is a tensor without a recorded graph "
                    "and no `tape` was given. Pass `tape=` (the GradientTape that computed it) or a "
                    "callable `loss`."
                )
        return self.apply_gradients(zip(grads, var_list))

    def scale_loss(self, loss):
        """Multiply `loss` by `loss_scale_factor` when set."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exclude variables from weight decay, by identity or by name.

        Must be called before the optimizer is built.

        Args:
            var_list: variables to exclude.
            var_names: regular expressions; a variable whose Keras 3 name (the
                last part of its path, e.g. `'bias'`) matches any is excluded.
        """
        if self.built:
            raise ValueError(
                f"{self.__class__.__name__} '{self.name}': `exclude_from_weight_decay()` can only be "
                "configured before the optimizer is built."
            )
        self._exclude_ids = set(id(v) for v in var_list or ())
        self._exclude_pattern = re.compile("|".join(sorted(set(var_names)))) if var_names else None

    def _use_weight_decay(self, variable):
        if id(variable) in self._exclude_ids:
            return False
        if self._exclude_pattern is not None:
            name = getattr(variable, "path", None) or str(getattr(variable, "name", ""))
            if self._exclude_pattern.search(name.rsplit("/", 1)[-1]) is not None:
                return False
        return True

    def save_own_variables(self, store):
        """Write the state as `store['0'], store['1'], ...` (the `.keras` layout)."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Read the state written by `save_own_variables` (or by Keras 3)."""
        if len(store.keys()) != len(self.variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self.variables)} variables whereas the saved optimizer has {len(store.keys())} "
                "variables. Build the optimizer (optimizer.build(model.trainable_variables)) first.",
                stacklevel=2,
            )
            return
        for i, variable in enumerate(self.variables):
            variable.assign(np.asarray(store[str(i)]))

    def get_config(self):
        """The constructor arguments as a JSON-friendly dict (Keras 3's keys)."""
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = _serialize_schedule(lr)
        elif isinstance(lr, Variable):
            lr = float(lr)
        config = {"name": self.name, "learning_rate": lr}
        for arg in _BASE_ARGS:
            config[arg] = getattr(self, arg)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Create an optimizer from `get_config()`'s dict."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _deserialize_schedule(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{self.__class__.__name__} name={self.name!r} built={self.built}>"


def host_float_type(dtype):
    """The numpy scalar type Keras does a variable's scalar math in (bfloat16 -> float32).

    Keras computes bias corrections as tensors of the variable's dtype; doing
    the same math in that precision on the host keeps capas equal to Keras to
    the last bits (float32 `1 - 0.999**t` differs from the float64 value by ~1e-5).
    """
    if dtype == torch.float64:
        return np.float64
    if dtype == torch.float16:
        return np.float16
    return np.float32


def _owner(cls, name):
    """The class of `cls`'s MRO that defines attribute `name`."""
    return next(klass for klass in cls.__mro__ if name in vars(klass))


def _check_learning_rate(optimizer, value):
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"{optimizer.__class__.__name__} '{optimizer.name}': `learning_rate` should be a float, a "
            f"LearningRateSchedule or a callable. Received: learning_rate={value!r} "
            f"(of type {type(value).__name__})."
        ) from None
    if not number >= 0:
        raise ValueError(
            f"{optimizer.__class__.__name__} '{optimizer.name}': `learning_rate` must be a non-negative "
            f"number. Received: learning_rate={value!r}."
        )
    return number


def _initial_value(initializer, shape, dtype, device):
    if isinstance(initializer, str):
        if initializer == "zeros":
            return torch.zeros(shape, dtype=dtype, device=device)
        if initializer == "ones":
            return torch.ones(shape, dtype=dtype, device=device)
        raise ValueError(
            f"Unknown optimizer variable initializer '{initializer}'. Use 'zeros', 'ones', a number "
            "or a callable `(shape, dtype) -> tensor`."
        )
    if isinstance(initializer, (int, float)):
        return torch.full(shape, float(initializer), dtype=dtype, device=device)
    value = convert_to_tensor(initializer(shape=shape, dtype=dtype), dtype=dtype)
    return value.to(device) if device is not None else value
