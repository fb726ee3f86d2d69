"""`tf.lookup`: hash tables and vocabularies from tensors or text files (docs/lookup.md)."""

from capas.lookup import experimental as experimental
from capas.lookup._initializers import KeyValueTensorInitializer as KeyValueTensorInitializer
from capas.lookup._initializers import TextFileIndex as TextFileIndex
from capas.lookup._initializers import TextFileInitializer as TextFileInitializer
from capas.lookup._tables import StaticHashTable as StaticHashTable
from capas.lookup._tables import StaticVocabularyTable as StaticVocabularyTable
