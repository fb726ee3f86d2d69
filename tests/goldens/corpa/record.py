"""Record TF's answers for the fixes made while writing conformance programs 063-068.

    /work/tfvenv/bin/python tests/goldens/corpa/record.py

Writes `values.json` next to this file (never written by hand; tests/test_corpa_fixes.py reads it).
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ragged = tf.strings.to_number(tf.strings.split(tf.constant(["1.5 2", "", "3"])))
    ragged_int = tf.strings.to_number(tf.ragged.constant([["7"], ["8", "-9"]]), out_type=tf.int32)
    out = {
        "tensorflow": tf.__version__,
        "complex_scalar_dtype": tf.constant(1 + 2j).dtype.name,
        "complex_list_dtype": tf.constant([1 + 2j, 3j]).dtype.name,
        "to_number_ragged": {
            "values": ragged.to_list(),
            "dtype": ragged.dtype.name,
            "row_lengths": ragged.row_lengths().numpy().tolist(),
        },
        "to_number_ragged_int": {"values": ragged_int.to_list(), "dtype": ragged_int.dtype.name},
    }
    with open(os.path.join(HERE, "values.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
