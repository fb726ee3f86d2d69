"""`tf.lookup.experimental`: mutable tables and the dataset initializer."""

from capas.lookup._initializers import DatasetInitializer as DatasetInitializer
from capas.lookup._tables import DenseHashTable as DenseHashTable
from capas.lookup._tables import MutableHashTable as MutableHashTable
