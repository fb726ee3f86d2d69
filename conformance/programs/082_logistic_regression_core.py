"""Logistic regression for binary classification with the Core APIs.

Source: tensorflow/docs site/en/guide/core/logistic_regression_core.ipynb
Covers: converting a breast-cancer-shaped table (30 features, 'B'/'M' labels mapped to 0/1) with
tf.convert_to_tensor, a Normalize tf.Module holding tf.Variable mean/std, tf.linspace +
tf.math.sigmoid, a log loss with tf.nn.sigmoid_cross_entropy_with_logits, a lazily built
LogisticRegression tf.Module with a train flag, predict_class/accuracy with tf.cast of a
comparison, a batched tf.data training loop with GradientTape and assign_sub, confusion counts,
and an ExportModule with input_signature saved and loaded with tf.saved_model.
(The random split, shuffles and tf.random.uniform initial values are fixed numbers here.)
"""
import os
import tempfile

import numpy as np
from _target import report, tf

tf.random.set_seed(22)
rng = np.random.default_rng(82)
n = 200
labels_text = np.where(rng.uniform(size=n) < 0.37, "M", "B")
base = rng.normal(size=(n, 30)) * rng.uniform(0.5, 3.0, 30) + rng.uniform(1, 20, 30)
base[labels_text == "M", :10] += 2.0
train_idx, test_idx = np.arange(0, 150), np.arange(150, n)
x_train, y_train = base[train_idx], labels_text[train_idx]
x_test, y_test = base[test_idx], labels_text[test_idx]

mapping = {'B': 0, 'M': 1}
y_train = np.array([mapping[v] for v in y_train])
y_test = np.array([mapping[v] for v in y_test])
x_train, y_train = tf.convert_to_tensor(x_train, dtype=tf.float32), tf.convert_to_tensor(y_train, dtype=tf.float32)
x_test, y_test = tf.convert_to_tensor(x_test, dtype=tf.float32), tf.convert_to_tensor(y_test, dtype=tf.float32)
report("x_train.shape", x_train.shape)
report("y_train.dtype", y_train.dtype)


class Normalize(tf.Module):
    def __init__(self, x):
        # Initialize the mean and standard deviation for normalization
        self.mean = tf.Variable(tf.math.reduce_mean(x, axis=0))
        self.std = tf.Variable(tf.math.reduce_std(x, axis=0))

    def norm(self, x):
        # Normalize the input
        return (x - self.mean) / self.std

    def unnorm(self, x):
        # Unnormalize the input
        return (x * self.std) + self.mean


norm_x = Normalize(x_train)
x_train_norm, x_test_norm = norm_x.norm(x_train), norm_x.norm(x_test)
report("norm_x.variables", len(norm_x.variables))
report("x_train_norm[:2, :5]", x_train_norm[:2, :5], tol=1e-4)

x = tf.linspace(-10, 10, 500)
report("linspace.dtype", x.dtype)
x = tf.cast(x, tf.float32)
report("sigmoid_samples", tf.math.sigmoid(x)[::100], tol=1e-6)


def log_loss(y_pred, y):
    # Compute the log loss function
    ce = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=y_pred)
    return tf.reduce_mean(ce)


init_rng = np.random.default_rng(22)


class LogisticRegression(tf.Module):

    def __init__(self):
        self.built = False

    def __call__(self, x, train=True):
        # Initialize the model parameters on the first call
        if not self.built:
            # Randomly generate the weights and the bias term (fixed numbers here)
            rand_w = tf.constant(init_rng.uniform(0, 1, [x.shape[-1], 1]).astype("float32"))
            rand_b = tf.constant(np.float32(init_rng.uniform(0, 1)))
            self.w = tf.Variable(rand_w)
            self.b = tf.Variable(rand_b)
            self.built = True
        # Compute the model output
        z = tf.add(tf.matmul(x, self.w), self.b)
        z = tf.squeeze(z, axis=1)
        if train:
            return z
        return tf.sigmoid(z)


log_reg = LogisticRegression()
y_pred = log_reg(x_train_norm[:5], train=False)
report("y_pred_untrained", y_pred.numpy(), tol=1e-5)


def predict_class(y_pred, thresh=0.5):
    # Return a tensor with  `1` if `y_pred` > `0.5`, and `0` otherwise
    return tf.cast(y_pred > thresh, tf.float32)


def accuracy(y_pred, y):
    # Return the proportion of matches between `y_pred` and `y`
    y_pred = tf.math.sigmoid(y_pred)
    y_pred_class = predict_class(y_pred)
    check_equal = tf.cast(y_pred_class == y, tf.float32)
    acc_val = tf.reduce_mean(check_equal)
    return acc_val


batch_size = 64
train_dataset = tf.data.Dataset.from_tensor_slices((x_train_norm, y_train))
train_dataset = train_dataset.batch(batch_size)
test_dataset = tf.data.Dataset.from_tensor_slices((x_test_norm, y_test))
test_dataset = test_dataset.batch(batch_size)

# Set training parameters
epochs = 40
learning_rate = 0.01
train_losses, test_losses = [], []
train_accs, test_accs = [], []

# Set up the training loop and begin training
for epoch in range(epochs):
    batch_losses_train, batch_accs_train = [], []
    batch_losses_test, batch_accs_test = [], []

    # Iterate over the training data
    for x_batch, y_batch in train_dataset:
        with tf.GradientTape() as tape:
            y_pred_batch = log_reg(x_batch)
            batch_loss = log_loss(y_pred_batch, y_batch)
        batch_acc = accuracy(y_pred_batch, y_batch)
        # Update the parameters with respect to the gradient calculations
        grads = tape.gradient(batch_loss, log_reg.variables)
        for g, v in zip(grads, log_reg.variables):
            v.assign_sub(learning_rate * g)
        # Keep track of batch-level training performance
        batch_losses_train.append(batch_loss)
        batch_accs_train.append(batch_acc)

    # Iterate over the testing data
    for x_batch, y_batch in test_dataset:
        y_pred_batch = log_reg(x_batch)
        batch_loss = log_loss(y_pred_batch, y_batch)
        batch_acc = accuracy(y_pred_batch, y_batch)
        # Keep track of batch-level testing performance
        batch_losses_test.append(batch_loss)
        batch_accs_test.append(batch_acc)

    # Keep track of epoch-level model performance
    train_loss, train_acc = tf.reduce_mean(batch_losses_train), tf.reduce_mean(batch_accs_train)
    test_loss, test_acc = tf.reduce_mean(batch_losses_test), tf.reduce_mean(batch_accs_test)
    train_losses.append(train_loss)
    train_accs.append(train_acc)
    test_losses.append(test_loss)
    test_accs.append(test_acc)

report("train_losses", [float(v) for v in train_losses[::5]], tol=1e-3)
report("test_losses", [float(v) for v in test_losses[::5]], tol=1e-3)
report("train_accs", [float(v) for v in train_accs[::5]], tol=1e-3)
report("final_strings", [f"{train_losses[-1]:.3f}", f"{test_accs[-1]:.3f}"])

y_pred_train, y_pred_test = log_reg(x_train_norm, train=False), log_reg(x_test_norm, train=False)
train_classes, test_classes = predict_class(y_pred_train), predict_class(y_pred_test)
report("test_classes", test_classes.numpy().astype(int).tolist())
yt, yc = y_test.numpy(), test_classes.numpy()
report("confusion", [[int(np.sum((yt == a) & (yc == b))) for b in (0, 1)] for a in (0, 1)])


class ExportModule(tf.Module):
    def __init__(self, model, norm_x, class_pred):
        # Initialize pre- and post-processing functions
        self.model = model
        self.norm_x = norm_x
        self.class_pred = class_pred

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, None], dtype=tf.float32)])
    def __call__(self, x):
        # Run the `ExportModule` for new data points
        x = self.norm_x.norm(x)
        y = self.model(x, train=False)
        y = self.class_pred(y)
        return y


log_reg_export = ExportModule(model=log_reg,
                              norm_x=norm_x,
                              class_pred=predict_class)
models = tempfile.mkdtemp()
save_path = os.path.join(models, 'log_reg_export')
tf.saved_model.save(log_reg_export, save_path)
log_reg_loaded = tf.saved_model.load(save_path)
test_preds = log_reg_loaded(x_test)
report("test_preds.dtype", test_preds.dtype)
report("test_preds[:10]", test_preds[:10].numpy())
report("loaded_matches", bool(np.array_equal(test_preds.numpy(), test_classes.numpy())))
