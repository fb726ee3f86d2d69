"""The Example sections of the regularizers docstrings run and print what they claim."""

import doctest
import importlib

import pytest

MODULES = [
    "capas.keras.regularizers",
    "capas.keras.regularizers.regularizer",
    "capas.keras.regularizers.regularizers",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
