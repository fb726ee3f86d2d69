"""TFRecord files and tf.train.Example: capas against files and parses recorded from real TF."""

import json
import os
import shutil
import sys

import numpy as np
import pytest

from tests.goldens._load import load_cases
import torch

import capas as tf

pytest.importorskip("crc32c")
pytest.importorskip("google.protobuf")

from capas.io import _tfrecord as tfr

GOLDENS = os.path.join(os.path.dirname(__file__), "..", "goldens", "data")
encode = load_cases(GOLDENS).encode
sys.path.insert(0, GOLDENS)  # tfrecord_cases.py has a name of its own
from tfrecord_cases import (  # noqa: E402
    RECORDS,
    feature_spec,
    make_examples,
    make_single_feature_examples,
)

with open(os.path.join(GOLDENS, "goldens.json")) as _f:
    RECORDED = json.load(_f)["tfrecord"]

STRING = getattr(tf, "string", None) or __import__("capas.data._structure", fromlist=["string"]).string


class _Dtypes:
    int64, float32, string = tf.int64, tf.float32, STRING


def _encode_parsed(parsed):
    out = {}
    for key, value in parsed.items():
        if hasattr(value, "dense_shape"):
            out[key] = {"sparse": [encode(value.indices), encode(value.values), encode(value.dense_shape)]}
        else:
            out[key] = encode(value)
    return out


def _bytes(leaf):
    """One string element as bytes (a numpy object array today, a capas string tensor later)."""
    return np.asarray(leaf, dtype=object).item()


def _tf_bytes(text):
    return text.encode("latin-1")


def test_single_feature_examples_serialize_to_tensorflows_bytes(tmp_path):
    expected = [_tf_bytes(s) for s in RECORDED["single_feature_serialized"]]
    assert [e.SerializeToString() for e in make_single_feature_examples(tfr)] == expected
    path = tmp_path / "single.tfrecord"
    with tfr.TFRecordWriter(str(path)) as writer:
        for example in make_single_feature_examples(tfr):
            writer.write(example)
    with open(os.path.join(GOLDENS, "single_feature.tfrecord"), "rb") as f:
        assert path.read_bytes() == f.read()


def test_multi_feature_examples_equal_tensorflows_as_messages():
    # protobuf orders map entries by a per-process hash seed, in TF as here: compare parsed messages
    for example, text in zip(make_examples(tfr), RECORDED["serialized"]):
        parsed = tfr.Example()
        parsed.ParseFromString(_tf_bytes(text))
        assert parsed == example


def test_file_written_by_capas_is_parsed_by_tensorflow_as_its_own(tmp_path):
    # written_by_capas.tfrecord was written by this writer; record.py parsed it under real TF
    assert RECORDED["capas_file_parsed_by_tf"] == RECORDED["single"]
    path = tmp_path / "again.tfrecord"
    with tfr.TFRecordWriter(str(path)) as writer:
        for example in make_examples(tfr):
            writer.write(example)  # a message: serialized with sorted keys, so the bytes repeat
    with open(os.path.join(GOLDENS, "written_by_capas.tfrecord"), "rb") as f:
        assert path.read_bytes() == f.read()


def test_reads_tensorflows_file_and_parses_as_tensorflow():
    spec = feature_spec(_Dtypes, tfr)
    records = list(tf.data.TFRecordDataset(os.path.join(GOLDENS, "examples.tfrecord")))
    assert [_bytes(r) for r in records] == [_tf_bytes(s) for s in RECORDED["serialized"]]
    assert [_encode_parsed(tfr.parse_single_example(r, spec)) for r in records] == RECORDED["single"]
    batch = np.stack([np.asarray(r, dtype=object) for r in records])
    assert _encode_parsed(tfr.parse_example(batch, spec)) == RECORDED["batch"]


def test_reads_tensorflows_gzip_file():
    ds = tf.data.TFRecordDataset([os.path.join(GOLDENS, "examples.tfrecord.gz")], compression_type="GZIP")
    assert [_bytes(r) for r in ds] == [_tf_bytes(s) for s in RECORDED["gzip_records"]]


@pytest.mark.parametrize("compression", ["GZIP", "ZLIB"])
def test_compressed_round_trip(tmp_path, compression):
    path = str(tmp_path / "c.tfrecord")
    with tfr.TFRecordWriter(path, options=tfr.TFRecordOptions(compression_type=compression)) as writer:
        for i in range(50):
            writer.write(bytes([i]) * i)
    got = [_bytes(r) for r in tf.data.TFRecordDataset(path, compression_type=compression)]
    assert got == [bytes([i]) * i for i in range(50)]


def test_corrupted_record_is_reported_with_its_file(tmp_path):
    path = tmp_path / "bad.tfrecord"
    shutil.copy(os.path.join(GOLDENS, "examples.tfrecord"), path)
    data = bytearray(path.read_bytes())
    data[20] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="bad.tfrecord.*checksum"):
        list(tf.data.TFRecordDataset(str(path)))


def test_truncated_file_is_reported(tmp_path):
    path = tmp_path / "short.tfrecord"
    with open(os.path.join(GOLDENS, "examples.tfrecord"), "rb") as f:
        path.write_bytes(f.read()[:-3])
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        list(tf.data.TFRecordDataset(str(path)))


def test_writer_leaves_no_file_when_the_block_fails(tmp_path):
    path = tmp_path / "never.tfrecord"
    with pytest.raises(RuntimeError), tfr.TFRecordWriter(str(path)) as writer:
        writer.write(b"x")
        raise RuntimeError("stop")
    assert os.listdir(tmp_path) == []


def test_missing_feature_without_default_names_it():
    record = make_examples(tfr)[0].SerializeToString()
    with pytest.raises(ValueError, match="'absent'"):
        tfr.parse_single_example(record, {"absent": tfr.FixedLenFeature([], tf.int64)})


def test_tfrecord_pipeline_parses_in_map(tmp_path):
    path = str(tmp_path / "p.tfrecord")
    with tfr.TFRecordWriter(path) as writer:
        for example in make_examples(tfr):
            writer.write(example)
    spec = {"id": tfr.FixedLenFeature([], tf.int64), "score": tfr.FixedLenFeature([2], tf.float32)}
    ds = tf.data.TFRecordDataset(path).map(lambda r: tfr.parse_single_example(r, spec)).batch(3)
    batch = next(iter(ds))
    assert batch["id"].tolist() == [r["id"][0] for r in RECORDS]
    torch.testing.assert_close(batch["score"], torch.tensor([r["score"] for r in RECORDS]))
