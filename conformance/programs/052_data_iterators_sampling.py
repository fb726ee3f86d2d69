"""tf.data: resampling, iterator checkpointing, and datasets from dicts for Keras.

Source: tensorflow/docs site/en/guide/data.ipynb ("Resampling", "Iterator Checkpointing",
"Using tf.data with tf.keras")
Covers: Dataset.sample_from_datasets (counts only), Dataset.choose_from_datasets, an iterator
saved in tf.train.Checkpoint and restored after further next() calls, a (features, labels)
dataset fed to model.fit/evaluate/predict, and a (features, labels, weights) dataset.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, report, tf

a = tf.data.Dataset.from_tensors(0).repeat()
b = tf.data.Dataset.from_tensors(1).repeat()
mixed = tf.data.Dataset.sample_from_datasets([a, b], weights=[0.5, 0.5], seed=1).take(20)
values = [int(v) for v in mixed]
report("sample_from_datasets_count", len(values))
report("sample_values_are_0_or_1", sorted(set(values)) in ([0, 1], [0], [1]))
datasets = [tf.data.Dataset.from_tensors("foo").repeat(), tf.data.Dataset.from_tensors("bar").repeat(),
            tf.data.Dataset.from_tensors("baz").repeat()]
choice = tf.data.Dataset.range(3).repeat(2)
report("choose_from_datasets", [v.numpy() for v in tf.data.Dataset.choose_from_datasets(datasets, choice)])

range_ds = tf.data.Dataset.range(20)
iterator = iter(range_ds)
ckpt = tf.train.Checkpoint(step=tf.Variable(0), iterator=iterator)
manager = tf.train.CheckpointManager(ckpt, os.path.join(tempfile.mkdtemp(), "my_ckpt"), max_to_keep=3)
report("first_five", [next(iterator).numpy() for _ in range(5)])
save_path = manager.save()
report("next_three", [next(iterator).numpy() for _ in range(3)])
ckpt.restore(manager.latest_checkpoint)
report("after_restore", [next(iterator).numpy() for _ in range(3)])

rng = np.random.default_rng(0)
images = rng.random((24, 6, 6)).astype("float32")
labels = rng.integers(0, 3, 24).astype("int64")
fmnist_train_ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(8)
model = keras.Sequential([keras.Input((6, 6)), keras.layers.Flatten(), keras.layers.Dense(3)])
init_weights(model, seed=1)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
history = model.fit(fmnist_train_ds.repeat(), epochs=2, steps_per_epoch=3, verbose=0)
report("fit_loss", history.history["loss"], tol=1e-4)
loss, accuracy = model.evaluate(fmnist_train_ds, verbose=0)
report("evaluate_loss", loss, tol=1e-4)
predict_ds = tf.data.Dataset.from_tensor_slices(images).batch(8)
result = model.predict(predict_ds, steps=2, verbose=0)
report("predict_steps_shape", result.shape)
result = model.predict(fmnist_train_ds, verbose=0)
report("predict_ignores_labels_shape", result.shape)
weights = np.linspace(0.5, 1.5, 24).astype("float32")
weighted_ds = tf.data.Dataset.from_tensor_slices((images, labels, weights)).batch(8)
report("weighted_evaluate", model.evaluate(weighted_ds, verbose=0), tol=1e-4)
