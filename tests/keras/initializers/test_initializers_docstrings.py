"""The Example sections of the initializers' docstrings run and print what they claim."""

import doctest
import importlib

import pytest

MODULES = [
    "capas.keras.initializers",
    "capas.keras.initializers.initializer",
    "capas.keras.initializers.constant_initializers",
    "capas.keras.initializers.random_initializers",
    "capas.keras.initializers.variance_scaling_initializers",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
