"""TensorBoard: event files read back with tensorboard's EventAccumulator equal History."""

import os

import numpy as np
import pytest

from tests.keras.callbacks.conftest import make_model

event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")


def load(folder):
    acc = event_accumulator.EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    acc.Reload()
    return acc


def scalars(acc, tag):
    return [(e.step, e.value) for e in acc.Scalars(tag)]


def test_epoch_scalars_equal_history(ck, data, tmp_path):
    x, y = data
    model = make_model(ck, optimizer="sgd")
    history = model.fit(
        x,
        y,
        epochs=3,
        batch_size=8,
        validation_data=(x, y),
        verbose=0,
        callbacks=[ck.callbacks.TensorBoard(log_dir=tmp_path)],
    )
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train, val = load(tmp_path / "train"), load(tmp_path / "validation")
    assert sorted(train.Tags()["scalars"]) == ["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]
    for key in ("loss", "accuracy"):
        steps, values = zip(*scalars(train, f"epoch_{key}"))
        assert steps == (0, 1, 2)
        np.testing.assert_allclose(values, history.history[key], rtol=1e-6)
        steps, values = zip(*scalars(val, f"epoch_{key}"))
        np.testing.assert_allclose(values, history.history[f"val_{key}"], rtol=1e-6)
    assert [v for _, v in scalars(train, "epoch_learning_rate")] == pytest.approx([0.01] * 3)
    evaluation = scalars(val, "evaluation_loss_vs_iterations")
    assert [s for s, _ in evaluation] == [5, 10, 15]
    np.testing.assert_allclose([v for _, v in evaluation], history.history["val_loss"], rtol=1e-6)
    assert "keras" in train.Tags()["tensors"]  # the model config for the graph plugin


@pytest.mark.parametrize("update_freq,expected_steps", [("batch", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), (3, [3, 6, 9])])
def test_batch_scalars(ck, data, tmp_path, update_freq, expected_steps):
    x, y = data
    model = make_model(ck)
    batch_losses = {}

    class Spy(ck.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.count = 0

        def on_train_batch_end(self, batch, logs=None):
            self.count += 1
            batch_losses[self.count] = logs["loss"]

    model.fit(
        x,
        y,
        epochs=2,
        batch_size=8,
        verbose=0,
        callbacks=[Spy(), ck.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq=update_freq)],
    )
    train = load(tmp_path / "train")
    written = scalars(train, "batch_loss")
    assert [s for s, _ in written] == expected_steps
    np.testing.assert_allclose([v for _, v in written], [batch_losses[s] for s in expected_steps], rtol=1e-6)
    assert "batch_accuracy" in train.Tags()["scalars"]


def test_histograms_and_steps_per_second(ck, data, tmp_path):
    x, y = data
    model = make_model(ck)
    model.fit(
        x,
        y,
        epochs=3,
        batch_size=8,
        verbose=0,
        callbacks=[
            ck.callbacks.TensorBoard(
                log_dir=str(tmp_path), histogram_freq=2, write_steps_per_second=True, write_images=True
            )
        ],
    )
    train = load(tmp_path / "train")
    tags = train.Tags()
    kernel_tag = f"{model.layers[1].kernel.path}/histogram"
    assert kernel_tag in tags["histograms"]
    assert [e.step for e in train.Histograms(kernel_tag)] == [0, 2]
    histogram = train.Histograms(kernel_tag)[-1].histogram_value
    kernel = model.layers[1].kernel.detach().numpy()
    assert histogram.num == kernel.size
    assert histogram.min == pytest.approx(kernel.min()) and histogram.max == pytest.approx(kernel.max())
    assert histogram.sum == pytest.approx(kernel.sum(), rel=1e-5)
    assert all(v > 0 for _, v in scalars(train, "epoch_steps_per_second"))
    assert f"{model.layers[1].kernel.path}/image" in tags["images"]


def test_arguments_are_checked(ck):
    with pytest.raises(ValueError, match="profiling is not available.*torch.profiler"):
        ck.callbacks.TensorBoard(profile_batch=2)
    with pytest.raises(ValueError, match="update_freq must be 'epoch', 'batch' or a positive integer"):
        ck.callbacks.TensorBoard(update_freq="sometimes")


def test_missing_tensorboard_says_how_to_install(ck, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    with pytest.raises(ImportError, match="pip install tensorboard"):
        ck.callbacks.TensorBoard()
