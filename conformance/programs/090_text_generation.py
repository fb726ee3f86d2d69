"""Text generation with an RNN: StringLookup over unicode_split characters, a GRU model, one-step sampling.

Source: tensorflow/text docs/tutorials/text_generation.ipynb (tensorflow.org/text/tutorials/text_generation)
Covers: sorted(set(text)) vocabulary, tf.strings.unicode_split on a list and on the whole text,
StringLookup(vocabulary=, mask_token=None) and its invert=True twin, tf.strings.reduce_join,
Dataset.from_tensor_slices(ids).batch(seq_length+1, drop_remainder=True).map(split_input_target),
a subclassed Model with Embedding, GRU(return_sequences, return_state), get_initial_state and
initial_state=, Dense; the mean SparseCategoricalCrossentropy(from_logits=True) of the untrained
model and tf.exp of it, compile/fit, a OneStep model with a SparseTensor -inf mask (to_dense),
a @tf.function generate_one_step (ragged .to_tensor(), temperature, tf.random.categorical, state
carried between calls), tf.strings.join, and a CustomTraining train_step. Sampling is random, so
generated text is compared by length and type only. The model and text are smaller.
"""
import numpy as np
from _target import init_weights, report, tf

rng = np.random.default_rng(90)
base = ("First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n\n"
        "ROMEO:\nBut, soft! what light through yonder window breaks?\n")
text = base * 3
report("length_of_text", len(text))
vocab = sorted(set(text))
report("unique_characters", len(vocab))

example_texts = ['abcdefg', 'xyz']
chars = tf.strings.unicode_split(example_texts, input_encoding='UTF-8')
report("chars", chars)
ids_from_chars = tf.keras.layers.StringLookup(
    vocabulary=list(vocab), mask_token=None)
ids = ids_from_chars(chars)
report("ids", ids)
chars_from_ids = tf.keras.layers.StringLookup(
    vocabulary=ids_from_chars.get_vocabulary(), invert=True, mask_token=None)
chars = chars_from_ids(ids)
report("chars_back", chars)
report("reduce_join", tf.strings.reduce_join(chars, axis=-1).numpy())


def text_from_ids(ids):
    return tf.strings.reduce_join(chars_from_ids(ids), axis=-1)


all_ids = ids_from_chars(tf.strings.unicode_split(text, 'UTF-8'))
report("all_ids[:12]", all_ids[:12])
report("all_ids.dtype", all_ids.dtype)
ids_dataset = tf.data.Dataset.from_tensor_slices(all_ids)
report("first_chars", [chars_from_ids(ids).numpy().decode('utf-8') for ids in ids_dataset.take(10)])

seq_length = 20
sequences = ids_dataset.batch(seq_length + 1, drop_remainder=True)
for seq in sequences.take(1):
    report("first_seq_chars", chars_from_ids(seq))
report("first_texts", [text_from_ids(seq).numpy() for seq in sequences.take(3)])


def split_input_target(sequence):
    input_text = sequence[:-1]
    target_text = sequence[1:]
    return input_text, target_text


report("split_list", split_input_target(list("Tensorflow")))
dataset = sequences.map(split_input_target)
for input_example, target_example in dataset.take(1):
    report("input_target", [text_from_ids(input_example).numpy(), text_from_ids(target_example).numpy()])

BATCH_SIZE = 4
BUFFER_SIZE = 10000
dataset = (
    dataset
    .batch(BATCH_SIZE, drop_remainder=True)
    .prefetch(tf.data.experimental.AUTOTUNE))
report("dataset_spec", [[s.shape, s.dtype] for s in dataset.element_spec])

vocab_size = len(ids_from_chars.get_vocabulary())
embedding_dim = 16
rnn_units = 32
report("vocab_size", vocab_size)


class MyModel(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, rnn_units):
        super().__init__()  # the tutorial passes `self` here, which Keras 3 rejects
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = tf.keras.layers.GRU(rnn_units,
                                       return_sequences=True,
                                       return_state=True)
        self.dense = tf.keras.layers.Dense(vocab_size)

    def call(self, inputs, states=None, return_state=False, training=False):
        x = inputs
        x = self.embedding(x, training=training)
        if states is None:
            # The tutorial passes `x`; Keras 3's RNN.get_initial_state takes the batch size.
            states = self.gru.get_initial_state(tf.shape(x)[0])
        x, states = self.gru(x, initial_state=states, training=training)
        x = self.dense(x, training=training)

        if return_state:
            return x, states
        else:
            return x


model = MyModel(
    vocab_size=vocab_size,
    embedding_dim=embedding_dim,
    rnn_units=rnn_units)
for input_example_batch, target_example_batch in dataset.take(1):
    example_batch_predictions = model(input_example_batch)
    report("example_batch_predictions.shape", example_batch_predictions.shape)
init_weights(model, seed=6, scale=0.3)
example_batch_predictions = model(input_example_batch)
report("example_batch_predictions[0, :2, :5]", example_batch_predictions[0, :2, :5], tol=1e-4)
report("weight_shapes", [list(w.shape) for w in model.weights])

sampled_indices = tf.random.categorical(example_batch_predictions[0], num_samples=1)
sampled_indices = tf.squeeze(sampled_indices, axis=-1).numpy()
report("sampled_indices", [sampled_indices.shape, str(sampled_indices.dtype)])

loss = tf.losses.SparseCategoricalCrossentropy(from_logits=True)
example_batch_mean_loss = loss(target_example_batch, example_batch_predictions)
report("mean_loss", example_batch_mean_loss, tol=1e-4)
report("exp_mean_loss", tf.exp(example_batch_mean_loss).numpy(), tol=1e-3)

model.compile(optimizer='adam', loss=loss)
history = model.fit(dataset, epochs=2, verbose=0)
report("history_loss", history.history["loss"], tol=1e-3)


class OneStep(tf.keras.Model):
    def __init__(self, model, chars_from_ids, ids_from_chars, temperature=1.0):
        super().__init__()
        self.temperature = temperature
        self.model = model
        self.chars_from_ids = chars_from_ids
        self.ids_from_chars = ids_from_chars

        # Create a mask to prevent "[UNK]" from being generated.
        skip_ids = self.ids_from_chars(['[UNK]'])[:, None]
        sparse_mask = tf.SparseTensor(
            # Put a -inf at each bad index.
            values=[-float('inf')] * len(skip_ids),
            indices=skip_ids,
            # Match the shape to the vocabulary
            dense_shape=[len(ids_from_chars.get_vocabulary())])
        self.prediction_mask = tf.sparse.to_dense(sparse_mask)

    @tf.function
    def generate_one_step(self, inputs, states=None):
        # Convert strings to token IDs.
        input_chars = tf.strings.unicode_split(inputs, 'UTF-8')
        input_ids = self.ids_from_chars(input_chars).to_tensor()

        # Run the model.
        # predicted_logits.shape is [batch, char, next_char_logits]
        predicted_logits, states = self.model(inputs=input_ids, states=states,
                                              return_state=True)
        # Only use the last prediction.
        predicted_logits = predicted_logits[:, -1, :]
        predicted_logits = predicted_logits / self.temperature
        # Apply the prediction mask: prevent "[UNK]" from being generated.
        predicted_logits = predicted_logits + self.prediction_mask

        # Sample the output logits to generate token IDs.
        predicted_ids = tf.random.categorical(predicted_logits, num_samples=1)
        predicted_ids = tf.squeeze(predicted_ids, axis=-1)

        # Convert from token ids to characters
        predicted_chars = self.chars_from_ids(predicted_ids)

        # Return the characters and model state.
        return predicted_chars, states


one_step_model = OneStep(model, chars_from_ids, ids_from_chars)
report("prediction_mask", one_step_model.prediction_mask[:3])

states = None
next_char = tf.constant(['ROMEO:'])
result = [next_char]
for n in range(10):
    next_char, states = one_step_model.generate_one_step(next_char, states=states)
    result.append(next_char)
report("states", [states.shape, states.dtype])
result = tf.strings.join(result)
generated = result[0].numpy().decode('utf-8')
report("generated", [len(generated), generated.startswith("ROMEO:"), "[UNK]" not in generated])

states = None
next_char = tf.constant(['ROMEO:', 'ROMEO:', 'ROMEO:'])
result = [next_char]
for n in range(5):
    next_char, states = one_step_model.generate_one_step(next_char, states=states)
    result.append(next_char)
result = tf.strings.join(result)
report("batch_result", [result.shape, result.dtype])


class CustomTraining(MyModel):
    @tf.function
    def train_step(self, inputs):
        inputs, labels = inputs
        with tf.GradientTape() as tape:
            predictions = self(inputs, training=True)
            loss = self.loss(labels, predictions)
        grads = tape.gradient(loss, model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, model.trainable_variables))

        return {'loss': loss}


model = CustomTraining(
    vocab_size=len(ids_from_chars.get_vocabulary()),
    embedding_dim=embedding_dim,
    rnn_units=rnn_units)
model.compile(optimizer=tf.keras.optimizers.Adam(),
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model(input_example_batch)
init_weights(model, seed=7, scale=0.3)
history = model.fit(dataset, epochs=1, verbose=0)
report("custom_fit_loss", history.history["loss"], tol=1e-3)

mean = tf.metrics.Mean()
for epoch in range(2):
    mean.reset_state()
    for (batch_n, (inp, target)) in enumerate(dataset):
        logs = model.train_step([inp, target])
        mean.update_state(logs['loss'])
    report("epoch_mean_loss_%d" % epoch, mean.result().numpy(), tol=1e-3)
