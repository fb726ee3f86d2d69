"""`predict` and `evaluate` run a chain of plain layers as the layers' kernels (`models._inference_chain`).

The numbers are Keras's (the `keras` package, torch backend, same weights and data); the chain is
taken where it applies and the model's call runs where it does not, with the same results and errors.
"""

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras.layers.core.dense import Dense
from capas.keras.models import _inference_chain
from tests.conftest import keras_reference

N, FEATURES, CLASSES = 45, 12, 5


def _data(shape=(N, FEATURES), seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape).astype("float32"), rng.integers(0, CLASSES, shape[0])


def _functional(lib, activations):
    inputs = lib.Input((FEATURES,))
    h = inputs
    for i, activation in enumerate(activations):
        h = lib.layers.Dense(8 if i < len(activations) - 1 else CLASSES, activation=activation)(h)
        if i == 0:
            h = lib.layers.Dropout(0.5)(h)
    return lib.Model(inputs, h)


def _sequential(lib):
    return lib.Sequential(
        [
            lib.Input((3, 4)),
            lib.layers.Flatten(),
            lib.layers.Dense(16, activation="relu"),
            lib.layers.Dropout(0.2),
            lib.layers.Dense(CLASSES, activation="softmax"),
        ]
    )


def _activation_layers(lib):
    inputs = lib.Input((FEATURES,))
    h = lib.layers.Activation("relu")(lib.layers.Dense(8)(inputs))
    h = lib.layers.Identity()(h)
    return lib.Model(inputs, lib.layers.Activation("softmax")(lib.layers.Dense(CLASSES)(h)))


def _cnn(lib):
    return lib.Sequential(
        [
            lib.Input((8, 8, 2)),
            lib.layers.Rescaling(0.5, offset=0.1),
            lib.layers.Conv2D(4, 3, padding="same", activation="relu"),
            lib.layers.BatchNormalization(),
            lib.layers.MaxPooling2D(),
            lib.layers.Conv2D(6, 3),
            lib.layers.Reshape((2, 2, 6)),
            lib.layers.GlobalAveragePooling2D(),
            lib.layers.Dense(CLASSES, activation="softmax"),
        ]
    )


def _no_bias(lib):
    inputs = lib.Input((FEATURES,))
    return lib.Model(inputs, lib.layers.Dense(CLASSES, use_bias=False, activation="sigmoid")(inputs))


# name: (builder, input shape, kernels in the chain, whether the output is a softmax)
MODELS = {
    "functional_relu_softmax": (lambda lib: _functional(lib, ["relu", "relu", "softmax"]), (N, FEATURES), 3, True),
    "functional_tanh_linear": (lambda lib: _functional(lib, ["tanh", None]), (N, FEATURES), 2, False),
    "functional_gelu_sigmoid": (lambda lib: _functional(lib, ["gelu", "sigmoid"]), (N, FEATURES), 2, False),
    "sequential_flatten_dropout": (_sequential, (N, 3, 4), 3, True),
    "no_bias": (_no_bias, (N, FEATURES), 1, False),
    "activation_and_identity_layers": (_activation_layers, (N, FEATURES), 4, True),
    "cnn": (_cnn, (N, 8, 8, 2), 8, True),
}


@pytest.mark.parametrize("case", sorted(MODELS))
def test_predict_and_evaluate_through_the_chain_match_keras(case):
    make, shape, kernels, softmax = MODELS[case]
    ref = keras_reference()
    model, reference = make(keras), make(ref)
    rng = np.random.default_rng(2)  # moving statistics and all: nothing left at its initial value
    weights = [
        (w + rng.normal(0.0, 0.1, w.shape)).astype("float32") for w in model.get_weights()
    ]  # the crossentropy's clip is not hit: Keras on torch clips, tf.keras and capas read the logits
    weights = [np.abs(w) if "variance" in v.name else w for w, v in zip(weights, model.weights)]
    model.set_weights(weights)
    reference.set_weights(weights)
    chain = _inference_chain.build(model)
    assert chain is not None and len(chain.fns) == kernels  # Dropout is left out: the identity
    x, y = _data(shape)
    np.testing.assert_allclose(
        model.predict(x, batch_size=16, verbose=0), reference.predict(x, batch_size=16, verbose=0), rtol=1e-5, atol=1e-6
    )
    # a softmax output: evaluate's fused crossentropy and accuracy; other outputs: the general step
    loss, metrics, target = ("sparse_categorical_crossentropy", ["accuracy"], y) if softmax else ("mse", ["mae"], None)
    if target is None:
        target = _data((N, CLASSES), seed=1)[0]
    model.compile("sgd", loss, metrics=metrics)
    reference.compile("sgd", loss, metrics=metrics)
    got = model.evaluate(x, target, batch_size=16, verbose=0, return_dict=True)
    want = reference.evaluate(x, target, batch_size=16, verbose=0, return_dict=True)
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == pytest.approx(want[name], rel=1e-5, abs=1e-6), name


def _counting_dense_calls(monkeypatch):
    calls = []
    original = Dense.call

    def call(self, inputs):
        calls.append(self.name)
        return original(self, inputs)

    monkeypatch.setattr(Dense, "call", call)
    return calls


def test_predict_and_evaluate_run_the_chain_not_the_layer_calls(monkeypatch):
    model = _functional(keras, ["relu", "softmax"])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _data()
    model.evaluate(x, y, batch_size=16, verbose=0)  # builds the compiled loss and metrics
    calls = _counting_dense_calls(monkeypatch)
    model.predict(x, batch_size=16, verbose=0)
    model.evaluate(x, y, batch_size=16, verbose=0)
    assert calls == []
    model(x[:2])  # a direct call still runs the layers
    assert len(calls) == 2


def _branched(lib):
    inputs = lib.Input((FEATURES,))
    a, b = lib.layers.Dense(4)(inputs), lib.layers.Dense(4)(inputs)
    return lib.Model(inputs, lib.layers.Dense(CLASSES)(lib.layers.Add()([a, b])))


def _two_inputs(lib):
    a, b = lib.Input((FEATURES,)), lib.Input((FEATURES,))
    return lib.Model([a, b], lib.layers.Dense(CLASSES)(lib.layers.Concatenate()([a, b])))


def _with(layer):
    def make(lib):
        inputs = lib.Input((FEATURES,))
        return lib.Model(inputs, layer()(lib.layers.Dense(8)(inputs)))

    return make


class _OwnCall(Dense):
    def call(self, inputs):
        return super().call(inputs) * 2.0


class _OwnModelCall(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(CLASSES)

    def call(self, inputs):
        return self.dense(inputs)


def _lora(lib):
    model = _functional(lib, ["relu", None])
    model.layers[1].enable_lora(2)
    return model


def _mixed(lib):
    inputs = lib.Input((FEATURES,))
    return lib.Model(inputs, lib.layers.Dense(CLASSES, dtype="mixed_bfloat16")(inputs))


def _call_replaced_on_the_instance(lib):
    model = _functional(lib, ["relu", None])
    layer = model.layers[-1]
    original = layer.call
    layer.call = lambda inputs: original(inputs) + 1.0
    return model


GENERAL_PATH = {
    "call_replaced_on_the_instance": _call_replaced_on_the_instance,
    "branched": _branched,
    "two_inputs": _two_inputs,
    "dense_subclass_with_its_own_call": _with(lambda: _OwnCall(CLASSES)),
    "activity_regularizer": _with(lambda: keras.layers.Dense(CLASSES, activity_regularizer="l2")),
    "layer_without_inference_fn": _with(lambda: keras.layers.LayerNormalization()),
    "lora": _lora,
    "mixed_precision": _mixed,
    "model_with_its_own_call": lambda lib: _OwnModelCall(),
}


@pytest.mark.parametrize("case", sorted(GENERAL_PATH))
def test_models_the_chain_does_not_cover_run_their_call(case):
    model = GENERAL_PATH[case](keras)
    x, _ = _data()
    expected = model([x, x] if case == "two_inputs" else x, training=False)
    assert _inference_chain.build(model) is None
    got = model.predict([x, x] if case == "two_inputs" else x, batch_size=N, verbose=0)
    np.testing.assert_allclose(got, expected.detach().float().numpy(), rtol=1e-6)


def test_a_batch_the_chain_cannot_take_runs_the_models_call():
    model = _functional(keras, ["relu", "softmax"])
    x, _ = _data()
    want = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.predict(x.astype("float64"), verbose=0), want, rtol=1e-6)
    with pytest.raises(ValueError, match=r"expects shape .*12.*received an input of shape \(32, 7\)"):
        model.predict(np.zeros((N, 7), "float32"), verbose=0)
    chain = _inference_chain.build(model)
    with torch.inference_mode():
        assert torch.equal(chain(torch.from_numpy(x).double()), model(torch.from_numpy(x).double(), training=False))


def test_weights_assigned_during_predict_are_seen_by_later_batches():
    model = _functional(keras, ["relu", "softmax"])
    x, _ = _data()
    last = model.layers[-1]

    class ZeroTheLastKernel(keras.callbacks.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            if batch == 0:
                last.kernel.assign(np.zeros(last.kernel.shape, "float32"))

    got = model.predict(x, batch_size=15, verbose=0, callbacks=[ZeroTheLastKernel()])
    after = model(x, training=False).numpy()
    np.testing.assert_allclose(got[15:], after[15:], rtol=1e-6)
    assert not np.allclose(got[:15], after[:15])


def test_predict_clears_add_loss_terms_as_a_call_does():
    model = _functional(keras, ["relu", None])
    x, _ = _data()
    model.layers[1].add_loss(torch.tensor(1.0))
    assert len(model.losses) == 1
    model.predict(x, verbose=0)
    assert model.losses == []


def test_evaluate_holds_the_chain_only_while_it_runs():
    model = _functional(keras, ["relu", "softmax"])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _data()
    seen = []

    class Nested(keras.callbacks.Callback):
        def on_test_batch_end(self, batch, logs=None):
            step = self.model._step_function(training=False)
            seen.append(step.chain is not None)
            if batch == 0 and len(seen) == 1:
                self.model.evaluate(x[:5], y[:5], verbose=0)  # a nested loop gives the chain back
                seen.append(step.chain is not None)

    model.evaluate(x, y, batch_size=16, verbose=0, callbacks=[Nested()])
    assert seen == [True, True, True, True]
    assert model._step_function(training=False).chain is None
