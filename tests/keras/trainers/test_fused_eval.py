"""`evaluate`'s fused step (sparse crossentropy and accuracy) gives Keras's numbers, and steps aside where it does not apply.

Every case is evaluated by capas and by the `keras` package (torch backend) with the same
weights and data; `_fused(model)` says whether capas took the fused step.
"""

import numpy as np
import pytest

from capas import keras
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
