"""get_file: local paths and file:// URLs into the cache, extraction, hashes, and no network."""

import hashlib
import os
import tarfile
import zipfile

import pytest

from capas import keras


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "src" / "data.csv"
    path.parent.mkdir()
    path.write_text("a,b\n1,2\n")
    return path


def test_local_path_is_copied_into_cache_subdir(source, tmp_path):
    cache = tmp_path / "cache"
    out = keras.utils.get_file(origin=str(source), cache_dir=str(cache))
    assert out == str(cache / "datasets" / "data.csv")
    assert open(out).read() == "a,b\n1,2\n"


def test_file_url_with_fname_and_subdir(source, tmp_path):
    out = keras.utils.get_file("renamed.csv", origin=source.as_uri(), cache_dir=str(tmp_path), cache_subdir="x")
    assert out == str(tmp_path / "x" / "renamed.csv")
    assert os.path.exists(out)


def test_sha256_and_md5_hashes_are_checked(source, tmp_path):
    data = source.read_bytes()
    good = hashlib.sha256(data).hexdigest()
    assert keras.utils.get_file(origin=str(source), file_hash=good, cache_dir=str(tmp_path / "a"))
    assert keras.utils.get_file(
        origin=str(source), md5_hash=hashlib.md5(data).hexdigest(), cache_dir=str(tmp_path / "b")
    )
    with pytest.raises(ValueError, match="sha256|hash"):
        keras.utils.get_file(origin=str(source), file_hash="0" * 64, cache_dir=str(tmp_path / "c"))
    assert not os.listdir(tmp_path / "c" / "datasets")  # nothing half-written stays behind


def test_zip_and_tar_are_extracted(tmp_path):
    zpath = tmp_path / "pack.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("inner/hello.txt", "hi")
    out = keras.utils.get_file(origin=str(zpath), extract=True, cache_dir=str(tmp_path / "c"))
    # As Keras: without fname, the archive is stored as "<name>_archive" and extracted to "<name>".
    assert out == str(tmp_path / "c" / "datasets" / "pack.zip")
    assert open(os.path.join(out, "inner", "hello.txt")).read() == "hi"
    tpath = tmp_path / "pack.tar.gz"
    inner = tmp_path / "t.txt"
    inner.write_text("tar!")
    with tarfile.open(tpath, "w:gz") as tf_:
        tf_.add(inner, arcname="t.txt")
    out = keras.utils.get_file("pack.tar.gz", origin=str(tpath), extract=True, cache_dir=str(tmp_path / "d"))
    assert out.endswith("pack_extracted")
    assert open(os.path.join(out, "t.txt")).read() == "tar!"


def test_archive_escaping_the_folder_is_refused(tmp_path):
    zpath = tmp_path / "evil.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("../../escaped.txt", "x")
    with pytest.raises(ValueError, match="outside"):
        keras.utils.get_file(origin=str(zpath), extract=True, cache_dir=str(tmp_path / "c"))
    assert not (tmp_path / "escaped.txt").exists()


def test_http_origin_without_cache_says_where_to_put_the_file(tmp_path):
    with pytest.raises(ConnectionError, match=r"place it at .*datasets.*flowers\.tgz"):
        keras.utils.get_file(origin="https://example.com/flowers.tgz", cache_dir=str(tmp_path))


def test_http_origin_served_from_cache(tmp_path):
    cached = tmp_path / "datasets" / "flowers.tgz"
    cached.parent.mkdir()
    cached.write_bytes(b"cached")
    assert keras.utils.get_file(origin="https://example.com/flowers.tgz", cache_dir=str(tmp_path)) == str(cached)


def test_fname_with_a_path_is_refused(source, tmp_path):
    with pytest.raises(ValueError, match="cache_dir"):
        keras.utils.get_file(os.path.join("a", "b.csv"), origin=str(source), cache_dir=str(tmp_path))
