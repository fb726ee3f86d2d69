"""MultiOptimizer and OptimizerMap against `keras.optimizers` (torch backend), same weights and gradients."""

import numpy as np
import pytest
import torch

from capas import keras as ckeras


def _make(options):
    def make(module):
        o = module.optimizers
        # Explicit names: automatic ones ('adam_16') depend on how many optimizers the process made.
        mapping = o.OptimizerMap(
            o.SGD(0.05, momentum=0.9, name="sgd_in"),
            {"v1": o.Adam(0.01, name="adam_in"), "v[23]": o.Lion(0.02, name="lion_in")},
        )
        return o.MultiOptimizer(mapping, name="multi", **options)

    return make


@pytest.mark.parametrize("options", [{}, {"loss_scale_factor": 4.0}])
def test_multi_optimizer_matches_keras_over_steps(keras, oracle, options):
    inits, grads = oracle.make_data(steps=8)
    k_opt, k_vars = oracle.run_keras(keras, _make(options), inits, grads)
    c_opt, c_vars = oracle.run_capas(_make(options), inits, grads)
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)
    assert [type(o).__name__ for o in c_opt.optimizers] == [type(o).__name__ for o in k_opt.optimizers]
    assert int(c_opt.iterations) == int(k_opt.iterations.numpy()) == 8


def test_optimizer_map_lookup_and_errors_as_keras(keras):
    for k in (keras, ckeras):
        o = k.optimizers
        mapping = o.OptimizerMap(o.SGD(), {"dense/bias": o.Adam(), ".*kernel": o.Lion()})
        assert type(mapping["dense/bias"]).__name__ == "Adam"
        assert type(mapping["conv/kernel"]).__name__ == "Lion"
        assert type(mapping["conv/bias"]).__name__ == "SGD"
        assert len(mapping) == 2 and list(mapping) == ["dense/bias", ".*kernel"]
        with pytest.raises(ValueError, match="already exists"):
            mapping["dense/bias"] = o.SGD()
        with pytest.raises(ValueError, match="cannot be LossScaleOptimizer"):
            mapping["x"] = o.LossScaleOptimizer(o.SGD())
        with pytest.raises(TypeError, match="default_optimizer must be a Keras Optimizer"):
            o.OptimizerMap("sgd")
        mapping[".*"] = o.SGD()
        with pytest.raises(ValueError, match="Multiple optimizers"):
            mapping["conv/kernel"]
        multi = o.MultiOptimizer(o.OptimizerMap(o.SGD()))
        with pytest.raises(AttributeError, match="Learning rate cannot be accessed on a MultiOptimizer"):
            multi.learning_rate  # noqa: B018


def test_config_matches_keras_and_round_trips(keras):
    configs = []
    for k in (keras, ckeras):
        o = k.optimizers
        multi = o.MultiOptimizer(
            o.OptimizerMap(o.SGD(0.1, name="sgd"), {".*bias": o.Adam(0.01, name="adam")}), name="m"
        )
        configs.append(multi.get_config())
    mine, theirs = configs

    def strip(config):  # Keras's torch backend names its optimizer subclasses' modules
        if isinstance(config, dict):
            return {k: strip(v) for k, v in config.items() if k not in ("module", "registered_name")}
        return config

    assert strip(mine) == strip(theirs)
    back = ckeras.optimizers.MultiOptimizer.from_config(mine)
    assert [type(o).__name__ for o in back.optimizers] == ["Adam", "SGD"]
    assert back.optimizers[1].learning_rate == pytest.approx(0.1)


def test_fit_trains_each_group_with_its_optimizer_as_keras(keras):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 4)).astype("float32")
    y = rng.normal(size=(32, 1)).astype("float32")
    kernel0 = rng.normal(size=(4, 1)).astype("float32")
    results = []
    for k in (keras, ckeras):
        model = k.Sequential([k.Input((4,)), k.layers.Dense(1)])
        model.layers[0].set_weights([kernel0, np.zeros(1, "float32")])
        o = k.optimizers
        model.compile(optimizer=o.MultiOptimizer(o.OptimizerMap(o.SGD(0.1), {".*bias": o.Adam(0.05)})), loss="mse")
        history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
        results.append((history.history["loss"], [np.asarray(w) for w in model.layers[0].get_weights()]))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_saved_model_keeps_the_multi_optimizer_state(tmp_path):
    model = ckeras.Sequential([ckeras.Input((4,)), ckeras.layers.Dense(1)])
    o = ckeras.optimizers
    model.compile(optimizer=o.MultiOptimizer(o.OptimizerMap(o.SGD(0.1), {".*bias": o.Adam(0.05)})), loss="mse")
    model.fit(torch.ones(8, 4), torch.ones(8, 1), verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = ckeras.models.load_model(tmp_path / "m.keras")
    assert [type(x).__name__ for x in loaded.optimizer.optimizers] == ["Adam", "SGD"]
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a.numpy()), np.asarray(b.numpy()))
