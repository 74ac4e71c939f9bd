//! Small numeric helpers on the generator's per-report path.

/// Largest magnitude below which every `f64` with a fractional part converts to `i64` and back
/// exactly: 2^52 (from there on every `f64` is a whole number).
const EXACT_INTEGER_LIMIT: f64 = 4_503_599_627_370_496.0;

/// `x.round()` (half away from zero), bit for bit, without the library call that
/// `f64::round` compiles to on x86-64 without SSE 4.1.
///
/// Below 2^52 in magnitude the truncation `x as i64` and the difference `x - t` are exact, so
/// comparing the difference with ±0.5 decides the rounding exactly as `round` does; the sign
/// is copied so that values in (-0.5, 0) give -0.0 as `round` does. Larger, infinite and NaN
/// values go to `f64::round`.
#[inline]
pub(crate) fn round_half_away(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= EXACT_INTEGER_LIMIT {
        return x.round();
    }
    let t = x as i64;
    let frac = x - t as f64;
    let r = t + i64::from(frac >= 0.5) - i64::from(frac <= -0.5);
    (r as f64).copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn rounds_like_the_library() {
        let special = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            0.49999999999999994,
            -0.49999999999999994,
            1.5,
            2.5,
            -2.5,
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            EXACT_INTEGER_LIMIT,
            9.0e18,
            -9.3e18,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
        ];
        for x in special {
            assert_eq!(round_half_away(x).to_bits(), x.round().to_bits(), "{x}");
        }
        assert!(round_half_away(f64::NAN).is_nan());
        let mut rng = Rng::new(7);
        for _ in 0..1_000_000 {
            // Coordinates times the wire's scales, and halves exactly.
            let x =
                rng.range(-200.0, 200.0) * [1.0, 10.0, 600_000.0, 1e6, 1e7][rng.below(5) as usize];
            let half = (rng.range(-1e6, 1e6)).trunc() + 0.5;
            for v in [x, half, -half] {
                assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "{v}");
            }
        }
    }
}
