"""tf core wave 2 against TensorFlow: each case of `tests/goldens/tfcore2/cases.py` must give
what TF 2.21 gave (recorded by `tests/goldens/tfcore2/record.py`): the same values, dtypes,
shapes and container kinds, or the same exception type with TF's message head."""

import json
import pathlib
import re

import numpy as np
import pytest

import capas
from tests.goldens._load import load_cases

GOLDENS = pathlib.Path(__file__).parent / "goldens" / "tfcore2"
cases = load_cases(GOLDENS)
RECORDED = json.loads((GOLDENS / "goldens.json").read_text())["cases"]

# Message heads that differ from TF's only by TF's graph-node decoration (kept out of the
# comparison): '{{function_node ...}} ' in front and ' [Op:...] name: ' at the end.
_DECORATION = re.compile(r"\{\{function_node [^}]*\}\} |\s*\[Op:[^\]]*\]( name: .*)?$")


def _head(message):
    """TF's message head: the text up to the first line break after the first non-empty line."""
    lines = _DECORATION.sub("", message).split("\n")
    head = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    return "\n".join(head)


def _close(ours, theirs, path):
    if isinstance(theirs, dict) and "tensor" in theirs:
        assert isinstance(ours, dict) and "tensor" in ours, f"{path}: TF gave a tensor, capas {ours!r}"
        assert ours["tensor"] == theirs["tensor"], f"{path}: dtype {ours['tensor']} != TF's {theirs['tensor']}"
        assert ours["shape"] == theirs["shape"], f"{path}: shape {ours['shape']} != TF's {theirs['shape']}"
        if isinstance(theirs["value"], dict):  # floating: finite values close, NaN/Inf where TF has them
            assert ours["value"]["nan"] == theirs["value"]["nan"], f"{path}: NaN positions differ"
            assert ours["value"]["inf"] == theirs["value"]["inf"], f"{path}: Inf positions differ"
            np.testing.assert_allclose(
                np.asarray(ours["value"]["finite"], dtype=np.float64),
                np.asarray(theirs["value"]["finite"], dtype=np.float64),
                rtol=2e-6,
                atol=1e-6,
                err_msg=path,
            )
        else:
            assert ours["value"] == theirs["value"], f"{path}: {ours['value']} != TF's {theirs['value']}"
        return
    if isinstance(theirs, dict) and isinstance(ours, dict):
        assert sorted(ours) == sorted(theirs), f"{path}: {ours!r} != TF's {theirs!r}"
        for key in theirs:
            _close(ours[key], theirs[key], f"{path}.{key}")
        return
    if isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), f"{path}: {ours!r} != TF's {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _close(a, b, f"{path}[{i}]")
        return
    if isinstance(theirs, float):
        assert ours == pytest.approx(theirs, rel=2e-6), f"{path}: {ours!r} != TF's {theirs!r}"
        return
    assert ours == theirs, f"{path}: {ours!r} != TF's {theirs!r}"


def test_every_case_is_recorded():
    assert sorted(RECORDED) == sorted(cases.CASES)


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_case_matches_tensorflow(name):
    recorded = RECORDED[name]
    ours = cases.run_case(capas, name)
    if "raised" in recorded:
        assert "raised" in ours, f"TF raised {recorded['raised']}: {recorded['message']!r}; capas returned {ours}"
        assert ours["raised"] == recorded["raised"], f"{ours['raised']}: {ours['message']!r}"
        assert _head(ours["message"]) == _head(recorded["message"])
        return
    assert "value" in ours, f"capas raised {ours.get('raised')}: {ours.get('message')}"
    _close(ours["value"], recorded["value"], name)
