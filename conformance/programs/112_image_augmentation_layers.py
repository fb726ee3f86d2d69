"""Keras 3's image augmentation layers, as the data augmentation tutorial and the keras.io layer docs use them.

Source: tensorflow/docs site/en/tutorials/images/data_augmentation.ipynb ("Use Keras preprocessing
layers", "Data augmentation") and keras-team/keras-io guides/preprocessing_layers.py (image augmentation)
Covers: RandomCrop (training shape, inference = center crop), RandomBrightness/RandomContrast/
RandomSaturation/RandomHue (training shape and value range, identity at inference), the
deterministic settings of RandomGrayscale(factor=1.0), RandomInvert(factor=(1.0, 1.0)), Solarization
(default factors: every pixel), AutoContrast, Equalization, their values on a fixed image, a Sequential augmentation
model with the MaxPool2D/AvgPool2D/GlobalAvgPool2D aliases, and augmentation through Dataset.map.
"""
import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(0)
images = rng.integers(0, 256, (2, 10, 12, 3)).astype("float32")

crop = layers.RandomCrop(6, 8, seed=1)
report("crop.train.shape", crop(images, training=True).shape)
report("crop.infer", crop(images, training=False)[0, :2, :3, 0], tol=1e-4)

for name, layer in [
    ("brightness", layers.RandomBrightness(0.2, value_range=(0, 255), seed=2)),
    ("contrast", layers.RandomContrast(0.3, seed=3)),
    ("saturation", layers.RandomSaturation(0.5, value_range=(0, 255), seed=4)),
    ("hue", layers.RandomHue(0.2, value_range=(0, 255), seed=5)),
]:
    out = layer(images, training=True)
    report(f"{name}.train.shape", out.shape)
    report(f"{name}.train.dtype", out.dtype)
    report(f"{name}.in_range", bool(float(tf.reduce_min(out)) >= 0.0 and float(tf.reduce_max(out)) <= 255.0))
    report(f"{name}.infer_identity", bool(np.allclose(layer(images, training=False), images)))

report("grayscale", layers.RandomGrayscale(factor=1.0)(images, training=True)[0, 0, :3], tol=1e-3)
report("invert", layers.RandomInvert(factor=(1.0, 1.0), value_range=(0, 255))(images, training=True)[0, 0, :2], tol=1e-4)
report("solarization", layers.Solarization(value_range=(0, 255))(images)[0, 0, :2], tol=1e-4)
report("autocontrast", layers.AutoContrast(value_range=(0, 255))(images)[0, :2, :2, 0], tol=1e-3)
report("equalization", layers.Equalization(value_range=(0, 255))(images)[0, :2, :2, 0], tol=1e-3)

data_augmentation = keras.Sequential(
    [layers.RandomFlip("horizontal"), layers.RandomRotation(0.1), layers.RandomCrop(8, 8)]
)
model = keras.Sequential(
    [
        keras.Input((10, 12, 3)),
        data_augmentation,
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(4, 3, activation="relu"),
        layers.MaxPool2D(),
        layers.AvgPool2D(1),
        layers.GlobalAvgPool2D(),
        layers.Dense(2),
    ]
)
init_weights(model, seed=4)
report("model.output_shape", model.output_shape)
report("model.infer", model(images, training=False), tol=1e-4)
report("alias_is_class", layers.MaxPool2D is layers.MaxPooling2D)

ds = tf.data.Dataset.from_tensor_slices(images).batch(2)
ds = ds.map(lambda x: data_augmentation(x, training=True), num_parallel_calls=tf.data.AUTOTUNE)
report("mapped.shapes", [list(x.shape) for x in ds])
