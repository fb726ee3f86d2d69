"""PyDataset / Sequence: iterable batches that fit, evaluate and predict consume."""

import numpy as np
import pytest

from capas import keras


class Batches(keras.utils.PyDataset):
    def __init__(self, n=10, batch_size=4, **kwargs):
        super().__init__(**kwargs)
        rng = np.random.RandomState(0)
        self.x = rng.rand(n, 3).astype("float32")
        self.y = self.x.sum(axis=1, keepdims=True)
        self.batch_size = batch_size
        self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, index):
        s = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[s], self.y[s]

    def on_epoch_end(self):
        self.epochs_ended += 1


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_fit_runs_every_batch_and_calls_on_epoch_end():
    data = Batches()
    history = _model().fit(data, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    assert data.epochs_ended == 3


def test_fit_on_py_dataset_equals_fit_on_the_same_batches():
    data = Batches()
    a, b = _model(), _model()
    b.set_weights(a.get_weights())
    a.fit(data, epochs=2, verbose=0)
    b.fit(data.x, data.y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=1e-6)


def test_evaluate_and_predict_take_it():
    data = Batches(n=9)
    model = _model()
    assert np.isfinite(model.evaluate(data, verbose=0))
    assert model.predict(data, verbose=0).shape == (9, 1)


def test_sequence_is_the_old_name():
    assert keras.utils.Sequence is keras.utils.PyDataset


def test_missing_getitem_names_the_subclass():
    class Empty(keras.utils.PyDataset):
        def __len__(self):
            return 1

    with pytest.raises(NotImplementedError, match="Empty must implement __getitem__"):
        next(iter(Empty()))


def test_worker_arguments_are_kept():
    data = Batches(workers=2, use_multiprocessing=True, max_queue_size=3)
    assert (data.workers, data.use_multiprocessing, data.max_queue_size, data.num_batches) == (2, True, 3, 3)
