"""CSVLogger: rows equal History; header and append behave as keras's."""

import csv

import pytest

from tests.keras.callbacks.conftest import make_model


def read(path, sep=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=sep))


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_rows_equal_history(ck, data, tmp_path, separator):
    x, y = data
    model = make_model(ck)
    path = tmp_path / "log.csv"
    history = model.fit(
        x,
        y,
        epochs=3,
        batch_size=8,
        validation_data=(x, y),
        verbose=0,
        callbacks=[ck.callbacks.CSVLogger(path, separator=separator)],
    )
    rows = read(path, separator)
    keys = sorted(history.history)
    assert rows[0] == ["epoch"] + keys
    assert len(rows) == 4
    for epoch, row in enumerate(rows[1:]):
        assert int(row[0]) == epoch
        assert [float(v) for v in row[1:]] == [history.history[k][epoch] for k in keys]


def test_without_validation_val_columns_are_na(ck, data, tmp_path):
    x, y = data
    path = tmp_path / "log.csv"
    make_model(ck).fit(x, y, epochs=2, verbose=0, callbacks=[ck.callbacks.CSVLogger(str(path))])
    rows = read(path)
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert rows[1][3:] == ["NA", "NA"]


def test_append_writes_header_once(ck, data, tmp_path):
    x, y = data
    path = tmp_path / "log.csv"
    model = make_model(ck)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[ck.callbacks.CSVLogger(str(path), append=True)])
    model.fit(x, y, epochs=1, verbose=0, callbacks=[ck.callbacks.CSVLogger(str(path), append=True)])
    rows = read(path)
    assert [r[0] for r in rows] == ["epoch", "0", "1", "0"]
    model.fit(x, y, epochs=1, verbose=0, callbacks=[ck.callbacks.CSVLogger(str(path))])
    assert [r[0] for r in read(path)] == ["epoch", "0"]


def test_flushed_after_each_epoch(ck, data, tmp_path):
    x, y = data
    path = tmp_path / "log.csv"
    seen = []

    class Peek(ck.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(len(read(path)))

    make_model(ck).fit(x, y, epochs=3, verbose=0, callbacks=[ck.callbacks.CSVLogger(str(path)), Peek()])
    assert seen == [2, 3, 4]


def test_same_file_as_keras(ck, tmp_path):
    """Driven with the same logs, keras's CSVLogger writes the same bytes."""
    keras = pytest.importorskip("keras")
    logs = [{"loss": 0.5, "acc": 0.25, "val_loss": 0.75}, {"loss": 0.125, "acc": 0.5, "val_loss": 0.5}]

    def write(cls, path):
        logger = cls(str(path), separator=";")
        logger.on_train_begin()
        for epoch, entry in enumerate(logs):
            logger.on_epoch_end(epoch, dict(entry))
        logger.on_train_end()
        return path.read_bytes()

    assert write(ck.callbacks.CSVLogger, tmp_path / "a.csv") == write(keras.callbacks.CSVLogger, tmp_path / "b.csv")
