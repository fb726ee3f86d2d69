"""`jit_compile=True`: the forward pass and loss compiled with `torch.compile`.

The default `train_step` is split in three: the forward pass and the loss
(compiled by `torch.compile`: Inductor fuses the element-wise work, and
AOTAutograd compiles the matching backward), `loss.backward()`, and the
optimizer's multi-tensor update plus the metric updates (already a handful of
fused kernels, run eagerly). A model that overrides `train_step` gets its own
step, run eagerly (compiling arbitrary user Python is left to the user's own
`tf.function(jit_compile=True)`). If compilation fails, the step warns once and
runs eagerly from then on: the numbers are the same either way.
"""

import warnings

import torch

from capas.keras.trainers.data_adapters import unpack_x_y_sample_weight
from capas.tape import record_gradients


def compiled_train_step(model):
    from capas.keras.trainers.trainer import Trainer, _batch_size

    def eager(batch):
        with record_gradients():
            return model.train_step(batch)

    if type(model).train_step is not Trainer.train_step:
        return eager

    def forward_loss(x, y, sample_weight):
        y_pred = model(x, training=True)
        loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        return y_pred, loss

    compiled = torch.compile(forward_loss, dynamic=False)
    state = {"failed": False}

    def step(batch):
        if state["failed"]:
            return eager(batch)
        x, y, sample_weight = unpack_x_y_sample_weight(batch)
        trainable = model._trainable_for_step()
        for v in trainable:
            v.grad = None
        try:
            with record_gradients():
                y_pred, loss = compiled(x, y, sample_weight)
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
        model._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
        if hasattr(model.optimizer, "scale_loss"):
            loss = model.optimizer.scale_loss(loss)
        loss.backward()
        model.optimizer.apply([v.grad for v in trainable], trainable)
        with torch.no_grad():
            return model.compute_metrics(x, y, y_pred.detach(), sample_weight)

    return step
