"""`evaluate`'s step for the tutorials' classifier: sparse crossentropy and accuracy in a few kernels.

Most models that `evaluate` sees are compiled as the tutorials compile them:
`loss="sparse_categorical_crossentropy"` (or `SparseCategoricalCrossentropy(from_logits=True)`)
and `metrics=["accuracy"]`. The built-in test step runs them through the general machinery
(the compiled loss's wrappers, conversions, label checks and reduction, the metric container's
structure walk): ~145 µs per batch of 8 rows beyond the forward pass, where a PyTorch loop spends
~37 µs on its loss and accuracy. For that compilation this step runs the kernels directly,
~65 µs (one core):

- the loss: `F.cross_entropy(..., reduction="sum")` of the logits (`from_logits=True`,
  or the logits behind a softmax/sigmoid output, `_keras_logits`, as the loss reads them), added
  to the loss tracker's total with the batch size to its count. The general step adds `mean *
  batch_size`: the same number up to float32 rounding (the tests compare both paths and Keras);
- the accuracy: `argmax` of the output, `eq`, `sum`, into the metric's `total`, the batch size
  into its `count`, as `SparseCategoricalAccuracy` adds them;
- no probabilities where nothing reads them: when the model's output is a
  `Dense(..., activation="softmax")` (the tutorials' last layer) and the loss takes
  probabilities, that layer returns its logits for this step (`dense.LOGITS_OUT`): the loss reads
  the logits anyway, and the accuracy takes the `argmax` of the logits, which is the class of
  highest probability. The one difference from Keras's `argmax` of the probabilities: two logits
  less than ~6e-8 apart (so close that their probabilities round to the same float32) count as
  the larger one, where Keras takes the first (docs/differences.md). The softmax is ~5% of
  `evaluate` on the benchmark model at batch 1024 (benchmarks/README.md).

A label outside `[0, classes)` makes torch's CPU kernel raise before anything is counted; the
batch then goes to the general path, whose loss names the label and the range (no label is
ignored: torch's `ignore_index` is set to the smallest int64). Anything else takes the general
path from the forward pass on: sample weights, masks, `add_loss` terms, other losses or metrics,
labels of another shape, dtype or device, non-float32 outputs. The plan is made when the
compiled loss and metrics exist (after a model's first batch) and again when `compile()`
replaces them.
"""

import functools

import torch
import torch.nn.functional as F

from capas.keras.layers._symbolic import flatten
from capas.keras.layers.core import dense as dense_module
from capas.keras.losses.crossentropy import sparse_categorical_crossentropy
from capas.keras.losses.loss import Loss
from capas.keras.losses.loss_function_wrapper import LossFunctionWrapper
from capas.keras.metrics.accuracy_metrics import SparseCategoricalAccuracy, _MatchesMean
from capas.keras.metrics.reduction_metrics import Mean

_NO_PLAN = ()
# No label is ignored (torch's default ignores -100, which the loss rejects): the smallest int64.
_NO_LABEL = -(2**63)


def _loss_plan(compile_loss):
    """`from_logits` of a plain sparse crossentropy (the only compiled loss), else None."""
    if compile_loss is None or not compile_loss._built or not compile_loss._single or compile_loss.metrics:
        return None
    loss = compile_loss.losses[0]
    cls = type(loss)
    if not (
        isinstance(loss, LossFunctionWrapper)
        and cls.__call__ is Loss.__call__
        and cls.call is LossFunctionWrapper.call
        and loss.fn is sparse_categorical_crossentropy
        and loss.reduction == "sum_over_batch_size"
        and loss._dtype is torch.float32
    ):
        return None
    kwargs = dict(loss._fn_kwargs)
    from_logits = kwargs.pop("from_logits", False)
    if kwargs.pop("ignore_class", None) is not None or kwargs.pop("axis", -1) != -1 or kwargs:
        return None
    return bool(from_logits)


def _metric_plan(compile_metrics):
    """The one `SparseCategoricalAccuracy` of the compiled metrics (or None for none), else `_NO_PLAN`."""
    if compile_metrics is None:
        return None
    if not compile_metrics._built or any(compile_metrics.weighted_per_output):
        return _NO_PLAN
    flat = [metric for metrics in compile_metrics.per_output for metric in metrics]
    if not flat:
        return None
    if len(flat) != 1 or len(compile_metrics.per_output) != 1:
        return _NO_PLAN
    metric = flat[0]
    if type(metric) is not SparseCategoricalAccuracy or type(metric).update_state is not _MatchesMean.update_state:
        return _NO_PLAN
    if metric._fn_kwargs or metric.total.dtype is not torch.float32:
        return _NO_PLAN
    return metric


def _output_softmax_dense(model):
    """The `Dense(..., activation="softmax")` whose output is the model's one output, used once; else None."""
    # in-function: import cycle models -> trainer -> this module
    from capas.keras.models.functional import Functional

    # in-function: the same cycle
    from capas.keras.models.sequential import Sequential

    cls = type(model)
    if cls.call is Sequential.call:
        layers = model._seq_layers
        layer = layers[-1] if layers else None
        if layers.count(layer) != 1:
            return None
    elif cls.call is Functional.call:
        outputs = flatten(model._outputs_struct)
        history = getattr(outputs[0], "_keras_history", None) if len(outputs) == 1 else None
        if history is None:
            return None
        layer = history[0]
        if len(layer._inbound_nodes) != 1:
            return None
    else:
        return None
    if not (
        isinstance(layer, dense_module.Dense)
        and type(layer).call is dense_module.Dense.call
        and layer._softmax
        and layer._activity_regularizer is None
        and layer.compute_dtype == "float32"
    ):
        return None
    return layer


def _plan(model):
    """`(from_logits, accuracy metric or None, output Dense or None)` when the fused step applies, else None."""
    tracker = model._loss_tracker
    if type(tracker) is not Mean or getattr(tracker, "total", None) is None:
        return None
    from_logits = _loss_plan(model._compile_loss)
    metric = _metric_plan(model._compile_metrics)
    if from_logits is None or metric is _NO_PLAN:
        return None
    return from_logits, metric, None if from_logits else _output_softmax_dense(model)


class FusedTestStep:
    """The test step `evaluate` runs when the built-in step is not overridden (`Trainer._step_function`)."""

    def __init__(self, model):
        self.model = model
        self._key = None
        self._plan = None
        self.chain = None  # the model's forward for the running loop (`models._inference_chain`), set by evaluate

    def _current_plan(self):
        model = self.model
        loss, metrics = model._compile_loss, model._compile_metrics
        key = (loss, metrics, getattr(metrics, "_built", None), getattr(loss, "_built", None), model._loss_tracker)
        if self._key is None or any(a is not b for a, b in zip(key, self._key)):
            self._key, self._plan = key, _plan(model)
        return self._plan

    def __call__(self, data):
        model = self.model
        plan = self._current_plan()
        if plan is None or type(data) is not tuple or len(data) != 2 or type(data[1]) is not torch.Tensor:
            return model._step(data, training=False, fast_logs=True)
        x, y = data
        from_logits, metric, output_dense = plan
        raw = False  # whether y_pred holds the output layer's logits, not its probabilities
        forward = self.chain
        if forward is None:
            forward = functools.partial(model, training=False)
        if output_dense is None:
            y_pred = forward(x)
        else:
            y_pred, raw = _forward_to_logits(forward, x, output_dense)
        logits = y_pred if from_logits or raw else getattr(y_pred, "_keras_logits", None)
        tracker = model._loss_tracker
        loss_sum = None
        if not (
            type(y_pred) is not torch.Tensor
            or logits is None
            or y_pred.dim() != 2
            or logits.dtype is not torch.float32
            or y_pred.dtype is not torch.float32
            or y.dtype is not torch.int64
            or y.dim() != 1
            or y.shape[0] != y_pred.shape[0]
            or y.device != y_pred.device
            or tracker.total.device != y_pred.device
            or (metric is not None and metric.total.device != y_pred.device)
            or getattr(y_pred, "_keras_mask", None) is not None
            or model.losses
        ):
            try:  # an out-of-range label: torch's CPU kernel raises, and the general path says what is wrong
                # torch's kernel directly: `_kernels.sparse_cross_entropy`'s across-rows route serves training
                loss_sum = F.cross_entropy(logits, y, reduction="sum", ignore_index=_NO_LABEL)
            except IndexError:
                pass
        if loss_sum is None:
            return model._finish_test_step(x, y, _probabilities(y_pred) if raw else y_pred)
        batch = y.shape[0]
        if metric is None:
            tracker.total.add_(loss_sum)
            tracker.count.add_(batch)
        else:  # two dispatches for the four sums (the totals and the counts): 4-8 µs less per batch
            correct = torch.eq(y, torch.argmax(y_pred, dim=-1)).sum()
            torch._foreach_add_((tracker.total, metric.total), (loss_sum, correct))
            torch._foreach_add_((tracker.count, metric.count), batch)
        return model._deferred_logs()


def _forward_to_logits(forward, x, output_dense):
    """`(model output, whether it is output_dense's logits)`: the forward pass, the last softmax left out.

    `forward`: the model's inference call. The probabilities would be computed only for the
    accuracy's `argmax`, which the logits give too (see the module docstring). Should the layer
    have run elsewhere first (a layer calling it inside), that forward pass is not used: the
    model runs again as it is.
    """
    state = dense_module.LOGITS_OUT
    state.layer, state.taken = output_dense, None
    try:
        y_pred = forward(x)
    finally:
        taken = state.taken
        state.layer = state.taken = None
    if taken is None:
        return y_pred, False
    if y_pred is taken:
        return y_pred, True
    return forward(x), False


def _probabilities(logits):
    """The output `Dense(..., activation="softmax")` computes from its logits, as it computes it."""
    out = dense_module.softmax_output(logits)
    mask = getattr(logits, "_keras_mask", None)  # the layer's output mask, attached to what it returned
    if mask is not None:
        out._keras_mask = mask
    return out
