"""fit(jit_compile=True): the compiled step gives the eager numbers (torch.compile is slow: marked slow)."""

import warnings

import numpy as np
import pytest

from capas import keras
from capas.keras import layers

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
    jit.compile(keras.optimizers.RMSprop(1e-2), "sparse_categorical_crossentropy", metrics=["accuracy"],
                jit_compile=True)
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
        model.compile(keras.optimizers.Adam(1e-2), "categorical_crossentropy",
                      metrics=["accuracy", keras.metrics.MeanMetricWrapper(traced_mae, name="mae")],
                      jit_compile=flag)
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
    assert _jit.auto_choice(dense, False, 50_000) == (False, "it overrides train_step, metrics, compute_loss or "
                                                             "compute_metrics")
    bn = _model(layers.BatchNormalization())
    bn.compile("adam", "sparse_categorical_crossentropy")
    assert "non-trainable" in _jit.auto_choice(bn, True, 50_000)[1]
    inputs = keras.Input((8, 8, 1))
    conv = keras.Model(inputs, layers.Dense(3)(layers.Flatten()(layers.Conv2D(4, 3)(inputs))))
    conv.compile("adam", "mse")
    assert "convolutions" in _jit.auto_choice(conv, True, 50_000)[1]
