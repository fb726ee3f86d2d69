"""The Examples of the TFRecord goldens, built with `tf.train` of TF or capas (same code)."""

RECORDS = [
    {"id": [i], "score": [i * 0.5, 1.5], "name": [f"n{i}".encode()], "tags": list(range(10, 10 + i))} for i in range(3)
]
KINDS = {"id": "int64_list", "score": "float_list", "name": "bytes_list", "tags": "int64_list"}


def make_examples(train):
    """`train` is `tf.train` (or capas's module holding the same classes)."""
    lists = {"int64_list": train.Int64List, "float_list": train.FloatList, "bytes_list": train.BytesList}
    out = []
    for record in RECORDS:
        feature = {
            key: train.Feature(**{KINDS[key]: lists[KINDS[key]](value=values)}) for key, values in record.items()
        }
        out.append(train.Example(features=train.Features(feature=feature)))
    return out


def feature_spec(tf, io):
    """The parsing spec (`io` is `tf.io`, or capas's module with FixedLenFeature/VarLenFeature)."""
    return {
        "id": io.FixedLenFeature([], tf.int64),
        "score": io.FixedLenFeature([2], tf.float32),
        "name": io.FixedLenFeature([], tf.string),
        "tags": io.VarLenFeature(tf.int64),
        "missing": io.FixedLenFeature([1], tf.float32, default_value=[-1.0]),
    }


def make_single_feature_examples(train):
    """Examples with one feature: their bytes do not depend on protobuf's map order."""
    return [
        train.Example(
            features=train.Features(feature={"x": train.Feature(float_list=train.FloatList(value=[i, i + 0.25]))})
        )
        for i in range(3)
    ]
