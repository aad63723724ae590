"""Generate images from an exported `.onnx` file with ONNX Runtime, on CUDA when it really works."""

import onnxruntime as ort

from keras_gans.export import inputs as inputs_lib
from keras_gans.export import metadata as metadata_lib
from keras_gans.export import providers
from keras_gans.inference import GeneratesFromInputs


class OnnxRunner(GeneratesFromInputs):
    """Runs an exported generator on numpy inputs, checking them first.

    `generate(inputs, num_images, seed)` is the training models' call: noise left out is drawn
    as they draw it, so the same seed gives the training model's images.

    Args:
        path: The `.onnx` file written by `export_model`.
        device: `auto` (CUDA when a usable GPU is there, else CPU), `cpu` or `cuda` (fail rather
            than fall back).
        device_id: The CUDA device.
        io_binding: Bind inputs and outputs to the provider's device (`OrtValue`s), so a GPU run
            copies each input in and each output out exactly once.
        intra_op_threads: CPU threads; default the number of physical cores.
        session_config: Extra ONNX Runtime session config entries (see `providers.create_session`).
        tf32: Let the CUDA provider use TF32 tensor-core math (its default: faster, about 1e-3
            absolute difference on [-1, 1] images); False gives float32 results within 1e-4 of the
            CPU.

    Example::

        runner = OnnxRunner("export/generator/1/model.onnx")
        runner.provider  # 'CPUExecutionProvider' on a machine without CUDA
        images = runner.run({"noise": noise})["images"]
        images = runner.generate(num_images=16, seed=0)["images"]
    """

    def __init__(
        self,
        path,
        device="auto",
        device_id=0,
        io_binding=False,
        intra_op_threads=None,
        session_config=None,
        tf32=True,
    ):
        self.path = str(path)
        self.session, self._provider = providers.create_session(
            self.path,
            device=device,
            device_id=device_id,
            intra_op_threads=intra_op_threads,
            session_config=session_config,
            tf32=tf32,
        )
        self.device_id = device_id
        self.io_binding = bool(io_binding)
        self.metadata = dict(self.session.get_modelmeta().custom_metadata_map)
        self.input_specs = inputs_lib.specs_from_onnx(
            self.session.get_inputs(), metadata_lib.num_classes(self.metadata)
        )
        self.output_names = [output.name for output in self.session.get_outputs()]

    @property
    def provider(self):
        """The execution provider the session really runs on, e.g. `CPUExecutionProvider`."""
        return self._provider

    def run(self, inputs):
        """Runs the graph.

        Args:
            inputs: `{input_name: array}`; see `input_specs` for names, dtypes and shapes.

        Returns:
            `{output_name: np.ndarray}`, e.g. `{"images": [B, H, W, C]}`.

        Raises:
            ValueError: If an input is missing, unknown, of the wrong dtype or shape, or a label
                lies outside `[0, num_classes)`.
        """
        arrays = inputs_lib.check_inputs(self.input_specs, inputs)
        if self.io_binding:
            values = self._run_bound(arrays)
        else:
            values = self.session.run(self.output_names, arrays)
        return dict(zip(self.output_names, values))

    def _run_bound(self, arrays):
        device_type = "cuda" if self.provider == providers.CUDA else "cpu"
        binding = self.session.io_binding()
        for name, array in arrays.items():
            value = ort.OrtValue.ortvalue_from_numpy(array, device_type, self.device_id)
            binding.bind_ortvalue_input(name, value)
        for name in self.output_names:
            binding.bind_output(name, device_type, self.device_id)
        self.session.run_with_iobinding(binding)
        return binding.copy_outputs_to_cpu()
