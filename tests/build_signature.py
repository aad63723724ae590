"""What two builds of the same model share: layer types, activations and weight shapes of every
network, the model's own settings and its compile config; not the auto-numbered layer names."""

import keras


def _layers(model):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _layers(layer)
        else:
            yield layer


def _activation(layer):
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", None)


def _compile(model):
    config = model.get_compile_config()
    for key in ("d_optimizer", "g_optimizer"):
        config[key]["config"].pop("name", None)
    return config


def signature(model):
    """`(class, layers, compile config)` of a built, compiled training model."""
    layers = [
        (type(layer).__name__, _activation(layer), tuple(tuple(w.shape) for w in layer.weights))
        for network in (model.layers or [model])
        for layer in (_layers(network) if isinstance(network, keras.Model) else [network])
    ]
    return type(model).__name__, layers, _compile(model) if model.compiled else None
