"""`run_layer_test`: the contract every built-in layer passes (after Keras's test case).

One call checks, for a layer class and its constructor arguments:

1. an eager call builds it once, with the expected number of trainable and
   non-trainable weights, and gives the expected output shape;
2. a symbolic call (on `keras.Input`) infers the same output shape as the
   eager call, with `None` where the batch dim was unknown;
3. `get_config()` is JSON-friendly, and `from_config` rebuilds a layer with
   the same config that, given the same weights, computes the same output;
   a one-layer functional model saved to `.keras` loads back with the same
   outputs;
4. masks: the output carries a `_keras_mask` when `supports_masking` is
   expected and a mask is given;
5. a functional model around the layer compiles and fits one epoch (the
   loss is finite), unless `run_training_check=False`.
"""

import json
import os
import tempfile

import numpy as np
import torch

from capas import keras


def _random_inputs(shape, dtype, rng):
    if isinstance(shape, list):
        return [_random_inputs(s, dtype, rng) for s in shape]
    if "int" in str(dtype):
        return torch.as_tensor(rng.integers(0, 4, size=shape), dtype=getattr(torch, dtype))
    return torch.as_tensor(rng.standard_normal(shape).astype(dtype))


def _shapes(x):
    if isinstance(x, (list, tuple)):
        return [_shapes(t) for t in x]
    return tuple(x.shape)


def _flat(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def run_layer_test(
    layer_cls,
    init_kwargs,
    input_shape=None,
    input_dtype="float32",
    input_data=None,
    expected_output_shape=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    expected_num_losses=None,
    supports_masking=None,
    call_kwargs=None,
    run_training_check=True,
    run_symbolic_check=True,
    run_saving_check=True,
    safe_mode=True,
    seed=0,
):
    """Check `layer_cls(**init_kwargs)` against the layer contract; raise AssertionError if it breaks it.

    Args:
        layer_cls: the layer class.
        init_kwargs: dict of constructor arguments.
        input_shape: a full shape (batch included), or a list of shapes for a
            layer with several inputs. Ignored if `input_data` is given.
        input_dtype: the dtype of generated inputs ('float32', 'int32', ...).
        input_data: a tensor (or list of tensors) to use instead of random data.
        expected_output_shape: the eager output's full shape (or list of shapes).
        expected_num_trainable_weights, expected_num_non_trainable_weights:
            weight counts after the first call.
        expected_num_losses: the length of `layer.losses` after an eager call.
        supports_masking: the expected value of `layer.supports_masking`.
        call_kwargs: extra keyword arguments for every call (e.g. `training`).
        run_training_check: fit a one-layer model for one epoch.
        run_symbolic_check: compare the symbolic shape with the eager one.
        run_saving_check: save a one-layer model to `.keras` and load it back.
        safe_mode: passed to `load_model` (False for layers whose config holds code).
        seed: seed of the random inputs.

    Returns:
        The built layer.

    Example:

    >>> from capas.keras import layers
    >>> from capas.keras.testing import run_layer_test
    >>> _ = run_layer_test(layers.Dense, {"units": 3}, input_shape=(2, 4),
    ...                    expected_output_shape=(2, 3), expected_num_trainable_weights=2)
    """
    rng = np.random.default_rng(seed)
    call_kwargs = dict(call_kwargs or {})
    if input_data is None:
        input_data = _random_inputs(
            list(input_shape) if isinstance(input_shape, list) else tuple(input_shape), input_dtype, rng
        )
    name = layer_cls.__name__

    # 1. Eager call: build once, weight counts, output shape.
    layer = layer_cls(**init_kwargs)
    out = layer(input_data, **call_kwargs)
    assert layer.built, f"{name}: not built after its first call"
    if expected_num_trainable_weights is not None:
        got = len(layer.trainable_weights)
        assert got == expected_num_trainable_weights, (
            f"{name}: {got} trainable weights, expected {expected_num_trainable_weights}"
        )
    if expected_num_non_trainable_weights is not None:
        got = len(layer.non_trainable_weights)
        assert got == expected_num_non_trainable_weights, (
            f"{name}: {got} non-trainable weights, expected {expected_num_non_trainable_weights}"
        )
    if expected_output_shape is not None:
        assert _shapes(out) == (
            list(map(tuple, expected_output_shape))
            if isinstance(expected_output_shape, list)
            else tuple(expected_output_shape)
        ), f"{name}: output shape {_shapes(out)}"
    if expected_num_losses is not None:
        assert len(layer.losses) == expected_num_losses, f"{name}: {len(layer.losses)} losses"
    if supports_masking is not None:
        assert layer.supports_masking == supports_masking, f"{name}: supports_masking={layer.supports_masking}"
    weights_before = [w.detach().clone() for w in layer.weights]
    out_again = layer(input_data, **call_kwargs)
    assert _shapes(out_again) == _shapes(out), f"{name}: the second call changed the output shape"
    assert len(layer.weights) == len(weights_before), f"{name}: the second call created weights"

    # 2. Symbolic call infers the eager shape (batch dim unknown).
    if run_symbolic_check:
        sym_layer = layer_cls(**init_kwargs)
        flat_in = _flat(input_data)
        sym_inputs = [
            keras.Input(shape=tuple(t.shape[1:]), batch_size=None, dtype=str(t.dtype).split(".")[-1]) for t in flat_in
        ]
        sym_out = sym_layer(sym_inputs if isinstance(input_data, (list, tuple)) else sym_inputs[0], **call_kwargs)
        for s, e in zip(_flat(sym_out), _flat(out)):
            eager = (None,) + tuple(e.shape[1:])
            assert tuple(s.shape) == eager, f"{name}: symbolic shape {tuple(s.shape)} != eager shape {eager}"
            assert s.dtype == e.dtype, f"{name}: symbolic dtype {s.dtype} != eager dtype {e.dtype}"

    # 3. Config round trip (JSON-friendly), same numbers with the same weights.
    config = layer.get_config()
    json.dumps(config, default=lambda o: list(o) if isinstance(o, tuple) else repr(o))
    clone = layer_cls.from_config(config)
    assert clone.get_config() == config, f"{name}: from_config(get_config()) changed the config"
    if layer.weights:
        clone(input_data, **call_kwargs)
        clone.set_weights([w.numpy() for w in weights_before])
        layer.set_weights([w.numpy() for w in weights_before])
        if call_kwargs.get("training") is not True:
            for a, b in zip(_flat(clone(input_data, **call_kwargs)), _flat(layer(input_data, **call_kwargs))):
                np.testing.assert_allclose(
                    a.detach().numpy(),
                    b.detach().numpy(),
                    rtol=1e-5,
                    atol=1e-6,
                    err_msg=f"{name}: the rebuilt layer computes something else",
                )

    # 3b. A one-layer model survives a .keras save and load.
    if run_saving_check:
        save_layer = layer_cls(**init_kwargs)
        flat_in = _flat(input_data)
        inputs = [keras.Input(shape=tuple(t.shape[1:]), dtype=str(t.dtype).split(".")[-1]) for t in flat_in]
        single = not isinstance(input_data, (list, tuple))
        model = keras.Model(inputs[0] if single else inputs, save_layer(inputs[0] if single else inputs))
        if save_layer.weights:
            save_layer.set_weights([w.numpy() for w in weights_before])
        expected = model(input_data)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "model.keras")
            model.save(path)
            loaded = keras.saving.load_model(path, safe_mode=safe_mode)
        for a, b in zip(_flat(loaded(input_data)), _flat(expected)):
            np.testing.assert_allclose(
                a.detach().numpy(),
                b.detach().numpy(),
                rtol=1e-5,
                atol=1e-6,
                err_msg=f"{name}: the model loaded from .keras computes something else",
            )

    # 4. A model around the layer fits one epoch.
    if run_training_check and all(t.is_floating_point() for t in _flat(out)):
        fit_layer = layer_cls(**init_kwargs)
        flat_in = _flat(input_data)
        inputs = [keras.Input(shape=tuple(t.shape[1:]), dtype=str(t.dtype).split(".")[-1]) for t in flat_in]
        single = not isinstance(input_data, (list, tuple))
        outputs = fit_layer(inputs[0] if single else inputs)
        model = keras.Model(inputs[0] if single else inputs, outputs)
        model.compile(optimizer="sgd", loss="mse")
        x = [t.numpy() for t in flat_in]
        y = [t.detach().numpy() * 0.5 for t in _flat(out)]
        history = model.fit(
            x[0] if single else x, y[0] if len(y) == 1 else y, epochs=1, batch_size=len(x[0]), verbose=0
        )
        loss = history.history["loss"][-1]
        assert np.isfinite(loss), f"{name}: fit gave a non-finite loss {loss}"
    return layer
