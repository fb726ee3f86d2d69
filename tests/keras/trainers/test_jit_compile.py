"""fit(jit_compile=True): the compiled step gives the eager numbers (torch.compile is slow: marked slow)."""

import math
import warnings

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers
from capas.keras.trainers import _jit

pytestmark = pytest.mark.slow


def _model(extra=None):
    inputs = keras.Input((8,))
    h = layers.Dense(16, activation="relu")(inputs)
    if extra is not None:
        h = extra(h)
    return keras.Model(inputs, layers.Dense(3, activation="softmax")(h))


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(80, 8)).astype("float32")
    return x, np.argmax(x[:, :3], axis=1)


def test_compiled_step_matches_eager():
    x, y = _data()
    eager, jit = _model(), _model()
    jit.set_weights(eager.get_weights())
    eager.compile(keras.optimizers.RMSprop(1e-2), "sparse_categorical_crossentropy", metrics=["accuracy"])
    jit.compile(
        keras.optimizers.RMSprop(1e-2), "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no fallback warning: the compiled path ran
        h_jit = jit.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    h_eager = eager.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(jit.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h_jit.history["loss"], h_eager.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(h_jit.history["accuracy"], h_eager.history["accuracy"])


def test_models_the_pure_step_cannot_express_run_eagerly_with_a_warning():
    x, y = _data()
    model = _model(layers.BatchNormalization())
    model.compile("adam", "sparse_categorical_crossentropy", jit_compile=True)
    with pytest.warns(UserWarning, match="runs eagerly because it has non-trainable variables"):
        history = model.fit(x, y, epochs=2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_compiled_step_has_no_graph_break_and_no_recompile_after_the_first_epoch():
    import torch._dynamo
    from torch._dynamo.utils import counters

    rng = np.random.default_rng(1)
    x = rng.normal(size=(72, 8)).astype("float32")  # 72 = 4 * 16 + 8: a ragged last batch
    y = np.argmax(x[:, :3], axis=1)
    model = _model()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=True)
    torch._dynamo.reset()
    counters.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no eager fallback
        model.fit(x, y, batch_size=16, epochs=1, verbose=0)
        graphs_after_first_epoch = counters["stats"]["unique_graphs"]
        model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    assert dict(counters["graph_break"]) == {}
    assert graphs_after_first_epoch >= 1
    assert counters["stats"]["unique_graphs"] == graphs_after_first_epoch  # no recompile in later epochs


def test_loss_tracker_and_metric_updates_run_inside_the_compiled_step():
    import torch
    import torch._dynamo
    from torch._dynamo.utils import counters

    compiled_updates = torch.zeros((), dtype=torch.int64)

    def traced_mae(y_true, y_pred):
        # Adds 1 per update that runs inside the compiled graph, 0 per eager one (a constant when traced).
        compiled_updates.add_(int(torch.compiler.is_compiling()))
        return keras.metrics.mean_absolute_error(y_true, y_pred)

    x, y = _data()
    y_onehot = np.eye(3, dtype="float32")[y]
    eager, jit = _model(), _model()
    jit.set_weights(eager.get_weights())
    for model, flag in ((eager, False), (jit, True)):
        model.compile(
            keras.optimizers.Adam(1e-2),
            "categorical_crossentropy",
            metrics=["accuracy", keras.metrics.MeanMetricWrapper(traced_mae, name="mae")],
            jit_compile=flag,
        )
    torch._dynamo.reset()
    counters.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        h_jit = jit.fit(x, y_onehot, batch_size=16, epochs=2, shuffle=False, verbose=0)
    frames = dict(counters["frames"])
    assert frames.get("total", 0) >= 1 and frames.get("total") == frames.get("ok"), frames  # no skipped frame
    assert dict(counters["graph_break"]) == {}
    assert int(compiled_updates) == 2 * 5 - 1  # every step but the first (eager: it builds the metrics)
    compiled_updates.zero_()
    h_eager = eager.fit(x, y_onehot, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert int(compiled_updates) == 0
    for key in ("loss", "accuracy", "mae"):
        np.testing.assert_allclose(h_jit.history[key], h_eager.history[key], rtol=1e-5, err_msg=key)
    for a, b in zip(jit.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_auto_runs_eagerly_on_the_cpu_and_says_why_once(caplog):
    import logging

    import torch._dynamo
    from torch._dynamo.utils import counters

    x, y = _data()
    dense = _model()
    dense.compile("adam", "sparse_categorical_crossentropy")  # jit_compile="auto", the default
    inputs = keras.Input((8, 8, 1))
    h = layers.Conv2D(4, 3)(inputs)
    conv = keras.Model(inputs, layers.Dense(3, activation="softmax")(layers.Flatten()(h)))
    conv.compile("adam", "sparse_categorical_crossentropy", jit_compile="auto")
    torch._dynamo.reset()
    counters.clear()
    with caplog.at_level(logging.INFO, logger="capas"):
        dense.fit(x, y, epochs=1, verbose=0)
        dense.fit(x, y, epochs=1, verbose=0)
        conv.fit(np.random.default_rng(0).normal(size=(16, 8, 8, 1)).astype("float32"), y[:16], verbose=0)
    said = [r.getMessage() for r in caplog.records if "jit_compile='auto'" in r.getMessage()]
    assert len(said) == 2, said  # once per model
    assert "runs eagerly" in said[0] and "fit of 3 steps" in said[0]  # 80 samples, batch 32
    assert "convolutions" in said[1]
    assert dict(counters["frames"]) == {}  # nothing was compiled
    assert dense.run_eagerly


def test_auto_decides_by_content_and_length_not_by_timing():
    from capas.keras.trainers import _jit

    dense = _model()
    dense.compile("adam", "sparse_categorical_crossentropy")
    assert _jit.auto_choice(dense, True, 100)[0] is False
    assert _jit.auto_choice(dense, True, 50_000)[0] is True
    assert _jit.auto_choice(dense, False, 50_000) == (
        False,
        "it overrides train_step, metrics, compute_loss or compute_metrics",
    )
    bn = _model(layers.BatchNormalization())
    bn.compile("adam", "sparse_categorical_crossentropy")
    assert "non-trainable" in _jit.auto_choice(bn, True, 50_000)[1]
    inputs = keras.Input((8, 8, 1))
    conv = keras.Model(inputs, layers.Dense(3)(layers.Flatten()(layers.Conv2D(4, 3)(inputs))))
    conv.compile("adam", "mse")
    assert "convolutions" in _jit.auto_choice(conv, True, 50_000)[1]


def _counting(cls):
    """`cls` with two counters: updates traced into the compiled step and eager `apply` calls."""

    class Counting(cls):
        def apply(self, grads, trainable_variables=None):
            self.eager_applies += 1
            return super().apply(grads, trainable_variables)

        if cls()._graph_reason() is None:  # only where the class has a tensor-valued update to count

            def _apply_graph(self, group, grads, learning_rate, step):
                # Adds 1 per group and step inside the compiled graph (a constant when traced).
                self.compiled_updates.add_(int(torch.compiler.is_compiling()))
                return super()._apply_graph(group, grads, learning_rate, step)

    def make(*args, **kwargs):
        optimizer = Counting(*args, **kwargs)
        optimizer.eager_applies = 0
        optimizer.compiled_updates = torch.zeros((), dtype=torch.int64)
        return optimizer

    return make


_OPTIMIZERS = {
    "sgd-clipnorm": (keras.optimizers.SGD, dict(learning_rate=0.1, clipnorm=0.5), True),
    "sgd-nesterov": (keras.optimizers.SGD, dict(learning_rate=0.05, momentum=0.9, nesterov=True), True),
    "rmsprop-centered-global-clipnorm": (
        keras.optimizers.RMSprop,
        dict(learning_rate=1e-2, momentum=0.5, centered=True, global_clipnorm=1.0),
        True,
    ),
    "adam-schedule": (
        keras.optimizers.Adam,
        dict(learning_rate=keras.optimizers.schedules.ExponentialDecay(1e-2, 3, 0.8)),
        True,
    ),
    "adamw-amsgrad-clipvalue": (
        keras.optimizers.AdamW,
        dict(learning_rate=1e-2, weight_decay=0.05, amsgrad=True, clipvalue=0.1),
        True,
    ),
    "nadam-stays-eager": (keras.optimizers.Nadam, dict(learning_rate=1e-2), False),
}


@pytest.mark.parametrize("case", list(_OPTIMIZERS))
def test_optimizer_update_runs_inside_the_compiled_step(case, tmp_path):
    """One graph per batch shape with the update inside it; a schedule and `learning_rate = x`
    between epochs change no graph; weights, history, iterations and optimizer state equal eager's."""
    import torch._dynamo
    from torch._dynamo.utils import counters

    cls, kwargs, in_graph = _OPTIMIZERS[case]
    rng = np.random.default_rng(2)
    x = rng.normal(size=(72, 8)).astype("float32")  # 4 batches of 16 and a ragged one of 8
    y = np.argmax(x[:, :3], axis=1)
    eager, jit = _model(), _model()
    jit.set_weights(eager.get_weights())
    for model, flag in ((eager, False), (jit, True)):
        model.compile(
            _counting(cls)(**kwargs), "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=flag
        )
    constant_rate = not isinstance(kwargs["learning_rate"], keras.optimizers.schedules.LearningRateSchedule)
    torch._dynamo.reset()
    counters.clear()
    histories = {}
    for model in (jit, eager):
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)  # no eager fallback
            first = model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
            graphs_after_first_epoch = counters["stats"]["unique_graphs"]
            if constant_rate:
                model.optimizer.learning_rate = float(model.optimizer.learning_rate) * 0.5
            rest = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        histories[model] = {k: first.history[k] + rest.history[k] for k in first.history}
        if model is jit:
            frames = dict(counters["frames"])
            assert dict(counters["graph_break"]) == {}
            assert frames.get("total", 0) >= 1 and frames.get("total") == frames.get("ok"), frames
            assert graphs_after_first_epoch == 2  # full and ragged batch
            assert counters["stats"]["unique_graphs"] == graphs_after_first_epoch  # nothing recompiled
    steps = 3 * 5
    if in_graph:
        assert int(jit.optimizer.compiled_updates) == steps - 1  # all but the first step (eager: it builds)
        assert jit.optimizer.eager_applies == 1
    else:
        assert int(jit.optimizer.compiled_updates) == 0
        assert jit.optimizer.eager_applies == steps
    assert eager.optimizer.eager_applies == steps and int(eager.optimizer.compiled_updates) == 0
    assert int(jit.optimizer.iterations) == int(eager.optimizer.iterations) == steps
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(histories[jit][key], histories[eager][key], rtol=1e-5, err_msg=key)
    for a, b in zip(jit.get_weights(), eager.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # The same state in the same layout: a `.keras` file of the compiled model loads it back.
    assert [tuple(v.shape) for v in jit.optimizer.variables] == [tuple(v.shape) for v in eager.optimizer.variables]
    for a, b in zip(jit.optimizer.variables, eager.optimizer.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    path = str(tmp_path / "model.keras")
    jit.save(path)
    loaded = keras.models.load_model(path, custom_objects={"Counting": cls})
    for a, b in zip(loaded.optimizer.variables, jit.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_which_optimizers_update_inside_the_compiled_step():
    assert keras.optimizers.SGD()._graph_reason() is None
    assert keras.optimizers.RMSprop(momentum=0.9, centered=True)._graph_reason() is None
    assert keras.optimizers.Adam(amsgrad=True, clipnorm=1.0)._graph_reason() is None
    assert keras.optimizers.AdamW()._graph_reason() is None
    assert "no update with a tensor-valued step" in keras.optimizers.Nadam()._graph_reason()
    assert "accumulates gradients" in keras.optimizers.Adam(gradient_accumulation_steps=2)._graph_reason()
    assert "moving averages" in keras.optimizers.SGD(use_ema=True)._graph_reason()


_SCALE = 2.0


def _scaled(x):
    return x * _SCALE + math.pi


def test_guard_filter_drops_imported_objects_and_keeps_values():
    global _SCALE
    seen = []

    def recording(entries):
        kept = _jit.keep_guards(entries)
        seen.extend((e.name, keep) for e, keep in zip(entries, kept))
        return kept

    torch._dynamo.reset()
    f = torch.compile(_scaled, backend="eager", options={"guard_filter_fn": recording})
    x = torch.ones(3)
    assert torch.equal(f(x), x * 2.0 + math.pi)
    flags = dict(seen)
    assert any(name.endswith("['math']") for name in flags) and not any(
        keep for name, keep in flags.items() if name.endswith("['math']")
    )
    assert [keep for name, keep in flags.items() if name.endswith("['_SCALE']")] == [True]
    _SCALE = 3.0  # a global value the compiled code read: its guard stays, so this recompiles
    try:
        assert torch.equal(f(x), x * 3.0 + math.pi)
    finally:
        _SCALE = 2.0


_CACHED_STEP_PROGRAM = """
import json, sys, warnings
import numpy as np
from torch._dynamo.utils import counters
from capas import keras
from capas.keras import layers

x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
y = np.argmax(x[:, :3], axis=1)
for optimizer in (keras.optimizers.Adam(1e-2), keras.optimizers.SGD(1e-2, momentum=0.9)):
    inputs = keras.Input((8,))
    outputs = layers.Dense(3, activation="softmax")(layers.Dense(16, activation="relu")(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # the compiled path ran
        model.fit(x, y, batch_size=16, epochs=1, verbose=0)
print(json.dumps(dict(counters["aot_autograd"])))
"""


def test_a_later_process_finds_the_compiled_step_in_torchs_cache(tmp_path):
    # torch.compile keeps compiled programs on disk, keyed by the graph and by where its inputs come
    # from. The optimizer's slots must come from places named the same in every process (not by an
    # object's address), or every new process compiles the step again (seconds, and memory).
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, TORCHINDUCTOR_CACHE_DIR=str(tmp_path / "inductor"))
    runs = []
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", _CACHED_STEP_PROGRAM], env=env, capture_output=True, text=True, timeout=600
        )
        assert out.returncode == 0, out.stderr[-3000:]
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first, second = runs
    assert first.get("autograd_cache_miss") == 2, first  # a fresh cache: both steps compiled
    assert second.get("autograd_cache_hit") == 2 and "autograd_cache_miss" not in second, second
    assert "autograd_cache_bypass" not in second, second
