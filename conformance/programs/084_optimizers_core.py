"""Optimizers with the Core APIs: gradient descent, momentum and Adam written as tf.Modules.

Source: tensorflow/docs site/en/guide/core/optimizers_core.ipynb
Covers: tf.linspace + tf.cast, a quartic loss and its gradient by GradientTape.watch on a
constant, tf.Modules with apply_gradients doing var.assign_sub, a convergence test over a
tf.Variable (tf.math.is_nan, comparing a variable with a numpy value, .numpy() paths), and
Adam whose slots are rebound to tensors; tf.range/tf.meshgrid/tf.math.log for the contour grid.
(max_iters is smaller than the guide's 2000 to keep the run short.)
"""
from _target import report, tf

tf.random.set_seed(22)


class GradientDescent(tf.Module):

    def __init__(self, learning_rate=1e-3):
        # Initialize parameters
        self.learning_rate = learning_rate
        self.title = f"Gradient descent optimizer: learning rate={self.learning_rate}"

    def apply_gradients(self, grads, vars):
        # Update variables
        for grad, var in zip(grads, vars):
            var.assign_sub(self.learning_rate * grad)


x_vals = tf.linspace(-2, 2, 201)
x_vals = tf.cast(x_vals, tf.float32)


def loss(x):
    return 2 * (x ** 4) + 3 * (x ** 3) + 2


def grad(f, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        result = f(x)
    return tape.gradient(result, x)


report("loss_vals[::50]", loss(x_vals)[::50], tol=1e-5)
report("grad_vals[::50]", grad(loss, x_vals)[::50], tol=1e-5)
report("loss_at_0", loss(0))
report("loss_at_min", loss(-9 / 8), tol=1e-6)

MAX_ITERS = 300


def convergence_test(optimizer, loss_fn, grad_fn=grad, init_val=2., max_iters=MAX_ITERS):
    # Function for optimizer convergence test
    # Initializing variables and structures
    x_star = tf.Variable(init_val)
    param_path = []
    converged = False
    messages = []

    for iter in range(1, max_iters + 1):
        x_grad = grad_fn(loss_fn, x_star)

        # Case for exploding gradient
        if tf.math.is_nan(x_grad):
            messages.append(f"Gradient exploded at iteration {iter}")
            report("messages", messages)
            return []

        # Updating the variable and storing its old-version
        x_old = x_star.numpy()
        optimizer.apply_gradients([x_grad], [x_star])
        param_path.append(x_star.numpy())

        # Checking for convergence
        if x_star == x_old:
            messages.append(f"Converged in {iter} iterations")
            converged = True
            break

    # Print early termination message
    if not converged:
        messages.append(f"Exceeded maximum of {max_iters} iterations. Test terminated.")
    report("messages", messages)
    return param_path


def summarize(param_map):
    return {str(lr): [len(p)] + ([float(p[0]), float(p[-1])] if p else []) for lr, p in param_map.items()}


param_map_gd = {}
learning_rates = [1e-3, 1e-2, 1e-1]
for learning_rate in learning_rates:
    param_map_gd[learning_rate] = (convergence_test(
        GradientDescent(learning_rate=learning_rate), loss_fn=loss))
report("gd_paths", summarize(param_map_gd), tol=1e-4)

t_vals = tf.range(1., MAX_ITERS + 100.)
t_grid, x_grid = tf.meshgrid(t_vals, x_vals)
loss_grid = tf.math.log(loss(x_grid))
report("grid_shapes", [t_grid.shape, x_grid.shape, loss_grid.shape])
report("loss_grid[::50, 0]", loss_grid[::50, 0], tol=1e-5)


class Momentum(tf.Module):

    def __init__(self, learning_rate=1e-3, momentum=0.7):
        # Initialize parameters
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.change = 0.
        self.title = f"Gradient descent optimizer: learning rate={self.learning_rate}"

    def apply_gradients(self, grads, vars):
        # Update variables
        for grad, var in zip(grads, vars):
            curr_change = self.learning_rate * grad + self.momentum * self.change
            var.assign_sub(curr_change)
            self.change = curr_change


param_map_mtm = {}
for learning_rate in learning_rates:
    param_map_mtm[learning_rate] = (convergence_test(
        Momentum(learning_rate=learning_rate),
        loss_fn=loss, grad_fn=grad))
report("momentum_paths", summarize(param_map_mtm), tol=1e-4)


class Adam(tf.Module):

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, ep=1e-7):
        # Initialize the Adam parameters
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.learning_rate = learning_rate
        self.ep = ep
        self.t = 1.
        self.v_dvar, self.s_dvar = [], []
        self.title = f"Adam: learning rate={self.learning_rate}"
        self.built = False

    def apply_gradients(self, grads, vars):
        # Set up moment and RMSprop slots for each variable on the first call
        if not self.built:
            for var in vars:
                v = tf.Variable(tf.zeros(shape=var.shape))
                s = tf.Variable(tf.zeros(shape=var.shape))
                self.v_dvar.append(v)
                self.s_dvar.append(s)
            self.built = True
        # Perform Adam updates
        for i, (d_var, var) in enumerate(zip(grads, vars)):
            # Moment calculation
            self.v_dvar[i] = self.beta_1 * self.v_dvar[i] + (1 - self.beta_1) * d_var
            # RMSprop calculation
            self.s_dvar[i] = self.beta_2 * self.s_dvar[i] + (1 - self.beta_2) * tf.square(d_var)
            # Bias correction
            v_dvar_bc = self.v_dvar[i] / (1 - (self.beta_1 ** self.t))
            s_dvar_bc = self.s_dvar[i] / (1 - (self.beta_2 ** self.t))
            # Update model variables
            var.assign_sub(self.learning_rate * (v_dvar_bc / (tf.sqrt(s_dvar_bc) + self.ep)))
        # Increment the iteration counter
        self.t += 1.


param_map_adam = {}
for learning_rate in learning_rates:
    param_map_adam[learning_rate] = (convergence_test(
        Adam(learning_rate=learning_rate), loss_fn=loss))
report("adam_paths", summarize(param_map_adam), tol=1e-4)
