"""Multilayer perceptron for digit recognition with the Core APIs.

Source: tensorflow/docs site/en/guide/core/mlp_core.ipynb
Covers: MNIST-shaped uint8 batches through tf.data.map(preprocess) with tf.reshape and /255,
tf.nn.relu/tf.nn.softmax on a tf.linspace, a xavier_init with tf.sqrt and tf.random.uniform
bounds, DenseLayer tf.Modules built on the first call, an MLP tf.Module with a @tf.function
__call__ looping over its layers, tf.nn.sparse_softmax_cross_entropy_with_logits, accuracy with
tf.argmax/tf.equal, a hand-written Adam (slot tf.Variables, assign, assign_sub), train/val steps,
and an ExportModule with a uint8 input_signature saved and loaded, per-digit accuracy with
boolean masks. (Random initial values are fixed numbers; the model is smaller.)
"""
import os
import tempfile

import numpy as np
from _target import report, tf

tf.random.set_seed(22)
rng = np.random.default_rng(83)
train_images = rng.integers(0, 256, (256, 28, 28, 1)).astype("uint8")
train_labels = rng.integers(0, 10, 256).astype("int64")
val_images = rng.integers(0, 256, (128, 28, 28, 1)).astype("uint8")
val_labels = rng.integers(0, 10, 128).astype("int64")
train_data = tf.data.Dataset.from_tensor_slices((train_images, train_labels)).batch(128)
val_data = tf.data.Dataset.from_tensor_slices((val_images, val_labels)).batch(128)


def preprocess(x, y):
    # Reshaping the data
    x = tf.reshape(x, shape=[-1, 784])
    # Rescaling the data
    x = x / 255
    return x, y


train_data, val_data = train_data.map(preprocess), val_data.map(preprocess)
report("train_data.element_spec", [s.dtype for s in train_data.element_spec])
report("train_data_shape", [list(s.shape) for s in train_data.element_spec])

x = tf.linspace(-2, 2, 201)
x = tf.cast(x, tf.float32)
report("relu_sum", tf.reduce_sum(tf.nn.relu(x)), tol=1e-5)
x = tf.linspace(-4, 4, 201)
x = tf.cast(x, tf.float32)
report("softmax_max", tf.reduce_max(tf.nn.softmax(x, axis=0)), tol=1e-6)

init_rng = np.random.default_rng(22)


def xavier_init(shape):
    # Computes the xavier initialization values for a weight matrix
    in_dim, out_dim = shape
    xavier_lim = tf.sqrt(6.) / tf.sqrt(tf.cast(in_dim + out_dim, tf.float32))
    weight_vals = tf.random.uniform(shape=(in_dim, out_dim),
                                    minval=-xavier_lim, maxval=xavier_lim, seed=22)
    # Fixed numbers in the same range instead of weight_vals, so both frameworks train the
    # same model (this runs while MLP.__call__ is traced by tf.function).
    lim = np.sqrt(6.0) / np.sqrt(in_dim + out_dim)
    return weight_vals * 0.0 + tf.constant(init_rng.uniform(-lim, lim, (in_dim, out_dim)).astype("float32"))


sample = xavier_init((4, 3))
report("xavier_shape_dtype", [sample.shape, sample.dtype])


class DenseLayer(tf.Module):

    def __init__(self, out_dim, weight_init=xavier_init, activation=tf.identity):
        # Initialize the dimensions and activation functions
        self.out_dim = out_dim
        self.weight_init = weight_init
        self.activation = activation
        self.built = False

    def __call__(self, x):
        if not self.built:
            # Infer the input dimension based on first call
            self.in_dim = x.shape[1]
            # Initialize the weights and biases
            self.w = tf.Variable(self.weight_init(shape=(self.in_dim, self.out_dim)))
            self.b = tf.Variable(tf.zeros(shape=(self.out_dim,)))
            self.built = True
        # Compute the forward pass
        z = tf.add(tf.matmul(x, self.w), self.b)
        return self.activation(z)


class MLP(tf.Module):

    def __init__(self, layers):
        self.layers = layers

    @tf.function
    def __call__(self, x, preds=False):
        # Execute the model's layers sequentially
        for layer in self.layers:
            x = layer(x)
        return x


hidden_layer_1_size = 70
hidden_layer_2_size = 50
output_size = 10

mlp_model = MLP([
    DenseLayer(out_dim=hidden_layer_1_size, activation=tf.nn.relu),
    DenseLayer(out_dim=hidden_layer_2_size, activation=tf.nn.relu),
    DenseLayer(out_dim=output_size)])


def cross_entropy_loss(y_pred, y):
    # Compute cross entropy loss with a sparse operation
    sparse_ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=y_pred)
    return tf.reduce_mean(sparse_ce)


def accuracy(y_pred, y):
    # Compute accuracy after extracting class predictions
    class_preds = tf.argmax(tf.nn.softmax(y_pred), axis=1)
    is_equal = tf.equal(y, class_preds)
    return tf.reduce_mean(tf.cast(is_equal, tf.float32))


class Adam:

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, ep=1e-7):
        # Initialize optimizer parameters and variable slots
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.learning_rate = learning_rate
        self.ep = ep
        self.t = 1.
        self.v_dvar, self.s_dvar = [], []
        self.built = False

    def apply_gradients(self, grads, vars):
        # Initialize variables on the first call
        if not self.built:
            for var in vars:
                v = tf.Variable(tf.zeros(shape=var.shape))
                s = tf.Variable(tf.zeros(shape=var.shape))
                self.v_dvar.append(v)
                self.s_dvar.append(s)
            self.built = True
        # Update the model variables given their gradients
        for i, (d_var, var) in enumerate(zip(grads, vars)):
            self.v_dvar[i].assign(self.beta_1 * self.v_dvar[i] + (1 - self.beta_1) * d_var)
            self.s_dvar[i].assign(self.beta_2 * self.s_dvar[i] + (1 - self.beta_2) * tf.square(d_var))
            v_dvar_bc = self.v_dvar[i] / (1 - (self.beta_1 ** self.t))
            s_dvar_bc = self.s_dvar[i] / (1 - (self.beta_2 ** self.t))
            var.assign_sub(self.learning_rate * (v_dvar_bc / (tf.sqrt(s_dvar_bc) + self.ep)))
        self.t += 1.
        return


def train_step(x_batch, y_batch, loss, acc, model, optimizer):
    # Update the model state given a batch of data
    with tf.GradientTape() as tape:
        y_pred = model(x_batch)
        batch_loss = loss(y_pred, y_batch)
    batch_acc = acc(y_pred, y_batch)
    grads = tape.gradient(batch_loss, model.variables)
    optimizer.apply_gradients(grads, model.variables)
    return batch_loss, batch_acc


def val_step(x_batch, y_batch, loss, acc, model):
    # Evaluate the model on given a batch of validation data
    y_pred = model(x_batch)
    batch_loss = loss(y_pred, y_batch)
    batch_acc = acc(y_pred, y_batch)
    return batch_loss, batch_acc


def train_model(mlp, train_data, val_data, loss, acc, optimizer, epochs):
    # Initialize data structures
    train_losses, train_accs = [], []
    val_losses, val_accs = [], []

    # Format training loop and begin training
    for epoch in range(epochs):
        batch_losses_train, batch_accs_train = [], []
        batch_losses_val, batch_accs_val = [], []

        # Iterate over the training data
        for x_batch, y_batch in train_data:
            # Compute gradients and update the model's parameters
            batch_loss, batch_acc = train_step(x_batch, y_batch, loss, acc, mlp, optimizer)
            # Keep track of batch-level training performance
            batch_losses_train.append(batch_loss)
            batch_accs_train.append(batch_acc)

        # Iterate over the validation data
        for x_batch, y_batch in val_data:
            batch_loss, batch_acc = val_step(x_batch, y_batch, loss, acc, mlp)
            batch_losses_val.append(batch_loss)
            batch_accs_val.append(batch_acc)

        # Keep track of epoch-level model performance
        train_loss, train_acc = tf.reduce_mean(batch_losses_train), tf.reduce_mean(batch_accs_train)
        val_loss, val_acc = tf.reduce_mean(batch_losses_val), tf.reduce_mean(batch_accs_val)
        train_losses.append(train_loss)
        train_accs.append(train_acc)
        val_losses.append(val_loss)
        val_accs.append(val_acc)
    return train_losses, train_accs, val_losses, val_accs


train_losses, train_accs, val_losses, val_accs = train_model(mlp_model, train_data, val_data,
                                                             loss=cross_entropy_loss, acc=accuracy,
                                                             optimizer=Adam(), epochs=4)
report("train_losses", [float(v) for v in train_losses], tol=1e-3)
report("train_accs", [float(v) for v in train_accs], tol=1e-3)
report("val_losses", [float(v) for v in val_losses], tol=1e-3)
report("n_variables", len(mlp_model.variables))
report("variable_shapes", [list(v.shape) for v in mlp_model.variables])


class ExportModule(tf.Module):
    def __init__(self, model, preprocess, class_pred):
        # Initialize pre and postprocessing functions
        self.model = model
        self.preprocess = preprocess
        self.class_pred = class_pred

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, None, None, None], dtype=tf.uint8)])
    def __call__(self, x):
        # Run the ExportModule for new data points
        x = self.preprocess(x)
        y = self.model(x)
        y = self.class_pred(y)
        return y


def preprocess_test(x):
    # The export module takes in unprocessed and unlabeled data
    x = tf.reshape(x, shape=[-1, 784])
    x = x / 255
    return x


def class_pred_test(y):
    # Generate class predictions from MLP output
    return tf.argmax(tf.nn.softmax(y), axis=1)


mlp_model_export = ExportModule(model=mlp_model,
                                preprocess=preprocess_test,
                                class_pred=class_pred_test)
models = tempfile.mkdtemp()
save_path = os.path.join(models, 'mlp_model_export')
tf.saved_model.save(mlp_model_export, save_path)
mlp_loaded = tf.saved_model.load(save_path)


def accuracy_score(y_pred, y):
    # Generic accuracy function
    is_equal = tf.equal(y_pred, y)
    return tf.reduce_mean(tf.cast(is_equal, tf.float32))


x_test = tf.constant(val_images)
y_test = tf.constant(val_labels)
test_classes = mlp_loaded(x_test)
report("test_classes.dtype", test_classes.dtype)
report("test_classes[:16]", test_classes[:16].numpy())
test_acc = accuracy_score(test_classes, y_test)
report("test_acc", test_acc, tol=1e-5)
label_accs = {}
for label in range(10):
    label_ind = (y_test == label)
    # extract predictions for specific true label
    pred_label = test_classes[label_ind]
    labels = y_test[label_ind]
    # compute class-wise accuracy
    label_accs[label] = accuracy_score(pred_label, labels).numpy()
report("label_accs", [label_accs[k] for k in range(10)], tol=1e-5)
