"""StackGAN presets: `TrainConfig` values by name; the first is the default and
`StackGAN.build()`'s.

`image_size` is Stage I's resolution; Stage II trains at 4x it on the trained Stage I:
`--preset=NAME --stage=1`, then `--preset=NAME --stage=2` (reads runs/stackgan/model.keras).
Widths and depth not preset follow the resolution (`StackGAN.build`): the paper's df 64 and 4
residual blocks from 64x64 up; below, Stage I keeps df 64 and Stage II has df 6 and 1 block.
"""

# Group size of the `stackgan` preset's minibatch standard deviation, also `StackGAN.build()`'s.
MINIBATCH_STD = 4

PRESETS = {
    # CPU preset on the bundled captioned digits ("a thick seven leaning right"): Stage I at 16x16
    # for 20 epochs, Stage II at 64x64 for 10. The paper's structure with widths, depth and
    # resolution shrunk; condition 32 instead of 128.
    "stackgan": {
        "dataset": "digits",
        "image_size": 16,
        "channels": 1,
        "batch_size": 64,
        "epochs": 20,
        "latent_dim": 32,
        "condition_dim": 32,
        # The paper's KL weight of 2.0 pulls the CA condition towards N(0, I) hard enough that
        # a caption's digit is lost in its noise here (caption agreement 0.70 at seed 0); 0.2
        # kept it (0.99). benchmarks/results/quality_tuning.json, runs st_kl*.
        "kl_weight": 0.2,
        # Two additions to the paper, measured at seed 0 (quality_tuning.json, st_mbstd and
        # st2_refine): ProGAN's minibatch standard deviation in both discriminators took Stage
        # I's FCD ratio from 5.95 to 4.31 (its samples had varied too little within a caption);
        # a Stage II that corrects the upsampled Stage-I image took Stage II from 7.51 (a new
        # image drawn by a 6-filter network in 20 epochs) to 3.78 in 10 epochs (3.75 in 20).
        # Over quality.py's three seeds it moved Stage I's 5.01 / 6.33 / 5.51 to 4.70 / 5.17 /
        # 6.32 (stackgan_quality_stage1): it keeps Stage I's quality, it does not reliably add.
        # Stage I at the paper's df 64 (gf 128) instead of 32 moved the three seeds from 4.38 /
        # 6.59 / 5.15 to 3.54 / 4.18 / 4.83 (st_s1_df64), both stages in 178-190 s.
        "minibatch_std": MINIBATCH_STD,
        "refine": True,
        "stage2_epochs": 10,
        "stage": 1,
        "loss": "non_saturating",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
        # Adam's second moment over ~10 steps (WGAN-GP's 0.9) instead of ~1,000: FCD ratio 2.70 /
        # 2.65 / 3.84 at seeds 0-2 against 0.999's 3.54 / 4.18 / 4.83, and 4.30 / 4.36 against
        # 9.07 / 5.51 at seeds 3 / 4 (st_check_*). At seeds 0 / 2, 0.8 read 3.29 / 3.91 and 0.95
        # 3.71 / 3.50: much of a seed's move is noise (quality_tuning.json st_b2_*).
        "beta_2": 0.9,
        # Instance noise (Sonderby et al. 2016) of standard deviation 0.1 on every image both
        # stages' discriminators see: FCD ratio 1.86 / 2.02 / 2.25 / 2.54 / 1.83 at seeds 0-4
        # against 2.70 / 2.65 / 3.84 / 4.30 / 4.36 without; it costs some caption agreement
        # (0.972 / 0.966 / 0.949 / 0.915 / 0.945 against 0.975 / 0.986 / 0.974 / 0.956 /
        # 0.965). 0.05 read 1.83 / 2.92 / 2.69 at seeds 0-2 (quality_tuning.json, st_in*).
        "instance_noise": 0.1,
    },
    # As Zhang et al. trained it on CUB-200-2011: Stage I 64x64, Stage II 256x256, z 100, condition
    # 128, df 64 / gf 128, 4 residual blocks, batch 64, Adam 2e-4 / beta_1 0.5 halved every 50
    # (Stage I) / 100 (Stage II) epochs, 600 epochs each. Captions from the StackGAN release layout
    # (data/birds/images/<class>/<name>.jpg beside data/birds/text_c10/<class>/<name>.txt); use
    # --dataset=tfds:caltech_birds2011 for class-name captions instead. Needs a GPU (add
    # --strategy=mirrored).
    "stackgan_birds": {
        "dataset": "folder:data/birds",
        "image_size": 64,
        "channels": 3,
        "batch_size": 64,
        "epochs": 600,
        "latent_dim": 100,
        "condition_dim": 128,
        "kl_weight": 2.0,
        "base_filters": 64,
        "stage": 1,
        "loss": "non_saturating",
        "learning_rate": 2e-4,
        "beta_1": 0.5,
    },
}
