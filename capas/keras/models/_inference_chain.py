"""`predict` and `evaluate`'s forward pass for a stack of plain layers: their kernels, and little else.

A model call runs every layer through `Layer.__call__`: the model's top-level call (losses
cleared, the call depth, the training flag, name scopes), the functional graph's slots, and per
layer the checks of `Layer._call_plain` and of the layer's own `call`. On the tutorials' model
(784-64-64-10, one core) that is ~38 µs of Python per batch around ~23 µs of kernels, where
`torch.nn.Sequential` spends ~23: at `predict`'s batch of 1024 rows, 2-4% of the time.

Most models that `predict` and `evaluate` see are a chain of layers whose inference pass is a
kernel or two: `Flatten`, `Dense`, `Dropout` (the identity outside training), and the tutorials'
image classifiers' `Rescaling`, convolutions, poolings, `BatchNormalization` (their own `call`,
bound once: `Layer._own_call_fn`). For such a model,
each loop builds once an `InferenceChain`: one function per layer (`Layer._inference_fn`, which
holds the layer's weights and activation, chosen once) and runs a batch as those calls alone.
The numbers are the layers' own: the same kernels in the same order.

What the chain takes, and what it leaves to the model's call:

- the model: a `Sequential` or a functional `Model` of one input and one output whose layers
  form one chain (each takes the previous layer's output and nothing else), the classes' own
  `call`/`__call__`; every layer offers an inference function (built, float32, no input spec,
  remat, activity regularizer, LoRA or FSDP unit, its class's own `call`);
- a batch: a plain float32 tensor of the Input's rank and known sizes, no mask, autocast off.
  Any other batch, and any batch whose chain raises, runs `model(x, training=False)`, which
  computes it or raises the error the layer names;
- built per loop (`predict`, `evaluate`, a fit's validation), so a change to the model between
  loops is seen; the weights are read in place, so an assignment inside the loop is seen too. The
  model's top-level call clears the layers' `add_loss` terms: the chain clears them once, when it
  is built (none of its layers adds any).
"""

import torch

from capas.keras.layers.layer import Layer, inference_identity
from capas.keras.layers._symbolic import KerasTensor
from capas.keras.models.functional import Functional
from capas.keras.models.sequential import Sequential

from capas.distribute import sharding as _sharding


class InferenceChain:
    """`model(x, training=False)` for a batch as the layers' inference functions, in order."""

    __slots__ = ("model", "fns", "rank", "known")

    def __init__(self, model, spec, fns):
        self.model = model
        self.fns = tuple(fns)
        shape = tuple(spec.shape)
        self.rank = len(shape)
        self.known = tuple((axis, size) for axis, size in enumerate(shape) if size is not None)

    def __call__(self, x):
        if (
            x.__class__ is torch.Tensor
            and x.dtype is torch.float32
            and x.dim() == self.rank
            and not torch.is_autocast_enabled()
            and getattr(x, "_keras_mask", None) is None
        ):
            shape = x.shape
            for axis, size in self.known:
                if shape[axis] != size:
                    break
            else:
                try:
                    out = x
                    for fn in self.fns:
                        out = fn(out)
                    return out
                except Exception:  # noqa: BLE001 - the model's call computes it, or raises what the layer names
                    pass
        return self.model(x, training=False)


def _chain_layers(model):
    """`(input KerasTensor, layers in call order)` when the model is one chain of layers, else None."""
    cls = type(model)
    if cls.call is Sequential.call and cls.__call__ is Sequential.__call__:
        graph = model.__dict__.get("_graph")
        if graph is None or graph[0].__class__ is not KerasTensor:
            return None
        return graph[0], list(model._seq_layers)
    if cls.call is not Functional.call or cls.__call__ is not Layer.__call__ or not isinstance(model, Functional):
        return None
    if len(model._flat_inputs) != 1 or model._outputs_struct.__class__ is not KerasTensor:
        return None
    slot = model._input_slots[0]
    layers = []
    for step in model._steps:
        if step.single_slot != slot or not step.direct or len(step.out_slots) != 1:
            return None
        layers.append(step.layer)
        slot = step.out_slots[0]
    if slot != model._output_slots[0]:
        return None
    return model._flat_inputs[0], layers


def build(model):
    """The `InferenceChain` of `model` for one `predict`/`evaluate` loop, or None (the model's call runs)."""
    if _sharding._UNITS or _sharding._PENDING or not model.__dict__.get("built"):
        return None
    found = _chain_layers(model)
    if found is None:
        return None
    spec, layers = found
    policy = model._dtype_policy
    if (
        spec.dtype is not torch.float32
        or policy.is_mixed
        or policy.compute_dtype != "float32"
        or model.input_spec is not None
        or model._remat_mode is not None
        or model._activity_regularizer is not None
        or "_capas_fsdp_unit" in model.__dict__
    ):
        return None
    fns = []
    for layer in layers:
        fn = layer._inference_fn()
        if fn is None:
            return None
        if fn is not inference_identity:
            fns.append(fn)
    model._clear_call_losses()  # as the model's top-level call does, once per loop
    return InferenceChain(model, spec, fns)
