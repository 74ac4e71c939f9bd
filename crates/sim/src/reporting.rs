//! AIS reporting intervals by station class, speed and navigational status.
//!
//! Class A (ITU-R M.1371-5, Annex 1, §4.2.1, Table 1):
//!
//! | condition                                   | interval |
//! |---------------------------------------------|----------|
//! | at anchor or moored, not faster than 3 kn   | 3 min    |
//! | at anchor or moored, faster than 3 kn       | 10 s     |
//! | 0–14 kn                                     | 10 s     |
//! | 0–14 kn and changing course                 | 3⅓ s     |
//! | 14–23 kn                                    | 6 s      |
//! | 14–23 kn and changing course                | 2 s      |
//! | faster than 23 kn (changing course or not)  | 2 s      |
//!
//! Class B "CS" (ITU-R M.1371-5, Annex 1, Table 2; IEC 62287-1): 3 min when not faster than
//! 2 kn, 30 s otherwise.
//!
//! Static and voyage related data (message 5 for Class A; message 24 parts A and B for Class
//! B "CS") every 6 min, as ITU-R M.1371-5 sets for both classes: [`STATIC_INTERVAL_S`].
//!
//! The generator uses the straight-ahead rows: its vessels change course only at waypoints,
//! for a few seconds, which the table's "changing course" rows would not visibly change.

/// Static and voyage related data interval, seconds (6 min).
pub const STATIC_INTERVAL_S: f64 = 360.0;

/// Class A position report interval, seconds, for a vessel at `speed_knots`, `moored` when its
/// navigational status is "at anchor" or "moored".
pub fn class_a_interval_s(speed_knots: f64, moored: bool) -> f64 {
    if moored {
        if speed_knots <= 3.0 { 180.0 } else { 10.0 }
    } else if speed_knots <= 14.0 {
        10.0
    } else if speed_knots <= 23.0 {
        6.0
    } else {
        2.0
    }
}

/// Class B "CS" position report interval, seconds.
pub fn class_b_interval_s(speed_knots: f64) -> f64 {
    if speed_knots <= 2.0 { 180.0 } else { 30.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows() {
        assert_eq!(class_a_interval_s(0.5, true), 180.0);
        assert_eq!(class_a_interval_s(4.0, true), 10.0);
        assert_eq!(class_a_interval_s(12.0, false), 10.0);
        assert_eq!(class_a_interval_s(18.0, false), 6.0);
        assert_eq!(class_a_interval_s(30.0, false), 2.0);
        assert_eq!(class_b_interval_s(1.0), 180.0);
        assert_eq!(class_b_interval_s(8.0), 30.0);
    }
}
