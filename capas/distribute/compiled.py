"""`jit_compile=True` in a distributed fit: a compiled forward, DDP's reducer in the backward.

In one process `jit_compile=True` compiles forward and backward as one pure
function (`torch.func.grad_and_value`, `capas/keras/trainers/_jit.py`); its
gradients never reach the variables' `.grad`, so DDP's reducer (which hooks
the variables' gradient accumulation) would not see them. Under torchrun the
step compiles the forward and the loss instead (`torch.compile` of a
`functional_call` that takes the variables themselves): AOTAutograd compiles
the matching backward, whose gradients land in `.grad` through the autograd
engine, where DDP's hooks all-reduce them bucket by bucket as in the eager
step. The compiled forward replaces the eager one inside the one step body
(`Trainer._step` / `_step_core`); the loss tracking, the metric updates and
the optimizer update run eagerly around it.

The same step serves `FSDPStrategy`: the variables passed in are then the
views of FSDP2's all-gather buffers, and the loss passes through FSDP2's
holder in `replica.backward`, so the compiled backward's gradients are
reduce-scattered. Models the compiled step cannot express (`_jit.eager_reason`)
run the eager step with a warning.
"""

import warnings

import torch

from capas.distribute import replica
from capas.keras.trainers import _jit
from capas.tape import record_gradients


def compiled_train_step(model, builtin):
    """The step of a distributed `fit` when `compile(jit_compile=True)`: `model._step` with a compiled forward."""

    def eager(batch):
        with record_gradients():
            return model._step(batch, training=True, fast_logs=True) if builtin else model.train_step(batch)

    reason = _jit.eager_reason(model, builtin)
    if reason is not None:
        warnings.warn(
            f"jit_compile=True: model '{model.name}' runs eagerly because {reason}; the results are the same.",
            stacklevel=4,
        )
        return eager

    trainable = model._trainable_for_step()
    model._flatten_layers()  # fill the layer-tree caches outside the trace
    _ = model.losses
    name_of = {id(p): name for name, p in model.named_parameters()}
    names = [name_of[id(v)] for v in trainable]

    def forward(params, x, y, sample_weight):
        with record_gradients():
            y_pred = torch.func.functional_call(model, dict(zip(names, params)), (x,), {"training": True})
            loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        return loss, y_pred

    compiled = torch.compile(forward, dynamic=False)

    def gradients(x, y, sample_weight, variables):
        for v in variables:
            v.grad = None
        loss, y_pred = compiled(variables, x, y, sample_weight)
        replica.backward(loss, variables)  # the compiled backward; DDP's hooks all-reduce the gradients
        return loss, y_pred, [v.grad for v in variables]

    def core(x, y, sample_weight, training, fast_logs, variables):
        return model._step_core(x, y, sample_weight, training, fast_logs, variables, gradients=gradients)

    state = {"failed": False, "built": model._compile_loss is None or model._compile_loss._built}

    def step(batch):
        if state["failed"]:
            return eager(batch)
        if not state["built"] or (model._compile_metrics is not None and not model._compile_metrics._built):
            state["built"] = True  # the first step builds the loss and metric containers eagerly (as _jit does)
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
                f"jit_compile=True: torch.compile could not compile the train step of model '{model.name}' "
                f"({type(exc).__name__}: {first_line}). Running it eagerly instead; the results are the same.",
                stacklevel=2,
            )
            return eager(batch)

    return step
