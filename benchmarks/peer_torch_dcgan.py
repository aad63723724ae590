"""pytorch/examples' DCGAN (dcgan/main.py) as a timed worker for benchmarks/peer_race.py.

The Generator, Discriminator, weight initialisation and training loop are the example's: ngf = ndf
= 64, nz = 100, 3 x 64 x 64 images, BatchNorm, BCE on a sigmoid output, Adam(2e-4, betas (0.5,
0.999)); D on a real batch and on G(z).detach(), then G through D on the same G(z). Its
DataLoader is replaced by one in-memory batch of random images (as our side's repeated dataset);
`--precision=bfloat16` runs each step under `torch.autocast("cpu", dtype=torch.bfloat16)`.

Runs in a virtual environment with PyTorch and NumPy (not the project's):

    .torch-venv/bin/python benchmarks/peer_torch_dcgan.py --precision=float32

then answers `{"batch": B, "warmup": W, "steps": K}` lines with `{"seconds": ...}` (bench_common).
"""

import argparse
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import serve  # noqa: E402

NZ, NGF, NDF, NC = 100, 64, 64, 3


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(NZ, NGF * 8, 4, 1, 0, bias=False),
            nn.BatchNorm2d(NGF * 8),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 8, NGF * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NGF * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NGF * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NGF),
            nn.ReLU(True),
            nn.ConvTranspose2d(NGF, NC, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, noise):
        return self.main(noise)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(NC, NDF, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NDF * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NDF * 4),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 4, NDF * 8, 4, 2, 1, bias=False),
            nn.BatchNorm2d(NDF * 8),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(NDF * 8, 1, 4, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, images):
        return self.main(images).view(-1, 1).squeeze(1)


def weights_init(module):
    name = module.__class__.__name__
    if name.find("Conv") != -1:
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif name.find("BatchNorm") != -1:
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class Trainer:
    """The example's networks, loss and optimizers, and its loop body as `step(real)`."""

    def __init__(self, precision, seed=0):
        torch.manual_seed(seed)
        self.net_g, self.net_d = Generator(), Discriminator()
        self.net_g.apply(weights_init)
        self.net_d.apply(weights_init)
        self.criterion = nn.BCELoss()
        self.opt_d = torch.optim.Adam(self.net_d.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.opt_g = torch.optim.Adam(self.net_g.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.autocast = precision == "bfloat16"

    def step(self, real):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.autocast):
            # (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
            self.net_d.zero_grad()
            batch_size = real.size(0)
            label = torch.full((batch_size,), 1.0, dtype=real.dtype)
            output = self.net_d(real)
            err_d_real = self.criterion(output, label)
            err_d_real.backward()
            output.mean().item()
            noise = torch.randn(batch_size, NZ, 1, 1)
            fake = self.net_g(noise)
            label.fill_(0.0)
            output = self.net_d(fake.detach())
            err_d_fake = self.criterion(output, label)
            err_d_fake.backward()
            output.mean().item()
            err_d = err_d_real + err_d_fake
            self.opt_d.step()
            # (2) Update G: maximize log(D(G(z)))
            self.net_g.zero_grad()
            label.fill_(1.0)
            output = self.net_d(fake)
            err_g = self.criterion(output, label)
            err_g.backward()
            output.mean().item()
            self.opt_g.step()
        return err_d.item(), err_g.item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", choices=("float32", "bfloat16"), default="float32")
    args = parser.parse_args()
    trainer = Trainer(args.precision)
    batches = {}

    def run_round(batch, warmup, steps):
        if batch not in batches:
            generator = torch.Generator().manual_seed(0)
            batches[batch] = torch.rand(batch, NC, 64, 64, generator=generator) * 2 - 1
        for _ in range(warmup):
            trainer.step(batches[batch])
        start = time.perf_counter()
        for _ in range(steps):
            trainer.step(batches[batch])
        return {
            "seconds": time.perf_counter() - start,
            "torch_threads": torch.get_num_threads(),
            "torch": torch.__version__,
        }

    serve(run_round)


if __name__ == "__main__":
    main()
