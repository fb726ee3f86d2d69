"""`jit_compile=True`: the train step compiled with `torch.compile`, with an eager fallback.

The whole `train_step` (forward, loss, backward, optimizer update, metric
updates) is handed to `torch.compile`. Dynamo splits it at `loss.backward()`:
the forward and loss become one graph whose backward is compiled by
AOTAutograd, and the optimizer's multi-tensor update and the metric updates
become another. If compilation fails (an op dynamo cannot trace, a missing
compiler), the step warns once and runs eagerly from then on: the numbers are
the same either way.
"""

import warnings

import torch

from capas.tape import record_gradients


def compiled_train_step(model):
    def eager(batch):
        with record_gradients():
            return model.train_step(batch)

    compiled = torch.compile(eager, dynamic=False)
    state = {"fn": compiled, "failed": False}

    def step(batch):
        if state["failed"]:
            return eager(batch)
        try:
            return state["fn"](batch)
        except Exception as exc:  # noqa: BLE001 - any compiler failure falls back to eager
            state["failed"] = True
            warnings.warn(
                f"jit_compile=True: torch.compile could not compile the train step of model "
                f"'{model.name}' ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}). "
                "Running it eagerly instead; results are the same, only slower.",
                stacklevel=2,
            )
            return eager(batch)

    return step
