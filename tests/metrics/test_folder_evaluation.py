"""Evaluation on the user's own folders: the held-out split, the `folder` and `folders` evaluators,
standard FID through a (tiny) Inception graph, and the CLI's digest check."""

import hashlib
import os

import numpy as np
import pytest
import scipy.linalg
from cli_client import one_error_line
from PIL import Image
from test_inception import _reference_features, _tiny_graph_def

from keras_gans.data import make_dataset
from keras_gans.data.folder import folder_arrays, heldout_split
from keras_gans.metrics.compare import summary_line
from keras_gans.metrics.evaluate import evaluate_run
from keras_gans.training import TrainConfig, train


def write_folder(root, counts, size=16, offset=0):
    """PNGs whose every pixel is one value unique to the file (`offset + index`), so a decoded
    image names its file; `counts` is `{class subfolder or "": count}`."""
    index = offset
    rng = np.random.default_rng(offset)
    for name, count in counts.items():
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for _ in range(count):
            pixels = np.full((size, size, 3), index, np.uint8)
            pixels[..., 1:] = rng.integers(0, 256, (size, size, 2))  # some spread for the features
            Image.fromarray(pixels).save(os.path.join(root, name, f"{index:03d}.png"))
            index += 1
    return str(root)


def file_ids(images):
    """The file index each `[-1, 1]` image was written with (its red channel)."""
    return set(np.round((images[..., 0].mean(axis=(1, 2)) + 1.0) * 127.5).astype(int).tolist())


def test_no_heldout_file_reaches_training_and_the_split_is_stratified(tmp_path):
    root = write_folder(tmp_path / "pets", {"cats": 30, "dogs": 12})
    heldout = file_ids(folder_arrays(root, 16, 3, part="heldout")[0])
    halves = [file_ids(folder_arrays(root, 16, 3, part=p)[0]) for p in ("heldout_a", "heldout_b")]
    assert len(heldout) == 5 and halves[0] | halves[1] == heldout and not halves[0] & halves[1]
    # Stratified: ceil(10% of 42) = 5 held out, about 30/42 and 12/42 of them from each class.
    assert len([i for i in heldout if i < 30]) == 4 and len([i for i in heldout if i >= 30]) == 1
    dataset, info = make_dataset(f"folder:{root}", 16, 3, batch_size=1, shuffle=False)
    trained = set()
    for element in dataset:
        trained |= file_ids(element["images"].numpy())
    assert info.num_examples == 37 and trained == set(range(42)) - heldout
    # The split depends on the sorted paths and seed 0 only.
    split = heldout_split(42, [0] * 30 + [1] * 12)
    assert set(split["heldout"].tolist()) == heldout


def test_tiny_folders_keep_four_heldout_images_or_are_refused(tmp_path):
    split = heldout_split(8)
    assert (len(split["train"]), len(split["heldout_a"]), len(split["heldout_b"])) == (4, 2, 2)
    root = write_folder(tmp_path / "few", {"": 7})
    with pytest.raises(ValueError) as error:
        make_dataset(f"folder:{root}", 16, 3, batch_size=1)
    assert str(error.value) == (
        f"Image folder {root!r} holds 7 readable image(s); at least 8 are needed: 4 (two sets "
        "of 2) are held out for evaluation and never trained on."
    )


@pytest.fixture(scope="module")
def folder_run(tmp_path_factory):
    """A tiny DCGAN run on 40 PNGs, evaluated at its end on the fallback features."""
    tmp = tmp_path_factory.mktemp("folder_run")
    root = write_folder(tmp / "images", {"": 40})
    config = TrainConfig(
        model="dcgan",
        dataset=f"folder:{root}",
        image_size=16,
        channels=3,
        base_filters=4,
        batch_size=4,
        epochs=1,
        steps_per_epoch=1,
        jit_compile=False,  # the dcgan preset's XLA compile is not under test here
        export=False,
        verbose=0,
        output_dir=str(tmp / "run"),
    )
    return train(config), root


def test_folder_run_is_evaluated_on_named_fallback_features(folder_run):
    result, _ = folder_run
    evaluation = result.evaluation
    assert evaluation["feature_extractor"]["name"] == "random_conv_seed0_64px"
    assert evaluation["features"] == "random_conv_seed0_64px"
    assert evaluation["num_samples"] == 2 and evaluation["precision_recall_k"] == 1
    assert evaluation["folder_sizes"] == {"train": 36, "heldout_a": 2, "heldout_b": 2}
    for figures in (evaluation["generated"], evaluation["real_baseline"]):
        assert {"frechet_distance", "kernel_distance", "precision", "recall"} <= set(figures)
    assert evaluation["fd_ratio"] > 0 and evaluation["memorisation_ratio"] > 0
    line = summary_line(evaluation)
    assert line.startswith(f"dcgan on {evaluation['dataset']}, n=2: precision ")
    assert "FD on random_conv_seed0_64px " in line and "FID" not in line


def _numpy_fid(x, y):
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covariance = np.trace(s1 + s2 - 2 * scipy.linalg.sqrtm(s1 @ s2).real)
    return float(np.sum((x.mean(0) - y.mean(0)) ** 2) + covariance)


# Two images in five dimensions: singular covariances, which scipy's sqrtm warns of.
@pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")
def test_graph_fid_of_the_real_baseline_equals_numpy(folder_run, tmp_path):
    result, root = folder_run
    graph = tmp_path / "graph.pb"
    graph.write_bytes(_tiny_graph_def().SerializeToString())
    digest = hashlib.sha256(graph.read_bytes()).hexdigest()
    evaluation = evaluate_run(
        result.output_dir, inception_graph=str(graph), inception_sha256=digest, write=False
    )
    assert evaluation["feature_extractor"]["name"] == "inception_pool3"
    assert "FID " in summary_line(evaluation)
    # The baseline is real against real: recomputed from the files with the graph in NumPy.
    rng = np.random.default_rng(0)
    halves = [folder_arrays(root, 16, 3, part=p)[0] for p in ("heldout_a", "heldout_b")]
    picks = [rng.choice(len(h), 2, replace=False) for h in halves]
    reference, baseline = (_reference_features(h[p]) for h, p in zip(halves, picks))
    assert evaluation["real_baseline"]["frechet_distance"] == pytest.approx(
        _numpy_fid(baseline, reference), rel=1e-4
    )


def test_wrong_digest_is_one_line_from_the_cli_and_stops_training_first(folder_run, tmp_path, cli):
    result, root = folder_run
    graph = tmp_path / "graph.pb"
    graph.write_bytes(_tiny_graph_def().SerializeToString())
    actual, wrong = hashlib.sha256(graph.read_bytes()).hexdigest(), "ab" * 32
    argv = [f"--run_dir={result.output_dir}", f"--inception_graph={graph}"]
    completed = cli.run("eval_main", [*argv, f"--inception_sha256={wrong}"])
    assert completed["stdout"] == ""
    assert one_error_line(completed, "keras-gans-eval") == (
        f"keras-gans-eval: error: Inception graph {str(graph)!r} has sha256 {actual}, expected "
        f"{wrong}: it is not the file the expected digest names (a different or damaged copy), "
        "so its figures would not be comparable."
    )
    out = tmp_path / "never"
    config = dict(result.config.__dict__, output_dir=str(out))
    config.update(inception_graph=str(graph), inception_sha256=wrong)
    with pytest.raises(ValueError, match=f"has sha256 {actual}, expected {wrong}"):
        train(TrainConfig(**config))
    assert not out.exists()


def test_cyclegan_on_two_folders_is_evaluated_per_direction(tmp_path):
    spec = "folders:{},{}".format(
        write_folder(tmp_path / "a", {"": 40}, size=24),
        write_folder(tmp_path / "b", {"": 40}, size=24, offset=100),
    )
    config = TrainConfig(
        model="cyclegan",
        dataset=spec,
        image_size=24,  # the PatchGAN's least
        channels=3,
        base_filters=4,
        residual_blocks=1,
        batch_size=2,
        epochs=1,
        steps_per_epoch=1,
        export=False,
        verbose=0,
        output_dir=str(tmp_path / "run"),
    )
    evaluation = train(config).evaluation
    assert evaluation["num_samples"] == 2
    for direction in ("a_to_b", "b_to_a"):
        section = evaluation[direction]
        assert section["features"] == "random_conv_seed0_64px" and section["cycle_l1"] > 0
        assert section["fd_ratio"] > 0 and section["real_baseline"]["frechet_distance"] >= 0
    line = summary_line(evaluation)
    assert "a_to_b: precision" in line and "b_to_a: precision" in line
    assert line.count("FD on random_conv_seed0_64px") == 2
