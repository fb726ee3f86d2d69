"""Classify structured data with Keras preprocessing layers: dict datasets, Normalization, lookups.

Source: tensorflow/docs site/en/tutorials/structured_data/preprocessing_layers.ipynb
Covers: a PetFinder-shaped table as a dict of columns, df_to_dataset (dict of [:, tf.newaxis]
columns, from_tensor_slices((dict, labels)), batch, prefetch), take(1) unpacking, a
get_normalization_layer (Normalization(axis=None).adapt on dataset.map(lambda x, y: x[name])),
a get_category_encoding_layer (StringLookup / IntegerLookup(max_tokens).adapt, CategoryEncoding
with num_tokens=vocabulary_size(), a lambda composing both), keras.Input with name and dtype
('int64', 'string') per column, layers.concatenate, Dense/Dropout/Dense, a functional Model on a
dict of inputs, compile with BinaryCrossentropy(from_logits=True) and run_eagerly=True,
fit with validation_data, evaluate(return_dict=True), save/load_model('.keras'), and
predict on a dict of one-element tensors with tf.nn.sigmoid. (No shuffle; Dropout makes trained
numbers framework-specific, so after fit only names and shapes are compared.)
"""
import os
import tempfile

import numpy as np
from _target import layers, report, tf

rng = np.random.default_rng(94)
N = 120
types = np.array(["Cat", "Dog"])
colors = np.array(["Black", "Brown", "White", "Golden", "Gray", "Cream"])
dataframe = {
    'Type': rng.choice(types, N),
    'Age': rng.choice([1, 2, 3, 4, 6, 12, 24], N).astype("int64"),
    'Breed1': rng.choice(np.array(["Tabby", "Mixed Breed", "Domestic Short Hair", "Persian"]), N),
    'Gender': rng.choice(np.array(["Male", "Female"]), N),
    'Color1': rng.choice(colors, N),
    'Color2': rng.choice(colors, N),
    'MaturitySize': rng.choice(np.array(["Small", "Medium", "Large"]), N),
    'FurLength': rng.choice(np.array(["Short", "Medium", "Long"]), N),
    'Vaccinated': rng.choice(np.array(["No", "Yes", "Not Sure"]), N),
    'Sterilized': rng.choice(np.array(["No", "Yes", "Not Sure"]), N),
    'Health': rng.choice(np.array(["Healthy", "Minor Injury"]), N),
    'Fee': rng.choice([0, 0, 0, 50, 100, 200], N).astype("int64"),
    'PhotoAmt': rng.integers(0, 10, N).astype("int64"),
    'AdoptionSpeed': rng.integers(0, 5, N).astype("int64"),
}
dataframe['target'] = np.where(dataframe['AdoptionSpeed'] == 4, 0, 1)
del dataframe['AdoptionSpeed']


def take_rows(frame, lo, hi):
    return {k: v[lo:hi] for k, v in frame.items()}


train, val, test = take_rows(dataframe, 0, 96), take_rows(dataframe, 96, 108), take_rows(dataframe, 108, 120)
report("split_sizes", [len(train['Type']), len(val['Type']), len(test['Type'])])


def df_to_dataset(dataframe, shuffle=True, batch_size=32):
    df = dict(dataframe)
    labels = df.pop('target')
    df = {key: value[:, tf.newaxis] for key, value in df.items()}
    ds = tf.data.Dataset.from_tensor_slices((dict(df), labels))
    if shuffle:
        ds = ds.shuffle(buffer_size=len(labels))
    ds = ds.batch(batch_size)
    ds = ds.prefetch(batch_size)
    return ds


batch_size = 5
train_ds = df_to_dataset(train, shuffle=False, batch_size=batch_size)
[(train_features, label_batch)] = train_ds.take(1)
report("every_feature", sorted(train_features.keys()))
report("ages", train_features['Age'])
report("ages.dtype", train_features['Age'].dtype)
report("targets", label_batch)


def get_normalization_layer(name, dataset):
    # Create a Normalization layer for the feature.
    normalizer = layers.Normalization(axis=None)

    # Prepare a Dataset that only yields the feature.
    feature_ds = dataset.map(lambda x, y: x[name])

    # Learn the statistics of the data.
    normalizer.adapt(feature_ds)

    return normalizer


photo_count_col = train_features['PhotoAmt']
layer = get_normalization_layer('PhotoAmt', train_ds)
report("normalized_photo_count", layer(photo_count_col), tol=1e-5)


def get_category_encoding_layer(name, dataset, dtype, max_tokens=None):
    # Create a layer that turns strings into integer indices.
    if dtype == 'string':
        index = layers.StringLookup(max_tokens=max_tokens)
    # Otherwise, create a layer that turns integer values into integer indices.
    else:
        index = layers.IntegerLookup(max_tokens=max_tokens)

    # Prepare a `tf.data.Dataset` that only yields the feature.
    feature_ds = dataset.map(lambda x, y: x[name])

    # Learn the set of possible values and assign them a fixed integer index.
    index.adapt(feature_ds)

    # Encode the integer indices.
    encoder = layers.CategoryEncoding(num_tokens=index.vocabulary_size())

    # Apply multi-hot encoding to the indices. The lambda function captures the
    # layer, so you can use them, or include them in the Keras Functional model later.
    return lambda feature: encoder(index(feature))


test_type_col = train_features['Type']
test_type_layer = get_category_encoding_layer(name='Type',
                                              dataset=train_ds,
                                              dtype='string')
report("type_encoded", test_type_layer(test_type_col))
test_age_col = train_features['Age']
test_age_layer = get_category_encoding_layer(name='Age',
                                             dataset=train_ds,
                                             dtype='int64',
                                             max_tokens=5)
report("age_encoded", test_age_layer(test_age_col))

batch_size = 32
train_ds = df_to_dataset(train, shuffle=False, batch_size=batch_size)
val_ds = df_to_dataset(val, shuffle=False, batch_size=batch_size)
test_ds = df_to_dataset(test, shuffle=False, batch_size=batch_size)

all_inputs = {}
encoded_features = []
for header in ['PhotoAmt', 'Fee']:
    numeric_col = tf.keras.Input(shape=(1,), name=header)
    normalization_layer = get_normalization_layer(header, train_ds)
    encoded_numeric_col = normalization_layer(numeric_col)
    all_inputs[header] = numeric_col
    encoded_features.append(encoded_numeric_col)

age_col = tf.keras.Input(shape=(1,), name='Age', dtype='int64')
encoding_layer = get_category_encoding_layer(name='Age',
                                             dataset=train_ds,
                                             dtype='int64',
                                             max_tokens=5)
encoded_age_col = encoding_layer(age_col)
all_inputs['Age'] = age_col
encoded_features.append(encoded_age_col)

categorical_cols = ['Type', 'Color1', 'Color2', 'Gender', 'MaturitySize',
                    'FurLength', 'Vaccinated', 'Sterilized', 'Health', 'Breed1']
for header in categorical_cols:
    categorical_col = tf.keras.Input(shape=(1,), name=header, dtype='string')
    encoding_layer = get_category_encoding_layer(name=header,
                                                 dataset=train_ds,
                                                 dtype='string',
                                                 max_tokens=5)
    encoded_categorical_col = encoding_layer(categorical_col)
    all_inputs[header] = categorical_col
    encoded_features.append(encoded_categorical_col)
report("encoded_shapes", [list(f.shape) for f in encoded_features])

all_features = tf.keras.layers.concatenate(encoded_features)
report("all_features.shape", list(all_features.shape))
x = tf.keras.layers.Dense(32, activation="relu")(all_features)
x = tf.keras.layers.Dropout(0.5)(x)
output = tf.keras.layers.Dense(1)(x)
model = tf.keras.Model(all_inputs, output)
wrng = np.random.default_rng(3)
for dense_layer in [l for l in model.layers if isinstance(l, tf.keras.layers.Dense)]:
    dense_layer.set_weights([wrng.uniform(-0.2, 0.2, tuple(w.shape)).astype("float32")
                             for w in dense_layer.weights])
report("n_inputs", len(model.inputs))

model.compile(optimizer='adam',
              loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
              metrics=["accuracy"],
              run_eagerly=True)
before = model.evaluate(test_ds, return_dict=True, verbose=0)
report("evaluate_before_fit", before, tol=1e-4)
history = model.fit(train_ds, epochs=2, validation_data=val_ds, verbose=0)
report("history_keys", sorted(history.history.keys()))
result = model.evaluate(test_ds, return_dict=True, verbose=0)
report("result_keys", sorted(result.keys()))

path = os.path.join(tempfile.mkdtemp(), 'my_pet_classifier.keras')
model.save(path)
reloaded_model = tf.keras.models.load_model(path)

sample = {
    'Type': 'Cat',
    'Age': 3,
    'Breed1': 'Tabby',
    'Gender': 'Male',
    'Color1': 'Black',
    'Color2': 'White',
    'MaturitySize': 'Small',
    'FurLength': 'Short',
    'Vaccinated': 'No',
    'Sterilized': 'No',
    'Health': 'Healthy',
    'Fee': 100,
    'PhotoAmt': 2,
}
input_dict = {name: tf.convert_to_tensor([value]) for name, value in sample.items()}
predictions = reloaded_model.predict(input_dict, verbose=0)
direct = model.predict(input_dict, verbose=0)
report("predictions.shape", predictions.shape)
report("reloaded_matches", bool(np.allclose(predictions, direct, atol=1e-6)))
prob = tf.nn.sigmoid(predictions[0])
report("prob_in_range", bool(0.0 <= float(prob[0]) <= 1.0))
