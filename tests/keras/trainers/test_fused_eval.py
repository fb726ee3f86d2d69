"""`evaluate`'s fused step (sparse crossentropy and accuracy) gives Keras's numbers, and steps aside where it does not apply.

Every case is evaluated by capas and by the `keras` package (torch backend) with the same
weights and data; `_fused(model)` says whether capas took the fused step.
"""

import numpy as np
import pytest

from capas import keras
from capas.keras.layers.core import dense as dense_module
from tests.conftest import keras_reference

N, FEATURES, CLASSES = 300, 20, 10


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, FEATURES)).astype("float32")
    y = rng.integers(0, CLASSES, N)
    return x, y


def _build(lib, activation, extra_layer=None):
    inputs = lib.Input((FEATURES,))
    h = lib.layers.Dense(16, activation="relu")(inputs)
    if extra_layer is not None:
        h = extra_layer(h)
    return lib.Model(inputs, lib.layers.Dense(CLASSES, activation=activation)(h))


def _pair(loss, metrics, activation="softmax", capas_extra=None, keras_extra=None):
    ref = keras_reference()
    model = _build(keras, activation, capas_extra)
    reference = _build(ref, activation, keras_extra)
    reference.set_weights(model.get_weights())
    model.compile("sgd", loss(keras) if callable(loss) else loss, metrics=metrics)
    reference.compile("sgd", loss(ref) if callable(loss) else loss, metrics=metrics)
    return model, reference


def _fused(model):
    return model._step_function(training=False)._current_plan() is not None  # the plan the next batch takes


def _assert_same(got, want):
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == pytest.approx(want[name], rel=1e-5, abs=1e-6), name


LOSSES = {
    "softmax_output": ("sparse_categorical_crossentropy", "softmax"),
    "from_logits": (lambda lib: lib.losses.SparseCategoricalCrossentropy(from_logits=True), None),
    "loss_object_on_softmax": (lambda lib: lib.losses.SparseCategoricalCrossentropy(), "softmax"),
}


@pytest.mark.parametrize("batch_size", [32, N], ids=["ragged_batches", "one_batch"])
@pytest.mark.parametrize("metrics", [["accuracy"], ["sparse_categorical_accuracy"], []], ids=["acc", "sca", "none"])
@pytest.mark.parametrize("case", sorted(LOSSES))
def test_fused_evaluate_matches_keras(case, metrics, batch_size):
    loss, activation = LOSSES[case]
    model, reference = _pair(loss, metrics, activation)
    x, y = _data()
    got = model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    want = reference.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
    assert _fused(model)
    _assert_same(got, want)


def test_fused_and_general_steps_give_the_same_logs():
    model, _ = _pair("sparse_categorical_crossentropy", ["accuracy"])
    x, y = _data(1)
    fused = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    assert _fused(model)
    general = model.evaluate(x, y, sample_weight=np.ones(N, "float32"), batch_size=64, verbose=0, return_dict=True)
    assert general["accuracy"] == fused["accuracy"]
    assert general["loss"] == pytest.approx(fused["loss"], rel=1e-6)


@pytest.mark.parametrize(
    "labels",
    [lambda y: y.reshape(-1, 1), lambda y: y.astype("int32"), lambda y: y.astype("float32")],
    ids=["column", "int32", "float"],
)
def test_other_label_layouts_take_the_general_step_with_keras_numbers(labels):
    model, reference = _pair("sparse_categorical_crossentropy", ["accuracy"])
    x, y = _data(2)
    got = model.evaluate(x, labels(y), batch_size=50, verbose=0, return_dict=True)
    want = reference.evaluate(x, labels(y), batch_size=50, verbose=0, return_dict=True)
    _assert_same(got, want)


def test_sample_weights_and_other_metrics_take_the_general_step():
    model, reference = _pair("sparse_categorical_crossentropy", ["accuracy", "sparse_top_k_categorical_accuracy"])
    x, y = _data(3)
    weights = np.random.default_rng(4).uniform(0.5, 2.0, N).astype("float32")
    got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    want = reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    assert not _fused(model)
    _assert_same(got, want)
    got = model.evaluate(x, y, sample_weight=weights, batch_size=64, verbose=0, return_dict=True)
    want = reference.evaluate(x, y, sample_weight=weights, batch_size=64, verbose=0, return_dict=True)
    _assert_same(got, want)


def test_add_loss_terms_are_counted():
    ref = keras_reference()

    def penalty(lib):
        class Penalty(lib.layers.Layer):
            def call(self, inputs):
                self.add_loss(0.25 * lib.ops.mean(lib.ops.square(inputs)))
                return inputs

        return Penalty()

    model, reference = _pair(
        "sparse_categorical_crossentropy", ["accuracy"], capas_extra=penalty(keras), keras_extra=penalty(ref)
    )
    x, y = _data(5)
    got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    want = reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    _assert_same(got, want)


def test_recompiling_replans():
    model, reference = _pair("sparse_categorical_crossentropy", ["accuracy"])
    x, y = _data(6)
    model.evaluate(x, y, batch_size=64, verbose=0)
    assert _fused(model)
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["sparse_top_k_categorical_accuracy"])
    reference.compile("sgd", "sparse_categorical_crossentropy", metrics=["sparse_top_k_categorical_accuracy"])
    got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    want = reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    assert not _fused(model)
    _assert_same(got, want)
    model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
    model.evaluate(x, y, batch_size=64, verbose=0)
    assert _fused(model)


@pytest.mark.parametrize("bad", [CLASSES, -1, -100])
def test_an_out_of_range_label_is_named_and_nothing_is_counted(bad):
    model, _ = _pair("sparse_categorical_crossentropy", ["accuracy"])
    x, y = _data(7)
    model.evaluate(x, y, batch_size=64, verbose=0)  # plans the fused step
    y = y.copy()
    y[100] = bad
    with pytest.raises(ValueError, match=rf"label value of {bad}, outside the valid range \[0, {CLASSES - 1}\]"):
        model.evaluate(x, y, batch_size=64, verbose=0)
    tracker = model.metrics[0]
    assert float(tracker.count) == 64.0  # the first batch counted; not the second (the bad label's)


def test_the_fused_step_runs_in_fit_validation():
    model, reference = _pair("sparse_categorical_crossentropy", ["accuracy"])
    x, y = _data(8)
    history = model.fit(x, y, batch_size=64, epochs=1, validation_split=0.25, shuffle=False, verbose=0)
    assert _fused(model)
    reference_history = reference.fit(x, y, batch_size=64, epochs=1, validation_split=0.25, shuffle=False, verbose=0)
    for name in ("val_loss", "val_accuracy", "loss", "accuracy"):
        assert history.history[name][0] == pytest.approx(reference_history.history[name][0], rel=1e-4), name


def _output_dense(model):
    plan = model._step_function(training=False)._current_plan()
    return plan[2] if plan is not None else None


def test_the_output_softmax_layer_gives_logits_to_the_step_and_probabilities_to_predict():
    model, reference = _pair("sparse_categorical_crossentropy", ["accuracy"])
    x, y = _data(9)
    got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    assert _output_dense(model) is model.layers[-1]
    _assert_same(got, reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True))
    probabilities = model.predict(x, batch_size=64, verbose=0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(probabilities, reference.predict(x, batch_size=64, verbose=0), rtol=1e-5, atol=1e-7)
    assert dense_module.LOGITS_OUT.layer is None and dense_module.LOGITS_OUT.taken is None


def test_a_sequential_model_and_a_subclassed_one():
    ref = keras_reference()
    x, y = _data(10)

    def sequential(lib):
        return lib.Sequential(
            [
                lib.Input((FEATURES,)),
                lib.layers.Dense(16, activation="relu"),
                lib.layers.Dense(CLASSES, activation="softmax"),
            ]
        )

    class Subclassed(keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = keras.layers.Dense(16, activation="relu")
            self.out = keras.layers.Dense(CLASSES, activation="softmax")

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    reference = sequential(ref)
    reference.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    for model, takes_logits in ((sequential(keras), True), (Subclassed(), False)):
        model(x[:1])
        model.set_weights(reference.get_weights())
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
        got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
        assert _fused(model)
        assert (_output_dense(model) is not None) is takes_logits
        _assert_same(got, reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True))


def test_a_softmax_inside_the_model_stays_probabilities():
    ref = keras_reference()

    def build(lib):
        inputs = lib.Input((FEATURES,))
        attention = lib.layers.Dense(FEATURES, activation="softmax")(inputs)
        weighted = lib.layers.Multiply()([inputs, attention])
        return lib.Model(inputs, lib.layers.Dense(CLASSES, activation="softmax")(weighted))

    model, reference = build(keras), build(ref)
    reference.set_weights(model.get_weights())
    for m in (model, reference):
        m.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _data(11)
    got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    assert _output_dense(model) is model.layers[-1]
    _assert_same(got, reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True))


def test_a_shared_output_layer_is_not_asked_for_logits():
    shared = keras.layers.Dense(FEATURES, activation="softmax")
    inputs = keras.Input((FEATURES,))
    model = keras.Model(inputs, shared(shared(inputs)))
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _data(12)
    y = y % FEATURES
    before = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    assert _fused(model) and _output_dense(model) is None
    probabilities = model.predict(x, verbose=0)
    expected = keras.losses.SparseCategoricalCrossentropy()(y, probabilities)
    assert before["loss"] == pytest.approx(float(expected), rel=1e-5)


def test_an_output_layer_also_called_inside_another_layer_runs_the_model_as_it_is():
    head = keras.layers.Dense(CLASSES, activation="softmax")

    class Peek(keras.layers.Layer):
        """Calls the output layer on its input first (a distillation-style side computation)."""

        def call(self, inputs):
            probabilities = head(inputs[:, :16])
            return inputs[:, :16] + 0.0 * probabilities.sum()

    inputs = keras.Input((FEATURES,))
    model = keras.Model(inputs, head(Peek()(inputs)))
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _data(13)
    got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    probabilities = model.predict(x, verbose=0)
    assert got["loss"] == pytest.approx(float(keras.losses.SparseCategoricalCrossentropy()(y, probabilities)), rel=1e-5)
    assert got["accuracy"] == pytest.approx(float(np.mean(probabilities.argmax(1) == y)))


def test_logits_closer_than_float32_probabilities_count_as_the_larger_one():
    # The documented difference (docs/differences.md): the probabilities of 0.1 and the next float32
    # round to the same value, so Keras's argmax of the probabilities takes class 0; capas takes the
    # argmax of the logits, class 1.
    ref = keras_reference()
    bias = np.array([0.1, np.nextafter(np.float32(0.1), np.float32(1))] + [-5.0] * 8, "float32")
    kernel = np.zeros((FEATURES, CLASSES), "float32")
    model = keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(CLASSES, activation="softmax")])
    reference = ref.Sequential([ref.Input((FEATURES,)), ref.layers.Dense(CLASSES, activation="softmax")])
    for m in (model, reference):
        m.set_weights([kernel, bias])
        m.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, _ = _data(14)
    y = np.zeros(N, "int64")
    model.evaluate(x, y, batch_size=64, verbose=0)  # a model's first batch builds its metrics on the general path
    got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    want = reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    assert want["accuracy"] == 1.0 and got["accuracy"] == 0.0
    assert got["loss"] == pytest.approx(want["loss"], rel=1e-5)


def test_an_activity_regularizer_on_the_output_sees_probabilities():
    ref = keras_reference()

    def build(lib):
        inputs = lib.Input((FEATURES,))
        h = lib.layers.Dense(16, activation="relu")(inputs)
        out = lib.layers.Dense(CLASSES, activation="softmax", activity_regularizer=lib.regularizers.L2(0.5))(h)
        return lib.Model(inputs, out)

    model, reference = build(keras), build(ref)
    reference.set_weights(model.get_weights())
    for m in (model, reference):
        m.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = _data(15)
    model.evaluate(x, y, batch_size=64, verbose=0)
    got = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    _assert_same(got, reference.evaluate(x, y, batch_size=64, verbose=0, return_dict=True))
