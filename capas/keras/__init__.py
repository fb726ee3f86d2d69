"""capas.keras: Keras 3's public surface, on PyTorch."""
