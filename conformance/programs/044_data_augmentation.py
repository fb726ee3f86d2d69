"""Data augmentation: Resizing/Rescaling, random layers' shapes, custom augmentation layers.

Source: tensorflow/docs site/en/tutorials/images/data_augmentation.ipynb
Covers: a Sequential of layers.Resizing + layers.Rescaling applied to an image batch (values),
RandomFlip("horizontal_and_vertical") + RandomRotation(0.2) output shape/dtype in training and
identity at inference, a preprocessing model applied through Dataset.map, a custom Lambda layer
and a custom Layer subclass inverting colors, and tf.image.flip_left_right / rgb_to_grayscale /
adjust_brightness / central_crop.
"""
import numpy as np
from _target import keras, layers, report, tf

IMG_SIZE = 8
rng = np.random.default_rng(0)
image = rng.integers(0, 256, (1, 12, 10, 3)).astype("float32")

resize_and_rescale = keras.Sequential([layers.Resizing(IMG_SIZE, IMG_SIZE), layers.Rescaling(1.0 / 255)])
result = resize_and_rescale(image)
report("resized.shape", result.shape)
report("resized_min_max", [float(np.min(result)), float(np.max(result))], tol=1e-5)
report("resized_values", result[0, :2, :2, 0], tol=1e-4)

data_augmentation = keras.Sequential([layers.RandomFlip("horizontal_and_vertical"), layers.RandomRotation(0.2)])
augmented = data_augmentation(result, training=True)
report("augmented.shape", augmented.shape)
report("augmented.dtype", augmented.dtype)
report("inference_identity", bool(np.allclose(data_augmentation(result, training=False), result)))

ds = tf.data.Dataset.from_tensor_slices((np.repeat(image, 4, axis=0), np.arange(4))).batch(2)
ds = ds.map(lambda x, y: (resize_and_rescale(x), y))
report("mapped_shapes", [list(x.shape) for x, _ in ds])


def random_invert_img(x, p=0.5):
    if tf.random.uniform([]) < p:
        x = 255 - x
    return x


random_invert = layers.Lambda(lambda x: random_invert_img(x, 1.0))
report("lambda_invert", random_invert(image)[0, 0, :2], tol=1e-6)


class RandomInvert(layers.Layer):
    def __init__(self, factor=0.5, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return random_invert_img(x, self.factor)


report("layer_invert", RandomInvert(1.0)(image)[0, 0, :2], tol=1e-6)
img = tf.constant(image[0] / 255.0)
report("flip_left_right", tf.image.flip_left_right(img)[0, :2], tol=1e-6)
report("grayscale.shape", tf.image.rgb_to_grayscale(img).shape)
report("grayscale", tf.image.rgb_to_grayscale(img)[0, :3, 0], tol=1e-5)
report("brightness", tf.image.adjust_brightness(img, 0.4)[0, 0], tol=1e-6)
report("central_crop.shape", tf.image.central_crop(img, central_fraction=0.5).shape)
report("resize_with_crop_or_pad.shape", tf.image.resize_with_crop_or_pad(img, 14, 14).shape)
