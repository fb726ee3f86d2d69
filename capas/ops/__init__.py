"""tf-style tensor ops over torch."""
