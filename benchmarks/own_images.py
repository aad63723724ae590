"""A user's own folder, end to end: the README's own-images commands on a folder of real photos.

The folder is scikit-image's `lfw_subset` (200 grey 25x25 face photos, shipped inside the
package), written out as PNG files as a user's folder would be. The script then runs the README's
commands through the installed console scripts, as a user would: `keras-gans-train` (which
holds out a tenth of the folder, trains, evaluates on the held-out images and exports),
`keras-gans-eval` on the run, and `keras-gans-sample --num_images`. It records each command, its
wall time, and the end-of-run evaluation (FD on the download-free random-convolution features
beside the real-versus-real baseline, KID, precision and recall, memorisation) in
benchmarks/results/own_images.json.

    python benchmarks/own_images.py                    # DCGAN with DiffAugment, 300 epochs
    python benchmarks/own_images.py --epochs=20        # a quick look
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

RESULTS = os.path.join(os.path.dirname(__file__), "results", "own_images.json")


def write_faces(folder):
    """Writes the 200 LFW faces as `face_000.png` ... into `folder`; returns how many."""
    import numpy as np
    from PIL import Image
    from skimage import data

    faces = data.lfw_subset()
    os.makedirs(folder, exist_ok=True)
    for index, face in enumerate(faces):
        pixels = np.clip(np.round(face * 255.0), 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(os.path.join(folder, f"face_{index:03d}.png"))
    return len(faces)


def tool(name):
    """The console script `name` installed beside this Python."""
    return os.path.join(os.path.dirname(sys.executable), name)


def timed(command):
    start = time.time()
    completed = subprocess.run(command, capture_output=True, text=True)
    seconds = time.time() - start
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout[-4000:] + completed.stderr[-4000:])
        raise SystemExit(f"{' '.join(command)} exited {completed.returncode}")
    return seconds, completed.stdout + completed.stderr


def last_line(output, prefix):
    lines = [line for line in output.splitlines() if prefix in line]
    return lines[-1].strip() if lines else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--batch_size", type=int, default=32)
    parser.add_argument("--augment", default="translation,cutout")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", default=None, help="Keep the folder and run here.")
    args = parser.parse_args()

    work = args.keep or tempfile.mkdtemp(prefix="own_images_")
    photos, run_dir = os.path.join(work, "faces"), os.path.join(work, "runs", "faces")
    fake = os.path.join(work, "fake")
    shutil.rmtree(run_dir, ignore_errors=True)
    count = write_faces(photos)
    train = [
        tool("keras-gans-train"),
        "--model=dcgan",
        f"--dataset=folder:{photos}",
        "--image_size=32",
        "--channels=1",
        f"--batch_size={args.batch_size}",
        f"--augment={args.augment}",
        f"--epochs={args.epochs}",
        f"--seed={args.seed}",
        f"--output_dir={run_dir}",
        "--verbose=0",
    ]
    evaluate = [tool("keras-gans-eval"), f"--run_dir={run_dir}"]
    sample = [
        tool("keras-gans-sample"),
        f"--model_path={run_dir}",
        "--num_images=100",
        f"--output_dir={fake}",
    ]
    load_before = os.getloadavg()
    steps = []
    for name, command in (("train", train), ("eval", evaluate), ("sample", sample)):
        seconds, output = timed(command)
        steps.append(
            {
                "name": name,
                "command": " ".join(command).replace(work + os.sep, ""),
                "seconds": round(seconds, 1),
                "summary": last_line(output, "real"),
            }
        )
        print(f"{name}: {seconds:.0f}s {steps[-1]['summary']}", flush=True)
    with open(os.path.join(run_dir, "metrics.json"), encoding="utf-8") as handle:
        evaluation = json.load(handle)["evaluation"]
    exported = sorted(os.listdir(os.path.join(run_dir, "export")))
    result = {
        "protocol": (
            f"scikit-image lfw_subset ({count} grey 25x25 faces) written as PNG files; the "
            "README's own-images commands; a tenth of the folder held out (two halves: "
            "reference and real baseline)."
        ),
        "command": "python benchmarks/own_images.py",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average": [load_before[0], os.getloadavg()[0]],
        "settings": vars(args) | {"keep": None},
        "steps": steps,
        "evaluation": evaluation,
        "export": exported,
        "sample_files": len(os.listdir(fake)),
    }
    with open(RESULTS, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
