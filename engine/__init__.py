"""Backprop Playground's engine: small dense networks in pure NumPy, trained phase by phase.

The engine knows NumPy and the maths of backpropagation, nothing else: it never touches a file,
a socket or a clock, and it imports no web code. Everything it computes is returned as plain arrays
and dicts named after the seed paper's equations (z, a, delta, grad_weights, ...).
"""
