"""Rank 1 builds a different model: the strategy scope must stop both ranks with a clear error."""

import os

import capas as tf
from capas import keras

strategy = tf.distribute.MirroredStrategy()
units = 8 if os.environ.get("RANK") == "0" else 9
with strategy.scope():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, name="hidden"), keras.layers.Dense(1)])
