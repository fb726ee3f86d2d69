"""Text classification with an RNN: TextVectorization, Embedding(mask_zero), Bidirectional LSTM.

Source: tensorflow/text docs/tutorials/text_classification_rnn.ipynb (tensorflow.org/text/tutorials/text_classification_rnn)
Covers: an IMDB-shaped (text, label) dataset batched with prefetch(AUTOTUNE), element_spec,
TextVectorization(max_tokens).adapt on dataset.map(lambda text, label: text), get_vocabulary,
round-tripping encoded examples, Sequential([encoder, Embedding(mask_zero=True),
Bidirectional(LSTM), Dense relu, Dense]), supports_masking per layer, predict on a batch of
strings (tf.constant: Keras 3 no longer takes a numpy str array), padding invariance of the masked model, compile with BinaryCrossentropy(from_logits=True)
and Adam(1e-4), fit with validation_data/validation_steps, evaluate, and the stacked
Bidirectional(LSTM(return_sequences=True)) model.
"""
import numpy as np
from _target import init_weights, report, tf

words = ("the movie was good bad great terrible plot acting film story boring fun loved hated "
         "not very and a of it i this is really best worst ever characters music").split()
rng = np.random.default_rng(88)


def make_review(label):
    n = int(rng.integers(5, 14))
    extra = ["good", "great", "loved", "best"] if label else ["bad", "terrible", "hated", "worst"]
    toks = list(rng.choice(words, n)) + list(rng.choice(extra, 3))
    rng.shuffle(toks)
    return " ".join(toks).capitalize() + "."


labels = rng.integers(0, 2, 96)
texts = [make_review(int(l)) for l in labels]
train_dataset = tf.data.Dataset.from_tensor_slices((texts[:64], labels[:64]))
test_dataset = tf.data.Dataset.from_tensor_slices((texts[64:], labels[64:]))
report("element_spec", [[s.shape, s.dtype] for s in train_dataset.element_spec])
for example, label in train_dataset.take(1):
    report("first_example", [example.numpy(), label.numpy()])

BUFFER_SIZE = 10000
BATCH_SIZE = 16
train_dataset = train_dataset.batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
test_dataset = test_dataset.batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
for example, label in train_dataset.take(1):
    report("texts[:3]", example.numpy()[:3])
    report("labels[:3]", label.numpy()[:3])

VOCAB_SIZE = 30
encoder = tf.keras.layers.TextVectorization(
    max_tokens=VOCAB_SIZE)
encoder.adapt(train_dataset.map(lambda text, label: text))
vocab = np.array(encoder.get_vocabulary())
report("vocab[:20]", vocab[:20].tolist())
report("vocab_len", len(vocab))
encoded_example = encoder(example)[:3].numpy()
report("encoded_example", encoded_example)
for n in range(3):
    report("round_trip_%d" % n, " ".join(vocab[encoded_example[n]]))

model = tf.keras.Sequential([
    encoder,
    tf.keras.layers.Embedding(
        input_dim=len(encoder.get_vocabulary()),
        output_dim=16,
        # Use masking to handle the variable sequence lengths
        mask_zero=True),
    tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(16)),
    tf.keras.layers.Dense(16, activation='relu'),
    tf.keras.layers.Dense(1)
])
report("supports_masking", [layer.supports_masking for layer in model.layers])

sample_text = ('The movie was cool. The animation and the graphics '
               'were out of this world. I would recommend this movie.')
predictions = model.predict(tf.constant([sample_text]), verbose=0)
report("predictions.shape", predictions.shape)
init_weights(model, seed=3, scale=0.2)
report("n_weights", len(model.weights))
predictions = model.predict(tf.constant([sample_text]), verbose=0)
report("predictions[0]", predictions[0], tol=1e-4)

padding = "the " * 200
predictions = model.predict(tf.constant([sample_text, padding]), verbose=0)
report("padded_predictions[0]", predictions[0], tol=1e-4)

model.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
              optimizer=tf.keras.optimizers.Adam(1e-3),
              metrics=['accuracy'])
history = model.fit(train_dataset, epochs=3,
                    validation_data=test_dataset,
                    validation_steps=1, verbose=0)
report("history_keys", sorted(history.history.keys()))
report("history_loss", history.history["loss"], tol=1e-3)
report("history_val_loss", history.history["val_loss"], tol=1e-3)
test_loss, test_acc = model.evaluate(test_dataset, verbose=0)
report("test_loss", test_loss, tol=1e-3)
report("test_acc", test_acc, tol=1e-5)
predictions = model.predict(tf.constant([sample_text]), verbose=0)
report("trained_prediction", predictions, tol=1e-3)

model = tf.keras.Sequential([
    encoder,
    tf.keras.layers.Embedding(len(encoder.get_vocabulary()), 16, mask_zero=True),
    tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(16, return_sequences=True)),
    tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(8)),
    tf.keras.layers.Dense(16, activation='relu'),
    tf.keras.layers.Dropout(0.5),
    tf.keras.layers.Dense(1)
])
model.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
              optimizer=tf.keras.optimizers.Adam(1e-4),
              metrics=['accuracy'])
model.predict(tf.constant([sample_text]), verbose=0)
init_weights(model, seed=4, scale=0.2)
report("stacked_weight_shapes", [list(w.shape) for w in model.weights[1:]])
sample_text = ('The movie was not good. The animation and the graphics '
               'were terrible. I would not recommend this movie.')
predictions = model.predict(tf.constant([sample_text]), verbose=0)
report("stacked_prediction", predictions, tol=1e-4)
test_loss, test_acc = model.evaluate(test_dataset, verbose=0)
report("stacked_test_loss", test_loss, tol=1e-4)
