"""ModelCheckpoint: file names, save_best_only and save_freq against keras's, and real files."""

import os

import numpy as np
import pytest

from tests.keras.callbacks.conftest import make_model


class FakeModel:
    """Records what ModelCheckpoint saves."""

    def __init__(self):
        self.saved = []
        self.stop_training = False

    def save(self, filepath, overwrite=True):
        self.saved.append(("model", os.path.basename(filepath)))

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(("weights", os.path.basename(filepath)))


VAL_LOSS = [0.9, 0.7, 0.8, 0.6, 0.6, 0.65]
VAL_ACC = [0.5, 0.6, 0.55, 0.7, 0.71, 0.7]


def drive(callback, tmp_path, steps=3):
    model = FakeModel()
    callback.set_model(model)
    callback.set_params({"epochs": len(VAL_LOSS), "steps": steps, "verbose": 0})
    callback.on_train_begin()
    for epoch, (loss, acc) in enumerate(zip(VAL_LOSS, VAL_ACC)):
        callback.on_epoch_begin(epoch)
        for batch in range(steps):
            callback.on_train_batch_begin(batch)
            callback.on_train_batch_end(batch, {"loss": 1.0 - 0.01 * batch, "accuracy": 0.5})
        callback.on_epoch_end(epoch, {"loss": 1.0, "accuracy": 0.5, "val_loss": loss, "val_accuracy": acc})
    callback.on_train_end()
    return model.saved


CASES = [
    ("m-{epoch:02d}.keras", {}),
    ("m-{epoch:02d}-{val_loss:.2f}.keras", {}),
    ("best.keras", {"save_best_only": True}),
    ("best-{epoch}.keras", {"save_best_only": True, "monitor": "val_accuracy", "mode": "max"}),
    ("best-{epoch}.keras", {"save_best_only": True, "monitor": "val_accuracy", "mode": "min"}),
    ("best-{epoch}.weights.h5", {"save_best_only": True, "save_weights_only": True, "initial_value_threshold": 0.65}),
    ("b-{epoch}-{batch}.keras", {"save_freq": 2}),
    ("b-{epoch}-{batch}-{loss:.3f}.weights.h5", {"save_freq": 4, "save_weights_only": True}),
    ("m.h5", {}),
]


@pytest.mark.parametrize("filepath,config", CASES)
def test_saves_match_keras(ck, tmp_path, filepath, config):
    keras = pytest.importorskip("keras")
    ours = drive(ck.callbacks.ModelCheckpoint(str(tmp_path / filepath), **config), tmp_path)
    theirs = drive(keras.callbacks.ModelCheckpoint(str(tmp_path / filepath), **config), tmp_path)
    assert ours == theirs
    assert ours  # every case saves something


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"filepath": "m.weights"}, r"must end in `\.keras`.*Received: filepath=m\.weights"),
        ({"filepath": "m.keras", "save_weights_only": True}, r"must end in\s+`\.weights\.h5`"),
        ({"filepath": "m.keras", "save_freq": "batch"}, r"save_freq='batch'.*'epoch' or a positive integer"),
        ({"filepath": "m.keras", "save_freq": 0}, r"save_freq=0"),
    ],
)
def test_bad_arguments(ck, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ck.callbacks.ModelCheckpoint(**kwargs)


def test_unknown_template_field_names_the_field(ck, tmp_path):
    callback = ck.callbacks.ModelCheckpoint(str(tmp_path / "m-{val_auc:.2f}.keras"))
    callback.set_model(FakeModel())
    with pytest.raises(KeyError, match=r"val_auc.*available ones"):
        callback.on_epoch_end(0, {"loss": 1.0, "val_loss": 1.0})


def test_directory_as_filepath(ck, tmp_path):
    (tmp_path / "dir.keras").mkdir()
    callback = ck.callbacks.ModelCheckpoint(str(tmp_path / "dir.keras"))
    callback.set_model(FakeModel())
    with pytest.raises(IsADirectoryError, match="non-directory filepath"):
        callback.on_epoch_end(0, {"loss": 1.0, "val_loss": 1.0})


def test_real_files_hold_each_epochs_weights(ck, data, tmp_path):
    pytest.importorskip("capas.keras.saving.saving_api")
    x, y = data
    model = make_model(ck)
    snapshots = []

    class Snapshot(ck.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append([np.array(w, copy=True) for w in self.model.get_weights()])

    template = str(tmp_path / "sub" / "ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5")
    checkpoint = ck.callbacks.ModelCheckpoint(template, save_weights_only=True, verbose=0)
    full = ck.callbacks.ModelCheckpoint(str(tmp_path / "full-{epoch}.keras"))
    history = model.fit(
        x, y, epochs=3, batch_size=8, validation_data=(x, y), verbose=0, callbacks=[Snapshot(), checkpoint, full]
    )
    names = sorted(os.listdir(tmp_path / "sub"))
    expected = [f"ckpt-{e + 1:02d}-{v:.2f}.weights.h5" for e, v in enumerate(history.history["val_loss"])]
    assert names == sorted(expected)
    assert sorted(p.name for p in tmp_path.glob("full-*.keras")) == ["full-1.keras", "full-2.keras", "full-3.keras"]
    fresh = make_model(ck)
    for epoch, name in enumerate(expected):
        fresh.load_weights(str(tmp_path / "sub" / name))
        for got, want in zip(fresh.get_weights(), snapshots[epoch]):
            np.testing.assert_array_equal(got, want)


def test_save_best_only_keeps_the_best_model(ck, data, tmp_path, capsys):
    pytest.importorskip("capas.keras.saving.saving_api")
    x, y = data
    model = make_model(ck, optimizer="sgd")
    best_weights = {}

    class Snapshot(ck.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            best_weights[epoch] = [np.array(w, copy=True) for w in self.model.get_weights()]

    path = tmp_path / "best.weights.h5"
    checkpoint = ck.callbacks.ModelCheckpoint(
        str(path), monitor="loss", save_best_only=True, save_weights_only=True, verbose=1
    )
    schedule = ck.callbacks.LearningRateScheduler(lambda epoch, lr: 0.01 if epoch < 2 else 50.0)
    history = model.fit(x, y, epochs=5, batch_size=40, verbose=0, callbacks=[schedule, Snapshot(), checkpoint])
    best = int(np.argmin(history.history["loss"]))
    fresh = make_model(ck)
    fresh.load_weights(str(path))
    for got, want in zip(fresh.get_weights(), best_weights[best]):
        np.testing.assert_array_equal(got, want)
    out = capsys.readouterr().out
    assert "Epoch 1: loss improved from None to" in out
    assert "did not improve from" in out


def test_save_best_only_per_batch(ck, tmp_path):
    """Keras 3.15 crashes here (no monitor op before the first epoch end); capas compares batch losses."""
    callback = ck.callbacks.ModelCheckpoint(
        str(tmp_path / "b-{epoch}-{batch}.keras"), save_freq=1, save_best_only=True, monitor="loss"
    )
    saved = drive(callback, tmp_path)
    # Batch losses fall within each epoch (1.0, 0.99, 0.98) and restart at 1.0: only epoch 1 improves.
    assert saved == [("model", "b-1-1.keras"), ("model", "b-1-2.keras"), ("model", "b-1-3.keras")]
