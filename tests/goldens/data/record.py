"""Record tf.data goldens from real TensorFlow: `/work/tfvenv/bin/python tests/goldens/data/record.py`.

Writes `goldens.json` (one record per case of `cases.py`) and the TFRecord
fixtures (`tfrecord.py` records those).
"""

import json
import os
import sys
import tempfile

import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from cases import CASES, encode, run_case
from tfrecord_cases import feature_spec, make_examples, make_single_feature_examples


def encode_parsed(parsed):
    out = {}
    for key, value in parsed.items():
        if isinstance(value, tf.sparse.SparseTensor):
            out[key] = {"sparse": [encode(value.indices), encode(value.values), encode(value.dense_shape)]}
        else:
            out[key] = encode(value)
    return out


def record_tfrecord():
    """Write the TFRecord fixtures with TF and record what TF parses from them."""
    examples = make_examples(tf.train)
    serialized = [e.SerializeToString() for e in examples]
    for name, options in [("examples.tfrecord", None), ("examples.tfrecord.gz", "GZIP")]:
        with tf.io.TFRecordWriter(os.path.join(HERE, name), options=options) as writer:
            for s in serialized:
                writer.write(s)
    spec = feature_spec(tf, tf.io)
    records = list(tf.data.TFRecordDataset(os.path.join(HERE, "examples.tfrecord")))
    single = [e.SerializeToString() for e in make_single_feature_examples(tf.train)]
    with tf.io.TFRecordWriter(os.path.join(HERE, "single_feature.tfrecord")) as writer:
        for s in single:
            writer.write(s)
    capas_file = os.path.join(HERE, "written_by_capas.tfrecord")  # committed; written by capas
    capas_single = None
    if os.path.exists(capas_file):
        capas_single = [encode_parsed(tf.io.parse_single_example(r, spec)) for r in tf.data.TFRecordDataset(capas_file)]
    return {
        "single_feature_serialized": [s.decode("latin-1") for s in single],
        "capas_file_parsed_by_tf": capas_single,
        "serialized": [s.decode("latin-1") for s in serialized],
        # protobuf orders map entries by a per-process hash seed: bytes repeat within a process only
        "serialization_repeatable_in_process": all(
            e.SerializeToString() == s for e, s in zip(make_examples(tf.train), serialized)
        ),
        "single": [encode_parsed(tf.io.parse_single_example(r, spec)) for r in records],
        "batch": encode_parsed(tf.io.parse_example(tf.stack(records), spec)),
        "gzip_records": [
            r.numpy().decode("latin-1")
            for r in tf.data.TFRecordDataset(os.path.join(HERE, "examples.tfrecord.gz"), compression_type="GZIP")
        ],
    }


def main():
    out = {"tensorflow": tf.__version__, "cases": {}}
    for name, code in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            try:
                out["cases"][name] = run_case(tf, code, tmp)
            except Exception as exc:  # noqa: BLE001 - recorded, the test then expects an error
                out["cases"][name] = {"error": type(exc).__name__, "message": str(exc)[:300]}
                print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    out["tfrecord"] = record_tfrecord()
    with open(os.path.join(HERE, "goldens.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"recorded {len(out['cases'])} cases")


if __name__ == "__main__":
    main()
