"""`tf.function` against TensorFlow: each case of `tests/goldens/function/cases.py` must
produce the events TF 2.21 produced (recorded by `tests/goldens/function/record.py`)."""

import json
import pathlib
import warnings

import pytest

from tests.goldens._load import load_cases

import capas

GOLDENS = pathlib.Path(__file__).parents[1] / "goldens" / "function"
cases = load_cases(GOLDENS)

RECORDED = json.loads((GOLDENS / "goldens.json").read_text())["cases"]


def _same_error(tf_event, capas_event):
    # Same exception type; capas's message says what TF's says up to the part that shows
    # the received values (tensor reprs differ) or TF's "in user code:" traceback header.
    assert capas_event[:3] == tf_event[:3]
    ours = capas_event[3].split(" Received args:")[0]
    assert ours in tf_event[3], f"capas: {capas_event[3]!r}\nTF:    {tf_event[3]!r}"


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_function_behaves_as_tensorflow(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the data-dependent fallback warns (tested elsewhere)
        events = json.loads(json.dumps(cases.run_case(capas, name)))
    expected = RECORDED[name]
    assert len(events) == len(expected), f"capas: {events}\nTF:    {expected}"
    for tf_event, capas_event in zip(expected, events):
        if tf_event[0] == "raised":
            _same_error(tf_event, capas_event)
        else:
            assert capas_event == tf_event
