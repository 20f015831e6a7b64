import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def tiny_hf_dir(tmp_path_factory) -> Path:
    from tiny_models import build_tiny_hf_model

    return build_tiny_hf_model(tmp_path_factory.mktemp("tiny") / "hf")


@pytest.fixture(scope="session")
def tiny_onnx_dir(tiny_hf_dir, tmp_path_factory) -> Path:
    """The tiny model exported through the real export pipeline, with a manifest."""
    from training.encoder.pipeline import export_base

    out = tmp_path_factory.mktemp("tiny") / "onnx"
    export_base(tiny_hf_dir, out, {
        "max_length": 64, "prefix": "query: ", "fp32_tolerance": 1e-4, "int8_min_cosine": 0.9,
    })
    return out

# Storage/API fixtures (both databases, the real analyzer) for tests/db, tests/services, tests/api.
pytest_plugins = ["service_fixtures"]
