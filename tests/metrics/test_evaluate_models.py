"""`evaluate_run`'s evaluators for the translation and text-to-image models, on tiny runs."""

import pytest

from keras_gans.metrics import evaluate
from keras_gans.metrics.sources import TrainingModelSource
from keras_gans.training import TrainConfig, train


def tiny_run(tmp_path, model, **kwargs):
    train(
        TrainConfig(
            model=model,
            epochs=1,
            steps_per_epoch=1,
            export=False,
            evaluate=False,
            verbose=0,
            output_dir=str(tmp_path),
            **kwargs,
        )
    )
    return str(tmp_path)


def test_cyclegan_gets_domain_accuracy_per_direction(tmp_path, texture_reference, classifier_cache):
    run = tiny_run(
        tmp_path, "cyclegan", batch_size=2, base_filters=4, residual_blocks=1, decay_epochs=0
    )
    result = evaluate.evaluate_run(run, num_samples=16, cache_dir=classifier_cache, write=False)
    assert set(result) >= {"a_to_b", "b_to_a"}
    for direction in ("a_to_b", "b_to_a"):
        section = result[direction]
        assert 0.0 <= section["generated"]["domain_accuracy"] <= 1.0
        # Real crops of the target domain: the texture classifier's accuracy.
        assert section["real_baseline"]["domain_accuracy"] >= 0.9
        assert section["fcd_ratio"] > 0


def test_stackgan_is_scored_on_the_digits_its_captions_name(
    tmp_path, digits_reference, classifier_cache
):
    run = tiny_run(tmp_path, "stackgan", base_filters=4)
    result = evaluate.evaluate_run(run, num_samples=20, cache_dir=classifier_cache, write=False)
    assert 0.0 <= result["generated"]["conditional_accuracy"] <= 1.0
    assert result["real_baseline"]["conditional_accuracy"] >= 0.9


def test_a_run_on_data_without_a_reference_classifier_is_refused(tmp_path):
    config = {"model": "lapgan", "dataset": "faces", "image_size": 32}
    lone = tmp_path / "generator.keras"
    lone.write_bytes(b"")
    with pytest.raises(
        ValueError, match="lapgan runs are evaluated on dataset 'digits'.*dataset 'faces'"
    ):
        evaluate.evaluate_run(str(lone), config=config)


class _Negating(TrainingModelSource):
    """a -> b is the identity, b -> a negates: a crop comes back negated from a -> b -> a."""

    def __init__(self):
        super().__init__(model=None)
        self.inputs = {}

    def generate(self, inputs=None, num_images=None, seed=0):
        ((name, images),) = inputs.items()
        self.inputs.setdefault(name, images)
        return {"images": images if name == "image_a" else -images}


def test_cycle_l1_is_the_round_trip_error_of_held_out_crops(texture_reference, classifier_cache):
    import numpy as np

    from keras_gans.metrics.evaluators import EVALUATORS, EvalContext

    source = _Negating()
    config = {"model": "cyclegan", "dataset": "textures", "image_size": 32, "channels": 1}
    context = EvalContext(config, source, num_samples=16, seed=0, cache_dir=classifier_cache)
    result = EVALUATORS["translation"].fn(context)
    crops = source.inputs["image_a"]
    # a -> b -> a negates a's crops: |-x - x| = 2|x|.
    assert result["a_to_b"]["cycle_l1"] == pytest.approx(2 * np.mean(np.abs(crops)), rel=1e-6)
    assert result["a_to_b"]["cycle_l1"] > 0.1  # the crops are not blank
