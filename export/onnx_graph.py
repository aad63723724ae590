"""Lookups shared by the ONNX graph rewrites (`onnx_optimize` and the modules it applies)."""

import onnx
from onnx import numpy_helper

# Elementwise activations: they commute with a sub-pixel phase interleave and with a channel
# reorder, so a rewrite may move them onto each phase `Conv` (where ONNX Runtime fuses them into
# the convolution instead of making another pass over the output) or past a removed `Transpose`.
ELEMENTWISE_ACTIVATIONS = ("Relu", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid")


def attribute(node, name, default=None):
    """The value of `node`'s attribute `name`, or `default` when it has none."""
    for found in node.attribute:
        if found.name == name:
            return onnx.helper.get_attribute_value(found)
    return default


def graph_index(graph):
    """`(initializers by name, graph output names, consumer nodes by tensor name)` of `graph`."""
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    return (
        {init.name: init for init in graph.initializer},
        {o.name for o in graph.output},
        consumers,
    )


def drop_unused_initializers(graph):
    """Removes the initializers no node or graph output reads."""
    used = {name for node in graph.node for name in node.input} | {o.name for o in graph.output}
    keep = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)


def constant(initializers, name):
    """The value of initializer `name` as a numpy array, or None when it is not one."""
    return numpy_helper.to_array(initializers[name]) if name in initializers else None
