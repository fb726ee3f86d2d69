"""`jit_compile=True` in a distributed fit: a compiled forward, DDP's reducer in the backward.

In one process `jit_compile=True` compiles forward and backward as one pure
function (`torch.func.grad_and_value`, `capas/keras/trainers/_jit.py`); its
gradients never reach the variables' `.grad`, so DDP's reducer (which hooks
the variables' gradient accumulation) would not see them. Under torchrun the
step compiles the forward and the loss instead (`torch.compile` of a
`functional_call` that takes the variables themselves): AOTAutograd compiles
the matching backward, whose gradients land in `.grad` through the autograd
engine, where DDP's hooks all-reduce them bucket by bucket as in the eager
step. The optimizer update and the metrics run eagerly, as in one process.

The same step serves `FSDPStrategy`: the variables passed in are then the
views of FSDP2's all-gather buffers, and the loss passes through FSDP2's
holder in `replica.backward`, so the compiled backward's gradients are
reduce-scattered. Models the compiled step cannot express (the conditions of
`_jit._eligible`) run the eager step with a warning.
"""

import warnings

import torch

from capas.distribute import replica
from capas.keras.trainers.data_adapters import unpack_x_y_sample_weight
from capas.tape import record_gradients


def compiled_train_step(model):
    """The step of a distributed `fit` when `compile(jit_compile=True)`."""
    from capas.keras.trainers import _jit
    from capas.keras.trainers.trainer import _batch_size

    def eager(batch):
        with record_gradients():
            return model._default_train_step(batch) if reason is None else model.train_step(batch)

    reason = _jit._eligible(model)
    if reason is not None:
        warnings.warn(
            f"jit_compile=True: model '{model.name}' runs eagerly because {reason}; the results are the same.",
            stacklevel=3)
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
    state = {"failed": False, "built": model._compile_loss is None or model._compile_loss._built}

    def step(batch):
        if state["failed"]:
            return eager(batch)
        if not state["built"]:  # the first step builds the loss and metric containers eagerly (as _jit does)
            state["built"] = True
            return eager(batch)
        if [id(v) for v in model._trainable_for_step()] != [id(v) for v in trainable]:
            state["failed"] = True  # the model changed (layers added, frozen): stay eager
            return eager(batch)
        x, y, sample_weight = unpack_x_y_sample_weight(batch)
        for v in trainable:
            v.grad = None
        try:
            loss, y_pred = compiled(trainable, x, y, sample_weight)
        except Exception as exc:  # noqa: BLE001 - any compiler failure falls back to eager
            state["failed"] = True
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            warnings.warn(
                f"jit_compile=True: torch.compile could not compile the train step of model '{model.name}' "
                f"({type(exc).__name__}: {first_line}). Running it eagerly instead; the results are the same.",
                stacklevel=2)
            return eager(batch)
        model._track_loss(loss, _batch_size(x))
        replica.backward(loss, trainable)  # the compiled backward; DDP's hooks all-reduce the gradients
        model.optimizer.apply([v.grad for v in trainable], trainable)
        if model._compile_metrics is not None:
            with torch.no_grad():
                model._compile_metrics.update_state(y, y_pred.detach(), sample_weight)
        return model._deferred_logs()

    return step
