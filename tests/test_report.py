import pytest

from meanfield import report


def test_check_line_formats_value_reference_error():
    assert report.check_line("W2", 0.877013, 0.877010) == "W2 = 0.877013 (closed form 0.87701, |err| 3e-06)"
    assert report.check_line("m", 1.0 + 1e-15, 1.0, ref_label="quadrature") == (
        "m = 1 (quadrature 1, |err| < 1e-12)"
    )


def test_mc_line_reports_standard_errors():
    assert report.mc_line("G", 0.6046, 0.0012, 0.6050) == "G = 0.6046 ± 0.0012 (closed form 0.6050, |err| = 0.3 SE)"
    assert report.mc_line("l", 0.48741, 0.028) == "l = 0.487 ± 0.028"
    assert report.mc_line("q", -1e-17, 0.01) == "q = 0.000 ± 0.010"
    with pytest.raises(ValueError, match="se: must be finite and > 0"):
        report.mc_line("Q", 0.0, 0.0)


def test_stable_removes_negative_zero():
    assert f"{report.stable(-1e-17, decimals=4):+.4f}" == "+0.0000"
    assert report.stable(0.123456, digits=3) == 0.123
