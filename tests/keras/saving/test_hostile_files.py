"""Loading is data, never code: every hostile or broken file raises InvalidModelFileError."""

import os
import sys
import tracemalloc

import numpy as np
import pytest

from capas import keras as ck
from capas.keras.saving import InvalidModelFileError
from tests.keras.saving import hostile_corpus
from tests.keras.saving.hostile_corpus import CANARY, CASES, PWNED


def _load(path, how, **kwargs):
    if how == "load_model":
        return ck.saving.load_model(path, **kwargs)
    model = hostile_corpus.reference_members(os.path.dirname(path))[1]
    return model.load_weights(path)


@pytest.fixture(autouse=True)
def _reset_canary():
    CANARY["called"] = False
    yield


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_and_nothing_runs(case, tmp_path):
    path, how = CASES[case](str(tmp_path))
    with pytest.raises(InvalidModelFileError) as info:
        _load(path, how)
    assert isinstance(info.value, ValueError)
    assert str(path) in str(info.value)
    assert info.value.filepath == str(path)
    assert not os.path.exists(tmp_path / PWNED)
    assert not CANARY["called"]


@pytest.mark.parametrize(
    "case",
    [
        "lambda_bytecode",
        "lambda_bytecode_safe_mode_off_in_file",
        "keras2_lambda",
        "legacy_h5_with_lambda",
        "pickled_torch_module",
    ],
)
def test_bytecode_refusal_says_the_file_would_run_code(case, tmp_path):
    path, how = CASES[case](str(tmp_path))
    with pytest.raises(InvalidModelFileError, match="would run code") as info:
        _load(path, how)
    assert "safe_mode=False" in str(info.value)


def test_a_file_cannot_turn_safe_mode_off_but_the_caller_can(tmp_path):
    path, _ = CASES["lambda_bytecode_safe_mode_off_in_file"](str(tmp_path))
    with pytest.raises(InvalidModelFileError, match="would run code"):
        ck.saving.load_model(path, safe_mode=True)
    try:  # past the policy; it may still fail later (a Lambda layer, the extra keys)
        ck.saving.load_model(path, safe_mode=False)
    except InvalidModelFileError as exc:
        assert "would run code" not in str(exc)


@pytest.mark.parametrize(
    "case,what",
    [
        ("external_link", "external link"),
        ("external_link_in_archive", "external link"),
        ("external_storage", "external files"),
        ("virtual_dataset", "virtual dataset"),
        ("shape_bomb", "shape bomb"),
        ("shape_bomb_in_place", "shape bomb"),
        ("zip_bomb", "zip bomb"),
        ("zip_traversal", "outside the archive"),
        ("zip_absolute", "outside the archive"),
        ("zip_extra_member", "unexpected archive member"),
        ("zip_lying_size", "config.json"),
        ("zip_duplicate_member", "appears twice"),
        ("os_system_function", "Unknown"),
        ("subprocess_popen_layer", "Unknown class 'Popen'"),
        ("registered_function_as_class", "not a class"),
        ("weights_mismatch", "shape"),
        ("json_depth_bomb", "JSON"),
        ("config_size_bomb", "size bomb"),
        ("keras2_weights_layout", "Keras 2"),
    ],
)
def test_refusal_names_the_problem(case, what, tmp_path):
    path, how = CASES[case](str(tmp_path))
    with pytest.raises(InvalidModelFileError, match=what):
        _load(path, how)


def test_zip_bomb_fails_fast_with_bounded_memory(tmp_path):
    path, _ = CASES["zip_bomb"](str(tmp_path))
    tracemalloc.start()
    try:
        with pytest.raises(InvalidModelFileError):
            ck.saving.load_model(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024


def test_config_size_bomb_fails_fast_with_bounded_memory(tmp_path):
    path, _ = CASES["config_size_bomb"](str(tmp_path))
    tracemalloc.start()
    try:
        with pytest.raises(InvalidModelFileError, match="size bomb"):
            ck.saving.load_model(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024


def test_model_from_json_size_bomb():
    import json

    from capas.keras.saving.saving_api import model_from_json

    config = {
        "module": "keras",
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 1 << 16]}},
                {"module": "keras.layers", "class_name": "Dense", "config": {"units": 1 << 16}},
            ],
        },
    }
    with pytest.raises(InvalidModelFileError, match="size bomb"):
        model_from_json(json.dumps(config))


def test_json_size_limit(tmp_path, monkeypatch):
    from capas.keras.saving import _safe_zip

    members, _ = hostile_corpus.reference_members(str(tmp_path))
    path = hostile_corpus.write_zip(str(tmp_path / "big.keras"), members)
    monkeypatch.setattr(_safe_zip, "MAX_JSON_BYTES", 64)
    with pytest.raises(InvalidModelFileError, match="limit"):
        ck.saving.load_model(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InvalidModelFileError, match="no such file"):
        ck.saving.load_model(tmp_path / "nope.keras")
    with pytest.raises(InvalidModelFileError, match="folder"):
        ck.saving.load_model(tmp_path)


def test_load_failure_leaves_the_model_unchanged(tmp_path):
    members, model = hostile_corpus.reference_members(str(tmp_path))
    before = model.get_weights()
    path, _ = CASES["truncated_weights_80"](str(tmp_path))
    for case in ("shape_bomb", "string_dataset", "external_link"):
        path, _ = CASES[case](str(tmp_path))
        with pytest.raises(InvalidModelFileError):
            model.load_weights(path)
        for a, b in zip(model.get_weights(), before):
            np.testing.assert_array_equal(a, b)


_OPENED = []
_RECORDING = [False]


def _audit(event, args):
    if _RECORDING[0] and event == "open":
        _OPENED.append(args[0])


@pytest.mark.parametrize("fmt", ["keras", "weights"])
def test_loading_opens_only_the_given_file(fmt, tmp_path):
    if _audit not in getattr(sys, "_capas_audit_hooks", []):
        sys.addaudithook(_audit)
        sys._capas_audit_hooks = getattr(sys, "_capas_audit_hooks", []) + [_audit]
    members, model = hostile_corpus.reference_members(str(tmp_path))
    path = str(tmp_path / ("m.keras" if fmt == "keras" else "m.weights.h5"))
    model.save(path) if fmt == "keras" else model.save_weights(path)

    def load():
        return ck.saving.load_model(path) if fmt == "keras" else model.load_weights(path)

    load()  # warm-up: lazy imports open .py files the first time
    _OPENED.clear()
    _RECORDING[0] = True
    try:
        load()
    finally:
        _RECORDING[0] = False
    opened = {os.fspath(p) if not isinstance(p, int) else p for p in _OPENED}
    assert opened == {path}, opened
