"""capas.data: a small tf.data-like Dataset over torch tensors."""

from capas.data.dataset import Dataset as Dataset

AUTOTUNE = Dataset.AUTOTUNE
