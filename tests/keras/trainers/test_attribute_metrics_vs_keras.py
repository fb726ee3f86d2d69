"""Metrics held as layer attributes join `model.metrics`, as Keras 3 tracks them (compared with the
`keras` package, torch backend): fit resets and logs them, whether or not anything updates them."""

import numpy as np
import pytest

from capas import keras


@pytest.fixture
def ref():
    return pytest.importorskip("keras")


def _endpoint_class(lib):
    class Endpoint(lib.layers.Layer):
        """The keras-io endpoint layer: a loss added with add_loss and an attribute metric."""

        def __init__(self, updates, **kwargs):
            super().__init__(**kwargs)
            self.updates = updates
            self.loss_fn = lib.losses.BinaryCrossentropy(from_logits=True)
            self.accuracy_fn = lib.metrics.BinaryAccuracy(name="accuracy")

        def call(self, logits, targets):
            self.add_loss(self.loss_fn(targets, logits))
            if self.updates:
                self.accuracy_fn.update_state(targets, lib.ops.sigmoid(logits))
            return lib.ops.sigmoid(logits)

    return Endpoint


def _fit(lib, updates):
    x_in = lib.Input((4,), name="x")
    t_in = lib.Input((1,), name="t")
    logits = lib.layers.Dense(1, name="dense")(x_in)
    model = lib.Model([x_in, t_in], _endpoint_class(lib)(updates, name="endpoint")(logits, t_in))
    rng = np.random.default_rng(7)
    model.set_weights([rng.normal(size=(4, 1)).astype("float32"), np.zeros(1, "float32")])
    model.compile(lib.optimizers.SGD(0.1))
    rng = np.random.default_rng(3)
    data = {"x": rng.normal(size=(32, 4)).astype("float32"), "t": (rng.random((32, 1)) > 0.5).astype("float32")}
    history = model.fit(data, batch_size=8, epochs=2, verbose=0, shuffle=False)
    return model, history.history


@pytest.mark.parametrize("updates", [False, True], ids=["never-updated", "updated-in-call"])
def test_attribute_metric_is_logged_as_keras_logs_it(ref, updates):
    ours, ours_history = _fit(keras, updates)
    theirs, theirs_history = _fit(ref, updates)
    assert sorted(ours_history) == sorted(theirs_history)
    for name in theirs_history:
        np.testing.assert_allclose(ours_history[name], theirs_history[name], rtol=1e-5, atol=1e-6, err_msg=name)
    assert [m.name for m in ours.metrics] == [m.name for m in theirs.metrics]


def _tracked_class(lib):
    class Tracked(lib.Model):
        def __init__(self):
            super().__init__()
            self.dense = lib.layers.Dense(1)
            self.seen = lib.metrics.Mean(name="seen")

        def call(self, x):
            return self.dense(x)

    class Overridden(Tracked):
        @property
        def metrics(self):
            return [self.seen]

    return Tracked, Overridden


def test_metrics_of_the_model_itself_and_overridden_metrics(ref):
    names = []
    for lib in (keras, ref):
        tracked, overridden = _tracked_class(lib)
        model = tracked()
        model.compile("sgd", "mse")
        history = model.fit(np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0)
        other = overridden()
        other.compile("sgd", "mse")
        names.append(([m.name for m in model.metrics], sorted(history.history), [m.name for m in other.metrics]))
    assert names[0] == names[1]
