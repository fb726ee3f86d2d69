"""The public names of `capas.keras.optimizers` (a change here is a deliberate API diff), and doctests."""

import doctest
import importlib
import pkgutil

import pytest

import capas.keras.optimizers as optimizers

OPTIMIZER_NAMES = [
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "Adamax",
    "AdamW",
    "Ftrl",
    "Lamb",
    "Lion",
    "MultiOptimizer",
    "Muon",
    "LossScaleOptimizer",
    "Nadam",
    "Optimizer",
    "OptimizerMap",
    "RMSprop",
    "SGD",
    "ScheduleFreeAdamW",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]

SCHEDULE_NAMES = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "get",
    "serialize",
]


def _public(module):
    return sorted(n for n in vars(module) if not n.startswith("_") and not _is_submodule(module, n))


def _is_submodule(module, name):
    value = getattr(module, name)
    return (
        getattr(value, "__name__", "").startswith(module.__name__ + ".")
        and type(value).__name__ == "module"
        and name != "schedules"
    )


def test_optimizers_public_names():
    assert _public(optimizers) == sorted(OPTIMIZER_NAMES)


def test_schedules_public_names():
    assert _public(optimizers.schedules) == sorted(SCHEDULE_NAMES)


def test_public_names_exist_in_keras(keras):
    for name in OPTIMIZER_NAMES:
        assert hasattr(keras.optimizers, name), name
    for name in SCHEDULE_NAMES:
        if name == "get":  # capas addition: the registry's `get`, as every capas registry has
            continue
        assert hasattr(keras.optimizers.schedules, name), name


def _modules():
    found = []
    for package in (optimizers, optimizers.schedules):
        for info in pkgutil.iter_modules(package.__path__):
            found.append(f"{package.__name__}.{info.name}")
    return found + [optimizers.__name__, optimizers.schedules.__name__]


@pytest.mark.parametrize("module_name", _modules())
def test_docstring_examples_run(module_name):
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
