"""`compile`, `fit`, `evaluate`, `predict` and the three overridable steps.

One `fit` reads top to bottom: adapt the data once (tensors on the device,
one permutation per epoch), then per step `train_step(batch)` — forward,
loss, `backward`, one multi-tensor optimizer update, metric updates on the
device — and the callbacks. Nothing in the step turns a tensor into a Python
number: batch logs are device tensors, made floats only when a callback (the
progress bar at its refresh rate) reads them, and at epoch end.

`train_step`, `test_step` and `predict_step` are public: override them in the
Keras 3 style (`self.compute_loss`, `self.optimizer.apply_gradients`,
`self.compute_metrics`), with or without a GradientTape.
"""

import contextlib
import math
import warnings

import numpy as np
import torch

from capas.keras.metrics.reduction_metrics import Mean as _Mean
from capas.tape import record_gradients
from capas.distribute import data_parallel
from capas.keras.layers._symbolic import flatten, map_structure
from capas.keras.trainers import data_adapters
from capas.keras.trainers._denormals import flushing_denormals
from capas.keras.trainers.data_adapters import unpack_x_y_sample_weight
from capas.ops.strings import StringTensor


class Trainer:
    """The training API mixed into `keras.Model`."""

    def _init_trainer_state(self):
        d = self.__dict__
        d["optimizer"] = None
        d["compiled"] = False
        d["_compile_loss"] = None
        d["_compile_metrics"] = None
        d["_loss_tracker"] = None
        d["stop_training"] = False
        d["history"] = None
        d["_run_eagerly"] = False
        d["_jit_compile"] = False
        d["_compiled_train_step"] = None
        d["_compile_config"] = None
        d["loss"] = None  # Keras 3: what compile(loss=) received (a custom train_step calls self.loss)

    # ---------------------------------------------------------------- compile
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None, weighted_metrics=None,
                run_eagerly=False, steps_per_execution=1, jit_compile="auto", auto_scale_loss=True, **kwargs):
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
            jit_compile: True compiles the train step with `torch.compile`
                (with an eager fallback); 'auto' and False run eagerly.
        """
        from capas.keras import metrics as metrics_module
        from capas.keras import optimizers
        from capas.keras.trainers.compile_utils import CompileLoss, CompileMetrics, check_names

        if kwargs:
            raise TypeError(f"compile() got unexpected keyword argument(s) {sorted(kwargs)}.")
        if run_eagerly and jit_compile is True:
            warnings.warn("compile(): run_eagerly=True and jit_compile=True; jit_compile is disabled (as Keras "
                          "does), so the train step runs eagerly.", stacklevel=2)
            jit_compile = False
        check_names(loss, metrics, weighted_metrics)
        opt = optimizers.get(optimizer)
        if isinstance(opt, type):
            opt = opt()
        self.optimizer = opt
        self._compile_loss = CompileLoss(loss, loss_weights, model=self) if loss is not None else None
        if loss is not None:
            self.__dict__["loss"] = loss  # as Keras 3 (kept out of the layer's tracked sub-layers)
        self._compile_metrics = None
        if metrics is not None or weighted_metrics is not None:
            self._compile_metrics = CompileMetrics(metrics, weighted_metrics, model=self,
                                                   compile_loss=self._compile_loss)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._run_eagerly = bool(run_eagerly)
        self._jit_compile = jit_compile is True
        self.__dict__["_compiled_train_step"] = None
        self.compiled = True
        self.stop_training = False
        self.__dict__["_compile_config"] = {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights, "metrics": metrics,
            "weighted_metrics": weighted_metrics, "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution, "jit_compile": jit_compile,
        }

    @property
    def run_eagerly(self):
        """Whether the train step runs as plain Python (True unless compiled with jit_compile=True)."""
        return self._run_eagerly or not self._jit_compile

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)
        if value and self._jit_compile:
            self._jit_compile = False
            self.__dict__["_compiled_train_step"] = None

    def _assert_compiled(self, what):
        if not self.compiled:
            raise ValueError(
                f"You must call compile() before {what}() on model '{self.name}': e.g. "
                "model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy', "
                "metrics=['accuracy'])."
            )

    # ----------------------------------------------------------------- losses
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
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

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Update the compiled metrics and return `get_metrics_result()`."""
        if self._compile_metrics is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    @property
    def metrics(self):
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
        return out

    @property
    def metrics_names(self):
        """The names of `self.metrics` (Keras 3: `['loss', 'compile_metrics', ...]`)."""
        return [m.name for m in self.metrics]

    @property
    def compiled_metrics(self):
        return self._compile_metrics

    @property
    def compiled_loss(self):
        return self._compile_loss

    def get_metrics_result(self):
        """Every metric's result, nested dicts flattened, keys sorted (values stay tensors)."""
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[metric.name] = result
        return {key: logs[key] for key in sorted(logs)}

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    # ------------------------------------------------------------------ steps
    def train_step(self, data):
        """One optimization step on `data`; returns the logs (device tensors)."""
        x, y, sample_weight, y_pred = self._optimization_step(data)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _optimization_step(self, data):
        """Forward, loss (tracked), backward and one optimizer update: the core of every train step."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        trainable = self._trainable_for_step()
        for v in trainable:
            v.grad = None
        y_pred = self(x, training=True)
        if not trainable:  # the weights were made by this first call (fit on a dataset before any build)
            self.__dict__.pop("_trainable_cache", None)
            trainable = self._trainable_for_step()
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        self._track_loss(loss, _batch_size(x))
        if hasattr(self.optimizer, "scale_loss"):
            loss = self.optimizer.scale_loss(loss)
        if loss.requires_grad:
            data_parallel.replica.backward(loss, trainable)  # loss.backward(), DDP-reduced when distributed
            self.optimizer.apply([v.grad for v in trainable], trainable)
        return x, y, sample_weight, y_pred

    def test_step(self, data):
        """One evaluation step: loss and metrics on `data`, no update."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._track_loss(loss, _batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """The model's output on one batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _default_train_step(self, batch):
        """`train_step` as fit runs it when not overridden: the same math, cheaper logs.

        The loss tracker is updated with two in-place adds, and the logs hold
        deferred `metric.result()` calls, computed only when a callback reads them
        (the progress bar a few times a second) or at the end of the epoch.
        """
        x, y, sample_weight, y_pred = self._optimization_step(batch)
        if self._compile_metrics is not None:
            with torch.no_grad():
                self._compile_metrics.update_state(y, y_pred.detach() if isinstance(y_pred, torch.Tensor)
                                                   else y_pred, sample_weight)
        return self._deferred_logs()

    def _track_loss(self, loss, batch_size):
        tracker = self._loss_tracker
        total = getattr(tracker, "total", None)
        count = getattr(tracker, "count", None)
        if (type(tracker) is _Mean and total is not None and total.device == loss.device
                and total.dtype == loss.dtype):
            with torch.no_grad():
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
            from capas.keras.callbacks._logs import Deferred

            template = {}
            for metric in metrics:
                named = getattr(metric, "named_metrics", None)
                if named is None:
                    template[metric.name] = Deferred(metric.result)
                else:
                    for name, sub in named:
                        template[name] = Deferred(sub.result)
            cache = (key, template)
            self.__dict__["_logs_template"] = cache
        return dict(cache[1])  # a fresh dict per step: callbacks may add keys

    def _trainable_for_step(self):
        cache = self.__dict__.get("_trainable_cache")
        from capas.keras.layers.layer import _structure_version

        key = (_structure_version[0], self._trainable)
        if cache is None or cache[0] != key:
            cache = (key, [v for v in self.trainable_weights])
            self.__dict__["_trainable_cache"] = cache
        return cache[1]

    def _train_function(self):
        step = self.__dict__.get("_compiled_train_step")
        if step is not None:
            return step
        if self._jit_compile:
            from capas.keras.trainers._jit import compiled_train_step

            step = compiled_train_step(self)
        elif type(self).train_step is Trainer.train_step and not _overrides_metrics(self):

            def step(batch):
                with record_gradients():
                    return self._default_train_step(batch)

        else:

            def step(batch):
                with record_gradients():
                    return self.train_step(batch)

        self.__dict__["_compiled_train_step"] = step
        return step

    # -------------------------------------------------------------------- fit
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
        """Train the model for `epochs` epochs; returns a `History`.

        `x`/`y` may be numpy arrays, torch tensors, lists or dicts of them (by
        input name), a `capas.data.Dataset`, a `torch.utils.data.DataLoader` or a
        generator yielding `(x, y)` or `(x, y, sample_weight)`.
        """
        from capas.keras.callbacks import CallbackList

        self._assert_compiled("fit")
        _check_batch_size(batch_size, "fit", "batch_size")
        _check_batch_size(validation_batch_size, "fit", "validation_batch_size")
        verbose = _resolve_verbose(verbose)
        device = self._device()
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.split_validation(x, y, sample_weight,
                                                                                    validation_split)
        train = data_adapters.make_adapter(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                                           steps=steps_per_epoch, device=device, class_weight=class_weight)
        if steps_per_epoch is not None:
            train.continue_across_epochs = True
        val = None
        if validation_data is not None:
            vx, vy, vsw = _unpack_validation(validation_data)
            val = data_adapters.make_adapter(vx, vy, vsw, batch_size=validation_batch_size or batch_size,
                                             steps=validation_steps, device=device)
            if getattr(val, "n", None) == 0:
                raise ValueError(_empty_data_message(self, "fit", "validation_data"))
        self._prepare_for_data(train)
        distributed = data_parallel.is_distributed()
        if distributed:  # same model everywhere; each rank takes its rows of every global batch
            train, val = data_parallel.prepare_fit(self, train, val)
            verbose = verbose if data_parallel.rank() == 0 else 0
        cb = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_history=True, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=epochs,
            steps=train.steps)
        self.stop_training = False
        step_fn = self._train_function()
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
                step_logs = None
                # The epoch draws its permutation from a copy of the data RNG, and the
                # RNG advances only when the epoch's batches are done: during epoch e,
                # `model._data_rng.get_state()` is the state that replays epoch e.
                epoch_rng = torch.Generator()
                epoch_rng.set_state(rng.get_state())
                train.generator = epoch_rng
                for step, batch in enumerate(train):
                    if skip_steps:
                        skip_steps -= 1
                        continue
                    cb.on_train_batch_begin(step)
                    step_logs = step_fn(batch)
                    cb.on_train_batch_end(step, step_logs)
                    if self.stop_training:
                        break
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
                logs = _floats_keep_nesting(self._epoch_logs(step_logs))
                if not math.isfinite(logs.get("loss", 0.0)) and hasattr(train, "warn_if_nan_inputs"):
                    train.warn_if_nan_inputs()
                if val is not None and _should_validate(epoch, validation_freq):
                    val_logs = self._evaluate_adapter(val, cb, verbose=0, in_fit=True)
                    logs.update({f"val_{k}": v for k, v in val_logs.items()})
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
            self.__dict__["_data_rng"] = rng
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
        if self.built and self.weights:
            return
        if isinstance(adapter, data_adapters.ArrayAdapter):
            sample = data_adapters._slice(adapter.x, slice(0, min(2, adapter.n)))
            from capas.keras.layers._symbolic import KerasTensor

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
                    from capas.keras.layers import _symbolic

                    _symbolic.compute_output_spec(lambda t: self._inner_symbolic((t,), {}), (spec,), {}, owner=self)
                except Exception:
                    self.built = False
                    raise
                self.__dict__["_build_input_shape"] = _symbolic.map_structure(lambda t: t.shape, spec)

    def _device(self):
        for p in self.parameters():
            return p.device
        return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")

    # --------------------------------------------------------------- evaluate
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """Loss and metrics on data: a scalar, a list `[loss, metric...]` or a dict."""
        from capas.keras.callbacks import CallbackList

        self._assert_compiled("evaluate")
        kwargs.pop("_use_cached_eval_dataset", None)  # Keras's internal flag for fit's validation
        if kwargs:
            raise TypeError(f"evaluate() got unexpected keyword argument(s) {sorted(kwargs)}; it accepts x, y, "
                            "batch_size, verbose, sample_weight, steps, callbacks, return_dict.")
        _check_batch_size(batch_size, "evaluate", "batch_size")
        verbose = _resolve_verbose(verbose)
        adapter = data_parallel.shard(data_adapters.make_adapter(x, y, sample_weight, batch_size=batch_size,
                                                                 steps=steps, device=self._device()))
        cb = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1, steps=adapter.steps)
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
        step_logs, step = None, -1
        with torch.no_grad(), _fit_context():
            for step, batch in enumerate(adapter):
                cb.on_test_batch_begin(step)
                step_logs = self.test_step(batch)
                cb.on_test_batch_end(step, step_logs)
        if step < 0:  # no batch: a loss of 0.0 would look like a perfect model
            self.train(was_training)
            raise ValueError(_empty_data_message(self, "fit" if in_fit else "evaluate",
                                                 "validation_data" if in_fit else "x"))
        if data_parallel.is_distributed():  # every rank saw its part: sum the states, read the whole
            data_parallel.sum_metric_states(self.metrics)
            step_logs = None
        logs = _to_floats(self._epoch_logs(step_logs) if step_logs is not None else self.get_metrics_result())
        cb.on_test_end(logs)
        self.train(was_training)
        return logs

    # ---------------------------------------------------------------- predict
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on `x`, as numpy arrays (batched, under inference mode)."""
        from capas.keras.callbacks import CallbackList

        _check_batch_size(batch_size, "predict", "batch_size")
        verbose = _resolve_verbose(verbose)
        adapter = data_adapters.make_adapter(x, None, None, batch_size=batch_size, steps=steps, device=self._device())
        self._prepare_for_data(adapter)
        adapter = data_parallel.shard(adapter)  # distributed: each rank predicts its rows of every batch
        verbose = verbose if data_parallel.rank() == 0 else 0
        cb = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1, steps=adapter.steps)
        was_training = self.training
        self.train(False)
        outputs = []
        cb.on_predict_begin()
        with torch.inference_mode(), _fit_context():
            for step, batch in enumerate(adapter):
                cb.on_predict_batch_begin(step)
                out = self.predict_step(batch)
                if isinstance(out, torch.Tensor) and hasattr(out, "_keras_logits"):
                    del out._keras_logits  # kept for losses only: predict keeps the probabilities alone
                outputs.append(out)
                cb.on_predict_batch_end(step, {"outputs": out})
        self.train(was_training)
        cb.on_predict_end()
        if not outputs:
            raise ValueError(f"predict() on model '{self.name}' received no data.")
        return _concat_to_numpy(data_parallel.gather_batches(outputs))

    # ------------------------------------------------------------- on_batch
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One training step on one batch; returns the loss and metrics."""
        self._assert_compiled("train_on_batch")
        adapter = data_adapters.make_adapter(x, y, sample_weight, batch_size=_len(x), device=self._device(),
                                             class_weight=class_weight)
        self._prepare_for_data(adapter)
        self.reset_metrics()
        self.train(True)
        logs = None
        for batch in adapter:
            logs = self._train_function()(batch)
        self.train(False)
        logs = _to_floats(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._assert_compiled("test_on_batch")
        adapter = data_adapters.make_adapter(x, y, sample_weight, batch_size=_len(x), device=self._device())
        self.reset_metrics()
        with torch.no_grad():
            logs = None
            for batch in adapter:
                logs = self.test_step(batch)
        logs = _to_floats(logs)
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        with torch.inference_mode():
            x = data_adapters.to_device(x, self._device())
            out = self.predict_step((x,))
        return _concat_to_numpy([out])

    # ---------------------------------------------------------------- config
    def get_compile_config(self):
        return self._compile_config

    def compile_from_config(self, config):
        if config:
            self.compile(**config)


def _overrides_metrics(model):
    return type(model).metrics is not Trainer.metrics or type(model).compute_metrics is not Trainer.compute_metrics \
        or type(model).compute_loss is not Trainer.compute_loss


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
    return (f"{what}() on model '{model.name}': the {argument} is empty (no batch), so there is no loss to "
            f"report. Pass at least one sample{', or leave validation_data out' if what == 'fit' else ''}.")


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
    return {key: _floats_keep_nesting(value) if isinstance(value, dict) else _python_value(value)
            for key, value in logs.items()}


def _to_floats(logs):
    """Keras's `pythonify_logs`: nested dicts flattened, keys sorted, tensors made Python floats."""
    from capas.keras.callbacks._logs import _flatten_sorted

    return {key: _python_value(value) for key, value in _flatten_sorted(logs).items()}


def _python_value(value):
    from capas.keras.callbacks._logs import Deferred

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
    """
    return flushing_denormals()
