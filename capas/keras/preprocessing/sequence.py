"""keras.preprocessing.sequence: pad_sequences (from keras.utils)."""

from capas.keras.utils import pad_sequences as pad_sequences
