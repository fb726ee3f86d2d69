"""EarlyStopping against keras's, driven by the same sequences of monitored values."""

import numpy as np
import pytest

from tests.keras.callbacks.conftest import make_model


class FakeModel:
    """What EarlyStopping touches: stop_training and get/set_weights (the epoch index as weight)."""

    def __init__(self):
        self.stop_training = False
        self.weights = [np.zeros(1)]
        self.restored = None

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.restored = float(weights[0][0])


def drive(callback, values, monitor="val_loss"):
    """Run the callback over `values` as fit would; return (stopped epoch, epochs run, state)."""
    model = FakeModel()
    callback.set_model(model)
    callback.set_params({"epochs": len(values), "steps": 1, "verbose": 0})
    callback.on_train_begin()
    ran = 0
    for epoch, value in enumerate(values):
        model.weights = [np.full(1, float(epoch))]
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, {"loss": 0.0, monitor: value} if value is not None else {"loss": 0.0})
        ran += 1
        if model.stop_training:
            break
    callback.on_train_end()
    return ran, callback.stopped_epoch, callback.best, callback.wait, callback.best_epoch, model.restored


SEQUENCES = {
    "improving": [1.0, 0.9, 0.8, 0.7, 0.6, 0.5],
    "plateau": [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9],
    "noisy": [1.0, 0.8, 0.85, 0.79, 0.9, 0.95, 0.78, 1.1, 1.2, 1.3],
    "rising": [0.5, 0.6, 0.7, 0.8, 0.9],
    "tiny_steps": [1.0, 0.9999, 0.9998, 0.9997, 0.9996, 0.9995],
}
CONFIGS = [
    {},
    {"patience": 2},
    {"patience": 3, "min_delta": 0.01},
    {"patience": 1, "mode": "max"},
    {"patience": 2, "baseline": 0.85},
    {"patience": 2, "baseline": 0.1},
    {"patience": 1, "restore_best_weights": True},
    {"patience": 2, "restore_best_weights": True, "start_from_epoch": 2},
    {"patience": 0, "start_from_epoch": 3},
    {"patience": 1, "min_delta": -0.05},
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "default")
@pytest.mark.parametrize("name", list(SEQUENCES))
def test_matches_keras(ck, config, name):
    keras = pytest.importorskip("keras")
    values = SEQUENCES[name]
    ours = drive(ck.callbacks.EarlyStopping(**config), values)
    theirs = drive(keras.callbacks.EarlyStopping(**config), values)
    assert ours == theirs


def test_missing_monitor_warns_and_never_stops(ck):
    callback = ck.callbacks.EarlyStopping(monitor="val_auc", mode="max")
    with pytest.warns(UserWarning, match=r"`val_auc` which is not available. Available metrics are: loss,val_loss"):
        ran, stopped, *_ = drive(callback, [1.0, 2.0, 3.0])
    assert (ran, stopped) == (3, 0)


def test_auto_mode_reads_metric_direction(ck, data):
    model = make_model(ck)
    x, y = data
    model.fit(x, y, epochs=1, verbose=0)
    callback = ck.callbacks.EarlyStopping(monitor="val_accuracy")
    callback.set_model(model)
    callback._set_monitor_op()
    assert callback._is_improvement(0.9, 0.8)
    unknown = ck.callbacks.EarlyStopping(monitor="val_something")
    unknown.set_model(model)
    with pytest.raises(ValueError, match=r"monitor='val_something'.*mode='max'.*mode='min'"):
        unknown._set_monitor_op()


def test_unknown_mode_warns(ck):
    with pytest.warns(UserWarning, match="mode 'bigger' is unknown"):
        callback = ck.callbacks.EarlyStopping(mode="bigger")
    assert callback.mode == "auto"


def test_in_fit_stops_and_restores_best_weights(ck, data, capsys):
    """A rising learning rate makes the loss worse; the best epoch's weights come back."""
    x, y = data
    model = make_model(ck, optimizer="sgd")
    snapshots = []

    class Snapshot(ck.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append([np.array(w, copy=True) for w in self.model.get_weights()])

    stopper = ck.callbacks.EarlyStopping(monitor="loss", patience=2, restore_best_weights=True, verbose=1)
    schedule = ck.callbacks.LearningRateScheduler(lambda epoch, lr: 0.01 if epoch < 3 else 50.0)
    history = model.fit(x, y, epochs=30, batch_size=40, callbacks=[schedule, Snapshot(), stopper], verbose=0)
    losses = history.history["loss"]
    assert len(losses) < 30 and stopper.stopped_epoch == len(losses) - 1
    best = int(np.argmin(losses))
    assert stopper.best_epoch == best
    assert best < len(losses) - 1  # the restored weights are not the last ones
    assert not np.array_equal(snapshots[best][0], snapshots[-1][0])
    for got, want in zip(model.get_weights(), snapshots[best]):
        np.testing.assert_array_equal(got, want)
    out = capsys.readouterr().out
    assert f"Epoch {len(losses)}: early stopping" in out
    assert f"Restoring model weights from the end of the best epoch: {best + 1}." in out
