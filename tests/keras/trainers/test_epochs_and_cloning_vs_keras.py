"""validation_freq, initial_epoch and clone_model, compared with the `keras` package (torch backend):
which epochs run and validate, the History, the callbacks' epoch numbers, and the numbers."""

import numpy as np
import pytest

from capas import keras


@pytest.fixture
def ref():
    return pytest.importorskip("keras")


def _model(lib):
    inputs = lib.Input((6,), name="x")
    h = lib.layers.Dense(8, activation="relu", name="h")(inputs)
    return lib.Model(inputs, lib.layers.Dense(3, activation="softmax", name="out")(h), name="net")


def _data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype("float32")
    return x, np.argmax(x[:, :3], axis=1)


def _pair(ref, learning_rate=0.1):
    ours, theirs = _model(keras), _model(ref)
    theirs.set_weights(ours.get_weights())
    ours.compile(keras.optimizers.SGD(learning_rate), "sparse_categorical_crossentropy", metrics=["accuracy"])
    theirs.compile(ref.optimizers.SGD(learning_rate), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return ours, theirs


class _Epochs:
    def __init__(self, lib):
        class Recorder(lib.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.events = []

            def on_epoch_begin(self, epoch, logs=None):
                self.events.append(("begin", epoch))

            def on_test_begin(self, logs=None):
                self.events.append(("test",))

            def on_epoch_end(self, epoch, logs=None):
                self.events.append(("end", epoch, sorted(logs)))

        self.callback = Recorder()


def _fit_both(ref, **kwargs):
    x, y = _data()
    vx, vy = _data(24, seed=1)
    ours, theirs = _pair(ref)
    rec_ours, rec_theirs = _Epochs(keras).callback, _Epochs(ref).callback
    h1 = ours.fit(
        x, y, batch_size=16, shuffle=False, validation_data=(vx, vy), verbose=0, callbacks=[rec_ours], **kwargs
    )
    h2 = theirs.fit(
        x, y, batch_size=16, shuffle=False, validation_data=(vx, vy), verbose=0, callbacks=[rec_theirs], **kwargs
    )
    assert rec_ours.events == rec_theirs.events
    assert h1.epoch == h2.epoch
    assert set(h1.history) == set(h2.history)
    for key in h2.history:
        assert len(h1.history[key]) == len(h2.history[key]), key
        np.testing.assert_allclose(h1.history[key], h2.history[key], rtol=1e-5, atol=1e-6, err_msg=key)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    return h1, rec_ours.events


def test_validation_freq_validates_every_nth_epoch(ref):
    history, events = _fit_both(ref, epochs=5, validation_freq=2)
    assert len(history.history["val_loss"]) == 2 and len(history.history["loss"]) == 5
    assert events.count(("test",)) == 2


def test_validation_freq_as_a_list_of_epochs(ref):
    history, events = _fit_both(ref, epochs=4, validation_freq=[1, 4])
    assert len(history.history["val_loss"]) == 2
    assert events[:2] == [("begin", 0), ("test",)]


def test_initial_epoch_runs_the_remaining_epochs(ref):
    history, events = _fit_both(ref, epochs=4, initial_epoch=2)
    assert history.epoch == [2, 3]
    assert [e[1] for e in events if e[0] == "begin"] == [2, 3]


def test_initial_epoch_with_validation_freq_counts_absolute_epochs(ref):
    history, _ = _fit_both(ref, epochs=5, initial_epoch=1, validation_freq=2)
    assert history.epoch == [1, 2, 3, 4]
    assert len(history.history["val_loss"]) == 2  # after epochs 2 and 4 (1-based), as Keras counts


def test_initial_epoch_at_or_past_epochs_trains_nothing(ref):
    x, y = _data()
    ours, theirs = _pair(ref)
    before = [w.copy() for w in ours.get_weights()]
    h1 = ours.fit(x, y, epochs=2, initial_epoch=2, verbose=0)
    h2 = theirs.fit(x, y, epochs=2, initial_epoch=2, verbose=0)
    assert h1.epoch == h2.epoch == []
    assert h1.history == h2.history == {}
    for a, b in zip(ours.get_weights(), before):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kind", ["functional", "sequential"])
def test_clone_model_is_the_same_architecture_with_fresh_weights(ref, kind):
    def build(lib):
        if kind == "sequential":
            return lib.Sequential(
                [
                    lib.Input((6,)),
                    lib.layers.Dense(8, activation="relu", name="h"),
                    lib.layers.Dropout(0.5, name="drop"),
                    lib.layers.Dense(3, name="out"),
                ]
            )
        return _model(lib)

    ours, theirs = build(keras), build(ref)
    theirs.set_weights(ours.get_weights())
    ours.compile("sgd", "mse")
    clone_ours, clone_theirs = keras.models.clone_model(ours), ref.models.clone_model(theirs)
    assert [type(layer).__name__ for layer in clone_ours.layers] == [
        type(layer).__name__ for layer in clone_theirs.layers
    ]
    assert [layer.name for layer in clone_ours.layers] == [layer.name for layer in clone_theirs.layers]
    assert clone_ours.count_params() == clone_theirs.count_params() == ours.count_params()
    assert clone_ours.compiled is False  # as Keras: a clone is not compiled
    assert all(a is not b for a, b in zip(clone_ours.weights, ours.weights))
    assert any(not np.array_equal(a, b) for a, b in zip(clone_ours.get_weights(), ours.get_weights()))
    clone_ours.set_weights(ours.get_weights())
    clone_theirs.set_weights(ours.get_weights())
    x, _ = _data(10)
    np.testing.assert_allclose(
        clone_ours.predict(x, verbose=0), clone_theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(clone_ours.predict(x, verbose=0), ours.predict(x, verbose=0), rtol=1e-6)
    # Training the clone leaves the original alone.
    clone_ours.compile("sgd", "mse")
    clone_ours.fit(x, np.ones((10, 3), "float32"), epochs=1, verbose=0)
    for a, b in zip(ours.get_weights(), clone_theirs.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_clone_model_of_a_trained_model_then_trained_matches_keras(ref):
    x, y = _data()
    ours, theirs = _pair(ref)
    ours.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    theirs.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    clone_ours, clone_theirs = keras.models.clone_model(ours), ref.models.clone_model(theirs)
    clone_ours.set_weights(ours.get_weights())
    clone_theirs.set_weights(ours.get_weights())
    clone_ours.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
    clone_theirs.compile(ref.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
    h1 = clone_ours.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    h2 = clone_theirs.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-5)
    for a, b in zip(clone_ours.get_weights(), clone_theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
