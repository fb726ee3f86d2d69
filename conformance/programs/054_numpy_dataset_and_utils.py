"""Loading NumPy data and the keras.utils helpers around it.

Source: tensorflow/docs site/en/tutorials/load_data/numpy.ipynb
Covers: an .npz file written with np.savez and read with np.load, Dataset.from_tensor_slices of
(x, y) arrays, shuffle(buffer, seed).batch, element_spec, a Flatten/Dense model compiled with
RMSprop + SparseCategoricalCrossentropy(from_logits) + sparse_categorical_accuracy, fit on the
dataset, evaluate on a test dataset, keras.utils.split_dataset (counts) and
keras.utils.get_file on a local file:// URL.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, report, tf

d = tempfile.mkdtemp()
path = os.path.join(d, "mnist.npz")
rng = np.random.default_rng(0)
np.savez(path, x_train=rng.integers(0, 256, (40, 28, 28)).astype("uint8"), y_train=rng.integers(0, 10, 40),
         x_test=rng.integers(0, 256, (20, 28, 28)).astype("uint8"), y_test=rng.integers(0, 10, 20))
with np.load(path) as data:
    train_examples = data["x_train"]
    train_labels = data["y_train"]
    test_examples = data["x_test"]
    test_labels = data["y_test"]

train_dataset = tf.data.Dataset.from_tensor_slices((train_examples, train_labels))
test_dataset = tf.data.Dataset.from_tensor_slices((test_examples, test_labels))
report("element_spec", [[s.shape, s.dtype] for s in train_dataset.element_spec])
BATCH_SIZE = 8
train_dataset = train_dataset.batch(BATCH_SIZE)
test_dataset = test_dataset.batch(BATCH_SIZE)
report("n_batches", [len(list(train_dataset)), len(list(test_dataset))])
report("cardinality", int(train_dataset.cardinality()))

model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(10)])
init_weights(model, seed=1, scale=0.01)
model.compile(optimizer=keras.optimizers.RMSprop(), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["sparse_categorical_accuracy"])
history = model.fit(train_dataset, epochs=2, verbose=0)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
report("evaluate_len", len(model.evaluate(test_dataset, verbose=0)))

left, right = keras.utils.split_dataset(np.arange(10), left_size=0.8, shuffle=False)
report("split_dataset", [[int(v) for v in left], [int(v) for v in right]])
local = os.path.join(d, "hello.txt")
with open(local, "w") as f:
    f.write("hello")
fetched = keras.utils.get_file("hello_copy.txt", origin="file://" + local, cache_dir=d)
report("get_file_basename", os.path.basename(fetched))
with open(fetched) as f:
    report("get_file_content", f.read())
