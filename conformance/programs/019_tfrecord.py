"""TFRecord and tf.train.Example: writing, reading and parsing records.

Source: tensorflow/docs site/en/tutorials/load_data/tfrecord.ipynb
Covers: _bytes_feature/_float_feature/_int64_feature helpers, tf.train.Example with Features,
SerializeToString / FromString round trip, tf.io.TFRecordWriter, tf.data.TFRecordDataset,
tf.io.parse_single_example with FixedLenFeature, tf.io.serialize_tensor / parse_tensor.
"""
import os
import tempfile

import numpy as np
from _target import report, tf


def _bytes_feature(value):
    if isinstance(value, type(tf.constant(0))):
        value = value.numpy()
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


def _float_feature(value):
    return tf.train.Feature(float_list=tf.train.FloatList(value=[value]))


def _int64_feature(value):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


report("int64_feature", _int64_feature(1).int64_list.value[0])
report("float_feature", _float_feature(np.exp(1)).float_list.value[0], tol=1e-6)

n = 4
feature0 = np.array([False, True, False, True])
feature1 = np.array([1, 2, 0, 3])
strings = np.array([b"cat", b"dog", b"chicken", b"horse"])
feature2 = strings[feature1]
feature3 = np.array([0.5, -1.25, 2.0, 3.75])


def serialize_example(f0, f1, f2, f3):
    feature = {"feature0": _int64_feature(f0), "feature1": _int64_feature(f1),
               "feature2": _bytes_feature(f2), "feature3": _float_feature(f3)}
    example_proto = tf.train.Example(features=tf.train.Features(feature=feature))
    return example_proto.SerializeToString()


serialized_example = serialize_example(0, 4, b"goat", 0.9876)
example_proto = tf.train.Example.FromString(serialized_example)
report("roundtrip_feature1", example_proto.features.feature["feature1"].int64_list.value[0])
report("roundtrip_feature2", example_proto.features.feature["feature2"].bytes_list.value[0])

filename = os.path.join(tempfile.mkdtemp(), "test.tfrecord")
with tf.io.TFRecordWriter(filename) as writer:
    for i in range(n):
        writer.write(serialize_example(int(feature0[i]), int(feature1[i]), feature2[i], float(feature3[i])))

raw_dataset = tf.data.TFRecordDataset([filename])
report("n_records", len(list(raw_dataset)))
feature_description = {
    "feature0": tf.io.FixedLenFeature([], tf.int64, default_value=0),
    "feature1": tf.io.FixedLenFeature([], tf.int64, default_value=0),
    "feature2": tf.io.FixedLenFeature([], tf.string, default_value=""),
    "feature3": tf.io.FixedLenFeature([], tf.float32, default_value=0.0),
}


def _parse_function(example_proto):
    return tf.io.parse_single_example(example_proto, feature_description)


parsed_dataset = raw_dataset.map(_parse_function)
for parsed_record in parsed_dataset:
    report("parsed", [parsed_record["feature0"].numpy(), parsed_record["feature1"].numpy(),
                      parsed_record["feature2"].numpy(), parsed_record["feature3"].numpy()])
report("parsed_dtypes", [parsed_record[k].dtype for k in sorted(parsed_record)])

t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
serialized = tf.io.serialize_tensor(t)
report("serialized.dtype", serialized.dtype)
report("parse_tensor", tf.io.parse_tensor(serialized, out_type=tf.float32))
