"""Loss and metric curves of the default CGAN run (`--preset=cgan`), as JSON and a PNG plot.

Builds and trains the CGAN preset (keras_gans/models/cgan/presets.py) exactly as
`keras-gans-train` does (`TrainConfig` with the preset defaults, `build_and_compile`, the same data
pipeline and seed), records every epoch's losses, and every `--eval_every` epochs (and before the
first) scores the generator with the digits reference classifier, as `keras-gans-eval` would but
on `--eval_samples` images: conditional accuracy and Frechet classifier distance, each beside the
real-versus-real baseline. After the last epoch it also runs the full evaluation (896 images,
`evaluate_run`'s default).

    python benchmarks/cgan_curves.py                    # a few minutes on 2 CPU cores
    python benchmarks/cgan_curves.py --epochs=20 --eval_every=5 --out=/tmp/curves

Writes `<out>/cgan_curves.json` and `<out>/cgan_curves.png` (default `benchmarks/results/`).
The plot is drawn with Pillow (a dependency of scikit-image), not matplotlib: left, the
discriminator and generator hinge losses per epoch; right, the conditional accuracy (left axis,
linear) and the FCD ratio, generated over real-versus-real (right axis, logarithmic), with the
real baseline dashed.
"""

import argparse
import dataclasses
import json
import math
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras_gans  # noqa: E402, F401  (first: it sets TensorFlow's oneDNN default)

# isort: split
import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_gans.images import write_png  # noqa: E402
from keras_gans.metrics import evaluators  # noqa: E402
from keras_gans.training import TrainConfig, get_spec, make_strategy  # noqa: E402
from keras_gans.training.train import build_and_compile  # noqa: E402

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


# -- Training with periodic evaluation -------------------------------------------------------------
class CurveRecorder(keras.callbacks.Callback):
    """Records each epoch's logs and, every `every` epochs, the digits evaluation of the generator.

    Args:
        config: The resolved `TrainConfig` (its dict is what the evaluator reads).
        every: Evaluate after every this many epochs (and before the first, and after the last).
        num_samples: Images per set of each evaluation.
        seed: Seed of the evaluation's noise and subsets (the same at every point).
        cache_dir: Cache of the reference classifier (None: the default).
    """

    def __init__(self, config, every, num_samples, seed=0, cache_dir=None):
        super().__init__()
        self.config = dataclasses.asdict(config)
        self.every = every
        self.num_samples = num_samples
        self.seed = seed
        self.cache_dir = cache_dir
        self.losses = {}
        self.points = []
        self.eval_seconds = 0.0

    def score(self, num_samples):
        """The evaluator of `evaluate_run`, on the model being trained (`num_samples` None: 896)."""
        context = evaluators.EvalContext(
            self.config,
            evaluators.TrainingModelSource(self.model),
            num_samples,
            self.seed,
            self.cache_dir,
        )
        return evaluators.evaluate_digits(context)

    def record(self, epoch):
        start = time.perf_counter()
        result = self.score(self.num_samples)
        self.eval_seconds += time.perf_counter() - start
        generated, baseline = result["generated"], result["real_baseline"]
        point = {
            "epoch": epoch,
            "conditional_accuracy": generated["conditional_accuracy"],
            "frechet_classifier_distance": generated["frechet_classifier_distance"],
            "fcd_ratio": result["fcd_ratio"],
            "classifier_score": generated["classifier_score"],
            "kernel_distance": generated["kernel_distance"],
            "real_conditional_accuracy": baseline["conditional_accuracy"],
            "real_frechet_classifier_distance": baseline["frechet_classifier_distance"],
            "real_classifier_score": baseline["classifier_score"],
        }
        self.points.append(point)
        print(
            f"epoch {epoch:4d}: conditional accuracy {point['conditional_accuracy']:.3f} "
            f"(real {point['real_conditional_accuracy']:.3f}), FCD ratio {point['fcd_ratio']:.2f}",
            flush=True,
        )

    def on_train_begin(self, logs=None):
        self.record(0)

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            self.losses.setdefault(name, []).append(float(value))
        if (epoch + 1) % self.every == 0 or epoch + 1 == self.params["epochs"]:
            self.record(epoch + 1)


def train_with_curves(epochs, every, num_samples, seed, cache_dir=None):
    """Trains the CGAN preset for `epochs` (None: the preset's) and returns the recorded curves."""
    spec = get_spec("cgan")
    config = TrainConfig(
        model="cgan", epochs=epochs, seed=seed, export=False, evaluate=False, verbose=0
    )
    config = config.resolved()
    strategy = make_strategy(config.strategy)
    dataset, info = spec.make_dataset(config, strategy.num_replicas_in_sync)
    model = build_and_compile(config, info, strategy)
    # As `train`: one endless seeded stream, `num_examples // batch_size` batches an epoch.
    steps = max(1, info.num_examples // config.batch_size)
    recorder = CurveRecorder(config, every, num_samples, seed=0, cache_dir=cache_dir)
    start = time.perf_counter()
    model.fit(
        dataset.repeat(),
        epochs=config.epochs,
        steps_per_epoch=steps,
        verbose=0,
        shuffle=False,  # the pipeline shuffles
        callbacks=[recorder],
    )
    total_seconds = time.perf_counter() - start
    final = recorder.score(None)
    return {
        "config": {
            name: value for name, value in dataclasses.asdict(config).items() if value is not None
        },
        "steps_per_epoch": steps,
        "eval_every": every,
        "eval_samples": num_samples,
        "eval_seed": 0,
        "train_seconds": round(total_seconds - recorder.eval_seconds, 1),
        "eval_seconds": round(recorder.eval_seconds, 1),
        "losses": recorder.losses,
        "evaluations": recorder.points,
        "final_evaluation": final,
    }


# -- Plot without matplotlib ----------------------------------------------------------------------
WHITE, BLACK, GREY, LIGHT = (255, 255, 255), (0, 0, 0), (120, 120, 120), (225, 225, 225)
BLUE, ORANGE, GREEN, RED = (31, 119, 180), (230, 120, 20), (44, 160, 44), (200, 40, 40)


def _font(size):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)  # scalable with FreeType (Pillow >= 10.1)
    except (TypeError, OSError):
        return ImageFont.load_default()


def _nice_ticks(low, high, count=5):
    """Round tick values covering [low, high]."""
    span = max(high - low, 1e-12)
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min(
        (m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=10 * magnitude
    )
    first = math.ceil(low / step - 1e-9) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


def _label(value):
    return f"{value:g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.0e}"


class Panel:
    """One plot area: maps data to pixels, draws axes, ticks, series and a legend."""

    def __init__(self, draw, box, x_range, y_range, y_log=False, title="", fonts=None):
        self.draw, self.box, self.title = draw, box, title
        self.x_range, self.y_range, self.y_log = x_range, y_range, y_log
        self.small, self.large = fonts
        self.legend = []

    def x(self, value):
        left, _, right, _ = self.box
        low, high = self.x_range
        return left + (value - low) / (high - low) * (right - left)

    def y(self, value, y_range=None, log=None):
        _, top, _, bottom = self.box
        low, high = y_range or self.y_range
        log = self.y_log if log is None else log
        if log:
            value, low, high = math.log10(value), math.log10(low), math.log10(high)
        return bottom - (value - low) / (high - low) * (bottom - top)

    def frame(self, x_label, y_label, y_color=BLACK):
        left, top, right, bottom = self.box
        for tick in _nice_ticks(*self.x_range):
            px = self.x(tick)
            self.draw.line([(px, top), (px, bottom)], fill=LIGHT)
            self.draw.line([(px, bottom), (px, bottom + 5)], fill=BLACK)
            self.draw.text((px, bottom + 8), _label(tick), fill=BLACK, font=self.small, anchor="mt")
        for tick in self._y_ticks(self.y_range, self.y_log):
            py = self.y(tick)
            self.draw.line([(left, py), (right, py)], fill=LIGHT)
            self.draw.line([(left - 5, py), (left, py)], fill=BLACK)
            self.draw.text((left - 8, py), _label(tick), fill=y_color, font=self.small, anchor="rm")
        self.draw.rectangle(self.box, outline=BLACK)
        self.draw.text(
            ((left + right) / 2, bottom + 28), x_label, fill=BLACK, font=self.small, anchor="mt"
        )
        self.draw.text((left, top - 10), y_label, fill=y_color, font=self.small, anchor="ls")
        self.draw.text(
            ((left + right) / 2, top - 30), self.title, fill=BLACK, font=self.large, anchor="ms"
        )

    def right_axis(self, y_range, log, label, color):
        """A second y axis on the right (its series pass `y_range` and `log` to `series`)."""
        _, top, right, _ = self.box
        for tick in self._y_ticks(y_range, log):
            py = self.y(tick, y_range, log)
            self.draw.line([(right, py), (right + 5, py)], fill=BLACK)
            self.draw.text((right + 8, py), _label(tick), fill=color, font=self.small, anchor="lm")
        self.draw.text((right, top - 10), label, fill=color, font=self.small, anchor="rs")

    @staticmethod
    def _y_ticks(y_range, log):
        if not log:
            return _nice_ticks(*y_range)
        low, high = (math.floor(math.log10(v) + 1e-9) for v in y_range)
        return [
            10.0**power for power in range(low, high + 1) if y_range[0] <= 10.0**power <= y_range[1]
        ]

    def series(
        self, xs, ys, color, name, width=2, dashed=False, markers=False, y_range=None, log=None
    ):
        points = [(self.x(x), self.y(y, y_range, log)) for x, y in zip(xs, ys)]
        if dashed:
            for start in range(0, len(points) - 1):
                (x0, y0), (x1, y1) = points[start], points[start + 1]
                length = math.hypot(x1 - x0, y1 - y0)
                for s in np.arange(0, length, 12):
                    e = min(s + 7, length)
                    self.draw.line(
                        [
                            (x0 + (x1 - x0) * s / length, y0 + (y1 - y0) * s / length),
                            (x0 + (x1 - x0) * e / length, y0 + (y1 - y0) * e / length),
                        ],
                        fill=color,
                        width=width,
                    )
        else:
            self.draw.line(points, fill=color, width=width, joint="curve")
        if markers:
            for px, py in points:
                self.draw.ellipse([(px - 3, py - 3), (px + 3, py + 3)], fill=color)
        self.legend.append((name, color, dashed))

    def draw_legend(self, top):
        """Draws the legend from `top` down, its entries flowing in rows of the panel's width."""
        left, _, right, _ = self.box
        x, y = left, top
        for name, color, dashed in self.legend:
            entry = 38 + self.draw.textlength(name, font=self.small) + 24
            if x > left and x + entry > right:
                x, y = left, y + 22
            if dashed:
                self.draw.line([(x, y), (x + 8, y)], fill=color, width=2)
                self.draw.line([(x + 14, y), (x + 22, y)], fill=color, width=2)
            else:
                self.draw.line([(x, y), (x + 22, y)], fill=color, width=2)
            self.draw.text((x + 30, y), name, fill=BLACK, font=self.small, anchor="lm")
            x += entry


def plot(curves, path):
    """Renders the two panels of `curves` into a PNG at `path`."""
    from PIL import Image, ImageDraw

    width, height = 1400, 600
    image = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(image)
    fonts = (_font(15), _font(19))
    epochs = len(curves["losses"]["d_loss"])
    x_range = (0, epochs)

    losses = Panel(
        draw,
        (80, 70, 640, 440),
        x_range,
        _padded_range(curves["losses"]["d_loss"] + curves["losses"]["g_loss"]),
        title="Losses (hinge), per epoch",
        fonts=fonts,
    )
    losses.frame("epoch", "loss")
    xs = list(range(1, epochs + 1))
    losses.series(xs, curves["losses"]["d_loss"], BLUE, "discriminator loss")
    losses.series(xs, curves["losses"]["g_loss"], ORANGE, "generator loss")
    losses.draw_legend(500)

    points = curves["evaluations"]
    ratios = [p["fcd_ratio"] for p in points]
    ratio_range = (
        10.0 ** math.floor(math.log10(min(min(ratios), 1.0))),
        10.0 ** math.ceil(math.log10(max(ratios))),
    )
    metrics = Panel(
        draw,
        (780, 70, 1310, 440),
        x_range,
        (0.0, 1.0),
        title=f"Evaluation every {curves['eval_every']} epochs (n={curves['eval_samples']})",
        fonts=fonts,
    )
    metrics.frame("epoch", "conditional accuracy", y_color=GREEN)
    metrics.right_axis(ratio_range, True, "FCD ratio (log)", RED)
    eval_epochs = [p["epoch"] for p in points]
    metrics.series(
        eval_epochs,
        [p["conditional_accuracy"] for p in points],
        GREEN,
        "conditional accuracy",
        markers=True,
    )
    metrics.series(
        x_range, [points[0]["real_conditional_accuracy"]] * 2, GREEN, "real accuracy", dashed=True
    )
    metrics.series(
        eval_epochs,
        ratios,
        RED,
        "FCD ratio (generated / real)",
        markers=True,
        y_range=ratio_range,
        log=True,
    )
    metrics.series(
        x_range, [1.0, 1.0], RED, "FCD ratio 1 = real", dashed=True, y_range=ratio_range, log=True
    )
    metrics.draw_legend(500)

    final = curves["final_evaluation"]
    caption = (
        f"CGAN preset (--preset=cgan), {epochs} epochs, digits 16x16. "
        f"After the last epoch (n={final['num_samples']}): "
        f"conditional accuracy {final['generated']['conditional_accuracy']:.3f} "
        f"(real {final['real_baseline']['conditional_accuracy']:.3f}), "
        f"FCD ratio {final['fcd_ratio']:.2f}."
    )
    draw.text((width / 2, height - 22), caption, fill=BLACK, font=fonts[0], anchor="ms")
    write_png(path, np.asarray(image))


def _padded_range(values, pad=0.05):
    low, high = min(values), max(values)
    margin = (high - low) * pad or 1.0
    return low - margin, high + margin


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--epochs", type=int, default=None, help="Epochs (default: the preset's 200)."
    )
    parser.add_argument("--eval_every", type=int, default=10, help="Evaluate every N epochs.")
    parser.add_argument(
        "--eval_samples", type=int, default=500, help="Images per set of each evaluation."
    )
    parser.add_argument("--seed", type=int, default=0, help="Training seed (the preset's: 0).")
    parser.add_argument(
        "--cache_dir",
        default=None,
        help="Reference classifier cache (default ~/.cache/keras_gans).",
    )
    parser.add_argument(
        "--out", default=RESULTS_DIR, help="Folder of cgan_curves.json and cgan_curves.png."
    )
    parser.add_argument(
        "--plot_only", action="store_true", help="Redraw the PNG from the existing JSON."
    )
    args = parser.parse_args()
    json_path = os.path.join(args.out, "cgan_curves.json")
    png_path = os.path.join(args.out, "cgan_curves.png")
    if args.plot_only:
        with open(json_path, encoding="utf-8") as handle:
            curves = json.load(handle)
    else:
        curves = train_with_curves(
            args.epochs, args.eval_every, args.eval_samples, args.seed, args.cache_dir
        )
        curves = {
            "command": "python benchmarks/cgan_curves.py"
            + "".join(
                f" --{k}={v}"
                for k, v in vars(args).items()
                if v not in (None, False) and k != "out" and v != parser.get_default(k)
            ),
            "machine": {
                "platform": platform.platform(),
                "processor": platform.processor(),
                "cpus": os.cpu_count(),
            },
            **curves,
        }
        os.makedirs(args.out, exist_ok=True)
        with open(json_path, "w", encoding="utf-8") as handle:
            json.dump(curves, handle, indent=2)
    plot(curves, png_path)
    final = curves["final_evaluation"]
    print(
        f"Final (n={final['num_samples']}): "
        f"conditional accuracy {final['generated']['conditional_accuracy']:.4f} "
        f"(real {final['real_baseline']['conditional_accuracy']:.4f}), "
        f"FCD ratio {final['fcd_ratio']:.3f}"
    )
    print(f"Wrote {json_path} and {png_path}")


if __name__ == "__main__":
    main()
