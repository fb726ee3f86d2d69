"""`jit_compile=True`: the forward and backward passes compiled as one graph.

For the default `train_step`, the loss and its gradients are written as a pure
function of the trainable weights (`torch.func.functional_call` +
`torch.func.grad_and_value`) and compiled with `torch.compile`: Inductor
produces one program for forward and backward, so the per-op dispatch and
autograd-engine work of eager mode disappears. The optimizer then applies the
gradients with its own fused multi-tensor update, and metrics are updated
eagerly, exactly as in eager mode, so the numbers are the same.

Models that the pure function cannot express — weight regularizers (their
penalty is computed from the variables themselves) or non-trainable variables
updated during the forward pass (BatchNormalization's moving statistics) — and
models that override `train_step` run eagerly. If compilation fails, the step
warns once and runs eagerly from then on. The first step of a freshly compiled
model runs eagerly: it builds the loss and metrics and runs their one-time
checks (which read a tensor on the host) outside the traced function, so the
traced function has no graph break.
"""

import warnings

import torch

from capas.keras.trainers.data_adapters import unpack_x_y_sample_weight
from capas.tape import record_gradients


def _eligible(model):
    from capas.keras.trainers.trainer import Trainer, _overrides_metrics

    if type(model).train_step is not Trainer.train_step or _overrides_metrics(model):
        return "it overrides train_step, metrics, compute_loss or compute_metrics"
    optimizer = model.optimizer
    if getattr(optimizer, "loss_scale_factor", None) is not None or hasattr(optimizer, "inner_optimizer"):
        return "its optimizer scales the loss"
    if any(getattr(v, "regularizer", None) is not None for v in model.weights):
        return "it has weight regularizers"
    if model.non_trainable_weights or any(True for _ in model.buffers()):
        return "it has non-trainable variables (e.g. BatchNormalization statistics)"
    return None


def compiled_train_step(model):
    """The step function `fit` uses when `compile(jit_compile=True)`."""
    from capas.distribute import process_group

    if process_group.is_distributed():  # torchrun: a compiled forward, DDP's reducer in the backward
        from capas.distribute.compiled import compiled_train_step as distributed_step

        return distributed_step(model)

    def eager(batch):
        with record_gradients():
            return model._default_train_step(batch) if reason is None else model.train_step(batch)

    reason = _eligible(model)
    if reason is not None:
        warnings.warn(
            f"jit_compile=True: model '{model.name}' runs eagerly because {reason}; the results are the same.",
            stacklevel=3,
        )
        return eager

    trainable = model._trainable_for_step()
    # Fill the layer-tree caches now: their first computation is Python dynamo cannot trace.
    model._flatten_layers()
    _ = model.losses
    name_of = {id(p): name for name, p in model.named_parameters()}
    names = [name_of[id(v)] for v in trainable]

    def loss_and_grads(params, x, y, sample_weight):
        def compute(values):
            with record_gradients():
                y_pred = torch.func.functional_call(model, dict(zip(names, values)), (x,), {"training": True})
                loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
            return loss, y_pred

        grads, (loss, y_pred) = torch.func.grad_and_value(compute, has_aux=True)(params)
        return grads, loss, y_pred

    compiled = torch.compile(loss_and_grads, dynamic=False)
    state = {"failed": False, "built": model._compile_loss is None or model._compile_loss._built}

    def step(batch):
        if state["failed"]:
            return eager(batch)
        if not state["built"]:
            # The first step runs eagerly: it builds the loss and metric containers and runs their
            # one-time checks (a host read of the output range), which must not be traced.
            state["built"] = True
            return eager(batch)
        from capas.keras.trainers.trainer import _batch_size

        x, y, sample_weight = unpack_x_y_sample_weight(batch)
        current = model._trainable_for_step()
        if [id(v) for v in current] != [id(v) for v in trainable]:
            state["failed"] = True  # the model changed (layers added, frozen): stay eager
            return eager(batch)
        params = [v.detach() for v in trainable]  # views: the update below lands in the variables
        try:
            grads, loss, y_pred = compiled(params, x, y, sample_weight)
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
        model._track_loss(loss, _batch_size(x))
        with torch.no_grad():
            model.optimizer.apply(list(grads), trainable)
            if model._compile_metrics is not None:
                model._compile_metrics.update_state(y, y_pred, sample_weight)
        return model._deferred_logs()

    return step
