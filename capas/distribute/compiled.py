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
views of FSDP2's all-gather buffers, which FSDP2's hooks fill unit by unit as
the layers run (the hooks run eagerly, so the compiled forward is split at
each unit), and the compiled backward's gradients are reduce-scattered by the
same hooks. The guards around it (eager first step, eager fallback) and the
choice of models it cannot express are `_jit.compiled_train_step`'s.
"""

import torch

from capas.distribute import replica
from capas.tape import record_gradients


def compiled_core(model, names):
    """The core `_step` runs under torchrun with `jit_compile=True`: a compiled forward and loss, the
    backward through `replica.backward` (DDP's hooks, or FSDP2's reduce-scatter)."""

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

    return core
