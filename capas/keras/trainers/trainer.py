"""`compile`, `fit`, `evaluate`, `predict` and the three overridable steps.

One `fit` reads top to bottom: adapt the data once (tensors on the device,
one permutation per epoch), choose the step once (`_step_function`), then run
the one batch loop (`_run_batches`, shared with `evaluate` and `predict`):
per batch the step — the one step body `_step`: forward, loss, `backward`,
one multi-tensor optimizer update, metric updates on the device — and the
hooks of the callbacks that listen. Nothing in the step turns a tensor into a
Python number: batch logs are device tensors, made floats only when a
callback (the progress bar at its refresh rate) reads them, and at epoch end.
`evaluate` and `predict` run under `torch.inference_mode()` after a first
batch under `no_grad`.

`train_step`, `test_step` and `predict_step` are public: override them in the
Keras 3 style (`self.compute_loss`, `self.optimizer.apply_gradients`,
`self.compute_metrics`), with or without a GradientTape.
"""

import contextlib
import functools
import itertools
import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from capas.distribute import data_parallel
from capas.keras.callbacks._logs import Deferred
from capas.keras import _config_flags as config_flags
from capas.keras.layers._symbolic import flatten, map_structure
from capas.keras.layers.layer import _structure_version
from capas.keras.metrics.metric import Metric
from capas.keras.metrics.reduction_metrics import Mean as _Mean
from capas.keras.trainers import _fused_eval, _jit
from capas.keras.trainers import data_adapters
from capas._malloc import retain_freed_memory
from capas.keras.trainers._denormals import flushing_denormals
from capas.keras.trainers.data_adapters import unpack_x_y_sample_weight
from capas.ops.strings import StringTensor
from capas.tape import record_gradients
from capas.keras import metrics as metrics_module
from capas.keras import optimizers
from capas.keras.callbacks import CallbackList
from capas.keras.callbacks._logs import _flatten_sorted
from capas.keras.layers import _symbolic
from capas.keras.layers._symbolic import KerasTensor
from capas.keras.trainers.compile_utils import CompileLoss, CompileMetrics, check_names


class Trainer:
    """The training API mixed into `keras.Model`."""

    def _init_trainer_state(self):
        self._set_untracked(
            optimizer=None,
            compiled=False,
            _compile_loss=None,
            _compile_metrics=None,
            _loss_tracker=None,
            stop_training=False,
            history=None,
            _run_eagerly=False,
            _jit_compile=False,
            _jit_auto=False,
            _compiled_train_step=None,
            _compile_config=None,
            loss=None,  # Keras 3: what compile(loss=) received (a custom train_step calls self.loss)
        )

    # ---------------------------------------------------------------- compile
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        loss_weights: list | dict | None = None,
        metrics: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: bool | str = "auto",
        auto_scale_loss: bool = True,
        **kwargs: Any,
    ) -> None:
        """Configure the model for training.

        Args:
            optimizer: an optimizer object, class or name ('rmsprop', 'adam', 'sgd'...).
            loss: a loss object, class, function or name; a list or dict (by
                output name) for multi-output models; None when the model adds
                its losses itself (`add_loss`).
            loss_weights: per-output weights for the total loss.
            metrics: metrics by object, class, function or name ('accuracy'
                is resolved from the loss and shapes, as Keras does); lists or
                dicts per output.
            weighted_metrics: metrics that use `sample_weight`.
            run_eagerly: run the train step as plain Python; it is the default
                unless jit_compile=True, which run_eagerly=True turns off (with a
                warning, as Keras). Also settable as `model.run_eagerly`.
            steps_per_execution: accepted for compatibility (one step per call).
            jit_compile: True compiles the train step's tensor work (forward,
                backward, loss and metric updates) with `torch.compile`, with an
                eager fallback; False runs eagerly; 'auto' decides at `fit` from
                the model, the device and the number of steps (eager for convolutions
                on the CPU and for fits too short to pay back compiling) and logs its
                choice once (`_jit.py`).
        """

        if kwargs:
            raise TypeError(f"compile() got unexpected keyword argument(s) {sorted(kwargs)}.")
        if run_eagerly and jit_compile is True:
            warnings.warn(
                "compile(): run_eagerly=True and jit_compile=True; jit_compile is disabled (as Keras "
                "does), so the train step runs eagerly.",
                stacklevel=2,
            )
            jit_compile = False
        check_names(loss, metrics, weighted_metrics)
        opt = optimizers.get(optimizer)
        if isinstance(opt, type):
            opt = opt()
        self.optimizer = opt
        self._compile_loss = CompileLoss(loss, loss_weights, model=self) if loss is not None else None
        if loss is not None:
            self._set_untracked(loss=loss)  # as Keras 3 (kept out of the layer's tracked sub-layers)
        self._compile_metrics = None
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = CompileMetrics(
                metrics, weighted_metrics, model=self, compile_loss=self._compile_loss
            )
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._run_eagerly = bool(run_eagerly)
        if not (jit_compile is True or jit_compile is False or jit_compile is None or jit_compile == "auto"):
            raise ValueError(f"compile(): jit_compile must be True, False or 'auto'; received {jit_compile!r}.")
        self._jit_compile = jit_compile is True
        self._set_untracked(_jit_auto=jit_compile == "auto" and not run_eagerly, _compiled_train_step=None)
        self.compiled = True
        self.stop_training = False
        self._set_untracked(
            _compile_config={
                "optimizer": optimizer,
                "loss": loss,
                "loss_weights": loss_weights,
                "metrics": metrics,
                "weighted_metrics": weighted_metrics,
                "run_eagerly": run_eagerly,
                "steps_per_execution": steps_per_execution,
                "jit_compile": jit_compile,
            }
        )

    @property
    def run_eagerly(self) -> bool:
        """Whether the train step runs as plain Python (True unless compiled with jit_compile=True)."""
        return self._run_eagerly or not self._jit_compile

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)
        if value and (self._jit_compile or self.__dict__.get("_jit_auto")):
            self._jit_compile = False
            self._set_untracked(_jit_auto=False, _compiled_train_step=None)

    def _assert_compiled(self, what):
        if not self.compiled:
            raise ValueError(
                f"You must call compile() before {what}() on model '{self.name}': e.g. "
                "model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy', "
                "metrics=['accuracy'])."
            )

    # ----------------------------------------------------------------- losses
    def compute_loss(
        self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None, training: bool = True
    ) -> torch.Tensor:
        """The compiled loss plus `self.losses` (add_loss terms and regularizers)."""
        total = None
        if self._compile_loss is not None and y is not None:
            total = self._compile_loss(y, y_pred, sample_weight)
        extra = self.losses
        if extra:
            reg = extra[0] if len(extra) == 1 else torch.stack([torch.as_tensor(v).reshape(()) for v in extra]).sum()
            total = reg if total is None else total + reg
        if total is None:
            if self._compile_loss is not None and y is None:
                raise ValueError(
                    f"Model '{self.name}' was compiled with a loss but received no targets y. Pass y to "
                    "fit()/evaluate(), or yield (x, y) from the dataset."
                )
            raise ValueError(
                f"Model '{self.name}' has no loss to optimize: compile() got loss=None and the model "
                "added none with add_loss(). Pass loss= to compile(), or call self.add_loss() in call()."
            )
        return total

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> dict:
        """Update the compiled metrics and return `get_metrics_result()`."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    @property
    def metrics(self) -> list:
        """What fit resets each epoch and logs, in Keras 3's order.

        The loss tracker (`loss`), the compiled metrics as one container
        (`compile_metrics`, whose `result()` is a dict of log names), then one
        `<output>_loss` tracker per output when the model has several losses.
        A custom `train_step` may loop over it: `metric.update_state(loss)` for
        the one named `loss`, `metric.update_state(y, y_pred)` for the others.
        """
        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if self._compile_metrics is not None:
            out.append(self._compile_metrics)
        if self._compile_loss is not None:
            out.extend(self._compile_loss.metrics)
        out.extend(self._attribute_metrics(out))
        return out

    def _attribute_metrics(self, compiled):
        """Metrics held as attributes of the model and of its layers, as Keras 3 tracks them.

        `self.accuracy_fn = keras.metrics.BinaryAccuracy()` in a layer's
        `__init__` makes it one of the model's metrics: fit resets it each epoch
        and logs its result (Keras 3 does the same, whether or not the layer
        updates it). Sub-models that train themselves are skipped, as in Keras.
        Cached until a layer, variable or metric attribute changes.
        """
        key = _structure_version[0]
        cache = self.__dict__.get("_attribute_metrics_cache")
        if cache is not None and cache[0] == key:
            return cache[1]
        taken = {id(m) for m in compiled}
        found = []
        for layer in self._flatten_layers():
            if layer is not self and isinstance(layer, Trainer):
                continue
            for value in vars(layer).values():
                if isinstance(value, Metric) and id(value) not in taken:
                    taken.add(id(value))
                    found.append(value)
        self._set_untracked(_attribute_metrics_cache=(key, found))
        return found

    @property
    def metrics_names(self) -> list[str]:
        """The names of `self.metrics` (Keras 3: `['loss', 'compile_metrics', ...]`)."""
        return [m.name for m in self.metrics]

    @property
    def compiled_metrics(self):
        return self._compile_metrics

    @property
    def compiled_loss(self):
        return self._compile_loss

    def get_metrics_result(self) -> dict:
        """Every metric's result, nested dicts flattened, keys sorted (values stay tensors)."""
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return {key: logs[key] for key in sorted(logs)}

    def reset_metrics(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    # ------------------------------------------------------------------ steps
    def train_step(self, data: Any) -> dict:
        """One optimization step on `data`; returns the logs (device tensors).

        Override it in the Keras 3 style; `super().train_step(data)` runs the
        built-in step (the same body `fit` runs, `_step`).
        """
        return self._step(data, training=True)

    def test_step(self, data: Any) -> dict:
        """One evaluation step: loss and metrics on `data`, no update."""
        return self._step(data, training=False)

    def predict_step(self, data: Any) -> Any:
        """The model's output on one batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _step(self, data, training, fast_logs=False, core=None):
        """The one step body: every train and test step, eager, compiled and distributed, runs it.

        `_step_core` does the tensor work: forward, loss (tracked), gradients
        (DDP-reduced when distributed) and, with `fast_logs`, the compiled
        metrics; then one optimizer update, then the logs. The public
        `train_step`/`test_step` return `compute_metrics(...)` (Keras 3's
        contract, and a subclass's `compute_metrics` runs); `fit` and
        `evaluate` pass `fast_logs=True` when nothing of that is overridden:
        the metrics are updated without autograd and the logs hold deferred
        `result()` calls. `jit_compile=True` passes `core`, the compiled
        `_step_core` (`_jit.py`).
        """
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        trainable = self._trainable_for_step() if training else None
        y_pred, grads = (core or self._step_core)(x, y, sample_weight, training, fast_logs, trainable)
        if grads is not None:
            if len(grads) != len(trainable):  # the first call built the model: its weights exist now
                trainable = self._trainable_for_step()
            self.optimizer.apply(grads, trainable)
        if fast_logs:
            return self._deferred_logs()
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _step_core(self, x, y, sample_weight, training, fast_logs, trainable, gradients=None):
        """Forward, tracked loss, gradients and (fast_logs) metric updates; returns `(y_pred, grads)`.

        `gradients(x, y, sample_weight, trainable) -> (loss, y_pred, grads)`
        replaces the eager backward pass (`_loss_and_gradients`): the compiled
        step gives a functional one.
        """
        grads = None
        if training:
            loss, y_pred, grads = (gradients or self._loss_and_gradients)(x, y, sample_weight, trainable)
        else:
            y_pred = self(x, training=False)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._record_step(x, y, y_pred, sample_weight, loss, fast_logs)
        return y_pred, grads

    def _record_step(self, x, y, y_pred, sample_weight, loss, fast_logs):
        """Add a step's loss to the loss tracker and (fast_logs) update the compiled metrics."""
        self._track_loss(loss, _batch_size(x))
        if fast_logs and self._compile_metrics is not None:
            with _no_grad_if_needed():
                self._compile_metrics.update_state(
                    y, y_pred.detach() if isinstance(y_pred, torch.Tensor) else y_pred, sample_weight
                )

    def _finish_test_step(self, x, y, y_pred):
        """The built-in test step (fast logs, no sample weights) from its forward pass on: `_fused_eval`'s fallback."""
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=None, training=False)
        self._record_step(x, y, y_pred, None, loss, True)
        return self._deferred_logs()

    def _loss_and_gradients(self, x, y, sample_weight, trainable):
        """The eager forward and backward pass: `(loss, y_pred, grads)`; grads None when nothing is trainable.

        The backward goes through `data_parallel.replica.backward`: a plain
        `loss.backward()`, or DDP's reducer inside a distributed `fit`.
        """
        for v in trainable:
            v.grad = None
        y_pred = self(x, training=True)
        if not trainable:  # the weights were made by this first call (fit on a dataset before any build)
            self.__dict__.pop("_trainable_cache", None)
            trainable = self._trainable_for_step()
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        scaled = self.optimizer.scale_loss(loss) if hasattr(self.optimizer, "scale_loss") else loss
        if not scaled.requires_grad:
            return loss, y_pred, None
        data_parallel.replica.backward(scaled, trainable)
        return loss, y_pred, [v.grad for v in trainable]

    def _track_loss(self, loss, batch_size):
        tracker = self._loss_tracker
        total = getattr(tracker, "total", None)
        count = getattr(tracker, "count", None)
        if type(tracker) is _Mean and total is not None and total.device == loss.device and total.dtype == loss.dtype:
            with _no_grad_if_needed():
                total.add_(loss.detach(), alpha=batch_size)
                count.add_(batch_size)
        else:
            tracker.update_state(loss.detach(), sample_weight=batch_size)

    def _deferred_logs(self):
        """The step's logs: one deferred `result()` per log name, from a template made once per metric set."""
        metrics = self.metrics
        key = tuple(map(id, metrics)) + (getattr(self._compile_metrics, "_built", None),)
        cache = self.__dict__.get("_logs_template")
        if cache is None or cache[0] != key:
            template = {}
            for metric in metrics:
                named = getattr(metric, "named_metrics", None)
                if named is None:
                    template[metric.name] = Deferred(metric.result)
                else:
                    for name, sub in named:
                        template[name] = Deferred(sub.result)
            cache = (key, template)
            self._set_untracked(_logs_template=cache)
        return dict(cache[1])  # a fresh dict per step: callbacks may add keys

    def _trainable_for_step(self):
        cache = self.__dict__.get("_trainable_cache")
        key = (_structure_version[0], self._trainable)
        if cache is None or cache[0] != key:
            cache = (key, [v for v in self.trainable_weights])
            self._set_untracked(_trainable_cache=cache)
        return cache[1]

    def _uses_builtin_step(self, training):
        """Whether fit/evaluate may run `_step` with fast logs: the step and what it calls are not overridden.

        The one place that decides between the built-in step and a user's.
        """
        cls = type(self)
        own = cls.train_step is Trainer.train_step if training else cls.test_step is Trainer.test_step
        return own and not _overrides_metrics(self)

    def _step_function(self, training, jit=None):
        """The step `fit` (training=True) or `evaluate` runs per batch, chosen once and cached.

        `jit`: compile the train step (default: `compile(jit_compile=True)`).
        """
        jit = self._jit_compile if jit is None else jit
        slot = "_compiled_train_step" if training else "_test_step_fn"
        key = (type(self), jit, self._run_eagerly)
        cached = self.__dict__.get(slot)
        if cached is not None and cached[0] == key:
            return cached[1]
        builtin = self._uses_builtin_step(training)
        if not training:
            step = _fused_eval.FusedTestStep(self) if builtin else self.test_step
        elif jit:
            step = _jit.compiled_train_step(self, builtin)
        else:
            body = functools.partial(self._step, training=True, fast_logs=True) if builtin else self.train_step

            def step(batch):
                with record_gradients():
                    return body(batch)

        self._set_untracked(**{slot: (key, step)})
        return step

    def _run_batches(self, adapter, step, cb, hooks, skip=0, stop=False, inference=False):
        """The one batch loop of fit, evaluate and predict; returns `(last step's logs, last index)`.

        Per batch: the begin hook, `step(batch)`, the end hook, each hook only
        when some callback listens to it (resolved once per loop). With
        `inference`, the first batch runs under `no_grad` (so whatever is built
        lazily, metric states and layer caches, is a normal tensor) and the
        rest under `torch.inference_mode()`. A user's `test_step` or
        `predict_step` runs without it (`inference=False`), as TF runs it: a
        GradientTape inside records (capas layers keep no graph outside a tape).
        """
        begin, end = (_listening(cb, hook) for hook in hooks)
        batches = enumerate(adapter)
        if skip:
            batches = itertools.islice(batches, skip, None)
        if not inference:
            return self._batch_loop(batches, step, begin, end, stop)
        with torch.no_grad():
            logs, last = self._batch_loop(itertools.islice(batches, 1), step, begin, end, stop)
        if last < 0 or (stop and self.stop_training):
            return logs, last
        with torch.inference_mode() if self._inference_mode_safe() else torch.no_grad():
            more, index = self._batch_loop(batches, step, begin, end, stop)
        return (more, index) if index >= 0 else (logs, last)

    def _batch_loop(self, batches, step, begin, end, stop):
        logs, index = None, -1
        for index, batch in batches:
            if begin is not None:
                begin(index)
            logs = step(batch)
            if end is not None:
                end(index, logs)
            if stop and self.stop_training:
                break
        return logs, index

    def _inference_mode_safe(self):
        """False when a layer keeps tensors made in its forward pass (stateful RNNs): those run under no_grad."""
        return not any(getattr(layer, "stateful", False) is True for layer in self._flatten_layers())

    # -------------------------------------------------------------------- fit
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: str | int = "auto",
        callbacks: list | None = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool | str = True,
        class_weight: dict | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int | Sequence[int] = 1,
    ) -> Any:
        """Train the model for `epochs` epochs; returns a `History`.

        `x`/`y` may be numpy arrays, torch tensors, lists or dicts of them (by
        input name), a `capas.data.Dataset`, a `torch.utils.data.DataLoader` or a
        generator yielding `(x, y)` or `(x, y, sample_weight)`.
        """

        self._assert_compiled("fit")
        _check_batch_size(batch_size, "fit", "batch_size")
        _check_batch_size(validation_batch_size, "fit", "validation_batch_size")
        verbose = _resolve_verbose(verbose)
        device = self._device()
        epochs = config_flags.capped_epochs(epochs)  # keras.config.set_max_epochs (debugging runs)
        steps_per_epoch = config_flags.capped_steps(steps_per_epoch)
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.split_validation(
                x, y, sample_weight, validation_split
            )
        train = data_adapters.make_adapter(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            shuffle=shuffle,
            steps=steps_per_epoch,
            device=device,
            class_weight=class_weight,
        )
        if steps_per_epoch is not None:
            train.continue_across_epochs = True
        val = None
        if validation_data is not None:
            vx, vy, vsw = _unpack_validation(validation_data)
            val = data_adapters.make_adapter(
                vx,
                vy,
                vsw,
                batch_size=validation_batch_size or batch_size,
                steps=config_flags.capped_steps(validation_steps),
                device=device,
            )
            if getattr(val, "n", None) == 0:
                raise ValueError(_empty_data_message(self, "fit", "validation_data"))
        self._prepare_for_data(train)
        distributed = data_parallel.is_distributed()
        if distributed:  # same model everywhere; each rank takes its rows of every global batch
            train, val = data_parallel.prepare_fit(self, train, val)
            verbose = verbose if data_parallel.rank() == 0 else 0
        cb = (
            callbacks
            if isinstance(callbacks, CallbackList)
            else CallbackList(
                callbacks,
                add_history=True,
                add_progbar=verbose != 0,
                model=self,
                verbose=verbose,
                epochs=epochs,
                steps=train.steps,
            )
        )
        self.stop_training = False
        jit = self._jit_compile
        if self.__dict__.get("_jit_auto") and not distributed:
            total = None if train.steps is None else train.steps * max(epochs - initial_epoch, 0)
            jit = _jit.auto_choice(self, self._uses_builtin_step(True), total)[0]
        step_fn = self._step_function(training=True, jit=jit)
        rng = self._data_generator()
        logs = {}
        cb.on_train_begin()
        # A callback (BackupAndRestore) may ask to resume: start at that epoch and
        # skip the batches already done, replaying the same permutation.
        resume = self.__dict__.pop("_resume_from", None) or {}
        first_epoch = max(initial_epoch, int(resume.get("epoch", initial_epoch)))
        skip_steps = int(resume.get("step", 0))
        with _fit_context(), data_parallel.training() if distributed else contextlib.nullcontext():
            for epoch in range(first_epoch, epochs):
                self.reset_metrics()
                cb.on_epoch_begin(epoch)
                self.train(True)
                # The epoch draws its permutation from a copy of the data RNG, and the
                # RNG advances only when the epoch's batches are done: during epoch e,
                # `model._data_rng.get_state()` is the state that replays epoch e.
                epoch_rng = torch.Generator()
                epoch_rng.set_state(rng.get_state())
                train.generator = epoch_rng
                step_logs, last = self._run_batches(train, step_fn, cb, _TRAIN_HOOKS, skip=skip_steps, stop=True)
                skip_steps = 0
                rng.set_state(epoch_rng.get_state())
                if step_logs is None and self.stop_training:
                    break
                if step_logs is None:
                    raise ValueError(
                        f"fit() on model '{self.name}' got no batches in epoch {epoch}: the data is empty or "
                        "the generator is exhausted. Pass steps_per_epoch, or .repeat() the dataset."
                    )
                if distributed:
                    data_parallel.sum_metric_states(self.metrics)
                # Nested and unsorted as the step gave them: the callbacks flatten and sort once (Keras).
                logs = dict(self._epoch_logs(step_logs))
                if not math.isfinite(_python_value(logs.get("loss", 0.0))) and hasattr(train, "warn_if_nan_inputs"):
                    train.warn_if_nan_inputs()
                if val is not None and _should_validate(epoch, validation_freq):
                    val_logs = self._evaluate_adapter(val, cb, verbose=0, in_fit=True)
                    logs.update({f"val_{k}": v for k, v in val_logs.items()})
                # Read after validation, as Keras reads them at on_epoch_end: a metric whose result()
                # returns its state variable shows the value validation left in it (Keras 3 does too).
                logs = _floats_keep_nesting(logs)
                cb.on_epoch_end(epoch, logs)
                if self.stop_training:
                    break
        self.train(False)
        if hasattr(self.optimizer, "finalize_variable_values"):
            self.optimizer.finalize_variable_values(self.trainable_weights)
        cb.on_train_end(logs)
        return self.history

    def _data_generator(self):
        """The torch.Generator behind the per-epoch shuffles (seeded from torch's global RNG)."""
        rng = self.__dict__.get("_data_rng")
        if rng is None:
            rng = torch.Generator()
            rng.manual_seed(int(torch.randint(0, 2**62, (1,)).item()))
            self._set_untracked(_data_rng=rng)
        return rng

    def _epoch_logs(self, step_logs):
        """The model's metric results, or the step's own logs when a custom step returns other keys (Keras 3)."""
        metric_logs = self.get_metrics_result()
        if isinstance(step_logs, dict) and set(step_logs) != set(metric_logs):
            return step_logs
        return metric_logs

    def _flatten_metrics_in_order(self, logs):
        """A list in `self.metrics` order (compiled metrics by their own names), then the rest sorted."""
        names = []
        for metric in self.metrics:
            if hasattr(metric, "named_metrics"):
                names.extend(sub.name for sub in metric.metrics)
            else:
                names.append(metric.name)
        values = [logs[name] for name in names if name in logs]
        values += [logs[key] for key in sorted(logs) if key not in names]
        return values[0] if len(values) == 1 else values

    def _prepare_for_data(self, adapter):
        """Build a model whose input shape was deferred, from the first batch's shape."""
        # The first parameter answers for a built model without listing every weight (each
        # `predict` call comes here: for one row, the walk was ~13 µs of the call).
        if self.built and (next(self.parameters(), None) is not None or self.weights):
            return
        if isinstance(adapter, data_adapters.ArrayAdapter):
            sample = data_adapters._slice(adapter.x, slice(0, min(2, adapter.n)))

            if any(isinstance(t, StringTensor) for t in flatten(sample)):  # text input: build by an eager call
                with torch.no_grad():
                    self(sample, training=False)
                return

            spec = map_structure(lambda t: KerasTensor((None,) + tuple(t.shape[1:]), dtype=t.dtype), sample)
            if hasattr(self, "_maybe_make_graph") and isinstance(spec, KerasTensor):
                self._maybe_make_graph(spec.shape, dtype=spec.dtype)
            if not self.built or not self.weights:
                try:
                    self.built = True

                    _symbolic.compute_output_spec(lambda t: self._inner_symbolic((t,), {}), (spec,), {}, owner=self)
                except Exception:
                    self.built = False
                    raise
                self._set_untracked(_build_input_shape=_symbolic.map_structure(lambda t: t.shape, spec))

    def _device(self):
        for p in self.parameters():
            return p.device
        return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")

    # --------------------------------------------------------------- evaluate
    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: str | int = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: list | None = None,
        return_dict: bool = False,
        **kwargs: Any,
    ) -> float | list | dict:
        """Loss and metrics on data: a scalar, a list `[loss, metric...]` or a dict."""

        self._assert_compiled("evaluate")
        kwargs.pop("_use_cached_eval_dataset", None)  # Keras's internal flag for fit's validation
        if kwargs:
            raise TypeError(
                f"evaluate() got unexpected keyword argument(s) {sorted(kwargs)}; it accepts x, y, "
                "batch_size, verbose, sample_weight, steps, callbacks, return_dict."
            )
        _check_batch_size(batch_size, "evaluate", "batch_size")
        verbose = _resolve_verbose(verbose)
        adapter = data_parallel.shard(
            data_adapters.make_adapter(
                x,
                y,
                sample_weight,
                batch_size=batch_size,
                steps=config_flags.capped_steps(steps),
                device=self._device(),
            )
        )
        cb = (
            callbacks
            if isinstance(callbacks, CallbackList)
            else CallbackList(
                callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1, steps=adapter.steps
            )
        )
        logs = self._evaluate_adapter(adapter, cb, verbose, in_fit=False)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def _evaluate_adapter(self, adapter, cb, verbose, in_fit):
        # Validation may reset the metrics: the training metrics of the epoch were read already.
        self.reset_metrics()
        was_training = self.training
        self.train(False)
        cb.on_test_begin()
        step = self._step_function(training=False)
        inference = self._uses_builtin_step(False)
        fused = isinstance(step, _fused_eval.FusedTestStep)
        if fused:  # a callback's evaluate inside this one restores this loop's chain
            outer_chain, step.chain = step.chain, _inference_chain(self)
        try:
            with _fit_context():
                step_logs, last = self._run_batches(adapter, step, cb, _TEST_HOOKS, inference=inference)
        finally:
            if fused:
                step.chain = outer_chain
            self.train(was_training)
        if last < 0:  # no batch: a loss of 0.0 would look like a perfect model
            raise ValueError(
                _empty_data_message(self, "fit" if in_fit else "evaluate", "validation_data" if in_fit else "x")
            )
        if data_parallel.is_distributed():  # every rank saw its part: sum the states, read the whole
            data_parallel.sum_metric_states(self.metrics)
            step_logs = None
        logs = _to_floats(self._epoch_logs(step_logs) if step_logs is not None else self.get_metrics_result())
        cb.on_test_end(logs)
        return logs

    # ---------------------------------------------------------------- predict
    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: str | int = "auto",
        steps: int | None = None,
        callbacks: list | None = None,
    ) -> Any:
        """The model's outputs on `x`, as numpy arrays (batched, under inference mode)."""

        _check_batch_size(batch_size, "predict", "batch_size")
        verbose = _resolve_verbose(verbose)
        steps = config_flags.capped_steps(steps)
        adapter = data_adapters.make_adapter(x, None, None, batch_size=batch_size, steps=steps, device=self._device())
        self._prepare_for_data(adapter)
        adapter = data_parallel.shard(adapter)  # distributed: each rank predicts its rows of every batch
        verbose = verbose if data_parallel.rank() == 0 else 0
        cb = (
            callbacks
            if isinstance(callbacks, CallbackList)
            else CallbackList(
                callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1, steps=adapter.steps
            )
        )
        was_training = self.training
        self.train(False)
        outputs = []
        predict_step = self.predict_step
        builtin = type(self).predict_step is Trainer.predict_step
        chain = _inference_chain(self) if builtin else None

        def step(batch):
            if chain is not None and batch.__class__ is torch.Tensor:  # one input: the batch itself
                out = chain(batch)
            else:
                out = predict_step(batch)
            if isinstance(out, torch.Tensor) and hasattr(out, "_keras_logits"):
                del out._keras_logits  # kept for losses only: predict keeps the probabilities alone
            outputs.append(out)
            return {"outputs": out}

        cb.on_predict_begin()
        try:
            with _fit_context():
                self._run_batches(adapter, step, cb, _PREDICT_HOOKS, inference=builtin)
        finally:
            self.train(was_training)
        cb.on_predict_end()
        if not outputs:
            raise ValueError(f"predict() on model '{self.name}' received no data.")
        return _concat_to_numpy(data_parallel.gather_batches(outputs))

    # ------------------------------------------------------------- on_batch
    def train_on_batch(
        self,
        x: Any,
        y: Any = None,
        sample_weight: Any = None,
        class_weight: dict | None = None,
        return_dict: bool = False,
    ) -> float | list | dict:
        """One training step on one batch (fit's step); returns the loss and metrics of that batch."""
        self._assert_compiled("train_on_batch")
        adapter = data_adapters.make_adapter(
            x, y, sample_weight, batch_size=_len(x), device=self._device(), class_weight=class_weight
        )
        self._prepare_for_data(adapter)
        self.reset_metrics()
        self.train(True)
        try:
            logs, _ = self._run_batches(adapter, self._step_function(training=True), _NO_CALLBACKS, _TRAIN_HOOKS)
        finally:
            self.train(False)
        logs = _to_floats(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(
        self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False
    ) -> float | list | dict:
        """One evaluation step on one batch (evaluate's step); returns the loss and metrics of that batch."""
        self._assert_compiled("test_on_batch")
        adapter = data_adapters.make_adapter(x, y, sample_weight, batch_size=_len(x), device=self._device())
        self.reset_metrics()
        logs, _ = self._run_batches(
            adapter,
            self._step_function(training=False),
            _NO_CALLBACKS,
            _TEST_HOOKS,
            inference=self._uses_builtin_step(False),
        )
        logs = _to_floats(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x: Any) -> Any:
        """The model's outputs on one batch, as numpy arrays."""
        with torch.inference_mode():
            x = data_adapters.to_device(x, self._device())
            out = self.predict_step((x,))
        return _concat_to_numpy([out])

    # ---------------------------------------------------------------- config
    def get_compile_config(self) -> dict | None:
        return self._compile_config

    def compile_from_config(self, config: dict | None) -> None:
        if config:
            self.compile(**config)


_TRAIN_HOOKS = ("on_train_batch_begin", "on_train_batch_end")
_TEST_HOOKS = ("on_test_batch_begin", "on_test_batch_end")
_PREDICT_HOOKS = ("on_predict_batch_begin", "on_predict_batch_end")
_NO_CALLBACKS = None


def _inference_chain(model):
    """The model's forward pass for one predict/evaluate loop as its layers' kernels, or None (`_inference_chain`)."""
    # in-function: import cycle models -> trainer -> models._inference_chain -> models
    from capas.keras.models import _inference_chain

    return _inference_chain.build(model)


def _listening(cb, hook):
    """`cb.hook` when some callback of the list does something on it, else None (the loop skips it)."""
    if cb is None:
        return None
    listeners = getattr(cb, "_listeners", None)
    if listeners is not None and not listeners(hook):
        return None
    return getattr(cb, hook)


def _no_grad_if_needed():
    """`torch.no_grad()` where gradients are recorded; nothing to enter under no_grad/inference_mode."""
    return torch.no_grad() if torch.is_grad_enabled() else contextlib.nullcontext()


def _overrides_metrics(model):
    return (
        type(model).metrics is not Trainer.metrics
        or type(model).compute_metrics is not Trainer.compute_metrics
        or type(model).compute_loss is not Trainer.compute_loss
    )


def _len(x):
    for t in flatten(x):
        if hasattr(t, "shape") and len(t.shape):
            return int(t.shape[0])
        if isinstance(t, (list, tuple)):
            return len(t)
    return None


def _batch_size(x):
    for t in flatten(x):
        if isinstance(t, torch.Tensor) and t.dim() > 0:
            return t.shape[0]
    return 1


def _resolve_verbose(verbose):
    if verbose == "auto":
        return 1
    return int(verbose)


def _check_batch_size(value, what, argument):
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{what}(): {argument} must be a positive integer or None (for 32), received {value!r}.")


def _empty_data_message(model, what, argument):
    return (
        f"{what}() on model '{model.name}': the {argument} is empty (no batch), so there is no loss to "
        f"report. Pass at least one sample{', or leave validation_data out' if what == 'fit' else ''}."
    )


def _unpack_validation(data):
    if isinstance(data, (tuple, list)) and len(data) in (2, 3):
        return unpack_x_y_sample_weight(tuple(data))
    return data, None, None


def _should_validate(epoch, freq):
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return (epoch + 1) in freq


def _floats_keep_nesting(logs):
    """Epoch logs as Python values, nesting and order kept (the callbacks flatten and sort them)."""
    return {
        key: _floats_keep_nesting(value) if isinstance(value, dict) else _python_value(value)
        for key, value in logs.items()
    }


def _to_floats(logs):
    """Keras's `pythonify_logs`: nested dicts flattened, keys sorted, tensors made Python floats."""

    return {key: _python_value(value) for key, value in _flatten_sorted(logs).items()}


def _python_value(value):

    if isinstance(value, Deferred):
        value = value()
    if isinstance(value, torch.Tensor):
        value = value.detach()
        return float(value) if value.numel() == 1 else value.cpu().numpy()
    if isinstance(value, np.ndarray) and value.size == 1:
        return float(value)
    return value


def _concat_to_numpy(outputs):
    first = outputs[0]
    if isinstance(first, torch.Tensor):
        out = torch.cat([o.detach() for o in outputs]) if len(outputs) > 1 else first.detach()
        if out.dtype == torch.bfloat16:  # numpy has no bfloat16 (mixed_bfloat16 policies)
            out = out.float()
        return out.cpu().numpy()
    if isinstance(first, dict):
        return {k: _concat_to_numpy([o[k] for o in outputs]) for k in first}
    if isinstance(first, (list, tuple)):
        return [_concat_to_numpy([o[i] for o in outputs]) for i in range(len(first))]
    return outputs


def _fit_context():
    """Flush denormals to zero while fit/evaluate/predict run, as TensorFlow and JAX do on the CPU.

    Optimizer state decaying into denormal floats made PyTorch steps 2x slower
    in our measurements; TF/XLA flush them. Every intra-op thread flushes, and
    each gets back the state it had (nested validation included): `_denormals`.
    Freed CPU memory is kept for reuse from the first such call on (`capas._malloc`).
    """
    retain_freed_memory()
    return flushing_denormals()
