"""Fuzzing: mutated valid files either load or raise InvalidModelFileError, nothing else."""

import copy
import io
import json
import os
import warnings

import h5py
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from capas import keras as ck  # noqa: E402
from capas.keras.saving import InvalidModelFileError  # noqa: E402
from tests.keras.saving import hostile_corpus  # noqa: E402

SETTINGS = dict(
    max_examples=100,
    deadline=5000,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("fuzz"))
    members, model = hostile_corpus.reference_members(folder)
    with open(os.path.join(folder, "reference.keras"), "rb") as f:
        archive = f.read()
    return folder, members, archive, model


def _try_load(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ck.saving.load_model(path, **kwargs)
        except InvalidModelFileError:
            pass


def _write(folder, name, data):
    path = os.path.join(folder, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


byte_edits = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8)


@settings(**SETTINGS)
@given(edits=byte_edits, cut=st.one_of(st.none(), st.floats(0, 1)))
def test_fuzz_archive_bytes(reference, edits, cut):
    folder, _, archive, _ = reference
    data = bytearray(archive)
    for where, value in edits:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    _try_load(_write(folder, "fuzz_bytes.keras", bytes(data)))


def _paths(value, prefix=()):
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, prefix + (i,)))
    return out


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=True)
    | st.sampled_from(
        [
            "Dense",
            "Functional",
            "__lambda__",
            "os",
            "system",
            "builtins",
            "relu",
            "keras.layers",
            "",
            "function",
            "__keras_tensor__",
            "input_layer",
            "dense",
            "hostile>set_canary",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "class_name",
                    "config",
                    "module",
                    "registered_name",
                    "name",
                    "layers",
                    "units",
                    "keras_history",
                    "inbound_nodes",
                    "args",
                    "kwargs",
                    "build_config",
                    "input_shape",
                    "batch_shape",
                    "shape",
                    "safe_mode",
                    "function",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(**SETTINGS)
@given(data=st.data())
def test_fuzz_config_json(reference, data):
    folder, members, _, _ = reference
    config = json.loads(members["config.json"])
    paths = _paths(config)
    mutated = copy.deepcopy(config)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        replacement = data.draw(json_values)
        if not path:
            mutated = replacement
            break
        target = mutated
        try:
            for key in path[:-1]:
                target = target[key]
            if data.draw(st.booleans()) and isinstance(target, dict):
                target.pop(path[-1], None)
            else:
                target[path[-1]] = replacement
        except (KeyError, IndexError, TypeError):
            continue
    fuzzed = dict(members, **{"config.json": json.dumps(mutated).encode()})
    path = hostile_corpus.write_zip(os.path.join(folder, "fuzz_config.keras"), fuzzed)
    _try_load(path)
    assert not hostile_corpus.CANARY["called"]


@settings(**dict(SETTINGS, max_examples=50))
@given(edits=byte_edits)
def test_fuzz_weights_h5(reference, edits):
    folder, members, _, model = reference
    data = bytearray(members["model.weights.h5"])
    for where, value in edits:
        data[int(where * len(data))] = value
    fuzzed = dict(members, **{"model.weights.h5": bytes(data)})
    _try_load(hostile_corpus.write_zip(os.path.join(folder, "fuzz_h5.keras"), fuzzed))
    path = _write(folder, "fuzz.weights.h5", bytes(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            model.load_weights(path)
        except InvalidModelFileError:
            pass


def test_reference_file_is_valid(reference):
    folder, members, _, _ = reference
    with h5py.File(io.BytesIO(members["model.weights.h5"]), "r") as f:
        assert "layers" in f
    ck.saving.load_model(os.path.join(folder, "reference.keras"))
