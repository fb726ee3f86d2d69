"""`get_file`: a dataset file from the cache, or downloaded, checked and stored there.

The order is: the cache (a file that passes its checksum is used as is), then
a download from the canonical address (or `$CAPAS_DATASETS_ORIGIN`), checked
before it is renamed into the cache. Without network, the error says which
file to place where, and which importer command builds it from a local copy.
"""

import os
import sys
import urllib.error
import warnings

from capas import _file_utils as file_utils
from capas.keras.datasets import _cache
from capas.keras.datasets import _download
from capas.keras.datasets import _sources


def get_file(source, path=None, stream=None):
    """The local path of a good copy of `source`, downloading it if needed.

    Args:
        source: a `_sources.Source`.
        path: as Keras's `path=`: a file name inside the cache folder, or an
            absolute path. Defaults to `source.fname`.
        stream: where download progress goes (default `sys.stderr`).

    Returns:
        The path of a file that passed its checksum.

    Raises:
        ConnectionError: the file is not cached and could not be downloaded;
            the message names the full path to place it at, and the importer.
        ValueError: the downloaded file failed its checksum (it is deleted).
        PermissionError: the cache folder is not writable.
    """
    target = _cache.resolve(path if path is not None else source.fname)
    if _cache.matches(target, source):
        return target
    folder = os.path.dirname(target)
    name = os.path.basename(target)
    corrupted = os.path.exists(target)
    if corrupted:
        warnings.warn(
            f"The cached file {target} failed its checksum (expected "
            f"{_cache.hash_algorithm(source.file_hash)} {source.file_hash}); it is "
            "damaged or not the expected file. Fetching it again.",
            stacklevel=3,
        )
    _cache.ensure_folder(folder, name)
    with _cache.folder_lock(folder):
        if _cache.matches(target, source):  # another process stored it meanwhile
            return target
        part = target + ".part"
        url = source.origin()
        if _cache.matches(part, source):  # a transfer that ended before its rename
            os.replace(part, target)
            file_utils.fsync_folder(folder)
            return target
        try:
            _download.download(url, part, name, stream=stream or sys.stderr)
        except _download.TruncatedDownloadError as exc:
            raise ConnectionError(
                f"{exc} The partial file is kept at {part}; call load_data() again to "
                "resume the download where it stopped."
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            if _cache.is_permission_error(exc) and not isinstance(exc, urllib.error.URLError):
                raise _cache.not_writable_error(folder, name, exc) from exc
            raise ConnectionError(_unavailable_message(source, target, url, exc, corrupted)) from exc
        if not _cache.matches(part, source):
            got = _cache.file_digest(part, _cache.hash_algorithm(source.file_hash))
            os.remove(part)
            raise ValueError(
                f"The file downloaded from {url} failed its checksum: expected "
                f"{_cache.hash_algorithm(source.file_hash)} {source.file_hash}, got {got}. "
                "It was deleted and nothing was stored in the cache. If "
                f"${_sources.ORIGIN_ENV} is set, check that it serves the original files; "
                "otherwise try again later."
            )
        os.replace(part, target)
        file_utils.fsync_folder(folder)
    return target


def _unavailable_message(source, target, url, exc, corrupted):
    if isinstance(exc, urllib.error.HTTPError):
        reason = f"HTTP {exc.code} {exc.reason}"
    else:
        reason = getattr(exc, "reason", None) or exc
    lines = [f"Could not download '{source.fname}' from {url} ({reason})."]
    if corrupted:
        lines.append(f"The cached copy at {target} failed its checksum, so it was not used.")
    lines.append(
        f"To use the {source.dataset} dataset without network access, either place a good "
        f"copy of {os.path.basename(source.url)} ({_cache.hash_algorithm(source.file_hash)} "
        f"{source.file_hash}) at:\n  {target}"
    )
    hint = _sources.IMPORT_FROM.get(source.dataset, f"a copy of {os.path.basename(source.url)}")
    lines.append(
        "or build the cache from a local copy with:\n"
        f"  python -m capas.keras.datasets import {source.dataset} --from SOURCE\n"
        f"where SOURCE is {hint}."
    )
    if source.dataset == "mnist":
        lines.append("The capas repository's scripts/get_mnist.sh does this for MNIST.")
    lines.append(f"The cache folder is {_cache.cache_dir()}; set {_cache.CACHE_ENV} to use another one.")
    return "\n".join(lines)
