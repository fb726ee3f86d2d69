"""HashedCrossing against TensorFlow's recorded bins (tests/goldens/featurespace/record.py: Keras
runs it through tf.sparse.cross_hashed, so the keras package on torch cannot); Pipeline and
MaxNumBoundingBoxes against keras (torch backend)."""

import json
import pathlib

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from capas.keras import layers
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).resolve().parents[3] / "goldens" / "featurespace"
cases = load_cases(GOLDENS)
EXPECTED = json.loads((GOLDENS / "featurespace.json").read_text())["hashed_crossing"]


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


@pytest.mark.parametrize("index", range(len(cases.HASHED_CROSSING_CASES)))
def test_hashed_crossing_bins_are_tensorflows(index):
    num_bins, mode, a, b = cases.HASHED_CROSSING_CASES[index]
    record = EXPECTED[index]
    layer = layers.HashedCrossing(num_bins=num_bins, output_mode=mode)
    # numbers as int64 arrays, as tf.constant makes them (capas's tf.constant gives int32 for 2**40)
    out = layer(tuple(tf.constant(v) if isinstance(np.asarray(v).flat[0], str) else np.asarray(v) for v in (a, b)))
    assert list(out.shape) == record["output"]["shape"]
    assert keras.utils.standardize_dtype(out.dtype) == record["output"]["dtype"]
    assert out.reshape(-1).tolist() == record["output"]["values"]
    config = layer.get_config()
    assert {k: v for k, v in config.items() if k != "name"} == {
        k: v for k, v in record["config"].items() if k != "name"
    }


def test_hashed_crossing_takes_lists_arrays_and_symbolic_inputs():
    num_bins, _, a, b = cases.HASHED_CROSSING_CASES[0]
    expected = EXPECTED[0]["output"]["values"]
    assert layers.HashedCrossing(num_bins)((a, b)).tolist() == expected
    assert layers.HashedCrossing(num_bins)([np.array(a), np.array(b)]).tolist() == expected
    x = keras.Input((1,), dtype="string")
    y = keras.Input((1,), dtype="int64")
    out = layers.HashedCrossing(num_bins, output_mode="one_hot")([x, y])
    assert tuple(out.shape) == (None, num_bins)
    model = keras.Model({"x": x, "y": y}, out)
    got = model({"x": tf.constant([[v] for v in a]), "y": tf.constant([[v] for v in b])})
    assert got.argmax(-1).tolist() == expected


def test_hashed_crossing_errors_name_the_layer_and_the_fix():
    cross = layers.HashedCrossing(4, name="hc")
    with pytest.raises(ValueError, match="'hc' should be called on a list or tuple of at least two inputs"):
        cross([[1, 2]])
    with pytest.raises(ValueError, match=r"'hc': all inputs should have equal shape"):
        cross(([1, 2], [1, 2, 3]))
    with pytest.raises(ValueError, match=r"'hc': all inputs should have shape \(\), \(batch_size,\) or"):
        cross((np.zeros((2, 3), "int64"), np.zeros((2, 3), "int64")))
    with pytest.raises(ValueError, match="integer or string dtype.*cast floats"):
        cross(([1.5, 2.0], [1, 2]))
    with pytest.raises(ValueError, match="sparse=True needs TensorFlow's sparse tensors"):
        layers.HashedCrossing(4, sparse=True)
    with pytest.raises(ValueError, match="unknown output_mode 'multi_hot'"):
        layers.HashedCrossing(4, output_mode="multi_hot")


def test_pipeline_matches_keras_and_round_trips(ref, tmp_path):
    x = np.random.default_rng(0).uniform(0, 255, (2, 6, 6, 3)).astype("float32")
    ours = layers.Pipeline([layers.Rescaling(1 / 255.0), layers.CenterCrop(4, 4), layers.Rescaling(2.0, offset=-1.0)])
    theirs = ref.layers.Pipeline(
        [ref.layers.Rescaling(1 / 255.0), ref.layers.CenterCrop(4, 4), ref.layers.Rescaling(2.0, offset=-1.0)]
    )
    np.testing.assert_allclose(ours(torch.tensor(x)).numpy(), theirs(x).detach().cpu().numpy(), rtol=1e-6, atol=1e-6)
    config = ours.get_config()
    assert set(config) == set(theirs.get_config()) and [c["class_name"] for c in config["layers"]] == [
        "Rescaling",
        "CenterCrop",
        "Rescaling",
    ]
    again = layers.Pipeline.from_config(json.loads(json.dumps(config)))
    np.testing.assert_array_equal(again(torch.tensor(x)).numpy(), ours(torch.tensor(x)).numpy())
    # a Pipeline config written by Keras rebuilds in capas
    from_keras = layers.deserialize(ref.layers.serialize(theirs))
    np.testing.assert_allclose(from_keras(torch.tensor(x)).numpy(), ours(torch.tensor(x)).numpy(), rtol=1e-6)
    # and inside a tf.data map, the place Keras documents it for
    ds = tf.data.Dataset.from_tensor_slices(x).batch(2).map(ours)
    np.testing.assert_allclose(next(iter(ds)).numpy(), ours(torch.tensor(x)).numpy(), rtol=1e-6)


def test_pipeline_passes_training_and_masks_on():
    seen = {}

    class Probe(layers.Layer):
        def call(self, x, training=None, mask=None):
            seen["training"], seen["mask"] = training, mask
            return x

    pipe = layers.Pipeline([layers.Masking(mask_value=0.0), Probe()])
    pipe(torch.tensor([[[0.0], [1.0]]]), training=False)
    assert seen["training"] is False and seen["mask"].tolist() == [[False, True]]
    with pytest.raises(ValueError, match="`layers` must be a list of keras layers"):
        layers.Pipeline(["rescaling"])


def _boxes(n):
    rng = np.random.default_rng(n)
    return {
        "images": rng.uniform(0, 1, (2, 8, 8, 3)).astype("float32"),
        "bounding_boxes": {
            "boxes": rng.uniform(0, 8, (2, n, 4)).astype("float32"),
            "labels": rng.integers(0, 5, (2, n)).astype("int64"),
        },
    }


@pytest.mark.parametrize("n", [1, 3, 6])
def test_max_num_bounding_boxes_pads_and_truncates_as_keras(ref, n):
    data = _boxes(n)
    ours = layers.MaxNumBoundingBoxes(max_number=3, fill_value=-1, bounding_box_format="xyxy")(data)
    theirs = ref.layers.MaxNumBoundingBoxes(max_number=3, fill_value=-1, bounding_box_format="xyxy")(data)
    np.testing.assert_array_equal(np.asarray(ours["images"]), np.asarray(theirs["images"]))
    for key in ("boxes", "labels"):
        a = np.asarray(ours["bounding_boxes"][key])
        b = np.asarray(
            theirs["bounding_boxes"][key].cpu()
            if hasattr(theirs["bounding_boxes"][key], "cpu")
            else theirs["bounding_boxes"][key]
        )
        assert a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_max_num_bounding_boxes_images_pass_and_errors():
    images = torch.rand(1, 4, 4, 3)
    layer = layers.MaxNumBoundingBoxes(max_number=2, bounding_box_format="yxyx")
    assert torch.equal(layer(images), images)
    boxes = {"boxes": torch.zeros(1, 1, 4), "labels": torch.zeros(1, 1)}
    with pytest.raises(KeyError, match=r"unsupported keys in `bounding_boxes`: \['scores'\]"):
        layer({"images": images, "bounding_boxes": {**boxes, "scores": 1}})
    with pytest.raises(ValueError, match="didn't specify a bounding box format"):
        layers.MaxNumBoundingBoxes(max_number=2)({"images": images, "bounding_boxes": boxes})
    again = layers.MaxNumBoundingBoxes.from_config(layer.get_config())
    assert (again.max_number, again.bounding_box_format) == (2, "yxyx")


def test_a_functional_model_takes_a_list_of_number_and_string_inputs():
    ids = keras.Input((1,), dtype="int64")
    words = keras.Input((1,), dtype="string")
    out = layers.HashedCrossing(5)([ids, words])
    model = keras.Model([ids, words], out)
    got = model([tf.constant([[101], [102]]), tf.constant([["A"], ["A"]])])
    expected = layers.HashedCrossing(5)((np.array([[101], [102]]), tf.constant([["A"], ["A"]])))
    assert got.tolist() == expected.tolist()


def test_models_holding_the_new_preprocessing_layers_save_and_load(tmp_path):
    ids = keras.Input((1,), dtype="int64", name="ids")
    words = keras.Input((1,), dtype="string", name="words")
    crossed = layers.HashedCrossing(6, output_mode="one_hot", name="cross")([ids, words])
    out = layers.Pipeline([layers.Rescaling(2.0), layers.Rescaling(1.0, offset=-1.0)], name="pipe")(crossed)
    model = keras.Model({"ids": ids, "words": words}, out)
    data = {"ids": tf.constant([[1], [2], [3]]), "words": tf.constant([["a"], ["b"], ["a"]])}
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert [type(layer).__name__ for layer in loaded.layers[-2:]] == ["HashedCrossing", "Pipeline"]
    np.testing.assert_array_equal(loaded(data).numpy(), model(data).numpy())
