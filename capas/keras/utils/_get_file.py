"""`keras.utils.get_file`: a file in the Keras cache, copied from a local path or `file://` URL.

capas never downloads here: an http(s) origin is served from the cache
(`~/.keras/datasets` or `cache_dir`) when the file is already there, and
otherwise raises an error that says where to put it.
"""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.parse
import urllib.request
import warnings
import zipfile


def _keras_home():
    return os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")


def _hasher(algorithm, file_hash):
    if algorithm == "sha256" or (algorithm == "auto" and file_hash is not None and len(file_hash) == 64):
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(f"get_file: hash_algorithm must be 'auto', 'sha256' or 'md5'; received {algorithm!r}.")


def hash_file(fpath, algorithm="sha256", chunk_size=65535, file_hash=None):
    """The hex digest of the file at `fpath`."""
    hasher = _hasher(algorithm, file_hash)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def _valid(fpath, file_hash, algorithm):
    return hash_file(fpath, algorithm, file_hash=file_hash) == str(file_hash)


def _local_source(origin):
    parts = urllib.parse.urlsplit(str(origin))
    if parts.scheme == "file":
        return urllib.request.url2pathname(parts.path)
    if parts.scheme in ("",) or (len(parts.scheme) == 1 and os.name == "nt"):
        return os.path.expanduser(str(origin))
    return None


def _extract(archive, target, archive_format):
    formats = {"auto": ("tar", "zip"), "tar": ("tar",), "zip": ("zip",)}.get(archive_format)
    if formats is None:
        raise ValueError(f"get_file: archive_format must be 'auto', 'tar' or 'zip'; received {archive_format!r}.")
    root = os.path.realpath(target)
    if "tar" in formats and tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                _check_inside(root, member.name, archive)
                if member.issym() or member.islnk():
                    _check_inside(root, os.path.join(os.path.dirname(member.name), member.linkname), archive)
            tar.extractall(target)
        return True
    if "zip" in formats and zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                _check_inside(root, name, archive)
            zf.extractall(target)
        return True
    return False


def _check_inside(root, name, archive):
    path = os.path.realpath(os.path.join(root, name))
    if os.path.commonpath([root, path]) != root:
        raise ValueError(
            f"get_file: refusing to extract {archive}: its entry {name!r} would be written outside {root}."
        )


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Put the file `origin` into the Keras cache and return its path (or its extracted folder).

    Args:
        fname: the file name in the cache (default: the last part of `origin`).
        origin: a local path or `file://` URL; an http(s) URL only when the
            file is already in the cache.
        untar: deprecated: `extract=True` with a tar archive.
        md5_hash: deprecated: `file_hash` with `hash_algorithm="md5"`.
        file_hash: expected sha256 or md5 hex digest of the file.
        cache_subdir: sub-folder of the cache folder ("datasets").
        hash_algorithm: "auto", "sha256" or "md5".
        extract: extract a zip or tar archive; the extracted folder is returned.
        archive_format: "auto", "tar" or "zip".
        cache_dir: the cache folder (default `$KERAS_HOME` or `~/.keras`).
        force_download: copy the file again even if it is cached.

    Returns:
        The path of the cached file, or of the folder it was extracted to.

    Raises:
        ConnectionError: an http(s) origin whose file is not in the cache.
        ValueError: the file's hash differs from `file_hash`.

    Example:

    >>> import os, tempfile
    >>> from capas import keras
    >>> src = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> _ = open(src, "w").write("hi")
    >>> path = keras.utils.get_file(origin="file://" + src, cache_dir=tempfile.mkdtemp())
    >>> open(path).read()
    'hi'
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (the path or URL of the file).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(cache_dir if cache_dir is not None else _keras_home())
    if not os.access(base, os.W_OK) and os.path.exists(base):
        base = os.path.join(tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    given = os.fspath(fname) if fname is not None else None
    if not given:
        fname = os.path.basename(urllib.parse.urlsplit(str(origin)).path)
        if not fname:
            raise ValueError(f"Can't parse the file name from origin={origin!r}; pass the `fname` argument.")
    elif os.sep in given:
        raise ValueError(
            f"`fname` must be a file name, not a path (use `cache_dir` for the folder). Received: fname={given!r}"
        )
    else:
        fname = given
    if extract or untar:
        if given and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[: fname.find('.')]}_extracted")
        else:
            target = os.path.join(datadir, f"{fname}_archive")
            extraction_dir = os.path.join(datadir, fname)
    else:
        target = os.path.join(datadir, fname)

    fetch = force_download or not os.path.exists(target)
    if not fetch and file_hash is not None and not _valid(target, file_hash, hash_algorithm):
        print(f"A local file was found, but its {hash_algorithm} hash does not match {file_hash}; copying it again.")
        fetch = True
    if fetch:
        source = _local_source(origin)
        if source is None:
            raise ConnectionError(
                f"get_file: capas does not download files, and {fname!r} from {origin} is not in the cache. "
                f"Download it yourself and place it at {target} (or pass a local path or file:// URL as origin)."
            )
        if not os.path.isfile(source):
            raise FileNotFoundError(f"get_file: origin {origin!r} is not an existing file.")
        partial = target + ".part"
        shutil.copyfile(source, partial)
        if file_hash is not None and not _valid(partial, file_hash, hash_algorithm):
            got = hash_file(partial, hash_algorithm, file_hash=file_hash)
            os.remove(partial)
            raise ValueError(
                f"Incomplete or corrupted file detected: the {hash_algorithm} hash of {origin} is "
                f"{got}, not the expected {file_hash}."
            )
        os.replace(partial, target)
    if extract or untar:
        if not _extract(target, extraction_dir, "tar" if untar else archive_format):
            warnings.warn(f"Could not extract archive {target}: it is not a zip or tar file.", stacklevel=2)
        return extraction_dir
    return target
