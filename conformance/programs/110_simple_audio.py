"""Simple audio recognition: WAV files, audio_dataset_from_directory, STFT spectrograms, a small CNN.

Source: tensorflow/docs site/en/tutorials/audio/simple_audio.ipynb
Covers: tf.audio.encode_wav/decode_wav and tf.io.write_file/read_file on 16-bit WAV files,
keras.utils.audio_dataset_from_directory(batch_size, validation_split, seed, output_sequence_length,
subset="both"), the tutorial's squeeze (Dataset.map with tf.squeeze(axis=-1)), get_spectrogram
(tf.signal.stft(frame_length=255, frame_step=128) -> tf.abs -> [..., tf.newaxis]), the spectrogram
dataset, layers.Resizing + Normalization.adapt(map(lambda spec, label: spec)), the tutorial's
Conv2D/MaxPooling2D/Dense model trained with Adam and SparseCategoricalCrossentropy(from_logits=True)
(no Dropout and shuffle=False, so the numbers compare), evaluate and predict -> tf.nn.softmax.
Synthetic data: 8 kHz tones of three pitches instead of the Speech Commands download.
"""
import os
import tempfile

import numpy as np
from _target import init_weights, keras, layers, report, tf

RATE = 8000
LENGTH = 2000
root = tempfile.mkdtemp()
rng = np.random.default_rng(0)
labels = ["high", "low", "mid"]
for label, freq in zip(labels, [1200.0, 200.0, 600.0]):
    os.makedirs(os.path.join(root, label))
    for i in range(6):
        t = np.arange(LENGTH - 100 * (i % 3)) / RATE
        wave = 0.5 * np.sin(2 * np.pi * (freq + 10 * i) * t) + 0.05 * rng.standard_normal(t.shape)
        audio = tf.constant(wave.astype("float32")[:, None])
        tf.io.write_file(os.path.join(root, label, f"{i}.wav"), tf.audio.encode_wav(audio, RATE))

contents = tf.io.read_file(os.path.join(root, "low", "1.wav"))
decoded, sample_rate = tf.audio.decode_wav(contents, desired_channels=1)
report("decoded.shape", decoded.shape)
report("decoded.dtype", decoded.dtype)
report("sample_rate", int(sample_rate))
report("decoded[:5]", decoded[:5, 0], tol=1e-6)

train_ds, val_ds = keras.utils.audio_dataset_from_directory(
    directory=root,
    batch_size=4,
    validation_split=0.25,
    seed=0,
    output_sequence_length=LENGTH,
    subset="both",
    shuffle=False,  # the tutorial shuffles; tf.data's shuffle buffer draws its own order
)
label_names = np.array(train_ds.class_names)
report("label_names", label_names.tolist())
report("element_spec", [list(s.shape) for s in train_ds.element_spec])


def squeeze(audio, labels):
    audio = tf.squeeze(audio, axis=-1)
    return audio, labels


train_ds = train_ds.map(squeeze, tf.data.AUTOTUNE)
val_ds = val_ds.map(squeeze, tf.data.AUTOTUNE)


def get_spectrogram(waveform):
    spectrogram = tf.signal.stft(waveform, frame_length=255, frame_step=128)
    spectrogram = tf.abs(spectrogram)
    spectrogram = spectrogram[..., tf.newaxis]
    return spectrogram


waveform = tf.squeeze(decoded, axis=-1)
spectrogram = get_spectrogram(waveform)
report("spectrogram.shape", spectrogram.shape)
report("spectrogram.dtype", spectrogram.dtype)
report("spectrogram[3, 10:14]", spectrogram[3, 10:14, 0], tol=1e-4)
report("spectrogram.sum", float(tf.reduce_sum(spectrogram)), tol=1e-4)


def make_spec_ds(ds):
    return ds.map(map_func=lambda audio, label: (get_spectrogram(audio), label), num_parallel_calls=tf.data.AUTOTUNE)


train_spectrogram_ds = make_spec_ds(train_ds)
val_spectrogram_ds = make_spec_ds(val_ds)
for example_spectrograms, example_spect_labels in train_spectrogram_ds.take(1):
    break
input_shape = example_spectrograms.shape[1:]
report("input_shape", input_shape)
report("labels.dtype", example_spect_labels.dtype)
num_labels = len(label_names)

norm_layer = layers.Normalization()
norm_layer.adapt(data=train_spectrogram_ds.map(map_func=lambda spec, label: spec))
report("norm.mean.shape", norm_layer.mean.shape)
report("norm.mean", float(np.mean(norm_layer.mean)), tol=1e-4)

model = keras.models.Sequential(
    [
        layers.Input(shape=input_shape),
        layers.Resizing(16, 16),
        norm_layer,
        layers.Conv2D(8, 3, activation="relu"),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(16, activation="relu"),
        layers.Dense(num_labels),
    ]
)
init_weights(model, seed=3)
report("params", model.count_params())
model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(train_spectrogram_ds, validation_data=val_spectrogram_ds, epochs=4, verbose=0)
report("history.keys", sorted(history.history))
report("loss", history.history["loss"], tol=2e-3)
report("val_loss", history.history["val_loss"], tol=2e-3)
report("evaluate", model.evaluate(val_spectrogram_ds, return_dict=True, verbose=0), tol=2e-3)
prediction = model(example_spectrograms[:1])
report("softmax", tf.nn.softmax(prediction[0]), tol=2e-3)
