"""The directory trees and argument cases the kerasutils goldens are recorded on (shared by record.py
and tests/keras/utils/test_directory_datasets.py).

Pure numpy + stdlib so that both TensorFlow's venv and the test venv can import it;
PNG writing is passed in (tf.io.encode_png when recording, Pillow in the tests).
"""

import os
import wave

import numpy as np

# (relative path, height, width, channels): channels 1 = grayscale PNG, 4 = RGBA PNG.
IMAGES = [
    ("b_dogs/img_2.png", 6, 8, 3),
    ("b_dogs/img_10.png", 5, 5, 3),
    ("b_dogs/nested/deep.png", 4, 6, 3),
    ("a_cats/x.PNG", 7, 4, 3),
    ("a_cats/a.png", 6, 6, 1),
    ("a_cats/m.png", 3, 9, 4),
    ("c_birds/only.png", 8, 8, 3),
    ("c_birds/z.png", 2, 3, 1),
    ("c_birds/readme.txt", 0, 0, 0),
    (".hidden/ignored.png", 4, 4, 3),
]
TEXTS = [
    ("neg/1.txt", "terrible film"),
    ("neg/2.txt", "boring"),
    ("neg/10.txt", "not good at all"),
    ("pos/a.txt", "wonderful"),
    ("pos/b.txt", "great acting, fine plot"),
    ("pos/c.TXT", "loved it"),
    ("pos/skip.md", "not a txt file"),
]
# (relative path, frames, channels, sample rate)
AUDIO = [
    ("no/a.wav", 5, 1, 8000),
    ("no/b.wav", 3, 1, 8000),
    ("yes/c.wav", 7, 1, 8000),
    ("yes/d.wav", 4, 1, 8000),
    ("yes/e.wav", 6, 1, 8000),
]


def pixels(index, height, width, channels):
    """Deterministic uint8 pixels of image number `index`."""
    grid = np.arange(height * width * channels, dtype=np.int64).reshape(height, width, channels)
    return ((grid * 37 + 53 * index + 11) % 256).astype(np.uint8)


def samples(index, frames, channels):
    """Deterministic int16 samples of audio file number `index`."""
    grid = np.arange(frames * channels, dtype=np.int64).reshape(frames, channels)
    return (((grid * 7919 + 104729 * (index + 1)) % 65536) - 32768).astype(np.int16)


def write_images(root, write_png):
    for k, (rel, h, w, c) in enumerate(IMAGES):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if c == 0:
            with open(path, "w") as f:
                f.write("not an image")
        else:
            write_png(path, pixels(k, h, w, c))


def write_texts(root):
    for rel, text in TEXTS:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def write_audio(root):
    for k, (rel, frames, channels, rate) in enumerate(AUDIO):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with wave.open(path, "wb") as f:
            f.setnchannels(channels)
            f.setsampwidth(2)
            f.setframerate(rate)
            f.writeframes(samples(k, frames, channels).astype("<i2").tobytes())


SERIES = np.arange(40, dtype=np.float32).reshape(20, 2)
SERIES_TARGETS = np.arange(100, 120, dtype=np.int64)
SEQUENCES = [[1, 2, 3], [4, 5], [6], [7, 8, 9, 10, 11], []]


IMAGE_CASES = {
    "img_int": dict(image_size=(4, 5), batch_size=4, shuffle=False),
    "img_binary_class_order": dict(
        class_names=["c_birds", "a_cats"], label_mode="binary", image_size=(2, 2), batch_size=2, shuffle=False
    ),
    "img_categorical_nobatch": dict(label_mode="categorical", image_size=(3, 2), batch_size=None, shuffle=False),
    "img_split_both": dict(validation_split=0.3, subset="both", seed=7, image_size=(2, 2), batch_size=3),
    "img_split_training": dict(validation_split=0.5, subset="training", seed=3, image_size=(2, 2)),
    "img_crop": dict(image_size=(3, 4), crop_to_aspect_ratio=True, shuffle=False, batch_size=8),
    "img_pad": dict(image_size=(3, 4), pad_to_aspect_ratio=True, shuffle=False, batch_size=8),
    "img_rgba_nolabels": dict(labels=None, color_mode="rgba", image_size=(3, 3), shuffle=False, batch_size=8),
    "img_list_labels": dict(labels=[3, 1, 0, 2, 1, 0, 3, 2, 1], image_size=(2, 2), shuffle=False, batch_size=8),
    "img_gray_nearest": dict(
        color_mode="grayscale", interpolation="nearest", image_size=(4, 4), shuffle=False, batch_size=8
    ),
    "img_channels_first": dict(image_size=(2, 3), data_format="channels_first", shuffle=False, batch_size=8),
}
TEXT_CASES = {
    "txt_int": dict(shuffle=False, batch_size=4),
    "txt_maxlen_binary_nobatch": dict(shuffle=False, max_length=4, label_mode="binary", batch_size=None),
    "txt_split_validation": dict(validation_split=0.4, subset="validation", seed=11),
}
AUDIO_CASES = {
    "aud_padded": dict(shuffle=False, batch_size=2),
    "aud_fixed_categorical": dict(shuffle=False, batch_size=3, output_sequence_length=5, label_mode="categorical"),
    "aud_nobatch": dict(shuffle=False, batch_size=None),
}
SERIES_CASES = {
    "ts_basic": dict(targets=True, sequence_length=4, sequence_stride=3, sampling_rate=2, batch_size=3),
    "ts_start_end": dict(targets=False, sequence_length=3, start_index=2, end_index=15, batch_size=4),
    "ts_shuffle": dict(targets=True, sequence_length=5, shuffle=True, seed=5, batch_size=None),
}
SPLIT_CASES = {
    "split_tuple_shuffled": dict(data="tuple", left_size=0.7, shuffle=True, seed=3),
    "split_array_right_int": dict(data="array", right_size=2),
}
PAD_CASES = {
    "pad_default": dict(),
    "pad_post_maxlen": dict(maxlen=3, padding="post", truncating="post", value=-1),
    "pad_pre_float": dict(maxlen=4, dtype="float32", value=0.5),
}
