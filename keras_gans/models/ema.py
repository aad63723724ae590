"""The exponential moving average of the generator side, kept beside its trained weights.

A mixin of `AdversarialModel`: `compile(ema_decay=...)` creates one average per generator weight
and BatchNorm statistic (`generator_statistics`), `train_step` moves them after every generator
step, and the deployable graphs take them (Yazici et al. 2019, https://arxiv.org/abs/1806.04498).
"""

import keras


def moving_statistics(*networks):
    """The BatchNormalization moving means and variances of `networks`, each variable once."""
    found = {}
    for network in networks:
        for layer in network._flatten_layers():
            if isinstance(layer, keras.layers.BatchNormalization):
                for variable in (layer.moving_mean, layer.moving_variance):
                    found.setdefault(id(variable), variable)
    return list(found.values())


class MovingAverage:
    """The EMA variables of the generator side: creation, update, loading and lookup."""

    def _ema_sources(self):
        # The order of the EMA variables: weights, then statistics (fixed, as saved files hold it).
        return self.generator_variables() + self.generator_statistics()

    def _add_ema_weights(self):
        """Creates the EMA variables, one per weight and statistic averaged, starting at its
        value."""
        self._ema_weights = [
            self.add_weight(
                shape=v.shape,
                initializer="zeros",
                trainable=False,
                # Every replica computes the same average: keep the first one's.
                aggregation="only_first_replica",
                name=f"ema_{i}",
            )
            for i, v in enumerate(self._ema_sources())
        ]
        self.restart_ema()

    def restart_ema(self):
        """Sets every average to its variable's value (also after the weights were replaced)."""
        for average, variable in zip(self._ema_weights, self._ema_sources()):
            average.assign(variable)

    def _update_ema(self):
        """Moves each average towards its variable by `1 - ema_decay` (after a generator step)."""
        for average, variable in zip(self._ema_weights, self._ema_sources()):
            average.assign(self.ema_decay * average + (1.0 - self.ema_decay) * variable)

    def _ema_by_variable(self):
        """`{id(averaged variable): its EMA variable}`.

        Keyed by the variable itself, not its path: paths repeat across networks (a Stage-II
        StackGAN built after loading its Stage I names its layers `conv2d`... again), and a path
        key would give a frozen network's weight the average of another's.
        """
        return {id(v): a for v, a in zip(self._ema_sources(), self._ema_weights)}

    def load_own_variables(self, store):
        # The EMA variables are made by `compile`. A model loaded without its compile config
        # (`load_model(compile=False)`, or custom losses, which are not stored) must still take
        # back the averages it was saved with: they are the generator that export and sampling use.
        own = len(self._trainable_variables) + len(self._non_trainable_variables)
        if not getattr(self, "_ema_weights", None) and len(store.keys()) == own + len(
            self._ema_sources()
        ):
            with self.distribute_strategy.scope():
                self._add_ema_weights()
        super().load_own_variables(store)

    def uses_ema(self):
        """Whether deployable graphs take the EMA weights instead of the trained ones.

        True when compiled with `ema_decay`, and for a model loaded uncompiled that was saved with
        EMA weights (compiling it again without `ema_decay` turns them off).
        """
        if not getattr(self, "_ema_weights", None):
            return False
        return self.ema_decay is not None or not self.compiled
