"""model.summary() against Keras 3's: the same rows (name, type, output shape, params, connections) and totals."""

import pytest

from capas import keras as ck
from tests.conftest import keras_reference


def _models(K):
    K.backend.clear_session()  # auto names (dense, dense_1, ...) start from scratch on both sides
    seq = K.Sequential(
        [
            K.Input((28, 28, 1)),
            K.layers.Conv2D(8, 3, activation="relu"),
            K.layers.BatchNormalization(),
            K.layers.MaxPooling2D(),
            K.layers.Flatten(),
            K.layers.Dropout(0.2),
            K.layers.Dense(10),
        ],
        name="seq",
    )
    x = K.Input((4,), name="x")
    left, right = K.layers.Dense(3, name="left")(x), K.layers.Dense(3, name="right")(x)
    joined = K.layers.Concatenate(name="cat")([left, right])
    func = K.Model(x, K.layers.Dense(1, name="out")(joined), name="func")
    rnn = K.Sequential(
        [
            K.Input((5,), dtype="int32"),
            K.layers.Embedding(100, 8, name="emb"),
            K.layers.LSTM(4, name="lstm"),
            K.layers.Dense(1, name="head"),
        ],
        name="rnn",
    )
    return {"seq": seq, "func": func, "rnn": rnn}


def _parse(text):
    rows, totals = [], []
    for line in text.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            if cells[2] or not rows:  # every real row has a "Param #"
                rows.append(cells)
            else:  # a wrapped continuation line
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
        elif line.strip().startswith(("Total params", "Trainable params", "Non-trainable params")):
            totals.append(line.strip())
    return rows, totals


def _summary(model):
    lines = []
    model.summary(print_fn=lambda text, line_break=False: lines.append(text))
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["seq", "func", "rnn"])
def test_summary_rows_match_keras(name, monkeypatch):
    keras = keras_reference()
    monkeypatch.setenv("COLUMNS", "200")  # Keras draws with rich: give it room so no cell wraps
    theirs = _parse(_summary(_models(keras)[name]))
    ours = _parse(_summary(_models(ck)[name]))
    assert theirs[0], "could not read Keras's summary table"
    assert ours == theirs
