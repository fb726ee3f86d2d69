"""fit/evaluate/predict called many times keep memory and thread count flat."""

import gc
import os
import threading

import numpy as np
import pytest

from capas import keras
from capas.keras import layers


def _rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_many_calls_keep_memory_and_threads_flat():
    inputs = keras.Input((8,))
    model = keras.Model(inputs, layers.Dense(3, activation="softmax")(layers.Dense(8)(inputs)))
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.rand(32, 8).astype("float32")
    y = np.random.randint(0, 3, 32)

    def burst(n):
        for _ in range(n):
            model.fit(x, y, batch_size=16, epochs=1, verbose=0)
            model.evaluate(x, y, verbose=0)
            model.predict(x, verbose=0)
            model.predict_on_batch(x)

    burst(100)  # warm-up: allocator pools, lazy imports
    gc.collect()
    rss0, threads0 = _rss_mb(), threading.active_count()
    burst(1000)
    gc.collect()
    growth = _rss_mb() - rss0
    assert threading.active_count() <= threads0
    assert growth < 20, f"RSS grew by {growth:.1f} MB over 1000 fit/evaluate/predict/predict_on_batch calls"
