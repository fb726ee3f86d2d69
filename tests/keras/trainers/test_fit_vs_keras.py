"""compile/fit/evaluate/predict against the keras reference, and the loop's contracts.

Path covered: the models end in softmax/sigmoid with a `from_logits=False` crossentropy, so capas
takes the fused path (loss from the logits, as tf.keras); Keras 3 on torch takes the clipped one.
The data keep the probabilities inside the clip, where both agree. Saturated outputs, where only
the fused path matches TensorFlow, are in `test_fused_loss.py` (TF-recorded goldens).
"""

import warnings

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from capas.keras import layers


def mlp(lib, units=(16, 3), activation="softmax"):
    inputs = lib.Input(shape=(8,), name="x")
    h = lib.layers.Dense(units[0], activation="relu", name="h")(inputs)
    outputs = lib.layers.Dense(units[1], activation=activation, name="out")(h)
    return lib.Model(inputs, outputs)


def data(n=96, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    y = np.argmax(x @ rng.normal(size=(8, classes)), axis=1).astype("int64")
    return x, y


@pytest.fixture
def ref():
    return pytest.importorskip("keras")


@pytest.mark.parametrize(
    "optimizer,kwargs",
    [
        ("SGD", {"learning_rate": 0.1}),
        ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
        ("RMSprop", {"learning_rate": 1e-3}),
        ("Adam", {"learning_rate": 1e-2}),
    ],
)
def test_training_matches_keras(ref, optimizer, kwargs):
    x, y = data()
    ours, theirs = mlp(keras), mlp(ref)
    theirs.set_weights(ours.get_weights())
    ours.compile(
        getattr(keras.optimizers, optimizer)(**kwargs), "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    theirs.compile(
        getattr(ref.optimizers, optimizer)(**kwargs), "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    h1 = ours.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    h2 = theirs.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    assert set(h1.history) == set(h2.history) == {"loss", "accuracy"}
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(h1.history["accuracy"], h2.history["accuracy"], atol=1e-6)
    e1 = ours.evaluate(x, y, batch_size=32, verbose=0)
    e2 = theirs.evaluate(x, y, batch_size=32, verbose=0)
    np.testing.assert_allclose(e1, e2, rtol=1e-5)


def test_sample_weight_class_weight_and_validation_match_keras(ref):
    x, y = data()
    sw = np.linspace(0.5, 1.5, len(y)).astype("float32")
    ours, theirs = mlp(keras), mlp(ref)
    theirs.set_weights(ours.get_weights())
    for m, lib in ((ours, keras), (theirs, ref)):
        m.compile(
            lib.optimizers.SGD(0.1),
            "sparse_categorical_crossentropy",
            metrics=["sparse_categorical_accuracy"],
            weighted_metrics=["sparse_categorical_accuracy"],
        )
    kw = dict(
        batch_size=16, epochs=2, shuffle=False, verbose=0, validation_split=0.25, class_weight={0: 1.0, 1: 2.0, 2: 0.5}
    )
    h1 = ours.fit(x, y, **kw)
    h2 = theirs.fit(x, y, **kw)
    assert set(h1.history) == set(h2.history)
    for key in h2.history:
        np.testing.assert_allclose(h1.history[key], h2.history[key], rtol=1e-5, atol=1e-6, err_msg=key)
    r1 = ours.evaluate(x, y, sample_weight=sw, verbose=0, return_dict=True)
    r2 = theirs.evaluate(x, y, sample_weight=sw, verbose=0, return_dict=True)
    assert set(r1) == set(r2)
    for key in r2:
        np.testing.assert_allclose(r1[key], r2[key], rtol=1e-5, err_msg=key)


def test_multi_output_losses_and_metrics_match_keras(ref):
    def two_heads(lib):
        inputs = lib.Input((8,), name="x")
        h = lib.layers.Dense(8, activation="relu", name="h")(inputs)
        a = lib.layers.Dense(3, activation="softmax", name="cls")(h)
        b = lib.layers.Dense(1, name="reg")(h)
        return lib.Model(inputs, {"cls": a, "reg": b})

    x, y = data()
    yr = x[:, :1] * 2
    ours, theirs = two_heads(keras), two_heads(ref)
    theirs.set_weights(ours.get_weights())
    for m, lib in ((ours, keras), (theirs, ref)):
        m.compile(
            lib.optimizers.SGD(0.05),
            loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
            loss_weights={"cls": 1.0, "reg": 0.5},
            metrics={"cls": ["accuracy"]},
        )
    h1 = ours.fit(x, {"cls": y, "reg": yr}, batch_size=32, epochs=2, shuffle=False, verbose=0)
    h2 = theirs.fit(x, {"cls": y, "reg": yr}, batch_size=32, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_accuracy_string_resolves_by_loss_and_shape():
    x, y = data()
    for loss, target, expected in (
        ("sparse_categorical_crossentropy", y, "SparseCategoricalAccuracy"),
        ("categorical_crossentropy", np.eye(3, dtype="float32")[y], "CategoricalAccuracy"),
    ):
        m = mlp(keras)
        m.compile("sgd", loss, metrics=["acc"])
        m.fit(x, target, epochs=1, verbose=0)
        assert type(m.metrics[1].metrics[0]).__name__ == expected and m.metrics[1].metrics[0].name == "acc"
    m = mlp(keras, units=(4, 1), activation="sigmoid")
    m.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    m.fit(x, (y > 0).astype("float32"), epochs=1, verbose=0)
    assert type(m.metrics[1].metrics[0]).__name__ == "BinaryAccuracy"


def test_inputs_as_dict_dataset_dataloader_and_generator():
    x, y = data()
    m = mlp(keras)
    m.compile("adam", "sparse_categorical_crossentropy")
    m.fit({"x": x}, y, epochs=1, verbose=0)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(96).batch(16)
    assert len(m.fit(ds, epochs=2, verbose=0).history["loss"]) == 2
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=32
    )
    m.fit(loader, epochs=1, verbose=0)

    def gen():
        while True:
            yield x[:16], y[:16]

    h = m.fit(gen(), steps_per_epoch=3, epochs=2, verbose=0)
    assert len(h.history["loss"]) == 2
    assert m.predict(ds.map(lambda a, b: a), verbose=0).shape == (96, 3)


def test_on_batch_methods():
    x, y = data()
    m = mlp(keras)
    m.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = m.train_on_batch(x[:16], y[:16])
    assert np.isfinite(loss) and 0 <= acc <= 1
    assert set(m.test_on_batch(x[:16], y[:16], return_dict=True)) == {"loss", "accuracy"}
    assert m.predict_on_batch(x[:5]).shape == (5, 3)


def test_dropout_and_training_flag_in_fit_and_predict():
    inputs = keras.Input((8,))
    outputs = layers.Dropout(0.999)(inputs)
    m = keras.Model(inputs, outputs)
    x = np.ones((4, 8), "float32")
    np.testing.assert_array_equal(m.predict(x, verbose=0), x)
    assert float(np.abs(m(x, training=True).numpy()).sum()) != float(x.sum())


def test_fit_before_compile_is_explained():
    with pytest.raises(ValueError, match="compile"):
        mlp(keras).fit(*data(), verbose=0)


def test_x_y_length_mismatch_is_explained():
    x, y = data()
    m = mlp(keras)
    m.compile("sgd", "sparse_categorical_crossentropy")
    before = [w.copy() for w in m.get_weights()]
    with pytest.raises(ValueError, match="x has 96, y has 95"):
        m.fit(x, y[:-1], verbose=0)
    for a, b in zip(before, m.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_unknown_optimizer_lists_closest_names():
    with pytest.raises(ValueError, match="rmsprop"):
        mlp(keras).compile("rmsprob", "mse")


def test_nan_inputs_warn_but_train():
    x, y = data()
    x[0, 0] = np.nan
    m = mlp(keras)
    m.compile("sgd", "sparse_categorical_crossentropy")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.fit(x, y, epochs=1, verbose=0)
    assert any("NaN" in str(w.message) for w in caught)


def test_custom_train_step_with_gradient_tape():
    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(1)
            self.tracker = keras.metrics.Mean(name="loss")

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(self(x, training=True) - y))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            self.tracker.update_state(loss)
            return {"loss": self.tracker.result()}

        @property
        def metrics(self):
            return [self.tracker]

    x = np.random.rand(64, 8).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    m = Custom()
    m.compile(keras.optimizers.SGD(0.05))
    h = m.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]


def test_loss_backward_for_pytorch_users():
    m = mlp(keras)
    x, y = data()
    m(x[:1])
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    before = m.get_weights()[0].copy()
    with tf.record_gradients():
        loss = torch.nn.functional.nll_loss(torch.log(m(x)), torch.from_numpy(y))
    loss.backward()
    opt.step()
    assert not np.allclose(before, m.get_weights()[0])


def test_tf_keras2_style_train_step_with_compiled_loss_and_metrics():
    """The TF 2 tutorial's custom train_step: compiled_loss, compiled_metrics, {m.name: m.result()}."""

    class CustomModel(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            gradients = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = keras.Input(shape=(8,))
    outputs = layers.Dense(3, activation="softmax")(inputs)
    model = CustomModel(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = data()
    history = model.fit(x, y, epochs=3, verbose=0)
    assert "accuracy" in history.history
    assert history.history["accuracy"][-1] > 0


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", keras.losses.SparseCategoricalCrossentropy()])
def test_logits_given_to_a_probability_loss_warn_once(loss):
    x, y = data()
    inputs = keras.Input((8,))
    model = keras.Model(inputs, layers.Dense(3)(inputs))  # no softmax: outputs are logits
    model.compile("sgd", loss)
    with pytest.warns(UserWarning, match="from_logits=True"):
        model.fit(x, y, epochs=1, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model.fit(x, y, epochs=1, verbose=0)  # once only: no sync per step


def test_probabilities_do_not_warn():
    x, y = data()
    model = mlp(keras)
    model.compile("sgd", "sparse_categorical_crossentropy")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model.fit(x, y, epochs=1, verbose=0)
