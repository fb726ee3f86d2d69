"""Utilities: progress bar, names, summaries, files."""

from capas.keras.utils.progbar import Progbar as Progbar
