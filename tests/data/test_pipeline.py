"""capas.data behaviour that TF leaves to the implementation: threads, checkpoints, caches,
streaming, randomness, options and error messages."""

import collections
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import torch

import capas as tf


def _ints(ds):
    return [int(x) for x in ds]


def _bytes(leaf):
    """One string element as bytes (a numpy object array today, a capas string tensor later)."""
    return np.asarray(leaf, dtype=object).item()


# ------------------------------------------------------------ checkpointing
@pytest.mark.parametrize("k", [0, 3, 7, 10])
def test_iterator_state_restores_the_next_elements(k):
    def make():
        ds = tf.data.Dataset.range(10).map(lambda x: x * 2).shuffle(4, seed=7).batch(2)
        return ds.unbatch().enumerate()

    saved = iter(make())
    for _ in range(k):
        next(saved)
    state = saved._checkpoint_state()
    assert int(state["consumed"]) == k
    rest = [(int(i), int(x)) for i, x in saved]
    fresh = iter(make())
    fresh._restore_checkpoint_state(state)
    assert [(int(i), int(x)) for i, x in fresh] == rest


def test_restore_into_a_shorter_pipeline_is_explained():
    it = iter(tf.data.Dataset.range(5))
    for _ in range(4):
        next(it)
    short = iter(tf.data.Dataset.range(2))
    with pytest.raises(ValueError, match="saved after 4 elements.*ends after 2"):
        short._restore_checkpoint_state(it._checkpoint_state())


# ---------------------------------------------------------------- threads
def test_parallel_map_keeps_order_and_uses_several_threads():
    seen = set()

    def slow(x):
        seen.add(threading.current_thread().name)
        time.sleep(0.002 * (int(x) % 3))
        return x + 100

    ds = tf.data.Dataset.range(40).map(slow, num_parallel_calls=4)
    assert _ints(ds) == list(range(100, 140))
    assert len(seen) > 1 and all(name.startswith("capas-data-map") for name in seen)


def test_parallel_map_non_deterministic_yields_every_element():
    ds = tf.data.Dataset.range(50).map(lambda x: x, num_parallel_calls=3, deterministic=False)
    assert sorted(_ints(ds)) == list(range(50))


def test_parallel_map_error_reaches_the_consumer():
    def fail(x):
        if int(x) == 5:
            raise RuntimeError("element 5 is bad")
        return x

    with pytest.raises(RuntimeError, match="element 5 is bad"):
        list(tf.data.Dataset.range(10).map(fail, num_parallel_calls=2))


def test_prefetch_stops_its_thread_when_the_consumer_stops():
    before = threading.active_count()
    for _ in range(5):
        it = iter(tf.data.Dataset.range(1000).prefetch(2))
        next(it)
        del it
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() <= before


_EARLY_EXIT_PROGRAM = """
import torch
import capas as tf

torch.set_num_threads(1)


def slow(i):  # long enough that the prefetch worker is inside a torch kernel when the program ends
    return tf.reduce_sum(tf.linalg.matmul(tf.random.normal((300, 300)), tf.random.normal((300, 300))))


ds = tf.data.Dataset.range(100).map(slow).prefetch(4)
{body}
print("done")
"""


@pytest.mark.parametrize(
    "body",
    ["for i, x in enumerate(ds):\n    if i == 2:\n        break", "it = iter(ds)\nnext(it)"],
    ids=["break-out-of-the-loop", "iterator-left-open"],
)
def test_a_program_that_leaves_a_prefetched_dataset_early_exits_cleanly(body):
    # The worker is stopped and joined at exit: left running into interpreter finalization, a worker inside
    # a torch kernel cannot take the GIL back and the finished process aborts (exit code -6).
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    result = subprocess.run(
        [sys.executable, "-c", _EARLY_EXIT_PROGRAM.format(body=body)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["done"]


def test_ignore_errors_skips_failed_elements_and_goes_on():
    def check(x):
        if int(x) % 4 == 1:
            raise ValueError("bad")
        return x

    assert _ints(tf.data.Dataset.range(9).map(check).ignore_errors()) == [0, 2, 3, 4, 6, 7, 8]
    with pytest.warns(UserWarning, match="skipped"):
        list(tf.data.Dataset.range(3).map(check).ignore_errors(log_warning=True))


# --------------------------------------------------------------- streaming
def _peak_bytes(consume):
    tracemalloc.start()
    try:
        consume()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_generator_dataset_streams_with_bounded_memory():
    width = 64

    def pipeline(n):
        def gen():
            row = np.arange(width, dtype="float32")
            for i in range(n):
                yield row + i, i

        signature = (tf.TensorSpec((width,), tf.float32), tf.TensorSpec((), tf.int64))
        return tf.data.Dataset.from_generator(gen, output_signature=signature).map(lambda x, y: (x * 2, y)).batch(100)

    def stream(n):
        return _peak_bytes(lambda: sum(int(x.shape[0]) for x, _ in pipeline(n)))

    # what holding the elements would cost, as tracemalloc sees it (the tensors' Python objects) ...
    held = _peak_bytes(lambda: list(pipeline(8_000).unbatch()))
    # ... against streaming them: eight times more elements, about the same peak
    small, big = stream(1_000), stream(8_000)
    assert big < 1.5 * small + 64 * 1024, (small, big)
    assert big < held / 4, (big, held)


def test_text_lines_stream_lazily(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("".join(f"line {i}\n" for i in range(20000)))
    it = iter(tf.data.TextLineDataset(str(path)))
    assert _bytes(next(it)) == b"line 0"
    assert sum(1 for _ in it) == 19999


# ------------------------------------------------------------------- cache
def test_cache_to_file_writes_once_and_replays_without_recomputing(tmp_path):
    calls = collections.Counter()

    def count(x):
        calls["n"] += 1
        return {"x": x, "s": tf.cast(x, tf.float32) / 2}

    prefix = str(tmp_path / "cache")
    ds = tf.data.Dataset.range(5).map(count).cache(prefix)
    first = [(int(e["x"]), float(e["s"])) for e in ds]
    assert calls["n"] == 5 and os.path.exists(prefix + ".capascache")
    again = tf.data.Dataset.range(5).map(count).cache(prefix)  # another pipeline object, same file
    assert [(int(e["x"]), float(e["s"])) for e in again] == first and calls["n"] == 5


def test_cache_file_is_data_only_and_partial_passes_leave_nothing(tmp_path):
    prefix = str(tmp_path / "c")
    ds = tf.data.Dataset.from_tensor_slices(np.arange(6)).cache(prefix)
    it = iter(ds)
    next(it)
    del it
    assert not os.path.exists(prefix + ".capascache")
    list(ds)
    with open(prefix + ".capascache", "rb") as f:
        content = f.read()
    assert content.startswith(b"CAPAS-DATA-CACHE-1\n") and b"pickle" not in content
    (tmp_path / "other.capascache").write_bytes(b"not a cache\n")
    with pytest.raises(ValueError, match="not a capas dataset cache"):
        list(tf.data.Dataset.range(2).cache(str(tmp_path / "other")))


def test_cache_file_keeps_strings(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices((np.array([b"a", b"bcd"], dtype=object), [1, 2]))
    cached = ds.cache(str(tmp_path / "s"))
    list(cached)
    assert list(cached.as_numpy_iterator()) == [(b"a", 1), (b"bcd", 2)]


def test_snapshot_persists_in_a_folder(tmp_path):
    ds = tf.data.Dataset.range(4).snapshot(str(tmp_path / "snap"))
    assert _ints(ds) == [0, 1, 2, 3]
    assert os.listdir(tmp_path / "snap") and _ints(ds) == [0, 1, 2, 3]


# ---------------------------------------------------------------- sampling
def test_sample_from_datasets_follows_weights_and_is_seeded():
    a = tf.data.Dataset.from_tensors(tf.constant(0, tf.int64)).repeat()
    b = tf.data.Dataset.from_tensors(tf.constant(1, tf.int64)).repeat()
    draws = _ints(tf.data.Dataset.sample_from_datasets([a, b], weights=[0.2, 0.8], seed=5).take(4000))
    assert 0.75 < sum(draws) / len(draws) < 0.85
    again = _ints(tf.data.Dataset.sample_from_datasets([a, b], weights=[0.2, 0.8], seed=5).take(4000))
    assert draws == again


def test_sample_from_datasets_stop_on_empty():
    a, b = tf.data.Dataset.range(2), tf.data.Dataset.range(10, 100)
    out = _ints(tf.data.Dataset.sample_from_datasets([a, b], seed=0, stop_on_empty_dataset=True))
    assert out.count(0) + out.count(1) <= 2 and len(out) < 90


def test_rejection_resample_reaches_the_target_distribution():
    labels = np.array([0] * 900 + [1] * 100)
    ds = tf.data.Dataset.from_tensor_slices(labels).shuffle(1000, seed=1)
    out = ds.rejection_resample(lambda x: x, target_dist=[0.5, 0.5], seed=2)
    classes = [int(c) for c, x in out]
    assert 0.4 < sum(classes) / len(classes) < 0.6
    assert all(int(c) == int(x) for c, x in ds.rejection_resample(lambda x: x, [0.5, 0.5], seed=3))


def test_shuffle_with_seed_and_no_reshuffle_repeats_its_order():
    ds = tf.data.Dataset.range(20).shuffle(5, seed=3, reshuffle_each_iteration=False)
    assert _ints(ds) == _ints(ds) and sorted(_ints(ds)) == list(range(20)) and _ints(ds) != list(range(20))


def test_list_files_shuffles_by_default(tmp_path):
    for i in range(8):
        (tmp_path / f"{i}.txt").write_text("x")
    names = list(tf.data.Dataset.list_files(str(tmp_path / "*.txt"), seed=1).as_numpy_iterator())
    assert sorted(names) == sorted(os.fsencode(str(tmp_path / f"{i}.txt")) for i in range(8)) and names != sorted(names)
    with pytest.raises(ValueError, match="match at least one file"):
        tf.data.Dataset.list_files(str(tmp_path / "*.csv"))


# ---------------------------------------------------------- the interface
def test_options_merge_and_caps_threads():
    options = tf.data.Options()
    options.threading.private_threadpool_size = 1
    options.deterministic = False
    ds = tf.data.Dataset.range(5).with_options(options)
    assert ds.options().deterministic is False and ds.options().threading.private_threadpool_size == 1
    assert ds.map(lambda x: x).options().deterministic is False
    with pytest.raises(AttributeError, match="no option 'determinstic'"):
        options.determinstic = True
    with pytest.raises(TypeError, match="tf.data.Options"):
        ds.with_options({"deterministic": False})


def test_element_spec_of_generators_and_maps():
    ds = tf.data.Dataset.from_generator(lambda: iter([[1.0, 2.0]]), output_types=tf.float32, output_shapes=[None])
    assert ds.element_spec == tf.TensorSpec([None], tf.float32)
    mapped = ds.map(lambda x: (x, tf.reduce_sum(x)))
    assert mapped.element_spec == (tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.float32))


def test_generator_element_that_breaks_its_signature_is_explained():
    ds = tf.data.Dataset.from_generator(lambda: iter([[1, 2, 3]]), output_signature=tf.TensorSpec([2], tf.int32))
    with pytest.raises(ValueError, match=r"shape \(3,\).*expects \(2,\)"):
        list(ds)


def test_get_single_element_and_apply_errors_name_the_problem():
    with pytest.raises(ValueError, match="more than one element"):
        tf.data.Dataset.range(2).get_single_element()
    with pytest.raises(ValueError, match="empty"):
        tf.data.Dataset.range(0).get_single_element()
    with pytest.raises(TypeError, match="must return a Dataset"):
        tf.data.Dataset.range(2).apply(lambda d: 3)


def test_len_follows_cardinality():
    assert len(tf.data.Dataset.range(7).batch(2)) == 4
    with pytest.raises(TypeError, match="infinite"):
        len(tf.data.Dataset.range(3).repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(tf.data.Dataset.range(3).filter(lambda x: x > 0))


def test_assert_cardinality_checks_while_iterating():
    ds = tf.data.Dataset.range(3).filter(lambda x: x >= 0).apply(tf.data.experimental.assert_cardinality(4))
    assert len(ds) == 4
    with pytest.raises(ValueError, match="ended after 3 elements; expected 4"):
        list(ds)


def test_padded_batch_too_long_element_is_explained():
    ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x)).padded_batch(3, padded_shapes=[2])
    with pytest.raises(ValueError, match="size 3 in dim 0 exceeds padded shape 2"):
        list(ds)


def test_csv_missing_required_field_names_file_and_line(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("1,2\n3,\n")
    with pytest.raises(ValueError, match=r"field 1 of line 2 in .*m.csv"):
        list(tf.data.experimental.CsvDataset(str(path), [tf.int32, tf.int32]))


def test_fit_consumes_a_pipeline():
    from capas import keras

    x = np.random.RandomState(0).rand(64, 3).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    ds = (
        tf.data.Dataset.from_tensor_slices((x, y))
        .shuffle(64, seed=0)
        .batch(16)
        .map(lambda a, b: (a * 1.0, b), num_parallel_calls=2)
        .prefetch(tf.data.AUTOTUNE)
    )
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    assert torch.is_tensor(next(iter(ds))[0])
