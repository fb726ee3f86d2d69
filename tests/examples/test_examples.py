"""Every example in examples/ runs (with small sizes) and shows what it promises."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_functional_model_trains():
    history = load("01_functional_model").main()
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_custom_layer_builds_at_first_call():
    layer = load("02_custom_layer_build").main()
    assert layer.built and [tuple(w.shape) for w in layer.weights] == [(3, 4), (3, 4), (4,)]


def test_compute_sum_accumulates():
    layer = load("03_compute_sum").main()
    np.testing.assert_array_equal(layer.total.numpy(), [4.0, 4.0])


def test_composed_layers_own_their_children_weights():
    # Layer names are unique per session (as in Keras): a fresh session gives "lineal", not "lineal_11".
    from capas import keras

    keras.backend.clear_session()
    layer = load("04_composed_layers").main()
    assert len(layer.trainable_weights) == 4
    assert layer.trainable_weights[0].name.endswith("lineal/a:0")


def test_add_loss_resets():
    layer = load("05_add_loss").main()
    assert len(layer.losses) == 1
    np.testing.assert_allclose(float(layer.losses[0]), 0.01, rtol=1e-6)


def test_gradient_tape_loop_learns(capsys):
    load("06_gradient_tape_loop").main(epochs=3)
    losses = [float(line.split()[-1]) for line in capsys.readouterr().out.splitlines() if line.startswith("epoch")]
    assert len(losses) == 3 and losses[-1] < losses[0]


def test_subclassed_model_learns_the_circle():
    history = load("07_subclassed_model").main(epochs=15)
    assert history.history["accuracy"][-1] > 0.85


def test_custom_loss_metric_callback(capsys):
    load("08_custom_loss_metric_callback").main(epochs=2)
    out = capsys.readouterr().out
    assert out.count("max_abs_error=") == 4


@pytest.mark.parametrize("name", ["cnn_mnist", "lstm_text"])
def test_layer_catalogue_examples_train(name):
    if not (EXAMPLES / f"{name}.py").exists():
        pytest.skip(f"examples/{name}.py not written yet")
    history = load(name).main()
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_mnist_demo_runs_on_a_small_cached_dataset(tmp_path, monkeypatch, capsys):
    # A tiny generated "MNIST" in a private cache: the demo's code path end to end, offline.
    rng = np.random.default_rng(0)
    y_train = np.arange(600) % 10
    x_train = np.zeros((600, 28, 28), dtype="uint8")
    for i, label in enumerate(y_train):
        x_train[i, 2 + label * 2 : 6 + label * 2, 4:24] = 200 + rng.integers(0, 50)
    cache = tmp_path / "cache"
    cache.mkdir()
    np.savez(
        cache / "mnist.npz",
        x_train=x_train,
        y_train=y_train.astype("uint8"),
        x_test=x_train[:200],
        y_test=y_train[:200].astype("uint8"),
    )
    demo = load("mnist_seed")
    monkeypatch.setattr(
        demo.keras.datasets.mnist,
        "load_data",
        lambda path=None: ((x_train, y_train.astype("uint8")), (x_train[:200], y_train[:200].astype("uint8"))),
    )
    code = demo.main(["--out", str(tmp_path / "out"), "--epochs", "8", "--batch-size", "32", "--verbose", "0"])
    out = capsys.readouterr().out
    run = next((tmp_path / "out").iterdir())
    for name in ("best_model.keras", "final_model.keras", "training_log.csv", "training.png", "predictions.png"):
        assert (run / name).is_file(), name
    assert any((run / "tensorboard").rglob("*tfevents*"))
    assert "predictions identical to the trained model: True" in out
    assert code == 0
