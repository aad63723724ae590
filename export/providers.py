"""Which ONNX Runtime execution provider to use, decided by what actually works on this machine.

onnxruntime-gpu lists `CUDAExecutionProvider` as available whether or not a GPU and the CUDA
libraries are present; a session asked for it on a machine without them logs a loud error and
silently runs on the CPU. So CUDA is only requested when the CUDA driver reports a device, and the
provider a session really got is read back from `session.get_providers()` after creating it.
"""

import ctypes
import logging
import os
import sys

import onnxruntime as ort

CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"
DEVICES = ("auto", "cpu", "cuda")

logger = logging.getLogger(__name__)


def cuda_device_count():
    """Number of CUDA devices the driver reports; 0 without a driver. Prints nothing."""
    library = "nvcuda.dll" if sys.platform == "win32" else "libcuda.so.1"
    try:
        driver = ctypes.CDLL(library)
    except OSError:
        return 0
    count = ctypes.c_int(0)
    if driver.cuInit(0) != 0 or driver.cuDeviceGetCount(ctypes.byref(count)) != 0:
        return 0
    return count.value


def physical_cores():
    """Physical cores this process may run on (hyper-threads share a core's vector units)."""
    allowed = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            blocks = f.read().strip().split("\n\n")
    except OSError:
        return max(1, allowed or 1)
    cores = set()
    for block in blocks:
        fields = {
            k.strip(): v.strip() for k, _, v in (line.partition(":") for line in block.splitlines())
        }
        if "core id" in fields:
            cores.add((fields.get("physical id"), fields["core id"]))
    if not cores:
        return max(1, allowed or 1)
    return max(1, min(len(cores), allowed or len(cores)))


_preloaded = False


def preload_cuda_libraries():
    """Loads the CUDA and cuDNN libraries from pip's `nvidia-*` wheels, once, where onnxruntime can.

    onnxruntime-gpu does not find libraries installed as `nvidia-cudnn-cu13` and friends by
    itself; `onnxruntime.preload_dlls` (1.21+) loads them. A missing library is not an error here:
    the session's provider check afterwards says whether CUDA really works.
    """
    global _preloaded
    if _preloaded or not hasattr(ort, "preload_dlls"):
        return
    _preloaded = True
    try:
        ort.preload_dlls()
    except Exception as error:  # pylint: disable=broad-except
        logger.info(
            "onnxruntime.preload_dlls failed (%s); using the default library search.", error
        )


def requested_providers(device="auto"):
    """The provider list to ask a session for.

    Args:
        device: `auto` (CUDA when onnxruntime lists it and the driver reports a device, else CPU),
            `cpu`, or `cuda` (CUDA first, even when no device is detected).

    Returns:
        A list of provider names, CPU always last as the fallback.
    """
    if device not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}; received {device!r}.")
    if device == "cpu":
        return [CPU]
    if device == "cuda":
        return [CUDA, CPU]
    if CUDA in ort.get_available_providers() and cuda_device_count() > 0:
        return [CUDA, CPU]
    return [CPU]


def options_for(requested, device_id=0, tf32=True):
    """Per-provider options matching `requested`: the CUDA device and whether TF32 math is
    allowed."""
    cuda = {"device_id": int(device_id), "use_tf32": int(bool(tf32))}
    return [cuda if name == CUDA else {} for name in requested]


def create_session(
    path, device="auto", device_id=0, intra_op_threads=None, session_config=None, tf32=True
):
    """An `InferenceSession` on the best provider that really works, and that provider's name.

    Args:
        path: The `.onnx` file.
        device: See `requested_providers`.
        device_id: The CUDA device to use.
        intra_op_threads: Threads of the CPU provider; default the physical core count.
        session_config: Extra `SessionOptions` config entries, e.g.
            `{"session.intra_op.allow_spinning": "0"}` on machines whose cores are shared.
        tf32: Whether the CUDA provider may use TF32 math in convolutions and matmuls.

    Returns:
        `(session, provider)` where `provider` is the first of `session.get_providers()`.

    Raises:
        ValueError: If `path` is not an ONNX model (missing, corrupt, or not a graph).
        RuntimeError: If `device="cuda"` and the session fell back to the CPU.
    """
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = intra_op_threads or physical_cores()
    options.log_severity_level = 3  # errors only: optimizer notes are not the user's concern
    for key, value in (session_config or {}).items():
        options.add_session_config_entry(key, str(value))
    requested = requested_providers(device)
    if CUDA in requested:
        preload_cuda_libraries()
    provider_options = options_for(requested, device_id, tf32)
    try:
        session = ort.InferenceSession(
            path, sess_options=options, providers=requested, provider_options=provider_options
        )
    except (
        ort.capi.onnxruntime_pybind11_state.InvalidProtobuf,
        ort.capi.onnxruntime_pybind11_state.InvalidGraph,
        ort.capi.onnxruntime_pybind11_state.NoSuchFile,
    ) as error:
        raise ValueError(
            f"{path} is not a loadable ONNX model: {str(error).splitlines()[0]}"
        ) from error
    provider = session.get_providers()[0]
    if CUDA in requested and provider != CUDA:
        message = (
            f"{CUDA} was requested for {path} but the session fell back to {provider} "
            "(CUDA or cuDNN libraries missing?)."
        )
        if device == "cuda":
            raise RuntimeError(message)
        logger.warning(message)
    logger.info("ONNX Runtime runs %s on %s.", path, provider)
    return session, provider
