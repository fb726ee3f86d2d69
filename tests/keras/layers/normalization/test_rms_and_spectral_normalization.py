"""RMSNormalization and SpectralNormalization against keras (torch backend): outputs, gradients,
the power iteration over training calls, weight order, configs and `.keras` files both ways."""

import numpy as np
import pytest
import torch

from capas import keras
from capas.keras import layers
from capas.keras.testing import assert_matches_keras, run_layer_test


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def _x(shape, seed=0):
    return (np.random.default_rng(seed).standard_normal(shape) * 2.0 + 0.3).astype("float32")


@pytest.mark.parametrize(
    "shape,kwargs",
    [((4, 6), {}), ((2, 3, 5), {"epsilon": 1e-3}), ((2, 3, 5), {"axis": [1, 2]}), ((2, 3, 5), {"axis": [-1]})],
)
def test_rms_normalization_matches_keras(ref, shape, kwargs):
    theirs = ref.layers.RMSNormalization(**kwargs)
    theirs.build(shape)
    rng = np.random.default_rng(3)
    theirs.set_weights([rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in theirs.get_weights()])
    ours = layers.RMSNormalization(**kwargs)
    assert_matches_keras(ours, theirs, _x(shape), rtol=1e-5, atol=1e-5)
    ignored = ("name", "dtype")  # names count per process; dtype policies serialize alike (tested elsewhere)
    assert {k: v for k, v in ours.get_config().items() if k not in ignored} == {
        k: v for k, v in theirs.get_config().items() if k not in ignored
    }


def test_rms_normalization_contract_and_bad_axis():
    run_layer_test(
        layers.RMSNormalization,
        {"axis": -1},
        input_shape=(3, 4),
        expected_output_shape=(3, 4),
        expected_num_trainable_weights=1,
        expected_num_non_trainable_weights=0,
    )
    with pytest.raises(ValueError, match=r"RMSNormalization .*axis 3 is out of bounds.*rank 2"):
        layers.RMSNormalization(axis=3)(torch.ones(2, 3))
    with pytest.raises(TypeError, match="RMSNormalization"):
        layers.RMSNormalization(axis="last")


@pytest.mark.parametrize("iterations", [1, 3])
def test_spectral_normalization_dense_matches_keras_over_training_steps(ref, iterations):
    x = _x((3, 5))
    theirs = ref.layers.SpectralNormalization(ref.layers.Dense(4), power_iterations=iterations)
    ours = layers.SpectralNormalization(layers.Dense(4), power_iterations=iterations)
    theirs.build((3, 5))
    ours(torch.tensor(x))
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    ours.set_weights(theirs.get_weights())
    for _ in range(3):  # each training call runs the power iteration and rescales the kernel in place
        a = theirs(torch.tensor(x), training=True).detach().numpy()
        b = ours(torch.tensor(x), training=True).numpy()
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
        for w_ours, w_theirs in zip(ours.get_weights(), theirs.get_weights()):
            np.testing.assert_allclose(w_ours, w_theirs, rtol=1e-5, atol=1e-6)
    # inference calls leave the weights alone
    before = [w.copy() for w in ours.get_weights()]
    np.testing.assert_allclose(
        ours(torch.tensor(x)).numpy(), theirs(torch.tensor(x), training=False).detach().numpy(), rtol=1e-5, atol=1e-6
    )
    for a, b in zip(before, ours.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_spectral_normalization_conv_and_embedding_match_keras(ref):
    x = _x((2, 6, 6, 3))
    theirs = ref.layers.SpectralNormalization(ref.layers.Conv2D(4, 3))
    ours = layers.SpectralNormalization(layers.Conv2D(4, 3))
    assert_matches_keras(ours, theirs, x, training=True, grad=False, rtol=1e-5, atol=1e-5)
    ids = np.array([[1, 2, 3], [0, 4, 2]], dtype="int64")
    theirs = ref.layers.SpectralNormalization(ref.layers.Embedding(5, 3))
    ours = layers.SpectralNormalization(layers.Embedding(5, 3))
    assert_matches_keras(ours, theirs, ids, training=True, grad=False, rtol=1e-5, atol=1e-6)


def test_spectral_normalization_weights_are_keras_order_and_trainability():
    sn = layers.SpectralNormalization(layers.Dense(3))
    sn(torch.ones(2, 4))
    assert [w.path for w in sn.weights] == [
        f"{sn.name}/{sn.layer.name}/kernel",
        f"{sn.name}/vector_u",
        f"{sn.name}/{sn.layer.name}/bias",
    ]
    assert [w.path.split("/")[-1] for w in sn.trainable_weights] == ["kernel", "bias"]
    assert [w.path.split("/")[-1] for w in sn.non_trainable_weights] == ["vector_u"]


def test_spectral_normalization_errors_name_the_layer():
    with pytest.raises(ValueError, match="power_iterations.*greater than zero"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match=r"SpectralNormalization .*Flatten .*no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.Flatten())(torch.ones(2, 3))
    with pytest.raises(ValueError, match="must be a keras Layer instance"):
        layers.SpectralNormalization("dense")


def _model(mod, layer):
    return mod.Sequential([mod.Input((5,)), layer])


def test_spectral_normalization_keras_files_both_ways(ref, tmp_path):
    x = _x((3, 5))
    theirs = _model(ref, ref.layers.SpectralNormalization(ref.layers.Dense(4), power_iterations=2))
    theirs.layers[0](torch.tensor(x), training=True)  # move vector_u and the kernel off their initial values
    theirs.save(tmp_path / "k.keras")
    ours = keras.models.load_model(tmp_path / "k.keras")
    assert isinstance(ours.layers[0], layers.SpectralNormalization) and ours.layers[0].power_iterations == 2
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ours(torch.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-6)
    ours.layers[0](torch.tensor(x), training=True)
    ours.save(tmp_path / "c.keras")
    back = ref.models.load_model(tmp_path / "c.keras")
    for a, b in zip(back.get_weights(), ours.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_rms_normalization_keras_file_loads_in_both(ref, tmp_path):
    x = _x((2, 5))
    ours = _model(keras, layers.RMSNormalization(epsilon=1e-4))
    ours.set_weights([np.linspace(0.5, 1.5, 5).astype("float32")])
    ours.save(tmp_path / "c.keras")
    theirs = ref.models.load_model(tmp_path / "c.keras")
    np.testing.assert_allclose(theirs(torch.tensor(x)).detach().numpy(), ours(torch.tensor(x)).numpy(), rtol=1e-5)
    again = keras.models.load_model(tmp_path / "c.keras")
    assert again.layers[0].get_config() == ours.layers[0].get_config()


def test_normalization_converts_float64_columns_to_the_compute_dtype(ref):
    # numpy/pandas float64 columns (FeatureSpace.float_normalized on a dataframe) come out float32, as in Keras
    data = np.array([[1.0], [2.0], [4.0]])
    ours, theirs = layers.Normalization(), ref.layers.Normalization()
    ours.adapt(data)
    theirs.adapt(data)
    x = torch.tensor([[1.0], [3.0]], dtype=torch.float64)
    a, b = ours(x), theirs(x)
    assert a.dtype == b.dtype == torch.float32
    np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-6)
