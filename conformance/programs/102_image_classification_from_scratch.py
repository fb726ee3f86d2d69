"""Image classification from scratch: a small Xception-like network on a Cat/Dog directory.

Source: keras-team/keras-io examples/vision/image_classification_from_scratch.py
Covers: filtering corrupted files by their header bytes (tf.compat.as_bytes, fobj.peek, os.remove),
tf.keras.preprocessing.image_dataset_from_directory(validation_split=0.2, subset="both", seed=1337,
image_size=, batch_size=) returning (train_ds, val_ds), a data_augmentation Sequential
(RandomFlip("horizontal"), RandomRotation(0.1)) applied in Dataset.map(num_parallel_calls=AUTOTUNE),
prefetch, make_model: Rescaling(1.0 / 255), Conv2D strides=2 + BatchNormalization + Activation("relu"),
residual blocks of SeparableConv2D + MaxPooling2D(3, strides=2, padding="same") with a 1x1 Conv2D
projection and layers.add, GlobalAveragePooling2D, Dropout(0.5), Dense(1, sigmoid);
ModelCheckpoint("save_at_{epoch}.keras"), compile(Adam(1e-3), "binary_crossentropy", ["accuracy"],
jit_compile=True), fit with validation_data, and predict on one image with tf.expand_dims.
(BMP images of 24x24 instead of JPEGs of 180x180, so the header filter looks for b"BM" where the
tutorial looks for b"JFIF"; block sizes [8, 16] instead of [128, 256, 512, 728] and 32 instead of
1024; shuffle=False for a fixed order; augmentation and Dropout are random, so numbers are compared in
inference mode and through the saved checkpoints.)
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, layers, report, tf, write_bmp

root = tempfile.mkdtemp()
os.chdir(root)
rng = np.random.default_rng(102)
for label, folder_name in enumerate(("Cat", "Dog")):
    os.makedirs(os.path.join("PetImages", folder_name))
    for i in range(10):
        base = 60 + 120 * label
        pixels = np.clip(rng.normal(base, 40, (24, 24, 3)), 0, 255).astype("uint8")
        write_bmp(os.path.join("PetImages", folder_name, "%d.bmp" % i), pixels)
    with open(os.path.join("PetImages", folder_name, "corrupt_%d.bmp" % label), "wb") as f:
        f.write(b"\x00\x01garbage" * 4)

num_skipped = 0
for folder_name in ("Cat", "Dog"):
    folder_path = os.path.join("PetImages", folder_name)
    for fname in sorted(os.listdir(folder_path)):
        fpath = os.path.join(folder_path, fname)
        try:
            fobj = open(fpath, "rb")
            is_bmp = tf.compat.as_bytes("BM") in fobj.peek(10)
        finally:
            fobj.close()

        if not is_bmp:
            num_skipped += 1
            # Delete corrupted image
            os.remove(fpath)
report("num_skipped", num_skipped)

image_size = (24, 24)
batch_size = 8

train_ds, val_ds = tf.keras.preprocessing.image_dataset_from_directory(
    "PetImages",
    validation_split=0.2,
    subset="both",
    seed=1337,
    image_size=image_size,
    batch_size=batch_size,
    shuffle=False,
)
report("class_names", [train_ds.class_names, val_ds.class_names])
report("cardinality", [int(train_ds.cardinality()), int(val_ds.cardinality())])
for images, labels in train_ds.take(1):
    report("batch", [images.shape, images.dtype, labels.dtype])
    report("labels", labels)
    report("pixel_mean", tf.reduce_mean(images, axis=[1, 2, 3]), tol=1e-4)

data_augmentation = keras.Sequential(
    [
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.1),
    ]
)
for images, _ in train_ds.take(1):
    augmented_images = data_augmentation(images)
    report("augmented", [augmented_images.shape, augmented_images.dtype])
    report("augmented_range", bool(tf.reduce_max(augmented_images) <= 255.0)
           and bool(tf.reduce_min(augmented_images) >= 0.0))

train_ds = train_ds.prefetch(buffer_size=32)
val_ds = val_ds.prefetch(buffer_size=32)


def make_model(input_shape, num_classes):
    inputs = keras.Input(shape=input_shape)

    # Entry block
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(8, 3, strides=2, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    x = layers.Conv2D(8, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    previous_block_activation = x  # Set aside residual

    for size in [8, 16]:
        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.Activation("relu")(x)
        x = layers.SeparableConv2D(size, 3, padding="same")(x)
        x = layers.BatchNormalization()(x)

        x = layers.MaxPooling2D(3, strides=2, padding="same")(x)

        # Project residual
        residual = layers.Conv2D(size, 1, strides=2, padding="same")(
            previous_block_activation
        )
        x = layers.add([x, residual])  # Add back residual
        previous_block_activation = x  # Set aside next residual

    x = layers.SeparableConv2D(32, 3, padding="same")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)

    x = layers.GlobalAveragePooling2D()(x)
    if num_classes == 2:
        activation = "sigmoid"
        units = 1
    else:
        activation = "softmax"
        units = num_classes

    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(units, activation=activation)(x)
    return keras.Model(inputs, outputs)


model = make_model(input_shape=image_size + (3,), num_classes=2)
report("output_shapes", [list(layer.output.shape) for layer in model.layers])
report("count_params", [model.count_params(), len(model.trainable_weights), len(model.non_trainable_weights)])
init_weights(model, seed=1, scale=0.2)
report("predict_before", model.predict(val_ds, verbose=0)[:, 0], tol=1e-4)

train_ds = train_ds.map(
    lambda img, label: (data_augmentation(img), label),
    num_parallel_calls=tf.data.AUTOTUNE,
)
train_ds = train_ds.prefetch(tf.data.AUTOTUNE)

epochs = 2

callbacks = [
    keras.callbacks.ModelCheckpoint("save_at_{epoch}.keras"),
]
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss="binary_crossentropy",
    metrics=["accuracy"],
    jit_compile=True,  # Enable XLA compilation for faster execution
)
history = model.fit(
    train_ds,
    epochs=epochs,
    callbacks=callbacks,
    validation_data=val_ds,
    verbose=0,
)
report("history_keys", sorted(history.history.keys()))
report("checkpoints", sorted(f for f in os.listdir(".") if f.endswith(".keras")))

restored = keras.models.load_model("save_at_2.keras")
img_array = next(iter(val_ds))[0][:1]
report("restored_matches", bool(np.allclose(restored.predict(img_array, verbose=0),
                                            model.predict(img_array, verbose=0), atol=1e-6)))
img = val_ds.unbatch().take(1).get_single_element()[0]
img_array = tf.expand_dims(img, 0)  # Create batch axis
predictions = model.predict(img_array, verbose=0)
score = float(predictions[0][0])
report("score_range", [predictions.shape, 0.0 <= score <= 1.0])
