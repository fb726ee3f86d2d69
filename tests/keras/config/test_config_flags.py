"""keras.config switches: run caps, flash attention, traceback filtering, backend, interactive logging.

The run caps are checked against the `keras` package (torch backend): the same data and model
run through both, and the epochs and batches each one runs must agree.
"""

import logging

import numpy as np
import pytest
import torch

from capas import keras
from tests.conftest import keras_reference


@pytest.fixture
def both_keras():
    ref = keras_reference()
    yield ref
    for k in (keras, ref):
        k.config.set_max_epochs(None)
        k.config.set_max_steps_per_epoch(None)


def _run(k, x, y):
    """Epochs, train batches per epoch, evaluate batches and predict rows under the current caps."""
    model = k.Sequential([k.Input((4,)), k.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    counts = {"train": [], "test": 0, "predict": 0}

    class Count(k.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            counts["train"].append(0)

        def on_train_batch_end(self, batch, logs=None):
            counts["train"][-1] += 1

        def on_test_batch_end(self, batch, logs=None):
            counts["test"] += 1

    history = model.fit(x, y, batch_size=10, epochs=5, verbose=0, callbacks=[Count()])
    model.evaluate(x, y, batch_size=10, verbose=0, callbacks=[Count()])
    rows = len(model.predict(x, batch_size=10, verbose=0))
    return len(history.history["loss"]), counts["train"], counts["test"], rows


@pytest.mark.parametrize("max_epochs, max_steps", [(2, None), (None, 3), (3, 4), (9, 20)])
def test_run_caps_cut_fit_evaluate_and_predict_as_keras(both_keras, max_epochs, max_steps):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 4)).astype("float32")
    y = rng.normal(size=(100, 1)).astype("float32")
    results = []
    for k in (keras, both_keras):
        k.config.set_max_epochs(max_epochs)
        k.config.set_max_steps_per_epoch(max_steps)
        assert k.config.max_epochs() == max_epochs and k.config.max_steps_per_epoch() == max_steps
        results.append(_run(k, x, y))
    assert results[0] == results[1]


def test_a_cap_warns_as_keras_does(both_keras):
    keras.config.set_max_epochs(1)
    keras.config.set_max_steps_per_epoch(2)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match="Limiting epochs to 1"):
        with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 2"):
            model.fit(np.zeros((40, 2)), np.zeros((40, 1)), batch_size=4, epochs=3, verbose=0)


def test_flash_attention_switch_reports_as_keras(both_keras):
    for k in (keras, both_keras):
        assert k.config.is_flash_attention_enabled() is None
        k.config.disable_flash_attention()
        assert k.config.is_flash_attention_enabled() is False
        k.config.enable_flash_attention()
        assert k.config.is_flash_attention_enabled() is None


def test_disabled_flash_attention_still_computes_the_same_attention():
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    q = torch.randn(2, 5, 8)
    expected = layer(q, q)
    keras.config.disable_flash_attention()
    try:
        torch.testing.assert_close(layer(q, q), expected)
    finally:
        keras.config.enable_flash_attention()


def test_traceback_filtering_and_nnx_report_as_keras(both_keras):
    for k in (keras, both_keras):
        assert k.config.is_traceback_filtering_enabled() is True
        k.config.disable_traceback_filtering()
        assert k.config.is_traceback_filtering_enabled() is False
        k.config.enable_traceback_filtering()
        assert k.config.is_nnx_enabled() is False


def test_set_backend_accepts_torch_and_refuses_others_clearly():
    keras.config.set_backend("torch")
    assert keras.config.backend() == "torch"
    with pytest.raises(ValueError, match="capas runs Keras code on PyTorch only.*backend='jax'"):
        keras.config.set_backend("jax")
    with pytest.raises(ValueError, match="unknown backend 'mxnet'"):
        keras.config.set_backend("mxnet")


def _fit_and_summarize():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(np.zeros((8, 3)), np.zeros((8, 2)), epochs=2, verbose=1)
    model.summary()


def test_disabled_interactive_logging_moves_progress_and_summary_to_logging(capsys, caplog, both_keras):
    assert keras.config.is_interactive_logging_enabled() and both_keras.config.is_interactive_logging_enabled()
    _fit_and_summarize()
    shown = capsys.readouterr().out
    assert "Epoch 2/2" in shown and "Total params" in shown
    keras.config.disable_interactive_logging()
    try:
        assert keras.utils.is_interactive_logging_enabled() is False
        with caplog.at_level(logging.INFO, logger="capas.keras"):
            _fit_and_summarize()
    finally:
        keras.utils.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Epoch 2/2" in logged and "Total params" in logged and "loss" in logged
