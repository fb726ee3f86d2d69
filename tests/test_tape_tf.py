"""GradientTape against TensorFlow: the autodiff guides' cases, compared with values recorded from TF.

The cases live in `tests/goldens/tape/cases.py` and run unchanged on both;
`tests/goldens/tape/record.py` recorded TensorFlow's answers (run it with a
TensorFlow environment to refresh them).
"""

import json
import pathlib
import warnings

import numpy as np
import pytest

from tests.goldens._load import load_cases

import capas as tf

GOLDENS = pathlib.Path(__file__).parent / "goldens" / "tape"
CASES = load_cases(GOLDENS).CASES


RECORDED = json.loads((GOLDENS / "tape_cases.json").read_text())["cases"]

# Where capas knowingly differs (docs/tape.md explains each).
KNOWN_DIFFERENCES = {
    "watched_variables_before_gradient": (
        "variables used only by raw ops are found by walking the graph of a differentiated target; "
        "before gradient() only layers' weights and watched variables are known"
    ),
}


def _assert_matches(ours, theirs, path="result"):
    if isinstance(theirs, dict) and set(theirs) == {"shape", "value"}:
        assert isinstance(ours, dict) and set(ours) == {"shape", "value"}, f"{path}: expected a tensor, got {ours!r}"
        assert ours["shape"] == theirs["shape"], f"{path}: shape {ours['shape']} != TF's {theirs['shape']}"
        np.testing.assert_allclose(ours["value"], theirs["value"], rtol=1e-4, atol=1e-5, err_msg=path)
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and set(ours) == set(theirs), f"{path}: {ours!r} != TF's {theirs!r}"
        for key in theirs:
            _assert_matches(ours[key], theirs[key], f"{path}/{key}")
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), f"{path}: {ours!r} != TF's {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _assert_matches(a, b, f"{path}[{i}]")
    else:
        assert ours == theirs, f"{path}: {ours!r} != TF's {theirs!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_tensorflow(name):
    if name in KNOWN_DIFFERENCES:
        pytest.xfail(KNOWN_DIFFERENCES[name])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CASES[name](tf)
    ours = json.loads(json.dumps(result))
    _assert_matches(ours, RECORDED[name]["result"])
    messages = [str(w.message) for w in caught]
    for expected in RECORDED[name]["warnings"]:
        assert expected in messages, f"TF warned {expected!r}; capas warned {messages!r}"


@pytest.mark.parametrize("name", sorted(KNOWN_DIFFERENCES))
def test_known_differences_still_differ(name):
    # When one of these starts to match, move it out of KNOWN_DIFFERENCES (and out of docs/tape.md).
    ours = json.loads(json.dumps(CASES[name](tf)))
    with pytest.raises(AssertionError):
        _assert_matches(ours, RECORDED[name]["result"])


def test_every_recorded_case_is_run():
    assert sorted(RECORDED) == sorted(CASES)
