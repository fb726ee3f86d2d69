"""keras.legacy: Keras 2's object (de)serialization, kept for old configs (`keras.legacy.saving`)."""

from capas.keras.legacy import saving as saving
