"""A network as one standalone Python file: NumPy only, or a `torch.nn.Sequential` in float64.

Weights are written as Python float literals (`repr`), which read back bit for bit, and the forward
pass is the engine's: z = a @ W + b (eq. 1) then the activation, with the input features applied
first. The file prints the outputs for the numbers on its command line (`python model.py 0.5 -1.2`),
or one line per row of numbers read from standard input; each value is printed with `repr`, so the
printed numbers are the computed ones exactly.
Left out on purpose: training code, optimiser state and the data (see the JSON export for those).
"""
from __future__ import annotations

from engine.experiment import Experiment

# Each feature as NumPy and PyTorch source over raw points `x` of shape (n, 2); see engine/features.py.
FEATURE_CODE = {
    "x1": ("x[:, 0]", "x[:, 0]"), "x2": ("x[:, 1]", "x[:, 1]"),
    "x1_squared": ("x[:, 0] ** 2", "x[:, 0] ** 2"), "x2_squared": ("x[:, 1] ** 2", "x[:, 1] ** 2"),
    "x1_x2": ("x[:, 0] * x[:, 1]", "x[:, 0] * x[:, 1]"),
    "sin_x1": ("np.sin(x[:, 0])", "torch.sin(x[:, 0])"), "sin_x2": ("np.sin(x[:, 1])", "torch.sin(x[:, 1])"),
}
NUMPY_ACTIVATIONS = {
    "sigmoid": "0.5 * np.tanh(0.5 * z) + 0.5",  # the engine's overflow-free form of 1 / (1 + e^−z)
    "tanh": "np.tanh(z)",
    "relu": "np.maximum(z, 0.0)",
    "leaky_relu": "np.maximum(z, {slope} * z)",
    "linear": "z",
    "softmax": "np.exp(z - z.max(axis=1, keepdims=True)) / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)",
}
TORCH_MODULES = {"sigmoid": "torch.nn.Sigmoid()", "tanh": "torch.nn.Tanh()", "relu": "torch.nn.ReLU()",
                 "leaky_relu": "torch.nn.LeakyReLU({slope})", "linear": "torch.nn.Identity()",
                 "softmax": "torch.nn.Softmax(dim=1)"}

MAIN = '''


def main(argv: list[str]) -> None:
    if argv:
        rows = [[float(v) for v in argv]]
    else:
        rows = [[float(v) for v in line.replace(",", " ").split()] for line in sys.stdin if line.strip()]
    for out in predict(rows):
        print(" ".join(repr(float(v)) for v in out))


if __name__ == "__main__":
    main(sys.argv[1:])
'''


def _matrix(rows) -> str:
    return "[\n" + "".join(f"    {[float(v) for v in row]!r},\n" for row in rows) + "]"


def _about(exp: Experiment, network_id: str, how: str) -> str:
    names = exp.config["dataset"]
    inputs = names.get("columns") or (exp.features and ["x1", "x2"]) or [f"x{i + 1}" for i in range(exp.dataset.n_features)]
    lines = [f'"""Network {network_id} from Backprop Playground, {how}.', "",
             f"Layers {'-'.join(map(str, exp.arch.layers))}, hidden activation per layer "
             f"{', '.join(exp.config['activation']) or 'none'}, output {exp.arch.output_activation}, "
             f"loss {exp.arch.loss}; trained {exp.trainer.step} steps ({exp.trainer.epoch} epochs).",
             f"Inputs, in order: {', '.join(inputs)}."]
    if exp.features and exp.features != ["x1", "x2"]:
        lines.append(f"The network's input features are computed from them: {', '.join(exp.features)}.")
    if names.get("labels"):
        lines.append(f"Outputs are classes {', '.join(names['labels'])} (label 0, 1, …).")
    lines += ["", "    python model.py 0.5 -1.2      prints the outputs for one point",
              "    python model.py < rows.txt    prints one line of outputs per row of numbers", '"""']
    return "\n".join(lines)


def _slope() -> str:
    from engine.activations import LEAKY_SLOPE
    return repr(LEAKY_SLOPE)


def numpy_source(exp: Experiment, network_id: str) -> str:
    """The network as a NumPy-only script."""
    params = exp.trainer.params
    acts = [exp.arch.activation_of(k + 1) for k in range(exp.arch.depth)]
    parts = [_about(exp, network_id, "as NumPy code"), "import sys", "", "import numpy as np", ""]
    for k, (w, b) in enumerate(zip(params.weights, params.biases)):
        parts.append(f"W{k} = np.array({_matrix(w)})")
        parts.append(f"b{k} = np.array({[float(v) for v in b]!r})")
    if exp.features:
        cols = ", ".join(FEATURE_CODE[f][0] for f in exp.features)
        parts += ["", "", "def features(x):", f"    return np.column_stack([{cols}])"]
    parts += ["", "", "def predict(rows):", "    x = np.asarray(rows, dtype=np.float64)",
              f"    a = {'features(x)' if exp.features else 'x'}"]
    for k, name in enumerate(acts):
        parts.append(f"    z = a @ W{k} + b{k}")
        parts.append(f"    a = {NUMPY_ACTIVATIONS[name].format(slope=_slope())}")
    parts.append("    return a")
    return "\n".join(parts) + MAIN


def torch_source(exp: Experiment, network_id: str) -> str:
    """The network as a `torch.nn.Sequential` in float64 with its weights loaded."""
    params = exp.trainer.params
    layers = exp.arch.layers
    parts = [_about(exp, network_id, "as a PyTorch torch.nn.Sequential (float64)"), "import sys", "",
             "import torch", ""]
    modules = []
    if exp.features:
        cols = ", ".join(FEATURE_CODE[f][1] for f in exp.features)
        parts += ["", "class Features(torch.nn.Module):",
                  '    """The input features the network was trained on, from the raw inputs."""', "",
                  "    def forward(self, x):", f"        return torch.stack([{cols}], dim=1)", "", ""]
        modules.append("Features()")
    for k in range(exp.arch.depth):
        modules.append(f"torch.nn.Linear({layers[k]}, {layers[k + 1]})")
        modules.append(TORCH_MODULES[exp.arch.activation_of(k + 1)].format(slope=_slope()))
    parts.append("model = torch.nn.Sequential(\n" + "".join(f"    {m},\n" for m in modules) + ").double()")
    parts.append("linears = [m for m in model if isinstance(m, torch.nn.Linear)]")
    parts.append("with torch.no_grad():")
    for k, (w, b) in enumerate(zip(params.weights, params.biases)):
        # torch.nn.Linear keeps its weight as (out, in): the transpose of the engine's W[k].
        parts.append(f"    linears[{k}].weight.copy_(torch.tensor({_matrix(w.T)}, dtype=torch.float64))"
                     .replace("\n", "\n    "))
        parts.append(f"    linears[{k}].bias.copy_(torch.tensor({[float(v) for v in b]!r}, dtype=torch.float64))")
    parts += ["model.eval()", "", "", "def predict(rows):", "    with torch.no_grad():",
              "        return model(torch.tensor(rows, dtype=torch.float64)).tolist()"]
    return "\n".join(parts) + MAIN
