"""A 2-2-1 neural network learns XOR, trained by gradient descent with Records.

Each step records the loss of the four examples on one WengertList and sweeps
back once for all nine weights. The network is ordinary numpy code on object
arrays of Records (tanh and the sigmoid written with np.exp).
"""

from typing import Any

import numpy as np

from wengert import WengertList

INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TARGETS = np.array([0.0, 1.0, 1.0, 0.0])


def tanh(z: Any) -> Any:
    return 1.0 - 2.0 / (np.exp(2.0 * z) + 1.0)


def sigmoid(z: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-z))


def predict(weights: Any, inputs: Any) -> Any:
    """The network on a batch: weights[0:4] input->hidden, [4:6] hidden biases,
    [6:8] hidden->output, [8] output bias."""
    hidden = tanh(inputs @ weights[0:4].reshape(2, 2) + weights[4:6])
    return sigmoid(hidden @ weights[6:8] + weights[8])


def loss(weights: Any) -> Any:
    error = predict(weights, INPUTS) - TARGETS
    return np.sum(error * error) / len(TARGETS)


def main() -> None:
    weights = np.random.default_rng(5).normal(0.0, 1.0, 9)
    tape = WengertList()
    steps = 0
    while True:
        tape.clear()  # one tape for the whole run: emptied and refilled each step
        records = np.array(tape.variables(weights), dtype=object)
        value = loss(records)
        if value.number < 0.01:
            break
        gradient = np.asarray(value.derivatives())[: len(weights)]
        weights = weights - 2.0 * gradient
        steps += 1
        assert steps < 5000, "the network did not learn XOR"
    outputs = predict(weights, INPUTS)
    rounded = ", ".join(f"{round(o):.1f}" for o in outputs)
    print(f"loss {value.number:.4f} after {steps} steps; XOR of 00, 01, 10, 11 = {rounded}")


if __name__ == "__main__":
    main()
