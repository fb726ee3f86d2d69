"""The Example sections of the layer catalogue (core, activations, convolutional, pooling,
normalization, regularization, reshaping, merging) and of keras.testing run and print what they claim."""

import doctest
import importlib
import pathlib

import pytest

import capas

_ROOT = pathlib.Path(capas.__file__).parent / "keras"
_FAMILIES = [
    "core",
    "activations",
    "convolutional",
    "pooling",
    "normalization",
    "regularization",
    "reshaping",
    "merging",
]
_OTHERS = {"dense.py", "identity.py", "input_layer.py", "activation.py", "dropout.py", "flatten.py", "reshape.py"}
MODULES = sorted(
    f"capas.keras.layers.{family}.{path.stem}"
    for family in _FAMILIES
    for path in (_ROOT / "layers" / family).glob("*.py")
    if not path.name.startswith("_") and path.name not in _OTHERS
) + ["capas.keras.testing.layer_test"]


def test_every_family_is_covered():
    assert len(MODULES) > 60


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [t for t in finder.find(module) if t.examples]
    assert tests, f"{name} has no Example section"
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed"
