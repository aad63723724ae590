"""Does a trained StackGAN draw the digit its caption names? A digits classifier decides.

A logistic regression on scikit-learn's 8x8 digits (held-out accuracy reported) classifies
generated images, resized down to 8x8 (area averaging), for captions typed by a person; the
agreement is the fraction whose predicted class is the caption's digit. It also writes grids of
those captions (one row per caption) for a look.

    python benchmarks/stackgan_digits.py --run=runs/stackgan --run=runs/stackgan_stage2

writes `benchmarks/results/stackgan_digits.json` and `benchmarks/results/stackgan_digits_*.png`.
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras_gans  # noqa: E402, F401  (first: it sets TensorFlow's oneDNN default)

# isort: split
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from keras_gans.data.digit_captions import DIGIT_WORDS  # noqa: E402
from keras_gans.images import make_grid, upscale, write_png  # noqa: E402

#: Captions as a person types them: every digit, with and without attributes.
TYPED_CAPTIONS = (
    "a zero",
    "a thin one",
    "a thick two",
    "a three leaning right",
    "a thick four",
    "a five",
    "a thin six",
    "a thick seven",
    "an eight",
    "a nine leaning left",
)
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def caption_digit(caption):
    """The digit a caption names (its one digit word)."""
    found = [DIGIT_WORDS.index(w) for w in caption.split() if w in DIGIT_WORDS]
    if len(found) != 1:
        raise ValueError(f"A caption must name exactly one digit; received {caption!r}.")
    return found[0]


def train_classifier(seed=0):
    """Logistic regression on the 8x8 digits; returns `(classifier, held-out accuracy)`."""
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data, digits.target, test_size=0.25, random_state=seed, stratify=digits.target
    )
    classifier = LogisticRegression(max_iter=5000).fit(x_train, y_train)
    return classifier, float(classifier.score(x_test, y_test))


def to_digits_features(images):
    """`[N, H, W, 1]` images in [-1, 1] to the classifier's 64 features (8x8, 0..16)."""
    small = tf.image.resize(images, [8, 8], method="area").numpy()
    return ((np.clip(small, -1, 1) + 1.0) * 8.0).reshape(len(images), 64)


def agreement(model, classifier, captions=TYPED_CAPTIONS, per_caption=10, seed=0):
    """Fraction of `len(captions) * per_caption` images classified as their caption's digit."""
    repeated = [c for c in captions for _ in range(per_caption)]
    images = model.sample(captions=repeated, seed=seed)
    predicted = classifier.predict(to_digits_features(images))
    expected = np.array([caption_digit(c) for c in repeated])
    per = {
        c: float(
            np.mean(predicted[i * per_caption : (i + 1) * per_caption] == expected[i * per_caption])
        )
        for i, c in enumerate(captions)
    }
    return float(np.mean(predicted == expected)), per, images


def caption_signature_check(model, run, captions):
    """Writes `<run>/export/caption_generator/1` (both signatures) and runs the caption one."""
    from keras_gans.export.caption_saved_model import CAPTIONS_SIGNATURE, save_caption_saved_model

    path = os.path.join(run, "export", "caption_generator", "1")
    if not os.path.exists(path):
        save_caption_saved_model(model, path)
    signature = tf.saved_model.load(path).signatures[CAPTIONS_SIGNATURE]
    noise = model.sample_noise(len(captions), seed=3)
    images = signature(captions=tf.constant(list(captions)), noise=tf.constant(noise))[
        "images"
    ].numpy()
    reference = model.sample(captions=list(captions), noise=noise)
    return {
        "path": path,
        "images_shape": list(images.shape),
        "max_abs_diff_vs_keras": float(np.max(np.abs(images - reference))),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--run", action="append", required=True, help="A run folder with model.keras."
    )
    parser.add_argument(
        "--caption", action="append", help="Captions to test (default: TYPED_CAPTIONS)."
    )
    parser.add_argument("--per_caption", type=int, default=10)
    parser.add_argument("--out", default=os.path.join(RESULTS, "stackgan_digits.json"))
    args = parser.parse_args()
    captions = tuple(args.caption or TYPED_CAPTIONS)
    classifier, accuracy = train_classifier()
    results = {
        "classifier": "LogisticRegression on sklearn digits 8x8",
        "classifier_held_out_accuracy": accuracy,
        "captions": list(captions),
        "images_per_caption": args.per_caption,
        "runs": {},
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    for run in args.run:
        model = keras.saving.load_model(os.path.join(run, "model.keras"), compile=False)
        start = time.time()
        score, per, images = agreement(model, classifier, captions, args.per_caption)
        name = f"stage{model.stage}"
        grid = make_grid(images, columns=args.per_caption, padding=1, fill=255)
        grid_path = os.path.join(
            os.path.dirname(os.path.abspath(args.out)), f"stackgan_digits_{name}.png"
        )
        write_png(grid_path, upscale(grid, max(1, 512 // grid.shape[1])))
        results["runs"][name] = {
            "run": run,
            "image_shape": list(model.image_shape),
            "agreement": score,
            "agreement_per_caption": per,
            "grid": grid_path,
            "seconds": time.time() - start,
            "caption_saved_model": caption_signature_check(model, run, captions),
        }
        print(
            f"{name} ({run}): classifier agrees with the caption's digit on {score:.0%} of "
            f"{len(captions) * args.per_caption} images; grid {grid_path}"
        )
    print(f"classifier held-out accuracy {accuracy:.3f}")
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
