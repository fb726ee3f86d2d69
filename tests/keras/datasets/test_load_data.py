"""load_data() on small generated cache files, compared with Keras on the same files.

Keras's loaders are run with their `get_file` pointed at the same file, so
both read identical bytes; the sources' hashes are swapped for the toy
files' (the checksum path itself is the real one).
"""

import gzip
import io
import os
import pickle
import tarfile

import numpy as np
import pytest

from capas.keras.datasets import _formats
from capas.keras.datasets import _sources
from capas.keras import datasets


def _keras_module(monkeypatch, name, path):
    pytest.importorskip("keras")
    import importlib

    module = importlib.import_module(f"keras.src.datasets.{name}")
    monkeypatch.setattr(module, "get_file", lambda *args, **kwargs: path)
    return module


def _install(cache, monkeypatch, toy_source, attr, fname, data, dataset):
    """Write `data` as cache file `fname` and make `_sources.<attr>` accept it."""
    path = cache / fname
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    monkeypatch.setattr(_sources, attr, toy_source(fname, data, dataset=dataset))
    return str(path)


def _npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _ragged(n, rng, vocab=40):
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = [int(w) for w in rng.randint(1, vocab, rng.randint(1, 25))]
    return out


def test_mnist_reads_cached_npz(cache, monkeypatch, toy_source):
    rng = np.random.RandomState(0)
    arrays = {
        "x_train": rng.randint(0, 256, (12, 28, 28)).astype(np.uint8),
        "y_train": rng.randint(0, 10, 12).astype(np.uint8),
        "x_test": rng.randint(0, 256, (5, 28, 28)).astype(np.uint8),
        "y_test": rng.randint(0, 10, 5).astype(np.uint8),
    }
    path = _install(cache, monkeypatch, toy_source, "MNIST", "mnist.npz", _npz_bytes(**arrays), "mnist")
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (12, 28, 28),
        (12,),
        (5, 28, 28),
        (5,),
    )
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    ref = _keras_module(monkeypatch, "mnist", path).load_data()
    for ours, theirs in zip((x_train, y_train, x_test, y_test), (*ref[0], *ref[1])):
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype


def test_mnist_accepts_a_rebuilt_file_by_array_hashes(cache, monkeypatch):
    from capas.keras.datasets import _cache

    arrays = {
        "x_train": np.arange(784, dtype=np.uint8).reshape(1, 28, 28),
        "y_train": np.ones(1, np.uint8),
        "x_test": np.zeros((1, 28, 28), np.uint8),
        "y_test": np.zeros(1, np.uint8),
    }
    cache.mkdir()
    np.savez_compressed(cache / "mnist.npz", **arrays)
    source = _sources.Source(
        "mnist.npz",
        "https://example.invalid/mnist.npz",
        "0" * 64,
        array_sha256={k: _cache.array_digest(v) for k, v in arrays.items()},
        dataset="mnist",
    )
    monkeypatch.setattr(_sources, "MNIST", source)
    (x_train, _), _ = datasets.mnist.load_data()
    np.testing.assert_array_equal(x_train, arrays["x_train"])


def test_fashion_mnist_reads_cached_idx_files(cache, monkeypatch):
    rng = np.random.RandomState(1)
    arrays = {
        "y_train": rng.randint(0, 10, 9).astype(np.uint8),
        "x_train": rng.randint(0, 256, (9, 28, 28)).astype(np.uint8),
        "y_test": rng.randint(0, 10, 4).astype(np.uint8),
        "x_test": rng.randint(0, 256, (4, 28, 28)).astype(np.uint8),
    }
    toy = {}
    import hashlib

    for key, source in _sources.FASHION_MNIST.items():
        raw = _formats.idx_bytes(arrays[key])
        path = cache / source.fname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(raw))
        toy[key] = _sources.Source(
            source.fname,
            source.url,
            "0" * 32,
            content_sha256=hashlib.sha256(raw).hexdigest(),
            dataset="fashion_mnist",
        )
    monkeypatch.setattr(_sources, "FASHION_MNIST", toy)
    (x_train, y_train), (x_test, y_test) = datasets.fashion_mnist.load_data()
    for key, value in zip(("x_train", "y_train", "x_test", "y_test"), (x_train, y_train, x_test, y_test)):
        np.testing.assert_array_equal(value, arrays[key])
        assert value.dtype == np.uint8 and value.flags.writeable

    pytest.importorskip("keras")
    import keras.src.datasets.fashion_mnist as kf

    by_name = {os.path.basename(s.fname): str(cache / s.fname) for s in toy.values()}
    monkeypatch.setattr(kf, "get_file", lambda fname, **kwargs: by_name[fname])
    ref = kf.load_data()
    for ours, theirs in zip((x_train, y_train, x_test, y_test), (*ref[0], *ref[1])):
        np.testing.assert_array_equal(ours, theirs)


IMDB_CASES = [
    {},
    {"num_words": 20, "skip_top": 3},
    {"maxlen": 12},
    {"start_char": None, "index_from": 0},
    {"start_char": None, "index_from": 5, "num_words": 30},
    {"oov_char": None, "num_words": 20, "skip_top": 2},
    {"seed": 7, "index_from": 1},
]


@pytest.mark.parametrize("kwargs", IMDB_CASES)
def test_imdb_matches_keras(cache, monkeypatch, toy_source, kwargs):
    rng = np.random.RandomState(2)
    data = _npz_bytes(
        x_train=_ragged(30, rng),
        y_train=rng.randint(0, 2, 30),
        x_test=_ragged(20, rng),
        y_test=rng.randint(0, 2, 20),
    )
    path = _install(cache, monkeypatch, toy_source, "IMDB", "imdb.npz", data, "imdb")
    ours = datasets.imdb.load_data(**kwargs)
    theirs = _keras_module(monkeypatch, "imdb", path).load_data(**kwargs)
    _assert_same_sequences(ours, theirs)


REUTERS_CASES = IMDB_CASES + [{"test_split": 0.5}, {"test_split": 0.0}]


@pytest.mark.parametrize("kwargs", REUTERS_CASES)
def test_reuters_matches_keras(cache, monkeypatch, toy_source, kwargs):
    rng = np.random.RandomState(3)
    data = _npz_bytes(x=_ragged(40, rng), y=rng.randint(0, 46, 40))
    path = _install(cache, monkeypatch, toy_source, "REUTERS", "reuters.npz", data, "reuters")
    ours = datasets.reuters.load_data(**kwargs)
    theirs = _keras_module(monkeypatch, "reuters", path).load_data(**kwargs)
    _assert_same_sequences(ours, theirs)


def _assert_same_sequences(ours, theirs):
    for (x, y), (kx, ky) in zip(ours, theirs):
        assert x.dtype == object and x.shape == kx.shape
        assert [list(s) for s in x] == [list(s) for s in kx]
        np.testing.assert_array_equal(y, ky)
        assert np.asarray(y).dtype == np.asarray(ky).dtype


def test_imdb_maxlen_that_drops_everything(cache, monkeypatch, toy_source):
    rng = np.random.RandomState(2)
    data = _npz_bytes(
        x_train=_ragged(5, rng),
        y_train=np.zeros(5, int),
        x_test=_ragged(5, rng),
        y_test=np.zeros(5, int),
    )
    _install(cache, monkeypatch, toy_source, "IMDB", "imdb.npz", data, "imdb")
    with pytest.raises(ValueError, match="maxlen=1"):
        datasets.imdb.load_data(maxlen=1)


def test_reuters_label_names_match_keras():
    keras = pytest.importorskip("keras")
    assert datasets.reuters.get_label_names() == tuple(keras.datasets.reuters.get_label_names())


def test_npz_with_a_code_running_pickle_is_refused(cache, monkeypatch, toy_source):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    buffer = io.BytesIO()
    with __import__("zipfile").ZipFile(buffer, "w") as z:
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(header, {"descr": "|O", "fortran_order": False, "shape": (1,)})
        z.writestr("x_train.npy", header.getvalue() + pickle.dumps(Evil()))
    _install(cache, monkeypatch, toy_source, "IMDB", "imdb.npz", buffer.getvalue(), "imdb")
    with pytest.raises(pickle.UnpicklingError, match="Refusing to load `posix.system`"):
        datasets.imdb.load_data()


@pytest.mark.parametrize("kwargs", [{}, {"test_split": 0.3, "seed": 5}, {"test_split": 0.0}])
def test_boston_housing_matches_keras(cache, monkeypatch, toy_source, kwargs):
    rng = np.random.RandomState(4)
    data = _npz_bytes(x=rng.rand(50, 13), y=rng.rand(50) * 50)
    path = _install(
        cache,
        monkeypatch,
        toy_source,
        "BOSTON_HOUSING",
        "boston_housing.npz",
        data,
        "boston_housing",
    )
    ours = datasets.boston_housing.load_data(**kwargs)
    theirs = _keras_module(monkeypatch, "boston_housing", path).load_data(**kwargs)
    for a, b in zip((*ours[0], *ours[1]), (*theirs[0], *theirs[1])):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs", [{}, {"version": "small"}, {"version": "small", "test_split": 0.5, "seed": 1}])
def test_california_housing_matches_keras(cache, monkeypatch, toy_source, kwargs):
    rng = np.random.RandomState(5)
    data = _npz_bytes(x=rng.rand(700, 8), y=rng.rand(700) * 5e5)
    path = _install(
        cache,
        monkeypatch,
        toy_source,
        "CALIFORNIA_HOUSING",
        "california_housing.npz",
        data,
        "california_housing",
    )
    ours = datasets.california_housing.load_data(**kwargs)
    theirs = _keras_module(monkeypatch, "california_housing", path).load_data(**kwargs)
    for a, b in zip((*ours[0], *ours[1]), (*theirs[0], *theirs[1])):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: datasets.boston_housing.load_data(test_split=1.0),
            r"boston_housing.*test_split=1.0",
        ),
        (
            lambda: datasets.california_housing.load_data(test_split=-0.1),
            r"california_housing.*test_split",
        ),
        (
            lambda: datasets.california_housing.load_data(version="medium"),
            r"'small', 'large'.*'medium'",
        ),
        (lambda: datasets.cifar100.load_data(label_mode="fin"), r"\"fine\", \"coarse\".*'fin'"),
    ],
)
def test_bad_arguments_name_the_function_and_value(cache, call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _cifar_tar(top, batches):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, batch in batches.items():
            raw = pickle.dumps(batch, protocol=4)
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    return buffer.getvalue()


def _cifar_batch(rng, n, **labels):
    batch = {b"data": rng.randint(0, 256, (n, 3072)).astype(np.uint8)}
    batch.update({k.encode(): [int(i) for i in rng.randint(0, v, n)] for k, v in labels.items()})
    return batch


def test_cifar10_reads_the_archive(cache, monkeypatch, toy_source):
    rng = np.random.RandomState(6)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    batches = {name: _cifar_batch(rng, 3, labels=10) for name in names}
    data = _cifar_tar("cifar-10-batches-py", batches)
    _install(cache, monkeypatch, toy_source, "CIFAR10", "cifar-10-python.tar.gz", data, "cifar10")
    (x_train, y_train), (x_test, y_test) = datasets.cifar10.load_data()
    assert x_train.shape == (15, 32, 32, 3) and y_train.shape == (15, 1)
    assert x_test.shape == (3, 32, 32, 3) and y_test.shape == (3, 1)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    expected = np.concatenate([batches[n][b"data"] for n in names[:5]]).reshape(15, 3, 32, 32)
    np.testing.assert_array_equal(x_train, expected.transpose(0, 2, 3, 1))
    np.testing.assert_array_equal(y_train[:, 0], np.concatenate([batches[n][b"labels"] for n in names[:5]]))


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100_matches_keras(cache, monkeypatch, toy_source, tmp_path, label_mode):
    rng = np.random.RandomState(7)
    batches = {
        "train": _cifar_batch(rng, 6, fine_labels=100, coarse_labels=20),
        "test": _cifar_batch(rng, 4, fine_labels=100, coarse_labels=20),
    }
    data = _cifar_tar("cifar-100-python", batches)
    _install(cache, monkeypatch, toy_source, "CIFAR100", "cifar-100-python.tar.gz", data, "cifar100")
    ours = datasets.cifar100.load_data(label_mode=label_mode)
    extracted = tmp_path / "extracted"
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(extracted, filter="data")
    theirs = _keras_module(monkeypatch, "cifar100", str(extracted)).load_data(label_mode=label_mode)
    for a, b in zip((*ours[0], *ours[1]), (*theirs[0], *theirs[1])):
        np.testing.assert_array_equal(a, b)
        assert a.shape == b.shape


def test_cifar_archive_missing_a_batch(cache, monkeypatch, toy_source):
    data = _cifar_tar("cifar-10-batches-py", {"test_batch": _cifar_batch(np.random.RandomState(0), 2, labels=10)})
    _install(cache, monkeypatch, toy_source, "CIFAR10", "cifar-10-python.tar.gz", data, "cifar10")
    with pytest.raises(ValueError, match="data_batch_1"):
        datasets.cifar10.load_data()


def test_public_names():
    assert sorted(n for n in vars(datasets) if not n.startswith("_")) == [
        "boston_housing",
        "california_housing",
        "cifar10",
        "cifar100",
        "fashion_mnist",
        "imdb",
        "mnist",
        "reuters",
    ]


@pytest.mark.parametrize(
    "name",
    [
        "mnist",
        "fashion_mnist",
        "cifar10",
        "cifar100",
        "imdb",
        "reuters",
        "boston_housing",
        "california_housing",
    ],
)
def test_signatures_match_keras(name):
    pytest.importorskip("keras")
    import importlib
    import inspect

    ours = getattr(datasets, name)
    theirs = importlib.import_module(f"keras.src.datasets.{name}")
    for fn in ("load_data", "get_word_index", "get_label_names"):
        if hasattr(theirs, fn):
            assert inspect.signature(getattr(ours, fn)) == inspect.signature(getattr(theirs, fn))


def test_mnist_downloads_through_load_data(server, cache, monkeypatch, toy_source):
    arrays = {
        "x_train": np.full((2, 28, 28), 7, np.uint8),
        "y_train": np.array([5, 0], np.uint8),
        "x_test": np.zeros((1, 28, 28), np.uint8),
        "y_test": np.array([3], np.uint8),
    }
    data = _npz_bytes(**arrays)
    server.files["/mnist.npz"] = data
    monkeypatch.setattr(_sources, "MNIST", toy_source("mnist.npz", data))
    (x_train, y_train), (x_test, y_test) = datasets.mnist.load_data()
    np.testing.assert_array_equal(y_train, [5, 0])
    assert x_train.shape == (2, 28, 28) and x_test.shape == (1, 28, 28)
    assert (cache / "mnist.npz").read_bytes() == data


def test_word_index_downloads_and_checks_md5(server, cache, monkeypatch):
    import hashlib

    data = b'{"the": 1, "and": 2}'
    server.files["/imdb_word_index.json"] = data
    source = _sources.Source(
        "imdb_word_index.json",
        "https://example.invalid/imdb_word_index.json",
        hashlib.md5(data).hexdigest(),
        dataset="imdb",
    )
    monkeypatch.setattr(_sources, "IMDB_WORD_INDEX", source)
    assert datasets.imdb.get_word_index() == {"the": 1, "and": 2}
