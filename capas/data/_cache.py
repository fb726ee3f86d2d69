"""`Dataset.cache` (in memory or to a file) and `Dataset.snapshot`.

A cache file holds data only: a JSON header describing the element
structure, then each leaf as a numpy `.npy` record written with
`allow_pickle=False` (strings as fixed-width bytes). Reading never unpickles
and never runs code. The file is written under a temporary name and renamed
into place after a complete pass, so a partial pass leaves no cache behind.
"""

import json
import os

import numpy as np
import torch

from capas._nest import flatten
from capas.data._structure import is_string, make_string, pack_as

_MAGIC = b"CAPAS-DATA-CACHE-1\n"


def _template(element):
    if isinstance(element, dict):
        return {"dict": [[k, _template(v)] for k, v in element.items()]}
    if isinstance(element, (tuple, list)):
        return {"tuple" if isinstance(element, tuple) else "list": [_template(v) for v in element]}
    return {"leaf": "string" if is_string(element) else "tensor"}


def _build(template):
    if "dict" in template:
        return {k: _build(v) for k, v in template["dict"]}
    if "tuple" in template:
        return tuple(_build(v) for v in template["tuple"])
    if "list" in template:
        return [_build(v) for v in template["list"]]
    return template["leaf"]


def _write_leaf(f, leaf):
    if is_string(leaf):
        arr = np.asarray(make_string(leaf), dtype=object)
        width = max([len(b) for b in arr.reshape(-1)] + [1])
        np.save(f, arr.astype(f"S{width}"), allow_pickle=False)
    else:
        np.save(f, leaf.detach().cpu().numpy(), allow_pickle=False)


def _read_leaf(f, kind):
    arr = np.load(f, allow_pickle=False)
    if kind == "string":
        flat = np.empty(arr.size, dtype=object)
        flat[:] = [bytes(b) for b in arr.reshape(-1)]
        return make_string(flat.reshape(arr.shape))
    return torch.from_numpy(arr)


def write_elements(path, elements):
    """Yield `elements` while writing them to `path` (renamed into place when complete)."""
    tmp = f"{path}.tmp-{os.getpid()}"
    complete = False
    with open(tmp, "wb") as f:
        f.write(_MAGIC)
        header_written = False
        try:
            for element in elements:
                if not header_written:
                    f.write(json.dumps(_template(element)).encode() + b"\n")
                    header_written = True
                for leaf in flatten(element):
                    _write_leaf(f, leaf)
                yield element
            complete = True
        finally:
            f.close()
            if complete:
                os.replace(tmp, path)
            else:
                os.remove(tmp)


def read_elements(path):
    """The elements of a cache file written by `write_elements`."""
    with open(path, "rb") as f:
        if f.readline() != _MAGIC:
            raise ValueError(
                f"Dataset.cache: {path!r} is not a capas dataset cache file; delete it or pick another name."
            )
        header = f.readline()
        if not header:
            return
        structure = _build(json.loads(header))
        kinds = flatten(structure)
        size = os.fstat(f.fileno()).st_size
        while f.tell() < size:
            yield pack_as(structure, [_read_leaf(f, kind) for kind in kinds])


def cache(self, filename="", name=None):
    """Keep the elements of the first complete pass and replay them on later passes.

    Args:
        filename: "" caches in memory; a path caches to that file (data only,
            see above), which later runs (and other processes) reuse.

    Example:

    >>> import capas as tf
    >>> ds = tf.data.Dataset.range(3).map(lambda x: x * 10).cache()
    >>> [int(x) for x in ds] == [int(x) for x in ds] == [0, 10, 20]
    True
    """
    if filename:
        path = os.fspath(filename) + ".capascache"

        def make_file_iter():
            if os.path.exists(path):
                return read_elements(path)
            return write_elements(path, self._make_iter())

        return self._derive(make_file_iter, self._length, self._spec, lambda: self.element_spec)

    store = {"elements": None}

    def make_iter():
        if store["elements"] is not None:
            yield from store["elements"]
            return
        seen = []
        for element in self._make_iter():
            seen.append(element)
            yield element
        store["elements"] = seen

    return self._derive(make_iter, self._length, self._spec, lambda: self.element_spec)


def snapshot(self, path, compression="AUTO", reader_func=None, shard_func=None, name=None):
    """Persist the dataset under the folder `path` on the first complete pass; later passes read it.

    Differs from TF: capas cannot fingerprint Python functions, so a snapshot
    in `path` is reused as long as it exists, whatever the pipeline; use a new
    folder for a changed pipeline. `compression`, `reader_func` and
    `shard_func` are accepted and unused.
    """
    os.makedirs(path, exist_ok=True)
    return cache(self, os.path.join(os.fspath(path), "snapshot"))
