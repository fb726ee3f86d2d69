"""Record the tfdata2 goldens from real TensorFlow: `/work/tfvenv/bin/python tests/goldens/tfdata2/record.py`."""

import json
import os
import sys
import tempfile

import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cases import CASES, run_case  # noqa: E402


def main():
    out = {"tensorflow": tf.__version__, "cases": {}}
    for name, code in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            try:
                out["cases"][name] = run_case(tf, code, tmp)
            except Exception as exc:  # noqa: BLE001 - recorded, the test then expects an error
                out["cases"][name] = {"error": type(exc).__name__, "message": str(exc)[:300]}
                print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    with open(os.path.join(HERE, "goldens.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"recorded {len(out['cases'])} cases")


if __name__ == "__main__":
    main()
