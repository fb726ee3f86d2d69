"""Shared by the golden areas whose `cases.py` holds code strings run by `run_case(tf, code, tmp)`
(tfdata2, tftop, tftrain): the TF recorder's loop and the comparison the tests make.

The recorders run it under TensorFlow's interpreter (`record.py` puts this folder on `sys.path`),
the tests import it as `tests.goldens._exec_cases`.
"""

import json
import os
import sys
import tempfile


def record(tf, here, cases, run_case):
    """Run every case with TensorFlow and write `goldens.json` in `here` (errors recorded by type)."""
    out = {"tensorflow": tf.__version__, "cases": {}}
    for name, code in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            try:
                out["cases"][name] = run_case(tf, code, tmp)
            except Exception as exc:  # noqa: BLE001 - recorded, the test then expects an error
                out["cases"][name] = {"error": type(exc).__name__, "message": str(exc)[:300]}
                print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    with open(os.path.join(here, "goldens.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"recorded {len(out['cases'])} cases")


def close(a, b):
    """Equal, floats within 1e-6 relative (nested lists compared element by element)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-6 * max(1.0, abs(b))
    return a == b


def check(tf, name, code, run_case, expected, tmp):
    """capas runs case `name` and gives TF's recorded value, or refuses where TF raised."""
    import pytest  # here: the recorders import this module under TF's interpreter, which has no pytest

    if "error" in expected:
        with pytest.raises(Exception) as info:  # noqa: B017 - TF raised; capas must refuse too
            run_case(tf, code, tmp)
        assert type(info.value).__name__ == expected["error"]
        return
    got = run_case(tf, code, tmp)
    assert close(got["value"], expected["value"]), f"{name}: {got['value']} != TF {expected['value']}"
