"""Fixtures of the differential tests against keras (helpers in tests/keras/layers/_keras_diff.py)."""

import importlib.util
import pathlib

import pytest

_spec = importlib.util.spec_from_file_location(
    "capas_tests_keras_diff", pathlib.Path(__file__).resolve().parent.parent / "_keras_diff.py"
)
_diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_diff)


@pytest.fixture
def same_as_keras():
    return _diff.assert_same_as_keras


@pytest.fixture
def ref():
    return pytest.importorskip("keras")
