"""Inputs shared by the tf.keras.layers recorder (TensorFlow) and the capas tests. Plain Python only."""

THRESHOLDED_RELU_INPUT = [[-2.0, -0.5, 0.0, 0.5], [1.0, 1.5, 2.0, 3.25]]
THRESHOLDED_RELU_THETAS = [0.0, 0.5, 1.0, 2.5]

# tf.keras.layers names another helper adds (the image-augmentation layers); not checked here.
OWNED_ELSEWHERE = {"RandomHeight", "RandomWidth"}
