"""Loading CSV and text files: TextLineDataset, CsvDataset, make_csv_dataset, decode_csv.

Source: tensorflow/docs site/en/tutorials/load_data/csv.ipynb and site/en/tutorials/load_data/text.ipynb
Covers: writing small files, TextLineDataset (skip header, take, zip of files with labels),
tf.io.decode_csv with record_defaults, tf.data.experimental.CsvDataset (header, select_cols),
tf.data.experimental.make_csv_dataset (label_name, no shuffle, one epoch) and its column keys.
"""
import os
import tempfile

from _target import report, tf

d = tempfile.mkdtemp()
csv_path = os.path.join(d, "titanic.csv")
with open(csv_path, "w") as f:
    f.write("survived,sex,age,fare,class\n")
    f.write("0,male,22.0,7.25,Third\n1,female,38.0,71.2833,First\n1,female,26.0,7.925,Third\n")
    f.write("1,female,35.0,53.1,First\n0,male,28.0,8.4583,Third\n")
text_path = os.path.join(d, "lines.txt")
with open(text_path, "w") as f:
    f.write("The first line\nthe second line\nThird and last\n")

lines = tf.data.TextLineDataset(text_path)
report("text_lines", [line.numpy() for line in lines])
report("text_spec_dtype", lines.element_spec.dtype)
report("skip_header", [line.numpy() for line in tf.data.TextLineDataset(csv_path).skip(1).take(2)])

text = tf.data.TextLineDataset(csv_path).skip(1)
defaults = [tf.constant(0, dtype=tf.int32), tf.constant("", dtype=tf.string), 0.0, 0.0, ""]
parsed = [tf.io.decode_csv(line, record_defaults=defaults) for line in text.take(1)][0]
report("decode_csv", [p.numpy() for p in parsed])
report("decode_csv_dtypes", [p.dtype for p in parsed])

csv_ds = tf.data.experimental.CsvDataset(csv_path, record_defaults=[tf.int32, tf.float32],
                                         header=True, select_cols=[0, 3])
report("CsvDataset", [[s.numpy(), f.numpy()] for s, f in csv_ds])

titanic = tf.data.experimental.make_csv_dataset(csv_path, batch_size=2, label_name="survived",
                                                num_epochs=1, shuffle=False)
features, labels = next(iter(titanic))
report("make_csv_keys", sorted(features.keys()))
report("make_csv_age", features["age"])
report("make_csv_sex", features["sex"])
report("make_csv_labels", labels)
report("make_csv_batches", len(list(titanic)))
