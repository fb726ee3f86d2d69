"""tf.data with arbitrary Python logic: tf.py_function, tf.numpy_function and map over strings.

Source: tensorflow/docs site/en/guide/data.ipynb ("Preprocessing data": "Applying arbitrary
Python logic", "Parsing tf.Example protocol buffer messages" skipped) and
site/en/tutorials/load_data/images.ipynb (process_path with tf.strings.split of file paths)
Covers: Dataset.list_files(shuffle=False), tf.strings.split of a path and class lookup,
tf.io.read_file, a tf.py_function in map with Tout and set_shape, tf.numpy_function, and
Dataset.map over a dict.
"""
import os
import tempfile

import numpy as np
from _target import report, tf

root = tempfile.mkdtemp()
for name in ("cats", "dogs"):
    os.makedirs(os.path.join(root, name))
    for i in range(2):
        with open(os.path.join(root, name, "%s_%d.txt" % (name, i)), "w") as f:
            f.write("%s number %d" % (name, i))
class_names = np.array(["cats", "dogs"])
list_ds = tf.data.Dataset.list_files(os.path.join(root, "*", "*.txt"), shuffle=False)
report("n_files", int(list_ds.cardinality()))
report("file_names", sorted(os.path.basename(f.numpy().decode()) for f in list_ds))


def get_label(file_path):
    parts = tf.strings.split(file_path, os.path.sep)
    one_hot = parts[-2] == class_names
    return tf.argmax(one_hot)


def process_path(file_path):
    label = get_label(file_path)
    text = tf.io.read_file(file_path)
    return text, label


labeled = sorted((t.numpy(), int(lbl)) for t, lbl in list_ds.map(process_path))
report("labeled", [[t, lbl] for t, lbl in labeled])


def upper_words(text):
    return np.array(len(text.numpy().split()), dtype=np.int32)


def tf_upper_words(text, label):
    n = tf.py_function(upper_words, [text], Tout=tf.int32)
    n.set_shape([])
    return n, label


report("py_function", sorted([int(n), int(lbl)] for n, lbl in list_ds.map(process_path).map(tf_upper_words)))


def double(x):
    return (x * 2).astype(np.int64)


ds = tf.data.Dataset.range(4).map(lambda x: tf.numpy_function(double, [x], tf.int64))
report("numpy_function", [int(v) for v in ds])
dict_ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [10, 20]}).map(lambda d: d["a"] + d["b"])
report("dict_map", [int(v) for v in dict_ds])
