"""Models built from the catalogue move between keras and capas as `.keras` files, computing the same."""

import numpy as np
import pytest
import torch

from capas import keras

pytestmark = pytest.mark.filterwarnings("ignore:Layer .* was passed an input with a mask")


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def image_model(lib):
    inputs = lib.Input((12, 12, 3))
    x = lib.layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    x = lib.layers.BatchNormalization()(x)
    x = lib.layers.MaxPooling2D()(x)
    x = lib.layers.SeparableConv2D(4, 3, padding="same")(x)
    x = lib.layers.DepthwiseConv2D(3, depth_multiplier=2)(x)
    x = lib.layers.Conv2DTranspose(3, 3, strides=2, padding="same")(x)
    x = lib.layers.ZeroPadding2D(1)(x)
    x = lib.layers.Cropping2D(((1, 0), (0, 1)))(x)
    x = lib.layers.UpSampling2D()(x)
    x = lib.layers.AveragePooling2D(3, padding="same")(x)
    x = lib.layers.PReLU()(x)
    skip = lib.layers.GlobalMaxPooling2D()(x)
    x = lib.layers.GlobalAveragePooling2D()(x)
    x = lib.layers.Concatenate()([x, skip])
    x = lib.layers.LayerNormalization()(x)
    return lib.Model(inputs, lib.layers.Dense(2)(x))


def text_model(lib):
    a = lib.Input((6,), dtype="int32")
    b = lib.Input((6,), dtype="int32")
    embed = lib.layers.Embedding(20, 8, mask_zero=True)
    x = lib.layers.Conv1D(8, 3, padding="causal")(embed(a))
    y = lib.layers.GroupNormalization(groups=2)(embed(b))
    pooled_x = lib.layers.GlobalAveragePooling1D()(x)
    pooled_y = lib.layers.GlobalMaxPooling1D()(y)
    merged = lib.layers.Add()([pooled_x, pooled_y])
    dot = lib.layers.Dot(axes=1, normalize=True)([pooled_x, pooled_y])
    out = lib.layers.Concatenate()([merged, dot, lib.layers.Subtract()([pooled_x, pooled_y])])
    out = lib.layers.EinsumDense("ab,bc->ac", 3, bias_axes="c")(out)
    return lib.Model([a, b], lib.layers.Softmax()(out))


def _data(kind):
    rng = np.random.default_rng(0)
    if kind == "image":
        return rng.standard_normal((3, 12, 12, 3)).astype("float32")
    ids = rng.integers(0, 20, (3, 6)).astype("int32")
    ids[:, 4:] = 0
    return [ids, rng.integers(1, 20, (3, 6)).astype("int32")]


def _predict(model, x):
    out = model(x if not isinstance(x, list) else [torch.tensor(v) for v in x])
    return torch.as_tensor(out).detach().cpu().numpy()


@pytest.mark.parametrize("build,kind", [(image_model, "image"), (text_model, "text")])
def test_keras_file_loads_in_capas(ref, tmp_path, build, kind):
    theirs = build(ref)
    x = _data(kind)
    path = str(tmp_path / "model.keras")
    theirs.save(path)
    ours = keras.saving.load_model(path)
    np.testing.assert_allclose(_predict(ours, x), _predict(theirs, x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("build,kind", [(image_model, "image"), (text_model, "text")])
def test_capas_file_loads_in_keras(ref, tmp_path, build, kind):
    ours = build(keras)
    x = _data(kind)
    path = str(tmp_path / "model.keras")
    ours.save(path)
    theirs = ref.saving.load_model(path)
    np.testing.assert_allclose(_predict(theirs, x), _predict(ours, x), rtol=1e-5, atol=1e-5)
