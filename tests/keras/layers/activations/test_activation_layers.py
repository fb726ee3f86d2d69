"""ReLU, LeakyReLU, PReLU, ELU and Softmax layers against keras."""

import numpy as np
import pytest
import torch

from capas.keras import layers
from capas.keras.testing import assert_matches_keras, run_layer_test


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def _x(shape, seed=0):
    return (np.random.default_rng(seed).standard_normal(shape) * 3).astype("float32")


CASES = [
    ("ReLU", {}),
    ("ReLU", {"max_value": 2.0}),
    ("ReLU", {"max_value": 6.0}),
    ("ReLU", {"negative_slope": 0.1}),
    ("ReLU", {"threshold": 0.5, "negative_slope": 0.2, "max_value": 3.0}),
    ("ReLU", {"threshold": 1.0}),
    ("LeakyReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.05}),
    ("ELU", {}),
    ("ELU", {"alpha": 0.5}),
    ("Softmax", {}),
    ("Softmax", {"axis": 1}),
    ("Softmax", {"axis": (1, 2)}),
]


@pytest.mark.parametrize("name,kwargs", CASES)
@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 7)])
def test_activation_layers_match_keras(ref, name, kwargs, shape):
    if len(shape) == 2 and kwargs.get("axis") == (1, 2):
        pytest.skip("two axes need rank 3")
    ours, theirs = getattr(layers, name)(**kwargs), getattr(ref.layers, name)(**kwargs)
    assert_matches_keras(ours, theirs, _x(shape), copy_weights=False)
    mine, keras_config = ours.get_config(), theirs.get_config()
    mine.pop("name"), keras_config.pop("name")
    assert mine == keras_config


@pytest.mark.parametrize(
    "kwargs,shape",
    [
        ({}, (3, 5)),
        ({"shared_axes": [1, 2]}, (2, 4, 4, 3)),
        ({"shared_axes": 1, "alpha_initializer": "ones"}, (2, 5, 3)),
    ],
)
def test_prelu_matches_keras(ref, kwargs, shape):
    ours, theirs = layers.PReLU(**kwargs), ref.layers.PReLU(**kwargs)
    theirs.build(shape)
    theirs.set_weights(
        [np.random.default_rng(2).uniform(0.1, 0.5, w.shape).astype("float32") for w in theirs.get_weights()]
    )
    ours(_x(shape))
    ours.set_weights(theirs.get_weights())
    assert_matches_keras(ours, theirs, _x(shape), copy_weights=False)
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]


@pytest.mark.parametrize("mask_shape", [(3, 4, 5), (3, 1, 5), (5,)])
def test_softmax_with_mask_matches_keras(ref, mask_shape):
    rng = np.random.default_rng(1)
    mask = rng.random(mask_shape) > 0.4
    mask[..., 0] = False  # some rows (or columns) entirely masked
    x = _x((3, 4, 5))
    assert_matches_keras(
        layers.Softmax(), ref.layers.Softmax(), x, copy_weights=False, call_kwargs={"mask": torch.tensor(mask)}
    )


@pytest.mark.parametrize(
    "cls,kwargs,weights",
    [
        (layers.ReLU, {"max_value": 1.0}, 0),
        (layers.Softmax, {}, 0),
        (layers.PReLU, {"shared_axes": [1]}, 1),
        (layers.ELU, {}, 0),
        (layers.LeakyReLU, {}, 0),
    ],
)
def test_activation_contract(cls, kwargs, weights):
    run_layer_test(
        cls,
        kwargs,
        input_shape=(2, 3, 4),
        expected_output_shape=(2, 3, 4),
        expected_num_trainable_weights=weights,
        run_training_check=weights > 0,
    )


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"ReLU 'r1': `max_value` must be >= 0"):
        layers.ReLU(max_value=-1.0, name="r1")
    with pytest.raises(ValueError, match=r"LeakyReLU 'l1': `negative_slope` must be a number >= 0"):
        layers.LeakyReLU(negative_slope=-0.1, name="l1")
    with pytest.raises(ValueError, match=r"Softmax 's1': the mask must be broadcastable.*\(2, 3\).*\(2, 4\)"):
        layers.Softmax(name="s1")(torch.ones(2, 3), mask=torch.ones(2, 4, dtype=torch.bool))
    with pytest.raises(ValueError, match=r"PReLU 'p1': shared axis 3 is not a non-batch axis"):
        layers.PReLU(shared_axes=[3], name="p1")(torch.ones(2, 3))
