"""Simple audio recognition: recognizing keywords.

Source: tensorflow/docs site/en/tutorials/audio/simple_audio.ipynb
Covers: tf.audio.encode_wav / tf.io.write_file to lay out a mini speech-commands folder,
keras.utils.audio_dataset_from_directory(batch_size=, validation_split=, seed=,
output_sequence_length=16000, subset="both"), squeeze (tf.squeeze(audio, axis=-1)),
tf.audio.decode_wav, get_spectrogram (tf.signal.stft(frame_length=255, frame_step=128), tf.abs,
[..., tf.newaxis]), make_spec_ds (Dataset.map), Normalization.adapt on the spectrograms, the
tutorial's model (Resizing(32, 32), Normalization, Conv2D x2, MaxPooling2D, Dropout, Flatten, Dense,
Dropout, Dense), compile(Adam, SparseCategoricalCrossentropy(from_logits=True), accuracy),
predictions before training (on one fixed clip), one epoch of fit (its log keys) and the inference of the tutorial's
ExportModel path (decode_wav -> spectrogram -> model). (8 synthetic 1-second clips per keyword
instead of the speech commands download; dropout makes trained numbers framework-specific, so
only untrained outputs are compared.)
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, layers, report, tf

rng = np.random.default_rng(110)
commands = np.array(["down", "go", "left", "no"])
root = tempfile.mkdtemp()
t = np.arange(16000) / 16000.0
for i, word in enumerate(commands):
    os.makedirs(os.path.join(root, word))
    for j in range(8):
        tone = 0.5 * np.sin(2 * np.pi * (200 + 150 * i + 10 * j) * t) + 0.05 * rng.normal(size=16000)
        clip = tone[: 16000 - 500 * (j % 3)].astype("float32")[:, None]
        tf.io.write_file(os.path.join(root, word, f"clip_{j}.wav"), tf.audio.encode_wav(clip, 16000))

wav = tf.io.read_file(os.path.join(root, "go", "clip_1.wav"))
audio, sample_rate = tf.audio.decode_wav(wav, desired_channels=1, desired_samples=16000)
report("decode_wav", [audio.shape, audio.dtype, int(sample_rate), audio[:5, 0]])

train_ds, val_ds = keras.utils.audio_dataset_from_directory(
    directory=root, batch_size=8, validation_split=0.25, seed=0, output_sequence_length=16000, subset="both"
)
label_names = np.array(train_ds.class_names)
report("label_names", label_names.tolist())


def squeeze(audio, labels):
    audio = tf.squeeze(audio, axis=-1)
    return audio, labels


train_ds = train_ds.map(squeeze, num_parallel_calls=tf.data.AUTOTUNE)
val_ds = val_ds.map(squeeze, num_parallel_calls=tf.data.AUTOTUNE)
for example_audio, example_labels in train_ds.take(1):
    report("example_audio", [example_audio.shape, example_labels.shape])


def get_spectrogram(waveform):
    # Convert the waveform to a spectrogram via a STFT.
    spectrogram = tf.signal.stft(waveform, frame_length=255, frame_step=128)
    # Obtain the magnitude of the STFT.
    spectrogram = tf.abs(spectrogram)
    # Add a `channels` dimension, so that the spectrogram can be used
    # as image-like input data with convolution layers (which expect
    # shape (`batch_size`, `height`, `width`, `channels`).
    spectrogram = spectrogram[..., tf.newaxis]
    return spectrogram


waveform = audio[:, 0]
spectrogram = get_spectrogram(waveform)
report("spectrogram_shape", [waveform.shape, spectrogram.shape])
report("spectrogram_values", spectrogram[::20, ::16, 0], tol=(1e-4, 1e-4))
report("spectrogram_sum", float(tf.reduce_sum(spectrogram)), tol=1e-4)


def make_spec_ds(ds):
    return ds.map(map_func=lambda audio, label: (get_spectrogram(audio), label), num_parallel_calls=tf.data.AUTOTUNE)


train_spectrogram_ds = make_spec_ds(train_ds)
val_spectrogram_ds = make_spec_ds(val_ds)
for example_spectrograms, example_spect_labels in train_spectrogram_ds.take(1):
    report("example_spectrograms", [example_spectrograms.shape, example_spect_labels.shape])

input_shape = example_spectrograms.shape[1:]
num_labels = len(label_names)
norm_layer = layers.Normalization()
norm_layer.adapt(data=train_spectrogram_ds.map(map_func=lambda spec, label: spec))
report("norm_mean_variance", [float(np.asarray(norm_layer.mean).ravel()[0]), float(np.asarray(norm_layer.variance).ravel()[0])], tol=1e-4)

model = keras.models.Sequential(
    [
        layers.Input(shape=input_shape),
        # Downsample the input.
        layers.Resizing(32, 32),
        # Normalize.
        norm_layer,
        layers.Conv2D(32, 3, activation="relu"),
        layers.Conv2D(64, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(num_labels),
    ]
)
init_weights(model, seed=110, scale=0.05)
x_clip = get_spectrogram(tf.squeeze(audio, axis=-1))[tf.newaxis, ...]
report("output_shape", model.output_shape)
report("count_params", model.count_params())
model.compile(
    optimizer=keras.optimizers.Adam(),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
report("predict_before", model(x_clip, training=False), tol=(1e-3, 1e-4))
history = model.fit(train_spectrogram_ds, validation_data=val_spectrogram_ds, epochs=1, verbose=0)
report("history_keys", sorted(history.history))

# The tutorial's ExportModel: a file name -> decode_wav -> spectrogram -> model
x = tf.io.read_file(os.path.join(root, "no", "clip_0.wav"))
x, sample_rate = tf.audio.decode_wav(x, desired_channels=1, desired_samples=16000)
x = tf.squeeze(x, axis=-1)
x = get_spectrogram(x)
x = x[tf.newaxis, ...]
report("export_input", [x.shape, x.dtype])
# after training the numbers depend on dropout and each framework's shuffle: only the shape is compared
report("predict_trained_shape", model.predict(x, verbose=0).shape)
