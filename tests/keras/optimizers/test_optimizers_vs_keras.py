"""Every optimizer and option, 10+ steps, against `keras.optimizers` (torch backend)."""

import pytest
import torch

LR = 0.05

# Per optimizer: the options specific to it (each run alone).
SPECIFIC = {
    "SGD": [{"momentum": 0.9}, {"momentum": 0.9, "nesterov": True}, {"momentum": 0.5, "weight_decay": 0.1}],
    "RMSprop": [{"momentum": 0.9}, {"centered": True}, {"centered": True, "momentum": 0.5}, {"rho": 0.5}],
    "Adam": [{"amsgrad": True}, {"beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3}],
    "AdamW": [{"weight_decay": 0.3}, {"amsgrad": True}],
    "Adagrad": [{"initial_accumulator_value": 0.5, "epsilon": 1e-3}],
    "Adadelta": [{"rho": 0.5}, {"learning_rate": 1.0}],
    "Adamax": [{"beta_1": 0.5}],
    "Nadam": [{"beta_1": 0.5, "beta_2": 0.9}],
    "Lion": [{"beta_1": 0.5, "beta_2": 0.9}],
    "Ftrl": [
        {"l1_regularization_strength": 0.01},
        {"l2_regularization_strength": 0.1},
        {"l2_shrinkage_regularization_strength": 0.1},
        {"beta": 0.5},
        {"learning_rate_power": -0.3, "initial_accumulator_value": 0.5},
    ],
    "Adafactor": [{"relative_step": False}, {"clip_threshold": 0.1}],
    "Lamb": [{"beta_1": 0.5}],
    "ScheduleFreeAdamW": [{"warmup_steps": 5}, {"beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3}],
    "Muon": [
        {"nesterov": False},
        {"rms_rate": None, "ns_steps": 3},
        {"momentum": 0.5, "adam_lr_ratio": 0.1, "adam_weight_decay": 0.2},
        {"exclude_layers": ["v0"]},
        {"weight_decay": None, "adam_weight_decay": None},
    ],
}

COMMON = [
    {},
    {"weight_decay": 0.1},
    {"clipnorm": 0.5},
    {"clipvalue": 0.3},
    {"global_clipnorm": 0.8},
    {"use_ema": True},
    {"use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 3},
    {"gradient_accumulation_steps": 3},
    {"gradient_accumulation_steps": 2, "use_ema": True},
    {"loss_scale_factor": 4.0},
]

CASES = [(name, options) for name in SPECIFIC for options in COMMON + SPECIFIC[name]]


def _factory(name, options, schedule=None):
    def make(module):
        kwargs = {"learning_rate": LR, "name": "opt", **options}
        if schedule is not None:
            kwargs["learning_rate"] = schedule(module.optimizers.schedules)
        return getattr(module.optimizers, name)(**kwargs)

    return make


@pytest.mark.parametrize("name,options", CASES, ids=[f"{n}-{o}" for n, o in CASES])
def test_matches_keras(keras, oracle, name, options):
    inits, grads = oracle.make_data(steps=12)
    make = _factory(name, options)
    k_opt, k_vars = oracle.run_keras(keras, make, inits, grads)
    c_opt, c_vars = oracle.run_capas(make, inits, grads)
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)


@pytest.mark.parametrize("name", sorted(SPECIFIC))
def test_none_gradients_are_skipped_like_keras(keras, oracle, name):
    inits, grads = oracle.make_data(steps=10, none_every=3)
    make = _factory(name, {})
    with pytest.warns(UserWarning):
        k_opt, k_vars = oracle.run_keras(keras, make, inits, grads)
    with pytest.warns(UserWarning, match="v1"):
        c_opt, c_vars = oracle.run_capas(make, inits, grads)
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)


SCHEDULES = {
    "exponential": lambda s: s.ExponentialDecay(0.1, decay_steps=3, decay_rate=0.5),
    "piecewise": lambda s: s.PiecewiseConstantDecay([3, 6], [0.1, 0.05, 0.01]),
    "cosine_warmup": lambda s: s.CosineDecay(0.0, decay_steps=8, warmup_target=0.1, warmup_steps=3),
}


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Nadam", "Adafactor", "Ftrl"])
@pytest.mark.parametrize("schedule", sorted(SCHEDULES))
def test_schedule_as_learning_rate_matches_keras(keras, oracle, name, schedule):
    inits, grads = oracle.make_data(steps=12)
    options = {"momentum": 0.9} if name == "SGD" else {}
    make = _factory(name, options, SCHEDULES[schedule])
    k_opt, k_vars = oracle.run_keras(keras, make, inits, grads)
    c_opt, c_vars = oracle.run_capas(make, inits, grads)
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)


@pytest.mark.parametrize("name", ["SGD", "Adam", "Lion"])
def test_callable_learning_rate_matches_keras(keras, oracle, name):
    inits, grads = oracle.make_data(steps=10)

    def make(module):
        return getattr(module.optimizers, name)(learning_rate=lambda: 0.02, name="opt")

    k_opt, k_vars = oracle.run_keras(keras, make, inits, grads)
    c_opt, c_vars = oracle.run_capas(make, inits, grads)
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_exclude_from_weight_decay_matches_keras(keras, oracle, name):
    inits, grads = oracle.make_data(steps=10)
    k_opt, k_vars = oracle.run_keras(keras, _excluding(name), inits, grads)
    c_opt, c_vars = oracle.run_capas(_excluding(name), inits, grads)
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)


def _excluding(name):
    def make(module):
        opt = getattr(module.optimizers, name)(learning_rate=LR, weight_decay=0.2, name="opt")
        opt.exclude_from_weight_decay(var_names=["v2", "^v3$"])
        return opt

    return make


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_learning_rate_set_between_steps_matches_keras(keras, oracle, name):
    inits, grads = oracle.make_data(steps=10)
    make = _factory(name, {})
    k_opt, k_vars = oracle.run_keras(keras, make, inits, grads[:5])
    c_opt, c_vars = oracle.run_capas(make, inits, grads[:5])
    k_opt.learning_rate = 0.01
    c_opt.learning_rate = 0.01
    for step in grads[5:]:
        k_opt.apply_gradients(zip([torch.tensor(g) for g in step], k_vars))
        c_opt.apply_gradients(zip([torch.tensor(g) for g in step], c_vars))
    oracle.assert_state_close(c_opt, k_opt, c_vars, k_vars)
    assert float(c_opt.learning_rate) == pytest.approx(0.01)
