"""fit/evaluate/predict flush denormals on every intra-op thread and restore the state they found."""

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers
from capas.keras.trainers._denormals import flush_denormal_state, flushing_denormals

_SUPPORTED = torch.backends.cpu.get_cpu_capability() != "DEFAULT" and torch.set_flush_denormal(False)
pytestmark = pytest.mark.skipif(not _SUPPORTED, reason="this CPU cannot flush denormals")

_DENORMALS = torch.full((1 << 18,), 1e-40)


def _flushed_fraction():
    """Share of a large parallel multiply whose denormal inputs come out as zero (one share per thread)."""
    return float((_DENORMALS.mul(1.0) == 0).float().mean())


@pytest.fixture
def two_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    torch.set_flush_denormal(False)
    # Start the worker threads now, while nothing flushes: a thread created later copies
    # the creating thread's state, which would hide a missing per-thread setting.
    assert _flushed_fraction() == 0.0
    yield
    torch.set_num_threads(before)
    torch.set_flush_denormal(False)
    with flushing_denormals():  # leave the team as found: every thread back to no flushing
        pass


class _Probe(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_begin(self, batch, logs=None):
        self.seen.append((flush_denormal_state(), _flushed_fraction()))


def _model():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, layers.Dense(2, activation="softmax")(inputs))
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


def _data():
    rng = np.random.default_rng(0)
    return rng.random((16, 4), dtype=np.float32), rng.integers(0, 2, 16)


def test_validation_inside_fit_keeps_flushing(two_threads):
    x, y = _data()
    probe = _Probe()
    _model().fit(x, y, batch_size=8, epochs=3, validation_data=(x, y), callbacks=[probe], verbose=0)
    assert len(probe.seen) == 6
    assert all(state for state, _ in probe.seen), probe.seen  # epochs after the first validation too


def test_worker_threads_flush_during_fit(two_threads):
    x, y = _data()
    probe = _Probe()
    _model().fit(x, y, batch_size=8, epochs=1, callbacks=[probe], verbose=0)
    assert [fraction for _, fraction in probe.seen] == [1.0, 1.0]


def test_fit_restores_the_state_it_found(two_threads):
    x, y = _data()
    model = _model()
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert not flush_denormal_state()
    assert _flushed_fraction() == 0.0
    torch.set_flush_denormal(True)  # the user's own setting survives fit, evaluate and predict
    model.fit(x, y, batch_size=8, epochs=1, validation_data=(x, y), verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert flush_denormal_state()


def test_nested_blocks_restore_what_they_found(two_threads):
    with flushing_denormals():
        with flushing_denormals():
            assert _flushed_fraction() == 1.0
        assert flush_denormal_state() and _flushed_fraction() == 1.0
    assert not flush_denormal_state() and _flushed_fraction() == 0.0
