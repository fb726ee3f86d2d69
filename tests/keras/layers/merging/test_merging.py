"""Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot and their functional forms."""

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers
from capas.keras.testing import assert_matches_keras, run_layer_test


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def _xs(*shapes):
    rng = np.random.default_rng(0)
    return [rng.standard_normal(s).astype("float32") for s in shapes]


CASES = [
    ("Add", {}, [(2, 3, 4), (2, 3, 4), (2, 3, 4)]),
    ("Add", {}, [(2, 3, 4), (2, 1, 4)]),
    ("Subtract", {}, [(2, 5), (2, 5)]),
    ("Multiply", {}, [(2, 3, 4), (2, 3, 1)]),
    ("Average", {}, [(2, 5), (2, 5), (2, 5)]),
    ("Maximum", {}, [(2, 3, 4), (2, 3, 4)]),
    ("Minimum", {}, [(2, 3, 4), (2, 3, 4), (2, 3, 4)]),
    ("Concatenate", {}, [(2, 3, 4), (2, 3, 2)]),
    ("Concatenate", {"axis": 1}, [(2, 3, 4), (2, 1, 4), (2, 2, 4)]),
    ("Dot", {"axes": 1}, [(2, 5), (2, 5)]),
    ("Dot", {"axes": (2, 1)}, [(2, 3, 5), (2, 5, 4)]),
    ("Dot", {"axes": -1, "normalize": True}, [(2, 3, 5), (2, 4, 5)]),
    ("Dot", {"axes": (1, 2)}, [(2, 4, 3), (2, 5, 4)]),
    ("Dot", {"axes": 1}, [(2, 4), (2, 4, 3)]),
]


@pytest.mark.parametrize("name,kwargs,shapes", CASES)
def test_merge_matches_keras(ref, name, kwargs, shapes):
    ours, theirs = getattr(layers, name)(**kwargs), getattr(ref.layers, name)(**kwargs)
    assert_matches_keras(ours, theirs, _xs(*shapes), copy_weights=False)
    mine, keras_config = ours.get_config(), theirs.get_config()
    mine.pop("name"), keras_config.pop("name")
    assert mine == keras_config


@pytest.mark.parametrize(
    "fn,cls",
    [
        ("add", "Add"),
        ("subtract", "Subtract"),
        ("multiply", "Multiply"),
        ("average", "Average"),
        ("maximum", "Maximum"),
        ("minimum", "Minimum"),
        ("concatenate", "Concatenate"),
    ],
)
def test_functional_forms(ref, fn, cls):
    xs = _xs((2, 3), (2, 3))
    ours = getattr(layers, fn)([torch.tensor(x) for x in xs]).numpy()
    theirs = np.asarray(getattr(ref.layers, fn)([torch.tensor(x) for x in xs]).cpu())
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    a, b = keras.Input((3,)), keras.Input((3,))
    out = getattr(layers, fn)([a, b])
    assert out._keras_history[0].__class__.__name__ == cls
    model = keras.Model([a, b], out)
    np.testing.assert_allclose(model([torch.tensor(x) for x in xs]).numpy(), ours, rtol=1e-6)


def test_dot_functional(ref):
    xs = _xs((2, 4), (2, 4))
    np.testing.assert_allclose(
        layers.dot([torch.tensor(x) for x in xs], axes=1, normalize=True).numpy(),
        ref.layers.dot([torch.tensor(x) for x in xs], axes=1, normalize=True).cpu().numpy(),
        rtol=1e-5,
    )


@pytest.mark.parametrize("name", ["Add", "Maximum", "Minimum", "Multiply"])
def test_masks_propagate_like_keras(ref, name):
    x1, x2 = _xs((2, 4, 3), (2, 4, 3))
    m1 = torch.tensor([[True, True, False, False], [True, False, True, False]])
    m2 = torch.tensor([[True, False, False, True], [True, True, True, False]])

    def run(lib):
        t1, t2 = torch.tensor(x1), torch.tensor(x2)
        t1._keras_mask, t2._keras_mask = m1, m2
        out = getattr(lib.layers, name)()([t1, t2])
        return out, getattr(out, "_keras_mask", None)

    (ours, our_mask), (theirs, _their_mask) = run(keras), run(ref)
    np.testing.assert_allclose(ours.numpy(), theirs.detach().cpu().numpy(), rtol=1e-6)
    np.testing.assert_array_equal(our_mask.numpy(), (m1 | m2).numpy())


def test_concatenate_mask_matches_keras(ref):
    x1, x2 = _xs((2, 4, 3), (2, 4, 2))
    m1 = torch.tensor([[True, True, False, False], [True, False, True, False]])
    ours = layers.Concatenate()
    theirs = ref.layers.Concatenate()
    a = ours.compute_mask([torch.tensor(x1), torch.tensor(x2)], [m1, None])
    b = theirs.compute_mask([torch.tensor(x1), torch.tensor(x2)], [m1, None])
    np.testing.assert_array_equal(a.numpy(), b.cpu().numpy())


@pytest.mark.parametrize(
    "name,kwargs,shapes,out",
    [
        ("Add", {}, [(2, 3), (2, 3)], (2, 3)),
        ("Concatenate", {"axis": 1}, [(2, 3), (2, 5)], (2, 8)),
        ("Dot", {"axes": (2, 1)}, [(2, 3, 5), (2, 5, 4)], (2, 3, 4)),
        ("Subtract", {}, [(2, 4), (2, 4)], (2, 4)),
        ("Multiply", {}, [(2, 4), (2, 4), (2, 4)], (2, 4)),
        ("Average", {}, [(2, 4), (2, 1)], (2, 4)),
        ("Maximum", {}, [(2, 3, 4), (2, 3, 4)], (2, 3, 4)),
        ("Minimum", {}, [(2, 4), (2, 4)], (2, 4)),
    ],
)
def test_merge_contract(name, kwargs, shapes, out):
    run_layer_test(
        getattr(layers, name),
        kwargs,
        input_shape=list(shapes),
        expected_output_shape=out,
        expected_num_trainable_weights=0,
    )


def test_concatenate_incompatible_shapes():
    a, b = keras.Input((3, 4)), keras.Input((5, 2))
    with pytest.raises(
        ValueError,
        match=r"Concatenate 'cat_a' requires inputs with matching shapes except.*"
        r"\(None, 3, 4\), \(None, 5, 2\).*differ on axis 1",
    ):
        layers.Concatenate(name="cat_a")([a, b])
    with pytest.raises(ValueError, match=r"Concatenate 'cat_b'.*\(2, 3\), \(2, 4, 1\)"):
        layers.Concatenate(name="cat_b")([torch.ones(2, 3), torch.ones(2, 4, 1)])


def test_merge_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Add 'add_x': inputs have incompatible shapes \(2, 3\), \(2, 4\)"):
        layers.Add(name="add_x")([torch.ones(2, 3), torch.ones(2, 4)])
    built = layers.Add(name="add_z")
    built([torch.ones(2, 3), torch.ones(2, 3)])
    with pytest.raises(ValueError, match=r"Add 'add_z': inputs have incompatible shapes \(2, 3\), \(2, 5\)"):
        built([torch.ones(2, 3), torch.ones(2, 5)])
    with pytest.raises(ValueError, match=r"Subtract 'sub_x' should be called on 2 inputs; received 3"):
        layers.Subtract(name="sub_x")([torch.ones(2, 3)] * 3)
    with pytest.raises(ValueError, match=r"Add 'add_y' merges a list of tensors.*layer\(\[x1, x2"):
        layers.Add(name="add_y")(torch.ones(2, 3))
    with pytest.raises(ValueError, match=r"Dot 'dot_x': incompatible input shapes.*\(3\) != .*\(4\)"):
        layers.Dot(axes=1, name="dot_x")([torch.ones(2, 3), torch.ones(2, 4)])
