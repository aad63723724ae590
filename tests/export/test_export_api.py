"""The public names of `keras_gans.export` (changing them is an API change)."""

import keras_gans.export as export


def test_public_names():
    assert sorted(export.__all__) == [
        "ExportResult",
        "InputSpec",
        "OnnxRunner",
        "ParityError",
        "ParityReport",
        "TranslateConfig",
        "check_inputs",
        "encode_png",
        "export_model",
        "export_run",
        "load_generator",
        "load_training_model",
        "make_grid",
        "models_config_text",
        "sample_grid",
        "save_onnx",
        "save_saved_model",
        "translate_files",
        "verify",
        "write_png",
    ]
    for name in export.__all__:
        assert getattr(export, name) is not None
