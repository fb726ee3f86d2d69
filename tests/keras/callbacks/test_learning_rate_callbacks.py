"""ReduceLROnPlateau and LearningRateScheduler (against keras's), TerminateOnNaN, LambdaCallback."""

import numpy as np
import pytest

from tests.keras.callbacks.conftest import make_model


class FakeOptimizer:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.name = "fake"


class FakeModel:
    def __init__(self, learning_rate=0.1):
        self.optimizer = FakeOptimizer(learning_rate)
        self.stop_training = False


VALUES = [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91]


@pytest.mark.parametrize(
    "config",
    [
        {"patience": 1},
        {"patience": 2, "factor": 0.5},
        {"patience": 1, "cooldown": 2, "factor": 0.5},
        {"patience": 1, "min_lr": 0.02, "factor": 0.5},
        {"patience": 2, "min_delta": 0.1},
        {"patience": 1, "mode": "max"},
    ],
)
def test_reduce_lr_on_plateau_matches_keras(ck, config):
    keras = pytest.importorskip("keras")

    def run(cls):
        model = FakeModel()
        callback = cls(monitor="val_loss", **config)
        callback.set_model(model)
        callback.on_train_begin()
        rates, logged = [], []
        for epoch, value in enumerate(VALUES):
            logs = {"val_loss": value}
            callback.on_epoch_end(epoch, logs)
            rates.append(float(model.optimizer.learning_rate))
            logged.append(logs["learning_rate"])
        return rates, logged

    assert run(ck.callbacks.ReduceLROnPlateau) == run(keras.callbacks.ReduceLROnPlateau)


def test_reduce_lr_on_plateau_in_fit_sets_the_optimizer_rate(ck, data, capsys):
    x, y = data
    model = make_model(ck, optimizer="sgd")
    callback = ck.callbacks.ReduceLROnPlateau(monitor="loss", mode="max", patience=1, factor=0.5, verbose=1)
    history = model.fit(x, y, epochs=4, batch_size=40, verbose=0, callbacks=[callback])
    # mode='max' on a falling loss: never an improvement after epoch 0, halve on every epoch from 1.
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.01, 0.005, 0.0025])
    assert float(model.optimizer.learning_rate) == pytest.approx(0.00125)
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.00499999" in capsys.readouterr().out


def test_reduce_lr_factor_must_be_below_one(ck):
    with pytest.raises(ValueError, match="factor >= 1.0.*Received factor=1.5"):
        ck.callbacks.ReduceLROnPlateau(factor=1.5)


@pytest.mark.parametrize(
    "schedule",
    [
        lambda epoch, lr: lr * 0.5,
        lambda epoch: 0.1 / (epoch + 1),
        lambda epoch, lr: float(np.float32(lr + epoch)),
    ],
)
def test_learning_rate_scheduler_matches_keras(ck, schedule):
    keras = pytest.importorskip("keras")

    def run(cls):
        model = FakeModel(0.1)
        callback = cls(schedule)
        callback.set_model(model)
        out = []
        for epoch in range(4):
            callback.on_epoch_begin(epoch)
            logs = {"loss": 1.0}
            callback.on_epoch_end(epoch, logs)
            out.append((float(model.optimizer.learning_rate), logs["learning_rate"]))
        return out

    assert run(ck.callbacks.LearningRateScheduler) == run(keras.callbacks.LearningRateScheduler)


def test_learning_rate_scheduler_in_fit(ck, data, capsys):
    x, y = data
    model = make_model(ck, optimizer="sgd")
    rates = []

    class Spy(ck.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            rates.append(float(self.model.optimizer.learning_rate))

    scheduler = ck.callbacks.LearningRateScheduler(lambda epoch: 0.1 * (epoch + 1), verbose=1)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[scheduler, Spy()])
    assert rates == pytest.approx([0.1, 0.2, 0.3])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.2, 0.3])
    assert "Epoch 2: LearningRateScheduler setting learning rate to 0.2." in capsys.readouterr().out


def test_learning_rate_scheduler_rejects_non_float(ck):
    callback = ck.callbacks.LearningRateScheduler(lambda epoch: "fast")
    callback.set_model(FakeModel())
    with pytest.raises(ValueError, match="should be a float. Got: 'fast'"):
        callback.on_epoch_begin(0)


def test_terminate_on_nan_stops_at_first_bad_batch(ck, data, capsys):
    x, y = data
    x = x.copy()
    x[20:] = np.nan  # batches 0-2 are clean, batch 3 is not (no shuffle)
    model = make_model(ck, classes=1)
    seen = []

    class Spy(ck.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    with pytest.warns(UserWarning, match="NaN"):
        history = model.fit(
            x,
            y.astype("float32"),
            epochs=3,
            batch_size=8,
            shuffle=False,
            verbose=0,
            callbacks=[ck.callbacks.TerminateOnNaN(), Spy()],
        )
    assert seen == [0, 1, 2]  # Spy runs after TerminateOnNaN in the batch that stopped training
    assert history.epoch == [] or np.isnan(history.history["loss"][-1])
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_terminate_on_nan_can_raise(ck):
    callback = ck.callbacks.TerminateOnNaN(raise_error=True)
    callback.set_model(FakeModel())
    callback.on_train_batch_end(0, {"loss": 1.0})
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 1"):
        callback.on_train_batch_end(1, {"loss": float("inf")})


def test_lambda_callback(ck, data):
    x, y = data
    events = []
    callback = ck.callbacks.LambdaCallback(
        on_train_begin=lambda logs: events.append("begin"),
        on_epoch_end=lambda epoch, logs: events.append(("epoch", epoch, round(logs["loss"], 6))),
        on_train_batch_end=lambda batch, logs: events.append(("batch", batch)),
        on_train_end=lambda logs: events.append("end"),
        on_test_end=lambda logs: events.append("test"),
    )
    history = make_model(ck).fit(x, y, epochs=2, batch_size=20, validation_data=(x, y), verbose=0, callbacks=[callback])
    loss = [round(v, 6) for v in history.history["loss"]]
    assert events == [
        "begin",
        ("batch", 0),
        ("batch", 1),
        "test",
        ("epoch", 0, loss[0]),
        ("batch", 0),
        ("batch", 1),
        "test",
        ("epoch", 1, loss[1]),
        "end",
    ]
