"""GradientTape's helpers: autograd-graph walks and Jacobians (the public tape is `capas/tape.py`)."""
