"""capas.data against pipelines recorded from real TensorFlow (tests/goldens/data)."""

import json
import os
import types

import pytest

from tests.goldens._load import load_cases

import capas as tf

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "goldens", "data")
_cases = load_cases(GOLDENS)
CASES, run_case = _cases.CASES, _cases.run_case

with open(os.path.join(GOLDENS, "goldens.json")) as _f:
    RECORDED = json.load(_f)["cases"]


def _tf_with_strings():
    """`capas` as the cases see it. Until capas has `tf.string` and a `TensorSpec` that takes it
    (another helper builds the string tensor), the data package's stand-ins fill `tf.string`,
    `TensorSpec(..., tf.string)` and `tf.constant(b"...")`; once capas has them this returns
    `capas` itself."""
    try:
        tf.TensorSpec([None], tf.string)
        tf.constant("a")
        return tf
    except (AttributeError, TypeError, ValueError):
        pass
    from capas.data._structure import StringSpec, is_string, make_string, string

    proxy = types.ModuleType("capas_with_strings")
    proxy.__dict__.update(vars(tf))
    proxy.string = string
    proxy.TensorSpec = lambda shape=None, dtype=tf.float32, name=None: (
        StringSpec(shape, name) if dtype is string else tf.TensorSpec(shape, dtype, name)
    )
    proxy.constant = lambda value, dtype=None, **kw: (
        make_string(value) if dtype is string or is_string(value) else tf.constant(value, dtype, **kw)
    )
    return proxy


TF = _tf_with_strings()


@pytest.mark.parametrize("name", sorted(CASES))
def test_pipeline_matches_tensorflow(name, tmp_path):
    expected = RECORDED[name]
    if "error" in expected:
        with pytest.raises(Exception):  # noqa: B017 - TF raised; capas must refuse too
            run_case(TF, CASES[name], str(tmp_path))
        return
    got = run_case(TF, CASES[name], str(tmp_path))
    for key in ("value", "elements", "spec", "cardinality"):
        if key in expected:
            assert got[key] == expected[key], f"{name}: {key} differs from TensorFlow"
