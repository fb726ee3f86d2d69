"""tf.train.Example and TFRecord files: the bytes TensorFlow writes and reads (tests/goldens/tfcore)."""

import json
import pathlib

import numpy as np
import pytest

import capas as tf

HERE = pathlib.Path(__file__).parents[1] / "goldens" / "tfcore"
G = json.loads((HERE / "goldens.json").read_text())["example"]


def unb(x):
    if isinstance(x, str) and x.startswith("b:"):
        return x[2:].encode("latin-1")
    if isinstance(x, list):
        return [unb(v) for v in x]
    return x


def multi_example():
    return tf.train.Example(
        features=tf.train.Features(
            feature={
                "i": tf.train.Feature(int64_list=tf.train.Int64List(value=[4])),
                "f": tf.train.Feature(float_list=tf.train.FloatList(value=[0.9876, -1.5])),
                "s": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"goat", b""])),
            }
        )
    )


def test_serialized_bytes_equal_tf():
    one = tf.train.Example(
        features=tf.train.Features(feature={"n": tf.train.Feature(int64_list=tf.train.Int64List(value=[7, -3, 300]))})
    )
    assert one.SerializeToString().hex() == G["one_hex"]
    # TF writes map entries in hash order, so only the content of a several-key example is compared
    ours = multi_example().SerializeToString()
    assert tf.train.Example.FromString(ours) == tf.train.Example.FromString(bytes.fromhex(G["multi_hex"]))
    assert len(ours) == len(bytes.fromhex(G["multi_hex"]))
    assert tf.train.FloatList(value=[np.exp(1)]).value[0] == G["float_value"]


def test_parse_tf_bytes():
    back = tf.train.Example.FromString(bytes.fromhex(G["one_hex"]))
    assert back.features.feature["n"].int64_list.value == [7, -3, 300]
    assert back.features.feature["n"].WhichOneof("kind") == "int64_list"
    assert tf.train.Example.FromString(bytes.fromhex(G["multi_hex"])) == multi_example()
    from google.protobuf.message import DecodeError  # what TF's protobuf classes raise too

    with pytest.raises(DecodeError):
        tf.train.Example.FromString(bytes.fromhex(G["multi_hex"])[:-3])


def test_parse_single_example_matches_tf():
    spec = {
        "i": tf.io.FixedLenFeature([], tf.int64, default_value=0),
        "f": tf.io.FixedLenFeature([2], tf.float32),
        "s": tf.io.FixedLenFeature([2], tf.string),
        "missing": tf.io.FixedLenFeature([], tf.float32, default_value=1.5),
    }
    parsed = tf.io.parse_single_example(bytes.fromhex(G["multi_hex"]), spec)
    for key, expected in G["parsed"].items():
        value = parsed[key].numpy()
        assert (value.tolist() if isinstance(value, np.ndarray) else value) == unb(expected), key
        assert parsed[key].dtype.__str__().replace("torch.", "").replace("tf.", "") == G["parsed_dtypes"][key]
    with pytest.raises(getattr(tf.errors, G["missing_error"]), match="'zz' is missing"):
        tf.io.parse_single_example(bytes.fromhex(G["one_hex"]), {"zz": tf.io.FixedLenFeature([], tf.int64)})


def test_tfrecord_files_read_and_write_like_tf(tmp_path):
    assert [r.numpy() for r in tf.data.TFRecordDataset(str(HERE / "records.tfrecord"))] == unb(G["records"])
    path = tmp_path / "ours.tfrecord"
    with tf.io.TFRecordWriter(str(path)) as writer:
        for record in unb(G["records"]):
            writer.write(record)
    assert path.read_bytes() == (HERE / "records.tfrecord").read_bytes()  # byte for byte what TF wrote
    data = bytearray(path.read_bytes())
    data[20] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="corrupted record"):
        list(tf.data.TFRecordDataset(str(path)))
    path.write_bytes((HERE / "records.tfrecord").read_bytes()[:-2])
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        list(tf.data.TFRecordDataset(str(path)))
