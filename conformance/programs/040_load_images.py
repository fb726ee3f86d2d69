"""Loading images from a directory: image_dataset_from_directory, Rescaling, cache/prefetch.

Source: tensorflow/docs site/en/tutorials/load_data/images.ipynb
Covers: a flower_photos-like tree of class folders with image files, keras.utils.
image_dataset_from_directory with validation_split/subset/seed/image_size/batch_size,
class_names, batch shapes and dtypes, layers.Rescaling(1./255) through Dataset.map, min/max of
a batch, cache().prefetch(AUTOTUNE), and a small Conv2D model trained for one epoch.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, layers, report, tf, write_bmp

root = tempfile.mkdtemp()
rng = np.random.default_rng(0)
for c, name in enumerate(["daisy", "roses", "tulips"]):
    os.makedirs(os.path.join(root, name))
    for i in range(4):
        pixels = np.full((20, 24, 3), 40 * c, "uint8") + rng.integers(0, 60, (20, 24, 3)).astype("uint8")
        write_bmp(os.path.join(root, name, "img_%d.bmp" % i), pixels)

batch_size, img_height, img_width = 4, 10, 12
train_ds = keras.utils.image_dataset_from_directory(root, validation_split=0.25, subset="training", seed=123,
                                                    image_size=(img_height, img_width), batch_size=batch_size)
val_ds = keras.utils.image_dataset_from_directory(root, validation_split=0.25, subset="validation", seed=123,
                                                  image_size=(img_height, img_width), batch_size=batch_size)
report("class_names", train_ds.class_names)
report("train_count", sum(int(x.shape[0]) for x, _ in train_ds))
report("val_count", sum(int(x.shape[0]) for x, _ in val_ds))
for image_batch, labels_batch in train_ds.take(1):
    report("image_batch.shape", image_batch.shape)
    report("image_batch.dtype", image_batch.dtype)
    report("labels_batch.shape", labels_batch.shape)
    report("labels_batch.dtype", labels_batch.dtype)

normalization_layer = layers.Rescaling(1.0 / 255)
normalized_ds = train_ds.map(lambda x, y: (normalization_layer(x), y))
image_batch, labels_batch = next(iter(normalized_ds))
first_image = image_batch[0]
report("range_ok", bool(0.0 <= float(np.min(first_image)) and float(np.max(first_image)) <= 1.0))

ordered = keras.utils.image_dataset_from_directory(root, image_size=(img_height, img_width), batch_size=12,
                                                   shuffle=False)
images, labels = next(iter(ordered))
report("ordered_labels", labels)
report("ordered_file_paths", [os.path.relpath(p, root) for p in ordered.file_paths])
report("ordered_mean_pixel", float(tf.reduce_mean(images)), tol=1e-3)

AUTOTUNE = tf.data.AUTOTUNE
train_ds = train_ds.cache().prefetch(buffer_size=AUTOTUNE)
num_classes = 3
model = keras.Sequential([layers.Rescaling(1.0 / 255), layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(),
                          layers.Flatten(), layers.Dense(8, activation="relu"), layers.Dense(num_classes)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.build((None, img_height, img_width, 3))
init_weights(model, seed=0)
history = model.fit(train_ds, validation_data=val_ds, epochs=1, verbose=0)
report("history_keys", sorted(history.history.keys()))
