"""image/text/audio_dataset_from_directory, timeseries_dataset_from_array, split_dataset and
pad_sequences against TensorFlow 2.21 (values recorded by tests/goldens/kerasutils/record.py)."""

import json
import os
import pathlib
import sys

import numpy as np
import pytest
import torch

from capas import keras

GOLDENS = pathlib.Path(__file__).resolve().parents[2] / "goldens" / "kerasutils"
sys.path.insert(0, str(GOLDENS))
import trees

EXPECTED = json.loads((GOLDENS / "kerasutils.json").read_text())


def _write_png(path, px):
    from PIL import Image

    mode = {1: "L", 3: "RGB", 4: "RGBA"}[px.shape[2]]
    Image.fromarray(px[:, :, 0] if px.shape[2] == 1 else px, mode).save(path)


@pytest.fixture(scope="module")
def roots(tmp_path_factory):
    pytest.importorskip("PIL")
    base = tmp_path_factory.mktemp("kerasutils")
    paths = {name: str(base / name) for name in ("images", "texts", "audio")}
    trees.write_images(paths["images"], _write_png)
    trees.write_texts(paths["texts"])
    trees.write_audio(paths["audio"])
    return paths


def _tensor_record(t):
    a = t.numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
    if a.dtype == object or a.dtype.kind == "S":
        return {"dtype": "string", "shape": list(a.shape), "values": [v.decode("utf-8") for v in a.reshape(-1)]}
    return {"dtype": str(a.dtype), "shape": list(a.shape), "values": a.reshape(-1).tolist()}


def _element_record(element):
    return [_tensor_record(t) for t in element] if isinstance(element, tuple) else [_tensor_record(element)]


def _dataset_record(ds, root, shuffled):
    out = {"class_names": getattr(ds, "class_names", None)}
    if "file_paths" in vars(ds):
        out["file_paths"] = [os.path.relpath(p, root) for p in ds.file_paths]
    elements = [_element_record(e) for e in ds]
    if shuffled:
        out["element_shapes"] = [[r["shape"][1:] for r in e] for e in elements[:1]]
        if elements and len(elements[0]) > 1:
            out["sorted_labels"] = sorted(v for e in elements for v in e[1]["values"])
    else:
        out["elements"] = elements
    return out


def _assert_same(ours, theirs, where=""):
    if isinstance(theirs, dict) and "values" in theirs:
        assert (ours["dtype"], ours["shape"]) == (theirs["dtype"], theirs["shape"]), where
        if theirs["dtype"] == "string":
            assert ours["values"] == theirs["values"], where
        else:
            np.testing.assert_allclose(ours["values"], theirs["values"], rtol=1e-5, atol=1e-3, err_msg=where)
    elif isinstance(theirs, dict):
        for key in theirs:
            if key == "file_paths" and key not in ours:
                continue
            assert key in ours, f"{where}: missing {key}"
            _assert_same(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(theirs, list) and theirs and isinstance(theirs[0], (dict, list)):
        assert len(ours) == len(theirs), f"{where}: {len(ours)} items, TF has {len(theirs)}"
        for k, (a, b) in enumerate(zip(ours, theirs)):
            _assert_same(a, b, f"{where}[{k}]")
    else:
        assert ours == theirs, f"{where}: {ours} != {theirs}"


def _check(name, make, root, shuffled):
    ds = make(root)
    if isinstance(ds, tuple):
        ours = [_dataset_record(ds[0], root, shuffled), _dataset_record(ds[1], root, False)]
    else:
        ours = _dataset_record(ds, root, shuffled)
    _assert_same(ours, EXPECTED[name], name)


@pytest.mark.parametrize("name", sorted(trees.IMAGE_CASES))
def test_image_dataset_matches_tf(name, roots):
    kwargs = trees.IMAGE_CASES[name]
    _check(
        name,
        lambda root: keras.utils.image_dataset_from_directory(root, verbose=False, **kwargs),
        roots["images"],
        kwargs.get("shuffle", True),
    )


@pytest.mark.parametrize("name", sorted(trees.TEXT_CASES))
def test_text_dataset_matches_tf(name, roots):
    kwargs = trees.TEXT_CASES[name]
    _check(
        name,
        lambda root: keras.utils.text_dataset_from_directory(root, verbose=False, **kwargs),
        roots["texts"],
        kwargs.get("shuffle", True),
    )


@pytest.mark.parametrize("name", sorted(trees.AUDIO_CASES))
def test_audio_dataset_matches_tf(name, roots):
    kwargs = trees.AUDIO_CASES[name]
    _check(
        name,
        lambda root: keras.utils.audio_dataset_from_directory(root, verbose=False, **kwargs),
        roots["audio"],
        kwargs.get("shuffle", True),
    )


@pytest.mark.parametrize("name", sorted(trees.SERIES_CASES))
def test_timeseries_dataset_matches_tf(name):
    kwargs = dict(trees.SERIES_CASES[name])
    targets = trees.SERIES_TARGETS if kwargs.pop("targets") else None
    ds = keras.utils.timeseries_dataset_from_array(trees.SERIES, targets, **kwargs)
    _assert_same(_dataset_record(ds, ".", kwargs.get("shuffle", False)), EXPECTED[name], name)


@pytest.mark.parametrize("name", sorted(trees.SPLIT_CASES))
def test_split_dataset_matches_tf(name):
    kwargs = dict(trees.SPLIT_CASES[name])
    data = (np.arange(10), np.arange(10) * 2) if kwargs.pop("data") == "tuple" else np.arange(12).reshape(6, 2)
    left, right = keras.utils.split_dataset(data, **kwargs)
    _assert_same([[_element_record(e) for e in left], [_element_record(e) for e in right]], EXPECTED[name], name)


@pytest.mark.parametrize("name", sorted(trees.PAD_CASES))
def test_pad_sequences_matches_tf(name):
    out = keras.utils.pad_sequences(trees.SEQUENCES, **trees.PAD_CASES[name])
    _assert_same(_tensor_record(out), EXPECTED[name], name)
