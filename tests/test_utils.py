import numpy as np
import pytest

from meanfield import utils


def test_as_generator_seed_is_reproducible():
    a = utils.as_generator(7).standard_normal(5)
    b = utils.as_generator(7).standard_normal(5)
    np.testing.assert_array_equal(a, b)
    gen = np.random.default_rng(1)
    assert utils.as_generator(gen) is gen


@pytest.mark.parametrize("bad", [1.5, "seed", True])
def test_as_generator_rejects_non_seeds(bad):
    with pytest.raises(TypeError, match="rng"):
        utils.as_generator(bad)


def test_as_generator_rejects_negative_seed():
    with pytest.raises(ValueError, match="rng"):
        utils.as_generator(-1)


def test_checks_name_the_parameter():
    with pytest.raises(ValueError, match="T: must be > 0"):
        utils.check_positive("T", 0.0)
    with pytest.raises(ValueError, match="tau: must be finite"):
        utils.check_positive("tau", np.nan)
    with pytest.raises(TypeError, match="n: expected an integer"):
        utils.check_int("n", 2.0)
    with pytest.raises(ValueError, match=r"n: must be an integer >= 1"):
        utils.check_int("n", 0)
    with pytest.raises(ValueError, match=r"a: must lie in \[0, 1\)"):
        utils.check_in_range("a", 1.0, 0, 1)
    with pytest.raises(ValueError, match="method: unknown value 'x'; valid values are 'a', 'b'"):
        utils.check_choice("method", "x", ("a", "b"))
    with pytest.raises(ValueError, match="v: last axis must have length 3"):
        utils.check_vectors("v", np.zeros((4, 2)), 3)
    with pytest.raises(ValueError, match="v: contains NaN"):
        utils.check_vectors("v", [np.nan, 0.0])


def test_uniform_sphere_is_unit_and_isotropic():
    x = utils.uniform_sphere(20_000, 3, rng=3)
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-14)
    # E[x] = 0 and E[x x^T] = I/3, within 5 standard errors
    assert np.all(np.abs(x.mean(axis=0)) < 5 * np.sqrt(1 / 3 / 20_000))
    cov = x.T @ x / len(x)
    assert np.max(np.abs(cov - np.eye(3) / 3)) < 0.01


def test_check_normals_shape_and_finiteness():
    from meanfield.utils import check_normals

    out = check_normals("noise", [[0.0, 1.0]], (1, 2))
    assert out.dtype == float and out.shape == (1, 2)
    with pytest.raises(ValueError, match=r"^noise: expected shape \(2, 2\), got \(1, 2\)"):
        check_normals("noise", [[0.0, 1.0]], (2, 2))
    with pytest.raises(ValueError, match="^common: contains NaN"):
        check_normals("common", [np.nan], (1,))


def test_check_callable():
    from meanfield.utils import check_callable

    assert check_callable("dV", np.sin) is np.sin
    assert check_callable("dV", None, allow_none=True) is None
    with pytest.raises(TypeError, match="^dV: expected a vectorised callable"):
        check_callable("dV", None)
    with pytest.raises(TypeError, match="^drift: "):
        check_callable("drift", 3.0)


def test_coarsen_normals_sums_increments_of_one_path():
    from meanfield.utils import coarsen_normals

    z = np.random.default_rng(0).standard_normal((12, 3))
    h = 0.1
    for m in (1, 2, 3, 4, 6):
        zc = coarsen_normals(z, m)
        assert zc.shape == (12 // m, 3)
        # the Brownian path at the coarse times is the same
        np.testing.assert_allclose(np.cumsum(np.sqrt(m * h) * zc, axis=0), np.cumsum(np.sqrt(h) * z, axis=0)[m - 1 :: m],
                                   rtol=0, atol=1e-13)
    big = coarsen_normals(np.random.default_rng(1).standard_normal((4000, 50)), 8)
    assert abs(big.var() - 1) < 0.1  # still standard normals
    with pytest.raises(ValueError, match="^factor: must divide"):
        coarsen_normals(z, 5)
    with pytest.raises(ValueError, match="^factor"):
        coarsen_normals(z, 0)


def test_check_times():
    from meanfield.utils import check_times

    assert check_times("t", [0, 1.5]).tolist() == [0.0, 1.5]
    with pytest.raises(ValueError, match="^t: times must be finite and >= 0"):
        check_times("t", [-0.1])
    with pytest.raises(ValueError, match="^t: times"):
        check_times("t", np.inf)


def test_check_positions_copies_and_validates():
    from meanfield.utils import check_positions

    a = np.zeros((2, 3))
    x = check_positions("x0", a)
    x += 1
    assert a.sum() == 0  # a copy
    for bad in (np.zeros((0,)), np.zeros((2, 0)), np.zeros((1, 2, 3)), 1.0):
        with pytest.raises(ValueError, match=r"^x0: expected shape \(N,\) or \(R, N\)"):
            check_positions("x0", bad)
    with pytest.raises(ValueError, match="^x0: contains NaN"):
        check_positions("x0", [np.nan])
