"""keras.utils.FeatureSpace against values recorded from TensorFlow 2.21's tf.keras
(tests/goldens/featurespace/record.py): the keras-io "Structured data classification with
FeatureSpace" space on an inline sample of its CSV, and a second space with every other kind
of feature in 'dict' mode; fitted state, encoded vectors, tf.data map, `.keras` files."""

import json
import pathlib
import zipfile

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from capas.keras.utils import FeatureSpace
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).resolve().parents[2] / "goldens" / "featurespace"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "featurespace.json").read_text())


def build(spec, crosses, output_mode):
    features = {name: getattr(FeatureSpace, kind)(name=name, **kw) for name, kind, kw in spec}
    return FeatureSpace(features=features, crosses=crosses, crossing_dim=32, output_mode=output_mode)


def fitted(spec, crosses, output_mode):
    columns = cases.heart_columns()
    names = [name for name, _, _ in spec]
    space = build(spec, crosses, output_mode)
    ds = tf.data.Dataset.from_tensor_slices(({n: columns[n] for n in names}, columns["target"])).batch(4)
    space.adapt(ds.map(lambda x, _: x))  # the example's train_ds_with_no_labels
    return space, names


SPACES = {
    "example": (cases.EXAMPLE_FEATURES, cases.EXAMPLE_CROSSES, "concat", cases.PROBE_ROWS),
    "other": (
        cases.OTHER_FEATURES,
        cases.OTHER_CROSSES,
        "dict",
        {**cases.PROBE_ROWS, **cases.OTHER_PROBE_OVERRIDES},
    ),
}


@pytest.fixture(scope="module", params=sorted(SPACES))
def space_case(request):
    spec, crosses, mode, probe = SPACES[request.param]
    space, names = fitted(spec, crosses, mode)
    return request.param, space, names, probe


def assert_record(actual, record, atol=1e-6):
    if isinstance(record, dict) and "values" not in record:
        assert sorted(actual) == sorted(record)
        for key in record:
            assert_record(actual[key], record[key], atol)
        return
    a = actual.detach().cpu().numpy() if isinstance(actual, torch.Tensor) else np.asarray(actual)
    assert list(a.shape) == record["shape"]
    assert str(a.dtype) == record["dtype"]
    np.testing.assert_allclose(a.reshape(-1), np.asarray(record["values"], dtype=a.dtype), rtol=1e-6, atol=atol)


def test_fitted_state_is_tensorflows(space_case):
    key, space, _, _ = space_case
    for name, state in EXPECTED[key]["state"].items():
        pre = space.preprocessors[name]
        if "vocabulary" in state:
            vocab = [v.decode() if isinstance(v, bytes) else v for v in pre.get_vocabulary()]
            assert vocab == state["vocabulary"], name
        elif "mean" in state:
            np.testing.assert_allclose(np.asarray(pre.mean).reshape(-1), state["mean"]["values"], rtol=1e-6)
            np.testing.assert_allclose(np.asarray(pre.variance).reshape(-1), state["variance"]["values"], rtol=1e-5)
        else:
            assert [float(b) for b in pre.bin_boundaries] == state["bin_boundaries"], name


@pytest.mark.parametrize("what", ["probe", "single", "train_rows"])
def test_encoded_batches_are_tensorflows(space_case, what):
    key, space, names, probe = space_case
    if what == "probe":
        data = {n: tf.constant(probe[n]) for n in names}
    elif what == "single":
        data = {n: tf.constant([probe[n][0]]) for n in names}
    else:
        columns = cases.heart_columns()
        data = {n: tf.constant(columns[n]) for n in names}
    assert_record(space(data), EXPECTED[key][what], atol=1e-5)


def test_scalar_columns_give_one_unbatched_row(space_case):
    key, space, names, probe = space_case
    assert_record(space({n: probe[n][1] for n in names}), EXPECTED[key]["scalar"], atol=1e-5)


def test_the_space_runs_inside_dataset_map(space_case):
    key, space, names, probe = space_case
    mapped = tf.data.Dataset.from_tensor_slices({n: probe[n] for n in names}).batch(2).map(space)
    batches = list(mapped)
    assert len(batches) == len(EXPECTED[key]["mapped"])
    for batch, record in zip(batches, EXPECTED[key]["mapped"]):
        assert_record(batch, record, atol=1e-5)


def test_inputs_and_encoded_features_match_tensorflows(space_case):
    key, space, _, _ = space_case
    inputs = space.get_inputs()
    assert {k: [list(v.shape), keras.utils.standardize_dtype(v.dtype)] for k, v in inputs.items()} == {
        k: [shape, dtype] for k, (shape, dtype) in EXPECTED[key]["inputs"].items()
    }
    encoded = space.get_encoded_features()
    if isinstance(encoded, dict):
        assert {k: list(v.shape) for k, v in encoded.items()} == EXPECTED[key]["encoded_shape"]
    else:
        assert list(encoded.shape) == EXPECTED[key]["encoded_shape"]


def _config_outline(config):
    """What a config must agree on with TensorFlow's: classes, modules, dtypes, modes, crosses."""
    features = {
        name: (
            f["class_name"],
            f["module"],
            f["registered_name"],
            f["config"]["dtype"],
            f["config"]["output_mode"],
            f["config"]["preprocessor"]["class_name"],
            f["config"]["preprocessor"]["config"]["name"],
        )
        for name, f in config["features"].items()
    }
    crosses = [
        (
            c["class_name"],
            c["module"],
            c["registered_name"],
            list(c["config"]["feature_names"]),
            c["config"]["crossing_dim"],
        )
        for c in config["crosses"]
    ]
    rest = {k: config[k] for k in ("output_mode", "crossing_dim", "hashing_dim", "num_discretization_bins")}
    return features, crosses, rest


def test_config_names_what_tensorflows_names(space_case):
    key, space, _, _ = space_case
    ours = json.loads(json.dumps(keras.saving.serialize_keras_object(space)["config"]))
    assert _config_outline(ours) == _config_outline(EXPECTED[key]["config"])


def test_a_space_saved_by_tensorflow_loads_and_encodes_the_same(tmp_path):
    loaded = keras.models.load_model(GOLDENS / "example_space.keras")
    assert isinstance(loaded, FeatureSpace)
    data = {n: tf.constant(cases.PROBE_ROWS[n]) for n, _, _ in cases.EXAMPLE_FEATURES}
    assert_record(loaded(data), EXPECTED["example"]["loaded_probe"], atol=1e-5)


def test_save_and_load_model_round_trip(tmp_path):
    space, names = fitted(cases.EXAMPLE_FEATURES, cases.EXAMPLE_CROSSES, "concat")
    path = tmp_path / "space.keras"
    space.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        assert config["module"] == "keras.utils" and config["class_name"] == "FeatureSpace"
        with zipfile.ZipFile(GOLDENS / "example_space.keras") as theirs:
            # the same members: vocabularies under the same asset paths, the same weights file groups
            assert sorted(archive.namelist()) == sorted(theirs.namelist())
    loaded = keras.models.load_model(path)
    data = {n: tf.constant(cases.PROBE_ROWS[n]) for n in names}
    np.testing.assert_array_equal(loaded(data).numpy(), space(data).numpy())


def test_keras_io_models_on_the_encoded_features():
    space, names = fitted(cases.EXAMPLE_FEATURES, cases.EXAMPLE_CROSSES, "concat")
    keras.utils.set_random_seed(0)
    encoded = space.get_encoded_features()
    x = keras.layers.Dense(32, activation="relu")(encoded)
    x = keras.layers.Dropout(0.5)(x)
    predictions = keras.layers.Dense(1, activation="sigmoid")(x)
    training_model = keras.Model(inputs=encoded, outputs=predictions)
    training_model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    columns = cases.heart_columns()
    ds = tf.data.Dataset.from_tensor_slices(({n: columns[n] for n in names}, columns["target"])).batch(4)
    train = ds.map(lambda x, y: (space(x), y), num_parallel_calls=tf.data.AUTOTUNE)
    history = training_model.fit(train, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    inference_model = keras.Model(inputs=space.get_inputs(), outputs=predictions)
    sample = {n: tf.convert_to_tensor([cases.PROBE_ROWS[n][0]]) for n in names}
    via_inputs = inference_model.predict(sample, verbose=0)
    via_space = training_model.predict(space(sample), verbose=0)
    np.testing.assert_allclose(via_inputs, via_space, rtol=1e-6)


def test_errors_name_the_space_and_the_fix():
    with pytest.raises(ValueError, match="`features` argument cannot be None or empty"):
        FeatureSpace(features={})
    with pytest.raises(ValueError, match=r"output_mode.*'dict', 'concat'"):
        FeatureSpace(features={"a": "float"}, output_mode="stack")
    with pytest.raises(ValueError, match=r"unknown features \['b'\]"):
        FeatureSpace(features={"a": "integer_categorical"}, crosses=[("a", "b")])
    with pytest.raises(ValueError, match="invalid feature type 'floats'"):
        FeatureSpace(features={"a": "floats"})
    space = FeatureSpace(features={"a": "float_normalized"})
    with pytest.raises(ValueError, match=r"call `\.adapt\(dataset\)`"):
        space({"a": [1.0]})
    space.adapt({"a": [1.0, 2.0]})
    with pytest.raises(ValueError, match="only be called with a dict"):
        space([1.0])
    with pytest.raises(ValueError, match=r"lacks the features \['a'\]"):
        space({"b": [1.0]})
    with pytest.raises(ValueError, match="cannot concatenate features because feature 'a'"):
        FeatureSpace(features={"a": FeatureSpace.integer_categorical(output_mode="int")}).adapt({"a": [1, 2]})


def test_a_space_without_adaptable_features_needs_no_adapt():
    space = FeatureSpace(features={"x": FeatureSpace.float_rescaled(scale=2.0), "h": FeatureSpace.string_hashed(4)})
    out = space({"x": [1.0, 3.0], "h": ["a", "b"]})
    assert out.shape == (2, 5)
    np.testing.assert_array_equal(out[:, 4].numpy(), [2.0, 6.0])  # sorted names: 'h' (4 bins), then 'x'
