"""What `compile(loss=..., metrics=...)` turns into: one loss container, one metrics container.

Losses and metrics may be given per output (lists in output order, or dicts
keyed by output name), as objects, classes, functions or names. Metrics are
resolved lazily at the first batch, because `'accuracy'` means binary,
sparse-categorical or categorical accuracy depending on the shapes of the
targets and predictions (Keras's rule).
"""

import torch

from capas.keras import losses as losses_module
from capas.keras import metrics as metrics_module
from capas.keras.layers._symbolic import flatten


def _output_names(model, n):
    names = getattr(model, "output_names", None)
    if names and len(names) == n:
        return list(names)
    return [f"output_{i + 1}" for i in range(n)]


def _loss_name(loss):
    if isinstance(loss, str):
        return loss
    return getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__


def _get_loss(identifier):
    if identifier is None:
        return None
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    if isinstance(loss, type):
        return loss()
    if callable(loss):
        return losses_module.LossFunctionWrapper(loss, name=getattr(loss, "__name__", None))
    raise TypeError(f"Could not interpret loss {identifier!r}.")


class CompileLoss:
    """The compiled loss: per-output losses, weights, and their weighted sum."""

    def __init__(self, loss, loss_weights=None, model=None):
        self._model = model
        self._spec = loss
        self._weights_spec = loss_weights
        self._built = False
        self.losses = None
        self.weights = None
        self.names = None
        self.metrics = []  # one `<output>_loss` Mean per output when there are several losses
        self._trackers = []

    def build(self, model, y_true, y_pred):
        flat_pred = flatten(y_pred)
        n = len(flat_pred)
        names = _output_names(model, n) if not isinstance(y_pred, dict) else list(y_pred.keys())
        spec = self._spec
        if isinstance(spec, dict):
            unknown = [k for k in spec if k not in names]
            if unknown:
                raise ValueError(
                    f"compile(loss=...) has keys {unknown} that are not outputs of model "
                    f"'{model.name}'. Its outputs are {names}."
                )
            per_output = [_get_loss(spec.get(name)) for name in names]
        elif isinstance(spec, (list, tuple)):
            if len(spec) != n:
                raise ValueError(
                    f"compile(loss=...) got a list of {len(spec)} losses, but model '{model.name}' has "
                    f"{n} outputs {names}."
                )
            per_output = [_get_loss(s) for s in spec]
        else:
            per_output = [_get_loss(spec)] * n if n == 1 or spec is None else [_get_loss(spec) for _ in range(n)]
        weights_spec = self._weights_spec
        if weights_spec is None:
            weights = [1.0] * n
        elif isinstance(weights_spec, dict):
            weights = [float(weights_spec.get(name, 1.0)) for name in names]
        else:
            weights = [float(w) for w in weights_spec]
            if len(weights) != n:
                raise ValueError(f"compile(loss_weights=...) needs {n} weights, received {len(weights)}.")
        self.losses = per_output
        self.weights = weights
        self.names = names
        several = sum(loss is not None for loss in per_output) > 1
        self._trackers = [
            metrics_module.Mean(name=f"{name}_loss") if several and loss is not None else None
            for name, loss in zip(names, per_output)
        ]
        self.metrics = [t for t in self._trackers if t is not None]
        self._built = True
        _warn_if_logits_given_as_probabilities(per_output, flat_pred)

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        """The total compiled loss (Keras's `model.compiled_loss(y, y_pred, sample_weight)`).

        `regularization_losses` (tf.keras 2 style) are added when given.
        """
        total = self._compiled_total(y_true, y_pred, sample_weight)
        if regularization_losses:
            extra = torch.stack([torch.as_tensor(v).reshape(()) for v in regularization_losses]).sum()
            total = extra if total is None else total + extra
        return total

    def _compiled_total(self, y_true, y_pred, sample_weight=None):
        model = self._model
        if not self._built:
            self.build(model, y_true, y_pred)
            self._single = len(self.losses) == 1 and self.losses[0] is not None and self.weights[0] == 1.0
        if (
            self._single
            and isinstance(y_pred, torch.Tensor)
            and isinstance(y_true, torch.Tensor)
            and (sample_weight is None or isinstance(sample_weight, torch.Tensor))
        ):
            return self.losses[0](y_true, y_pred, sample_weight=sample_weight)
        flat_pred = flatten(y_pred)
        flat_true = _flat_targets(y_true, flat_pred, self.names)
        flat_sw = _flat_weights(sample_weight, flat_pred, self.names)
        total = None
        for loss, weight, yt, yp, sw, tracker in zip(
            self.losses, self.weights, flat_true, flat_pred, flat_sw, self._trackers
        ):
            if loss is None or yt is None:
                continue
            value = loss(yt, yp, sample_weight=sw)
            if tracker is not None:  # the unweighted loss of this output, as Keras 3 logs it
                tracker.update_state(value.detach(), sample_weight=yp.shape[0] if yp.dim() else 1)
            value = value * weight if weight != 1.0 else value
            total = value if total is None else total + value
        return total


def _resolve_metric(identifier, y_true, y_pred, loss):
    """One metric object; a string keeps its spelling as the metric's name (Keras 3: `'mae'` logs `mae`)."""
    if isinstance(identifier, str) and identifier in ("accuracy", "acc"):
        pred_last = y_pred.shape[-1] if y_pred.dim() > 0 else 1
        true_shape = tuple(y_true.shape)
        loss_name = _loss_name(loss) or ""
        if "binary" in loss_name or pred_last == 1:
            return metrics_module.BinaryAccuracy(name=identifier)
        if "sparse" in loss_name or len(true_shape) < y_pred.dim() or (true_shape and true_shape[-1] == 1):
            return metrics_module.SparseCategoricalAccuracy(name=identifier)
        return metrics_module.CategoricalAccuracy(name=identifier)
    if isinstance(identifier, str) and identifier in ("crossentropy", "ce"):
        loss_name = _loss_name(loss) or ""
        if "binary" in loss_name or y_pred.shape[-1] == 1:
            return metrics_module.BinaryCrossentropy(name=identifier)
        if "sparse" in loss_name or y_true.dim() < y_pred.dim():
            return metrics_module.SparseCategoricalCrossentropy(name=identifier)
        return metrics_module.CategoricalCrossentropy(name=identifier)
    metric = metrics_module.get(identifier)
    if isinstance(metric, type):
        metric = metric()
    if not isinstance(metric, metrics_module.Metric):
        if not callable(metric):
            raise TypeError(f"Could not interpret metric {identifier!r}.")
        metric = metrics_module.MeanMetricWrapper(metric, name=getattr(metric, "__name__", None))
    if isinstance(identifier, str):
        metric.name = identifier
    return metric


_AUTO_METRICS = ("accuracy", "acc", "crossentropy", "ce")


def check_names(loss, metrics, weighted_metrics):
    """Resolve every string in the compile arguments now, so a typo fails at `compile` with close matches.

    (TF raises the same ValueError at the first batch for losses and metrics.)
    """
    for item in flatten(loss) if loss is not None else []:
        if isinstance(item, str):
            losses_module.get(item)
    for spec in (metrics, weighted_metrics):
        for item in flatten(spec) if spec is not None else []:
            if isinstance(item, str) and item not in _AUTO_METRICS:
                metrics_module.get(item)


class CompileMetrics:
    """The compiled metrics as one metric-like container (Keras 3's `CompileMetrics`).

    It is one entry of `model.metrics`, named `compile_metrics`:
    `update_state(y, y_pred)` updates every metric of every output, `result()`
    returns a dict keyed by the log names (`mae`, `priority_mae`, `mae_1`,
    `weighted_mae`), `reset_state()` resets them all. The metrics are resolved
    at the first batch (`'accuracy'` depends on the shapes, as in Keras).

    Example:

    >>> import numpy as np
    >>> from capas import keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    >>> model.metrics_names
    ['loss', 'compile_metrics']
    >>> model.compiled_metrics.update_state(np.zeros((2, 1), "float32"), np.ones((2, 1), "float32"))
    >>> {name: float(value) for name, value in model.compiled_metrics.result().items()}
    {'mae': 1.0}
    """

    def __init__(self, metrics, weighted_metrics=None, model=None, compile_loss=None):
        self.name = "compile_metrics"
        self._model = model
        self._compile_loss = compile_loss
        self._spec = metrics
        self._weighted_spec = weighted_metrics
        self._built = False
        self.per_output = []
        self.weighted_per_output = []
        self._named = []

    @property
    def built(self):
        return self._built

    def _spec_per_output(self, spec, names):
        n = len(names)
        if spec is None:
            return [[] for _ in range(n)]
        if isinstance(spec, dict):
            unknown = [k for k in spec if k not in names]
            if unknown:
                raise ValueError(f"compile(metrics=...) keys {unknown} are not model outputs {names}.")
            return [_as_list(spec.get(name)) for name in names]
        if (
            isinstance(spec, (list, tuple))
            and n > 1
            and spec
            and all(isinstance(s, (list, tuple)) or s is None for s in spec)
        ):
            return [_as_list(s) for s in spec]
        return [_as_list(spec) for _ in range(n)]

    def build(self, model, y_true, y_pred, compile_loss):
        flat_pred = flatten(y_pred)
        names = (
            compile_loss.names
            if compile_loss is not None and compile_loss.names
            else _output_names(model, len(flat_pred))
        )
        flat_true = _flat_targets(y_true, flat_pred, names)
        losses = compile_loss.losses if compile_loss is not None and compile_loss.losses else [None] * len(flat_pred)
        self.names = names
        self.per_output, self.weighted_per_output = [], []
        for target, spec in ((self.per_output, self._spec), (self.weighted_per_output, self._weighted_spec)):
            for i, items in enumerate(self._spec_per_output(spec, names)):
                if flat_true[i] is None:
                    target.append([])
                    continue
                target.append([_resolve_metric(item, flat_true[i], flat_pred[i], losses[i]) for item in items])
        self._named = self._log_names(names if len(flat_pred) > 1 else None)
        self._built = True

    def _log_names(self, output_names):
        """Keras 3's log names: output prefix, `_1` suffixes, `weighted_` for weighted clashes."""
        named, counters = [], {}
        for weighted, group in ((False, self.per_output), (True, self.weighted_per_output)):
            for i, metrics in enumerate(group):
                prefix = f"{output_names[i]}_" if output_names else ""
                for metric in metrics:
                    name = prefix + metric.name
                    if weighted and name in counters:
                        name = f"{prefix}weighted_{metric.name}"
                    named.append((_unique(name, counters), metric))
        return named

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Update every compiled metric (Keras's `model.compiled_metrics.update_state(y, y_pred)`)."""
        if y_true is None:
            return
        if not self._built:
            self.build(self._model, y_true, y_pred, self._compile_loss)
        flat_pred = flatten(y_pred)
        flat_true = _flat_targets(y_true, flat_pred, self.names)
        for i, metrics in enumerate(self.per_output):
            for metric in metrics:
                metric.update_state(flat_true[i], flat_pred[i])
        if any(self.weighted_per_output):
            flat_sw = _flat_weights(sample_weight, flat_pred, self.names)
            for i, metrics in enumerate(self.weighted_per_output):
                for metric in metrics:
                    metric.update_state(flat_true[i], flat_pred[i], sample_weight=flat_sw[i])

    @property
    def metrics(self):
        """The metric objects, unweighted then weighted, in output order."""
        return [metric for _, metric in self._named]

    @property
    def named_metrics(self):
        """`(log name, metric)` pairs in Keras's order (empty before the first batch)."""
        return list(self._named)

    @property
    def variables(self):
        return [v for metric in self.metrics for v in metric.variables]

    def reset_state(self):
        for metric in self.metrics:
            metric.reset_state()

    def result(self):
        return {name: metric.result() for name, metric in self._named}

    def __repr__(self):
        return f"<CompileMetrics {[name for name, _ in self._named]}>"


def _unique(name, counters):
    if name not in counters:
        counters[name] = 1
        return name
    index = counters[name]
    counters[name] += 1
    return f"{name}_{index}"


def _warn_if_logits_given_as_probabilities(losses, flat_pred):
    """Once, at the first batch: a crossentropy on probabilities that receives values outside [0, 1].

    That is almost always a model without a final softmax/sigmoid compiled with
    from_logits=False; the loss then clips the values and trains badly. One host read, once.
    """
    for loss, y_pred in zip(losses, flat_pred):
        config = getattr(loss, "_fn_kwargs", None) or {}
        from_logits = getattr(loss, "from_logits", config.get("from_logits", None))
        fn = getattr(loss, "fn", None)
        if from_logits is None and fn is not None:
            import inspect

            parameter = inspect.signature(fn).parameters.get("from_logits")
            from_logits = parameter.default if parameter is not None else None
        name = _loss_name(loss) or ""
        if from_logits is not False or "crossentropy" not in name or not isinstance(y_pred, torch.Tensor):
            continue
        if not y_pred.is_floating_point() or y_pred.numel() == 0:
            continue
        with torch.no_grad():
            low, high = torch.aminmax(y_pred.detach())
        if float(low) < 0.0 or float(high) > 1.0:
            import warnings

            warnings.warn(
                f"Loss '{name}' was given from_logits=False, but the model's output ranges over "
                f"[{float(low):.3g}, {float(high):.3g}], outside [0, 1]: these look like logits. Add a "
                "softmax/sigmoid activation to the last layer, or pass from_logits=True to the loss.",
                stacklevel=4,
            )


def _flat_targets(y_true, flat_pred, names):
    """Targets in output order: a dict by output name, a list, or one target for one output."""
    if isinstance(y_true, dict):
        return [y_true.get(name) for name in names]
    if len(flat_pred) == 1:
        return [y_true[0] if isinstance(y_true, (list, tuple)) and len(y_true) == 1 else y_true]
    return flatten(y_true)


def _flat_weights(sample_weight, flat_pred, names):
    """Sample weights in output order (one shared weight when a single one is given)."""
    if isinstance(sample_weight, dict):
        return [sample_weight.get(name) for name in names]
    if isinstance(sample_weight, (list, tuple)):
        return list(sample_weight)
    return [sample_weight] * len(flat_pred)


def _as_list(x):
    if x is None:
        return []
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def is_tensor_like(x):
    return isinstance(x, torch.Tensor)
