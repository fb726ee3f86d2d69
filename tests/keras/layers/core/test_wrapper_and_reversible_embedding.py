"""Wrapper (the base of TimeDistributed and SpectralNormalization), ReversibleEmbedding against
keras (torch backend), and the names capas cannot run (JaxLayer, FlaxLayer, TFSMLayer)."""

import json

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers
from capas.keras.testing import assert_matches_keras, run_layer_test


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def test_wrappers_relate_as_in_keras(ref):
    assert issubclass(layers.TimeDistributed, layers.Wrapper)
    assert issubclass(layers.SpectralNormalization, layers.Wrapper)
    assert issubclass(ref.layers.TimeDistributed, ref.layers.Wrapper)
    # Keras 3's Bidirectional is a plain Layer, not a Wrapper
    assert not issubclass(layers.Bidirectional, layers.Wrapper)
    assert not issubclass(ref.layers.Bidirectional, ref.layers.Wrapper)


class _Twice(layers.Wrapper):
    def call(self, x):
        return 2 * self.layer(x)


def test_wrapper_builds_the_wrapped_layer_and_round_trips_its_config():
    w = _Twice(layers.Dense(3))
    out = w(torch.ones(2, 4))
    assert w.layer.built and out.shape == (2, 3)
    config = w.get_config()
    assert config["layer"]["class_name"] == "Dense"
    json.dumps(config)
    again = _Twice.from_config(config)
    assert again.layer.get_config()["units"] == 3 and again.layer is not w.layer
    with pytest.raises(ValueError, match="_Twice: `layer` must be a keras Layer instance"):
        _Twice(torch.nn.Linear(2, 2))


def test_time_distributed_config_still_matches_keras(ref):
    ours = layers.TimeDistributed(layers.Dense(2, name="d"), name="td")
    theirs = ref.layers.TimeDistributed(ref.layers.Dense(2, name="d"), name="td")
    assert set(ours.get_config()) == set(theirs.get_config())
    assert layers.TimeDistributed.from_config(ours.get_config()).layer.units == 2


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"tie_weights": False}, {"logit_soft_cap": 2.0}, {"tie_weights": False, "logit_soft_cap": 0.5}],
)
def test_reversible_embedding_matches_keras_both_directions(ref, kwargs):
    ids = np.array([[1, 2, 3, 0], [4, 5, 6, 7]], dtype="int64")
    theirs = ref.layers.ReversibleEmbedding(10, 4, **kwargs)
    ours = layers.ReversibleEmbedding(10, 4, **kwargs)
    assert_matches_keras(ours, theirs, ids, grad=False)
    vectors = np.random.default_rng(1).standard_normal((2, 3, 4)).astype("float32")
    assert_matches_keras(ours, theirs, vectors, copy_weights=False, call_kwargs={"reverse": True}, atol=1e-6)
    ignored = ("name", "dtype")  # names count per process; dtype policies serialize alike (tested elsewhere)
    assert {k: v for k, v in ours.get_config().items() if k not in ignored} == {
        k: v for k, v in theirs.get_config().items() if k not in ignored
    }


def test_reversible_embedding_masks_forward_calls_only():
    emb = layers.ReversibleEmbedding(5, 3, mask_zero=True)
    out = emb(torch.tensor([[1, 0, 2]]))
    assert out._keras_mask.tolist() == [[True, False, True]]
    logits = emb(out, reverse=True)
    assert getattr(logits, "_keras_mask", None) is None and logits.shape == (1, 3, 5)
    assert emb.compute_output_shape((1, 3, 3), reverse=True) == (1, 3, 5)


def test_reversible_embedding_contract_and_keras_file_both_ways(ref, tmp_path):
    run_layer_test(
        layers.ReversibleEmbedding,
        {"input_dim": 6, "output_dim": 3, "tie_weights": False},
        input_data=torch.tensor([[1, 2], [3, 4]]),
        expected_output_shape=(2, 2, 3),
        expected_num_trainable_weights=2,
        expected_num_non_trainable_weights=0,
        run_training_check=False,
    )
    theirs = ref.Sequential([ref.Input((3,), dtype="int32"), ref.layers.ReversibleEmbedding(8, 4, tie_weights=False)])
    theirs.save(tmp_path / "k.keras")
    ours = keras.models.load_model(tmp_path / "k.keras")
    ids = torch.tensor([[1, 2, 7]])
    np.testing.assert_allclose(ours(ids).numpy(), theirs(ids).detach().numpy(), rtol=1e-6)
    ours.save(tmp_path / "c.keras")
    back = ref.models.load_model(tmp_path / "c.keras")
    for a, b in zip(back.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "make,words",
    [
        (lambda: layers.JaxLayer(call_fn=lambda x: x), ["JaxLayer", "JAX", "TorchModuleWrapper"]),
        (lambda: layers.FlaxLayer(module=None), ["FlaxLayer", "Flax", "JAX backend"]),
        (lambda: layers.TFSMLayer("saved", call_endpoint="serve"), ["TFSMLayer('saved')", "SavedModel", ".keras"]),
    ],
)
def test_names_capas_cannot_run_say_why_and_what_instead(make, words):
    with pytest.raises(NotImplementedError) as info:
        make()
    for word in words:
        assert word in str(info.value)


def test_a_config_naming_tfsm_layer_fails_with_the_same_reason():
    config = {"class_name": "TFSMLayer", "config": {"filepath": "exported", "call_endpoint": "serve"}}
    with pytest.raises(NotImplementedError, match="TensorFlow SavedModel graph"):
        layers.deserialize(config)
