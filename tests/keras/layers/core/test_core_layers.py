"""EinsumDense, Embedding, Masking, Lambda and TorchModuleWrapper."""

import numpy as np
import pytest
import torch

import capas as tf
from capas import keras
from capas.keras import layers
from capas.keras.saving import serialization_lib
from capas.keras.testing import assert_matches_keras, run_layer_test


@pytest.fixture(scope="module")
def ref():
    return pytest.importorskip("keras")


def _x(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


EINSUM_CASES = [
    ("ab,bc->ac", 4, None, (3, 5)),
    ("ab,bc->ac", (4,), "c", (3, 5)),
    ("abc,cd->abd", (None, 4), "d", (2, 3, 5)),
    ("abc,cde->abde", (None, 4, 2), "de", (2, 3, 5)),
    ("abcd,cde->abe", (3, 4), "e", (2, 3, 2, 5)),
    ("...b,bc->...c", 4, "c", (2, 3, 5)),
    ("abc...,cd->abd...", (3, 4), "d", (2, 3, 5, 6)),
    ("abc,dc->abd", (3, 4), "bd", (2, 3, 5)),
]


@pytest.mark.parametrize("equation,output_shape,bias_axes,shape", EINSUM_CASES)
def test_einsum_dense_matches_keras(ref, equation, output_shape, bias_axes, shape):
    kwargs = dict(equation=equation, output_shape=output_shape, bias_axes=bias_axes, bias_initializer="ones")
    ours, theirs = layers.EinsumDense(**kwargs), ref.layers.EinsumDense(**kwargs)
    assert_matches_keras(ours, theirs, _x(shape))
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    out = ours(keras.Input(shape[1:]))
    assert out.shape == (None,) + tuple(ours(_x(shape)).shape[1:])


def test_einsum_dense_config_and_contract(ref):
    kwargs = dict(equation="abc,cde->abde", output_shape=(None, 4, 2), bias_axes="de", activation="relu")
    mine, keras_config = layers.EinsumDense(**kwargs).get_config(), ref.layers.EinsumDense(**kwargs).get_config()
    mine.pop("name"), keras_config.pop("name")
    assert mine == keras_config
    run_layer_test(
        layers.EinsumDense,
        kwargs,
        input_shape=(2, 3, 5),
        expected_output_shape=(2, 3, 4, 2),
        expected_num_trainable_weights=2,
    )


def test_einsum_dense_bad_equation():
    with pytest.raises(ValueError, match=r"EinsumDense 'ed': invalid einsum equation 'ab->b'"):
        layers.EinsumDense("ab->b", 3, name="ed")
    with pytest.raises(ValueError, match=r"kernel dim 'z'"):
        layers.EinsumDense("ab,bz->ab", 3)(torch.ones(2, 3))


@pytest.mark.parametrize("mask_zero", [False, True])
def test_embedding_matches_keras(ref, mask_zero):
    ours = layers.Embedding(10, 4, mask_zero=mask_zero)
    theirs = ref.layers.Embedding(10, 4, mask_zero=mask_zero)
    ids = np.array([[0, 3, 9, 1], [2, 0, 0, 5]], "int32")
    a, b = assert_matches_keras(ours, theirs, ids)
    assert ours.weights[0].name == f"{ours.name}/embeddings:0"
    mask = ours(torch.tensor(ids))._keras_mask if mask_zero else None
    their_mask = theirs.compute_mask(torch.tensor(ids))
    if mask_zero:
        np.testing.assert_array_equal(mask.numpy(), their_mask.cpu().numpy())
    else:
        assert their_mask is None and not hasattr(ours(torch.tensor(ids)), "_keras_mask")
    mine, keras_config = ours.get_config(), theirs.get_config()
    mine.pop("name"), keras_config.pop("name")
    assert mine == keras_config


def test_embedding_gradient_and_contract():
    layer = layers.Embedding(6, 3)
    ids = torch.tensor([[1, 1, 2]])
    layer(ids)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(ids))
    grad = tape.gradient(loss, layer.embeddings)
    np.testing.assert_array_equal(grad.numpy()[:, 0], [0, 2, 1, 0, 0, 0])
    run_layer_test(
        layers.Embedding,
        {"input_dim": 5, "output_dim": 3},
        input_data=torch.tensor([[0, 1, 4], [2, 3, 1]]),
        expected_output_shape=(2, 3, 3),
        expected_num_trainable_weights=1,
        run_training_check=False,
    )
    initial = np.arange(12, dtype="float32").reshape(4, 3)
    np.testing.assert_array_equal(layers.Embedding(4, 3, weights=[initial])(torch.tensor([3])).numpy(), initial[3:])


def test_embedding_index_out_of_range():
    with pytest.raises(ValueError, match=r"Embedding 'emb_x' received an index outside \[0, 5\).*\[0, 7\]"):
        layers.Embedding(5, 2, name="emb_x")(torch.tensor([[0, 7]]))


def test_embedding_mask_reaches_global_average_pooling(ref):
    ids = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], "int32")

    def model(lib):
        inputs = lib.Input((4,), dtype="int32")
        x = lib.layers.Embedding(5, 3, mask_zero=True, name="emb")(inputs)
        return lib.Model(inputs, lib.layers.GlobalAveragePooling1D()(x))

    ours, theirs = model(keras), model(ref)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(
        ours(torch.tensor(ids)).numpy(), theirs(torch.tensor(ids)).detach().cpu().numpy(), rtol=1e-6
    )


def test_masking_matches_keras(ref):
    x = _x((2, 5, 3))
    x[0, 1] = 0.0
    x[1, 3:] = 0.0
    ours, theirs = layers.Masking(), ref.layers.Masking()
    assert_matches_keras(ours, theirs, x, copy_weights=False)
    np.testing.assert_array_equal(
        ours(torch.tensor(x))._keras_mask.numpy(), theirs.compute_mask(torch.tensor(x)).cpu().numpy()
    )
    run_layer_test(
        layers.Masking,
        {"mask_value": 1.0},
        input_shape=(2, 3, 4),
        expected_num_trainable_weights=0,
        run_training_check=False,
    )


def test_lambda_calls_with_arguments_training_and_mask():
    layer = layers.Lambda(
        lambda x, scale, training=None: x * scale * (2.0 if training else 1.0), arguments={"scale": 3.0}
    )
    np.testing.assert_allclose(layer(torch.ones(2), training=True).numpy(), [6.0, 6.0])
    masked = layers.Lambda(lambda x: x, mask=lambda inputs, mask: inputs > 0)
    out = masked(torch.tensor([[1.0, -1.0]]))
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False]])
    assert layers.Lambda(lambda x: x * 2)(keras.Input((3, 4))).shape == (None, 3, 4)


def test_lambda_config_named_function_round_trips():
    layer = layers.Lambda(tf.nn.relu, output_shape=(3,))
    config = layer.get_config()
    assert config["function"]["class_name"] == "function" and config["output_shape"] == (3,)
    clone = layers.Lambda.from_config(config)
    np.testing.assert_array_equal(clone(torch.tensor([-1.0, 2.0])).numpy(), [0.0, 2.0])


def test_lambda_bytecode_is_refused_in_safe_mode(ref):
    layer = layers.Lambda(lambda x, k=2.0: x * k)
    config = layer.get_config()
    assert config["function"]["class_name"] == "__lambda__"
    with pytest.raises(ValueError, match=r"Lambda '.*'.*bytecode.*safe_mode=False"):
        layers.Lambda.from_config(config)
    with serialization_lib.SafeModeScope(False):
        clone = layers.Lambda.from_config(config)
    np.testing.assert_array_equal(clone(torch.tensor([1.0, 3.0])).numpy(), [2.0, 6.0])
    # Keras writes the same layout: its lambda configs load here too.
    their_config = ref.layers.Lambda(lambda x: x + 1.0).get_config()
    with serialization_lib.SafeModeScope(False):
        np.testing.assert_array_equal(layers.Lambda.from_config(their_config)(torch.zeros(2)).numpy(), [1.0, 1.0])


def test_model_with_lambda_saves_and_loads_only_unsafely(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Lambda(lambda x: x * 2.0 + 1.0)(inputs))
    path = str(tmp_path / "lambda.keras")
    model.save(path)
    with pytest.raises(ValueError, match=r"bytecode.*safe_mode=False"):
        keras.saving.load_model(path)
    loaded = keras.saving.load_model(path, safe_mode=False)
    np.testing.assert_array_equal(loaded(np.ones((2, 3), "float32")).numpy(), np.full((2, 3), 3.0, "float32"))


def test_torch_module_wrapper_tracks_parameters_and_trains():
    module = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    model = keras.Sequential([keras.Input((4,)), layers.TorchModuleWrapper(module)])
    assert len(model.trainable_weights) == 4
    model.compile(optimizer="adam", loss="mse")
    x = _x((64, 4))
    y = x.sum(axis=1, keepdims=True)
    first = model.fit(x, y, epochs=1, batch_size=16, verbose=0).history["loss"][0]
    last = model.fit(x, y, epochs=20, batch_size=16, verbose=0).history["loss"][-1]
    assert last < first
    plain = keras.Sequential([keras.Input((4,)), torch.nn.Linear(4, 2)])
    assert isinstance(plain.layers[-1], layers.TorchModuleWrapper)


def test_torch_module_wrapper_training_flag_and_lazy_modules():
    layer = layers.TorchModuleWrapper(torch.nn.Dropout(0.5))
    x = torch.ones(100)
    assert torch.equal(layer(x, training=False), x)
    assert (layer(x, training=True) == 0).any()
    lazy = layers.TorchModuleWrapper(torch.nn.LazyLinear(3))
    assert lazy(keras.Input((5,))).shape == (None, 3)
    assert [tuple(w.shape) for w in lazy.weights] == [(3, 5), (3,)]
    with pytest.raises(TypeError, match=r"TorchModuleWrapper 'tmw' wraps a torch.nn.Module; received int"):
        layers.TorchModuleWrapper(3, name="tmw")


def test_lambda_and_wrapper_contract():
    run_layer_test(
        layers.Lambda,
        {"function": keras.activations.relu},
        input_shape=(2, 3),
        expected_num_trainable_weights=0,
        run_training_check=False,
    )
    with serialization_lib.SafeModeScope(False):
        run_layer_test(
            layers.TorchModuleWrapper,
            {"module": torch.nn.Linear(3, 2)},
            input_shape=(2, 3),
            expected_output_shape=(2, 2),
            expected_num_trainable_weights=2,
            run_symbolic_check=True,
            safe_mode=False,
        )


def test_torch_module_wrapper_config_needs_unsafe_mode():
    layer = layers.TorchModuleWrapper(torch.nn.Linear(2, 2))
    config = layer.get_config()
    with pytest.raises(ValueError, match=r"pickled torch module.*safe_mode=False"):
        layers.TorchModuleWrapper.from_config(config)
    with serialization_lib.SafeModeScope(False):
        clone = layers.TorchModuleWrapper.from_config(config)
    x = torch.ones(1, 2)
    np.testing.assert_array_equal(clone(x).detach().numpy(), layer(x).detach().numpy())
