"""`jit_compile=True`: the tensor work of the train step compiled as one graph.

The compiled step is the eager step (`Trainer._step`) with its tensor work,
`Trainer._step_core`, compiled by `torch.compile`: forward and backward as a
pure function of the trainable weights (`torch.func.functional_call` +
`torch.func.grad_and_value`, one Inductor program for both, no autograd
engine), the loss tracker and the compiled metrics updated inside the same
graph, and the optimizer update: clipping, weight decay, the update of the
variables and slots and `iterations += 1` (`Optimizer._graph_apply`). In the
graph the step and the learning rate are tensors: the step is read from the
optimizer's counter (Adam's bias corrections are computed from it in the
variables' dtype, as Keras does), the learning rate is a 0-d tensor argument
(the rate variable itself for a constant rate, so `optimizer.learning_rate = x`
changes no graph; for a schedule or a callable, its host value for this step,
as in eager mode, filled into a tensor). So the step is one program, nothing
recompiles from step to step, and the numbers are those of eager mode.

SGD, RMSprop, Adam and AdamW have the tensor-valued update (`_apply_graph`).
Other optimizers, and those with `gradient_accumulation_steps` or `use_ema`
(which decide on the host, per step, whether to update), apply the gradients
eagerly after the graph with their fused multi-tensor update
(`Optimizer._graph_reason` says why); a subclass that overrides
`update_step` or `_apply_foreach` without `_apply_graph` does too.

Models that the pure function cannot express — weight regularizers (their
penalty is computed from the variables themselves), non-trainable variables
updated during the forward pass (BatchNormalization's moving statistics), loss
scaling, an overridden step — run eagerly, with a warning that says why. If
compilation fails, the step warns once and runs eagerly from then on. The
first step of a freshly compiled model runs eagerly: it builds the loss and
metrics and runs their one-time checks (which read a tensor on the host)
outside the traced function, so the traced function has no graph break.

`jit_compile="auto"` (the default of `compile`) decides at `fit` from the
model, the device and the number of steps (`auto_choice`): eager for models the
compiled step cannot express, for convolutional models on the CPU (their time is
in oneDNN's convolution kernels, which a compiled step calls too, so compiling
saves little there) and for fits too short to pay back seconds of compilation;
compiled otherwise. It says which, once per
model.
"""

import logging
import types
import warnings

import torch

from capas.distribute import process_group
from capas.distribute.compiled import compiled_core
from capas.tape import record_gradients

_CONV_LAYERS = (
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "Conv1DTranspose",
    "Conv2DTranspose",
    "Conv3DTranspose",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "SeparableConv1D",
    "SeparableConv2D",
)


def eager_reason(model, builtin):
    """Why the compiled step cannot run for `model` (None when it can)."""
    if not builtin:
        return "it overrides train_step, metrics, compute_loss or compute_metrics"
    optimizer = model.optimizer
    if getattr(optimizer, "loss_scale_factor", None) is not None or hasattr(optimizer, "inner_optimizer"):
        return "its optimizer scales the loss"
    if any(getattr(v, "regularizer", None) is not None for v in model.weights):
        return "it has weight regularizers"
    if model.non_trainable_weights or any(True for _ in model.buffers()):
        return "it has non-trainable variables (e.g. BatchNormalization statistics)"
    return None


def compiled_train_step(model, builtin):
    """The step function `fit` uses when `compile(jit_compile=True)`: `model._step` with a compiled core.

    Under torchrun the core comes from `capas.distribute.compiled` (a compiled
    forward whose backward DDP or FSDP2 reduces); the guards around it are the same.
    """

    def eager(batch):
        with record_gradients():
            return model._step(batch, training=True, fast_logs=True) if builtin else model.train_step(batch)

    reason = eager_reason(model, builtin)
    if reason is not None:
        warnings.warn(
            f"jit_compile=True: model '{model.name}' runs eagerly because {reason}; the results are the same.",
            stacklevel=4,
        )
        return eager

    trainable = model._trainable_for_step()
    # Fill the layer-tree caches now: their first computation is Python dynamo cannot trace.
    model._flatten_layers()
    _ = model.losses
    name_of = {id(p): name for name, p in model.named_parameters()}
    names = [name_of[id(v)] for v in trainable]
    optimizer = model.optimizer
    if process_group.is_distributed():  # torchrun: a compiled forward, DDP's reducer in the backward
        core = compiled_core(model, names)
    else:
        core = _single_process_core(model, names, optimizer)
    return _guarded(model, eager, trainable, optimizer, core)


def _single_process_core(model, names, optimizer):
    """Forward, backward (`torch.func.grad_and_value`), loss, metrics and, where the optimizer can, its
    update: one compiled program."""

    def functional_gradients(x, y, sample_weight, variables):
        def compute(values):
            with record_gradients():
                y_pred = torch.func.functional_call(model, dict(zip(names, values)), (x,), {"training": True})
                loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
            return loss, y_pred

        params = [v.detach() for v in variables]  # views: the optimizer's update lands in the variables
        grads, (loss, y_pred) = torch.func.grad_and_value(compute, has_aux=True)(params)
        return loss, y_pred, list(grads)

    def core(x, y, sample_weight, training, fast_logs, variables, plan=None, learning_rate=None):
        y_pred, grads = model._step_core(
            x, y, sample_weight, training, fast_logs, variables, gradients=functional_gradients
        )
        if plan is not None and grads is not None:
            optimizer._graph_apply(plan, grads, learning_rate)
            grads = None  # applied: `_step` does nothing more
        return y_pred, grads

    compiled = torch.compile(core, dynamic=False, options={"guard_filter_fn": keep_guards})
    # Else the compiled core returns the gradients and `_step` applies them eagerly after the graph.
    if not (hasattr(optimizer, "_graph_reason") and optimizer._graph_reason() is None):
        return compiled
    plans = []

    def compiled_with_update(x, y, sample_weight, training, fast_logs, variables):
        # Outside the graph: the cached plan and this step's learning rate as a tensor (a host float
        # for a schedule, as in eager mode); inside: clipping, decay, the update and `iterations += 1`.
        if model.optimizer is not optimizer:  # set on the model after compile(): eager after the graph
            return compiled(x, y, sample_weight, training, fast_logs, variables)
        if not plans:
            plans.append(optimizer._plan([True] * len(variables), variables))
        return compiled(x, y, sample_weight, training, fast_logs, variables, plans[0], optimizer._graph_learning_rate())

    return compiled_with_update


_IMPORTED = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.CodeType)


def keep_guards(entries):
    """dynamo's `guard_filter_fn` for the compiled step: every guard but those on imported objects.

    Before each call dynamo checks every guard of the compiled step: 1,461 for the seed model,
    94 µs of a 450 µs step on one CPU core. A third of them check that globals the step's code
    reads (`torch`, capas's modules, their classes and functions) are still the same objects,
    which only monkey-patching a module during a fit could change; dropping those halves the
    check (49 µs). Guards on tensors, on the model, its layers, the optimizer and the metrics
    (closure and argument values), and on global values such as configuration flags all stay.
    """
    return [not (e.is_global and e.has_value and isinstance(e.value, _IMPORTED)) for e in entries]


def _guarded(model, eager, trainable, optimizer, core):
    """`model._step` with the compiled `core`, after the one-time eager steps, falling back to eager for good
    when the model changes or compilation fails."""
    state = {"failed": False, "built": model._compile_loss is None or model._compile_loss._built}

    def step(batch):
        if state["failed"]:
            return eager(batch)
        if (
            not state["built"]
            or not getattr(optimizer, "built", True)
            or (model._compile_metrics is not None and not model._compile_metrics._built)
        ):
            # The first step runs eagerly: it builds the loss and metric containers and runs their
            # one-time checks (a host read of the output range), which must not be traced.
            state["built"] = True
            return eager(batch)
        current = model._trainable_for_step()
        if current is not trainable and [id(v) for v in current] != [id(v) for v in trainable]:
            state["failed"] = True  # the model changed (layers added, frozen): stay eager
            return eager(batch)
        try:
            return model._step(batch, training=True, fast_logs=True, core=core)
        except Exception as exc:  # noqa: BLE001 - any compiler failure falls back to eager
            state["failed"] = True
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            warnings.warn(
                f"jit_compile=True: torch.compile could not compile the train step of model "
                f"'{model.name}' ({type(exc).__name__}: {first_line}). Running it eagerly instead; "
                "the results are the same, only slower.",
                stacklevel=2,
            )
            return eager(batch)

    return step


def auto_choice(model, builtin, total_steps):
    """What `jit_compile='auto'` runs: `(compile?, reason)`, decided from the model, the device and the
    length of the fit, never by timing.

    Eager when the built-in step cannot be compiled whole (`eager_reason`); on the CPU, eager for
    models with convolutions (most of their step is oneDNN's convolution kernels, which the compiled
    step calls as eager mode does: compiled, the benchmark CNN ran from 2% slower to 10% faster than
    eagerly in `make bench`, not worth its seconds of compilation); otherwise compiled only when the
    fit is long enough to pay back the compilation (seconds, against tens to hundreds of microseconds
    saved per step): `_AUTO_MIN_STEPS`.
    The choice is logged once per model (logger `capas`, level INFO).
    """
    device = model._device().type
    conv = [layer.name for layer in model._flatten_layers() if type(layer).__name__ in _CONV_LAYERS]
    minimum = _AUTO_MIN_STEPS.get(device, _AUTO_MIN_STEPS["cpu"])
    why = eager_reason(model, builtin)
    if why is not None:
        choice, reason = False, why
    elif device == "cpu" and conv:
        choice, reason = (
            False,
            (
                f"its convolutions ('{conv[0]}') run in oneDNN's kernels either way, so compiling saves "
                "little on the CPU"
            ),
        )
    elif total_steps is None or total_steps < minimum:
        choice, reason = (
            False,
            (
                f"on the {device}, compiling costs more than it saves over a fit of "
                f"{total_steps if total_steps is not None else 'unknown'} steps (fewer than "
                f"{minimum})"
            ),
        )
    else:
        choice, reason = True, f"the fit runs {total_steps} steps on the {device}, enough to pay for compiling"
    if not model.__dict__.get("_auto_jit_said"):
        model._set_untracked(_auto_jit_said=True)
        _log.info(
            "jit_compile='auto': model '%s' runs %s: %s. Pass jit_compile=%s to compile() to choose.",
            model.name,
            "compiled" if choice else "eagerly",
            reason,
            not choice,
        )
    return choice, reason


_AUTO_MIN_STEPS = {"cpu": 20000, "cuda": 1000}
_log = logging.getLogger("capas")
