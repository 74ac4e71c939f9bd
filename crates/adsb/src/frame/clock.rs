//! Absolute receive times for Beast frames, whose 48-bit time stamp is a receiver clock.
//!
//! A Beast frame's 6-byte time stamp ([`FrameTime::Mlat12MHz`](super::FrameTime::Mlat12MHz))
//! is one of two things, depending on the receiver:
//!
//! - **A 12 MHz free-running counter** (dump1090, readsb, modesdeco, Mode-S Beast, Radarcape
//!   with "legacy 12 MHz timestamps"). Its zero is wherever the receiver started; only
//!   differences mean anything. [`CounterClock`] turns it into times given the time of the first
//!   frame: `start + (counter − first counter) / 12 MHz`, across the counter's wrap at 2⁴⁸ and
//!   across receiver restarts.
//! - **GPS time of day** (Radarcape and Mode-S Beast GPS with "GPS timestamps", mlat-client's
//!   `RADARCAPE` mode): the upper 18 bits are the second of the UTC day, the lower 30 bits the
//!   nanosecond within that second. [`GpsTimeOfDay::from_beast`] splits it; [`GpsDayClock`]
//!   adds the date, advancing it when the second of day rolls over midnight.
//!
//! Sources for the layout: the Beast wiki, "Mode-S Beast:Data Input Formats" (DIP switch 7 /
//! command `g`/`G` selects "Legacy 12MHz Timestamp" or "GPS Timestamp",
//! <https://wiki.jetvision.de/wiki/Mode-S_Beast:Data_Input_Formats>) and "Mode-S Beast:Data
//! Output Formats" (6-byte MLAT time stamp in every frame); mlat-client's `modes_reader.c`
//! (github.com/mutability/mlat-client, `feed_beast`: in GPS mode `secs = timestamp >> 30`,
//! `nanos = timestamp & 0x3FFFFFFF`, a 1 GHz clock whose epoch is UTC midnight; in Beast mode
//! a free-running 12 MHz clock; time stamps 0 and `0xFF004D4C4154`..=`+10` are synthetic).
//!
//! Older Radarcape firmware sent GPS seconds one second ahead of UTC (mlat-client corrects it
//! unless the receiver's status frame says the fix is in); status frames are not read here, so
//! the times of such recordings come out one second later than the frames were received.
//!
//! Everything here is pure arithmetic on values the caller passes in: no clocks are read.

use kuroshio_model::Timestamp;

/// Ticks per second of the classic Beast counter: 12 MHz.
pub const BEAST_COUNTER_HZ: u64 = 12_000_000;

/// The classic counter counts modulo 2⁴⁸ (its 6 bytes): it wraps after about 271 days.
pub const BEAST_COUNTER_MODULUS: u64 = 1 << 48;

/// Largest step backwards of the counter taken as a frame sent late rather than a restart:
/// 60 seconds, because dump1090 can hold a frame back that long (mlat-client's
/// `modes_reader.c`, `feed_beast`: "dump1090 can hold messages for up to 60 seconds").
pub const COUNTER_LATE_TICKS_MAX: u64 = 60 * BEAST_COUNTER_HZ;

/// Largest forward gap across the counter's wrap at 2⁴⁸ still taken as a wrap: one hour.
/// A counter that falls from within an hour of 2⁴⁸ to within an hour after zero wrapped; any
/// other large fall is a receiver restart (a recording silent for longer exactly at the wrap
/// cannot be told apart from a restart, and a restart is far likelier).
pub const COUNTER_WRAP_GAP_TICKS_MAX: u64 = 3600 * BEAST_COUNTER_HZ;

/// Nanoseconds in a day.
const DAY_NS: u64 = 86_400 * 1_000_000_000;

/// The first of the synthetic time stamps mlat-client's `modes_reader.c` knows
/// (`MAGIC_MLAT_TIMESTAMP`, "FF 00 MLAT"): frames built from a multilateration result.
const MAGIC_MLAT_TIMESTAMP: u64 = 0xFF00_4D4C_4154;

/// Whether a Beast time stamp says "no receive time": zero (dump1090 sends zeros when it has
/// none) or one of the synthetic values `0xFF004D4C4154`..=`0xFF004D4C415E` that receivers put
/// on frames made from multilateration results (mlat-client's `modes_reader.c`,
/// `is_synthetic_timestamp`).
pub fn beast_timestamp_is_synthetic(timestamp: u64) -> bool {
    timestamp == 0 || (MAGIC_MLAT_TIMESTAMP..=MAGIC_MLAT_TIMESTAMP + 10).contains(&timestamp)
}

/// Nanoseconds in `ticks` of the 12 MHz counter (83⅓ ns each), rounded down; `None` beyond
/// the range of an `i64`.
fn ticks_to_nanos(ticks: u128) -> Option<i64> {
    i64::try_from(ticks * 1_000_000_000 / u128::from(BEAST_COUNTER_HZ)).ok()
}

/// What a [`CounterClock`] has seen of the counter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CounterStats {
    /// Frames timed.
    pub frames: u64,
    /// Wraps of the counter at 2⁴⁸.
    pub wraps: u64,
    /// Falls of the counter too large for a late frame or a wrap: receiver restarts.
    pub restarts: u64,
    /// Frames whose counter was behind an earlier frame's by up to
    /// [`COUNTER_LATE_TICKS_MAX`] (sent late), timed by their own counter.
    pub late: u64,
    /// Time stamps rejected: wider than 48 bits or synthetic
    /// ([`beast_timestamp_is_synthetic`]).
    pub rejected: u64,
}

/// Times the frames of one receiver's 12 MHz counter, given the time of the first frame.
///
/// A frame's time is the time of the current counter epoch's first frame plus the counter's
/// advance since, at 12 MHz. Each counter value is compared with the highest seen so far in
/// the epoch:
///
/// - **ahead** (or equal): the clock moves on;
/// - **behind by up to [`COUNTER_LATE_TICKS_MAX`]**: a frame sent late; it is timed by its own
///   counter (slightly earlier than the frame before it) and the clock does not move back;
/// - **fallen from within [`COUNTER_WRAP_GAP_TICKS_MAX`] of 2⁴⁸ to within that gap after
///   zero**: the counter wrapped; 2⁴⁸ ticks are added;
/// - **any other fall**: the receiver restarted and its counter began again. How long it was
///   down is unknown, so the new epoch begins at the time of the last frame before the restart
///   (times stay in order; after a restart they are late by the receiver's down time). Restarts
///   are counted so the caller can say so.
///
/// ```
/// use kuroshio_adsb::frame::CounterClock;
/// use kuroshio_model::Timestamp;
///
/// let start = Timestamp::parse("2023-10-24T09:49:22Z").unwrap();
/// let mut clock = CounterClock::new(start);
/// assert_eq!(clock.time(0x23b1dda0), Some(start));
/// // 12,000,000 ticks later: one second later.
/// assert_eq!(clock.time(0x23b1dda0 + 12_000_000), Some(start.saturating_add_nanos(1_000_000_000)));
/// ```
#[derive(Debug, Clone)]
pub struct CounterClock {
    /// Time of `anchor_counter` in the current epoch.
    anchor: Timestamp,
    /// Counter value at `anchor`; `None` before the first frame.
    anchor_counter: Option<u64>,
    /// Wraps since `anchor`.
    epoch_wraps: u64,
    /// Highest counter value seen in the current epoch since its last wrap.
    high: u64,
    stats: CounterStats,
}

impl CounterClock {
    /// A clock whose first frame was received at `start`.
    pub fn new(start: Timestamp) -> Self {
        CounterClock {
            anchor: start,
            anchor_counter: None,
            epoch_wraps: 0,
            high: 0,
            stats: CounterStats::default(),
        }
    }

    /// What the clock has seen so far.
    pub fn stats(&self) -> &CounterStats {
        &self.stats
    }

    /// Time at `counter` after `wraps` wraps since the anchor.
    fn at(&self, anchor_counter: u64, wraps: u64, counter: u64) -> Option<Timestamp> {
        let ticks = u128::from(wraps) * u128::from(BEAST_COUNTER_MODULUS) + u128::from(counter);
        let elapsed = ticks.checked_sub(u128::from(anchor_counter))?;
        Some(self.anchor.saturating_add_nanos(ticks_to_nanos(elapsed)?))
    }

    /// The receive time of a frame with this counter value; `None` (and counted as rejected)
    /// for a value wider than 48 bits or a synthetic one ([`beast_timestamp_is_synthetic`]).
    /// Call it for every frame of the receiver, in the order received.
    pub fn time(&mut self, counter: u64) -> Option<Timestamp> {
        if counter >= BEAST_COUNTER_MODULUS || beast_timestamp_is_synthetic(counter) {
            self.stats.rejected += 1;
            return None;
        }
        self.stats.frames += 1;
        let Some(anchor_counter) = self.anchor_counter else {
            self.anchor_counter = Some(counter);
            self.high = counter;
            return Some(self.anchor);
        };
        let high = self.high;
        if counter >= high {
            // A frame from before the last wrap, sent late, has a counter just below 2⁴⁸.
            let before_wrap = BEAST_COUNTER_MODULUS - counter + high;
            if self.epoch_wraps > 0 && before_wrap <= COUNTER_LATE_TICKS_MAX {
                self.stats.late += 1;
                return self.at(anchor_counter, self.epoch_wraps - 1, counter);
            }
            self.high = counter;
            return self.at(anchor_counter, self.epoch_wraps, counter);
        }
        if high - counter <= COUNTER_LATE_TICKS_MAX {
            self.stats.late += 1;
            return self.at(anchor_counter, self.epoch_wraps, counter);
        }
        if BEAST_COUNTER_MODULUS - high + counter <= COUNTER_WRAP_GAP_TICKS_MAX {
            self.stats.wraps += 1;
            self.epoch_wraps += 1;
            self.high = counter;
            return self.at(anchor_counter, self.epoch_wraps, counter);
        }
        // A restart: the new epoch begins where the last one ended.
        self.stats.restarts += 1;
        let last = self.at(anchor_counter, self.epoch_wraps, high).unwrap_or(self.anchor);
        self.anchor = last;
        self.anchor_counter = Some(counter);
        self.epoch_wraps = 0;
        self.high = counter;
        Some(last)
    }
}

/// A GPS time stamp split into the UTC second of day and the nanosecond within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GpsTimeOfDay {
    /// Second of the UTC day, 0-86399.
    pub second_of_day: u32,
    /// Nanosecond within the second, 0-999,999,999.
    pub nanos: u32,
}

impl GpsTimeOfDay {
    /// Splits a Beast GPS time stamp: second of the UTC day in the upper 18 bits, nanosecond in
    /// the lower 30 (see the module documentation for the sources). `None` when the value is
    /// wider than 48 bits, synthetic ([`beast_timestamp_is_synthetic`]), or its fields are out
    /// of range (second ≥ 86,400 — a leap second included — or nanosecond ≥ 10⁹).
    ///
    /// ```
    /// use kuroshio_adsb::frame::GpsTimeOfDay;
    ///
    /// // 12:34:56.5 UTC.
    /// let ts = (45_296u64 << 30) | 500_000_000;
    /// let t = GpsTimeOfDay::from_beast(ts).unwrap();
    /// assert_eq!((t.second_of_day, t.nanos), (45_296, 500_000_000));
    /// assert_eq!(GpsTimeOfDay::from_beast(86_400 << 30), None);
    /// ```
    pub fn from_beast(timestamp: u64) -> Option<Self> {
        if timestamp >= BEAST_COUNTER_MODULUS || beast_timestamp_is_synthetic(timestamp) {
            return None;
        }
        let second_of_day = u32::try_from(timestamp >> 30).ok()?;
        let nanos = u32::try_from(timestamp & 0x3FFF_FFFF).ok()?;
        (second_of_day < 86_400 && nanos < 1_000_000_000)
            .then_some(GpsTimeOfDay { second_of_day, nanos })
    }

    /// Nanoseconds since UTC midnight.
    pub fn nanos_of_day(self) -> u64 {
        u64::from(self.second_of_day) * 1_000_000_000 + u64::from(self.nanos)
    }
}

/// What a [`GpsDayClock`] has seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GpsClockStats {
    /// Frames timed.
    pub frames: u64,
    /// Midnights passed: the second of day fell by more than half a day.
    pub rollovers: u64,
    /// Frames stamped just before a midnight the clock had already passed (sent late).
    pub late_across_midnight: u64,
    /// Time stamps rejected ([`GpsTimeOfDay::from_beast`] gave `None`).
    pub rejected: u64,
}

/// How a [`GpsDayClock`] learns the date of its first frame.
#[derive(Debug, Clone, Copy)]
enum FirstDay {
    /// UTC midnight of the first frame's day, given.
    Midnight(Timestamp),
    /// An approximate time of the first frame: its day is the one that puts the frame nearest.
    Near(Timestamp),
}

/// Times frames with GPS time-of-day stamps, given their date.
///
/// The date advances by one day each time the time of day falls by more than half a day
/// (midnight rolled over); a frame whose time of day is more than half a day *ahead* of the
/// latest one was stamped before the last midnight and sent late, and keeps the previous date.
/// Consecutive frames more than 12 hours apart therefore cannot be placed: split such
/// recordings and give each its date.
///
/// ```
/// use kuroshio_adsb::frame::GpsDayClock;
/// use kuroshio_model::Timestamp;
///
/// let mut clock = GpsDayClock::on_date(2026, 1, 1).unwrap();
/// let before = (86_399u64 << 30) | 900_000_000; // 23:59:59.9
/// let after = 1u64 << 30; // 00:00:01
/// assert_eq!(clock.time(before), Timestamp::parse("2026-01-01T23:59:59.9Z").ok());
/// assert_eq!(clock.time(after), Timestamp::parse("2026-01-02T00:00:01Z").ok());
/// ```
#[derive(Debug, Clone)]
pub struct GpsDayClock {
    first: FirstDay,
    /// UTC midnight of the current day, once the first frame fixed it.
    midnight: Option<Timestamp>,
    /// Latest time of day seen, nanoseconds since midnight.
    latest_ns: u64,
    stats: GpsClockStats,
}

impl GpsDayClock {
    /// A clock whose first frame was received on this UTC date; `None` for no such date.
    pub fn on_date(year: i32, month: u8, day: u8) -> Option<Self> {
        let midnight = Timestamp::from_civil(year, month, day, 0, 0, 0, 0)?;
        Some(Self::with(FirstDay::Midnight(midnight)))
    }

    /// A clock whose first frame was received near `approx` (within 12 hours): the first
    /// frame's date is the one that puts its time of day nearest `approx`.
    pub fn near(approx: Timestamp) -> Self {
        Self::with(FirstDay::Near(approx))
    }

    fn with(first: FirstDay) -> Self {
        GpsDayClock { first, midnight: None, latest_ns: 0, stats: GpsClockStats::default() }
    }

    /// What the clock has seen so far.
    pub fn stats(&self) -> &GpsClockStats {
        &self.stats
    }

    /// The receive time of a frame with this GPS time stamp; `None` (and counted as rejected)
    /// when [`GpsTimeOfDay::from_beast`] rejects it. Call it for every frame of the receiver,
    /// in the order received.
    pub fn time(&mut self, timestamp: u64) -> Option<Timestamp> {
        let Some(tod) = GpsTimeOfDay::from_beast(timestamp) else {
            self.stats.rejected += 1;
            return None;
        };
        self.stats.frames += 1;
        let t_ns = tod.nanos_of_day();
        let half_day = DAY_NS / 2;
        let day_ns = DAY_NS as i64;
        let Some(midnight) = self.midnight else {
            let midnight = match self.first {
                FirstDay::Midnight(m) => m,
                FirstDay::Near(approx) => {
                    let day =
                        Timestamp::from_unix_nanos(approx.unix_nanos().div_euclid(day_ns) * day_ns);
                    // The candidate days before, of and after `approx`'s date: the nearest.
                    let frame_at = |d: i64| day.saturating_add_nanos(d * day_ns + t_ns as i64);
                    let best = [-1, 0, 1]
                        .into_iter()
                        .min_by_key(|&d| frame_at(d).nanos_since(approx).unsigned_abs())
                        .unwrap_or(0);
                    day.saturating_add_nanos(best * day_ns)
                }
            };
            self.midnight = Some(midnight);
            self.latest_ns = t_ns;
            return Some(midnight.saturating_add_nanos(t_ns as i64));
        };
        if t_ns + half_day < self.latest_ns {
            let next = midnight.saturating_add_nanos(day_ns);
            self.midnight = Some(next);
            self.stats.rollovers += 1;
            self.latest_ns = t_ns;
            return Some(next.saturating_add_nanos(t_ns as i64));
        }
        if t_ns > self.latest_ns + half_day {
            self.stats.late_across_midnight += 1;
            return Some(midnight.saturating_add_nanos(t_ns as i64 - day_ns));
        }
        self.latest_ns = self.latest_ns.max(t_ns);
        Some(midnight.saturating_add_nanos(t_ns as i64))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    const SECOND: u64 = BEAST_COUNTER_HZ;

    #[test]
    fn counter_advances_at_12_mhz() {
        let start = ts("2026-01-01T00:00:00Z");
        let mut c = CounterClock::new(start);
        assert_eq!(c.time(1_000), Some(start));
        assert_eq!(c.time(1_000 + 3 * SECOND), Some(ts("2026-01-01T00:00:03Z")));
        // One tick is 83⅓ ns, rounded down.
        assert_eq!(
            c.time(1_000 + 3 * SECOND + 1),
            Some(start.saturating_add_nanos(3e9 as i64 + 83))
        );
        assert_eq!(c.time(1_000 + 90 * SECOND), Some(ts("2026-01-01T00:01:30Z")));
        assert_eq!(c.stats().frames, 4);
        assert_eq!((c.stats().wraps, c.stats().restarts, c.stats().late), (0, 0, 0));
    }

    #[test]
    fn counter_wraps_at_2_pow_48() {
        let start = ts("2026-01-01T00:00:00Z");
        let mut c = CounterClock::new(start);
        let near_top = BEAST_COUNTER_MODULUS - 2 * SECOND;
        assert_eq!(c.time(near_top), Some(start));
        assert_eq!(c.time(BEAST_COUNTER_MODULUS - SECOND), Some(ts("2026-01-01T00:00:01Z")));
        // Past the wrap: 2 s to the top, then 5 s.
        assert_eq!(c.time(5 * SECOND), Some(ts("2026-01-01T00:00:07Z")));
        assert_eq!(c.stats().wraps, 1);
        // A frame from before the wrap, sent late, keeps its own time.
        assert_eq!(c.time(BEAST_COUNTER_MODULUS - SECOND / 2), Some(ts("2026-01-01T00:00:01.5Z")));
        assert_eq!(c.stats().late, 1);
        // And the clock goes on from after the wrap.
        assert_eq!(c.time(6 * SECOND), Some(ts("2026-01-01T00:00:08Z")));
        assert_eq!((c.stats().wraps, c.stats().restarts), (1, 0));
    }

    #[test]
    fn counter_restart_continues_from_the_last_time() {
        let start = ts("2026-01-01T00:00:00Z");
        let mut c = CounterClock::new(start);
        c.time(1_000_000 * SECOND);
        assert_eq!(c.time(1_000_000 * SECOND + 600 * SECOND), Some(ts("2026-01-01T00:10:00Z")));
        // A frame 30 s late is timed by its counter.
        assert_eq!(c.time(1_000_000 * SECOND + 570 * SECOND), Some(ts("2026-01-01T00:09:30Z")));
        assert_eq!(c.stats().late, 1);
        // The receiver restarts: its counter starts again near zero. The new epoch begins at
        // the last time seen, and advances from there.
        assert_eq!(c.time(12), Some(ts("2026-01-01T00:10:00Z")));
        assert_eq!(c.time(12 + 2 * SECOND), Some(ts("2026-01-01T00:10:02Z")));
        assert_eq!(c.stats().restarts, 1);
        assert_eq!(c.stats().wraps, 0);
        // A fall of more than a minute is a restart, not a late frame.
        assert_eq!(c.time(12 + 2 * SECOND + 100 * SECOND), Some(ts("2026-01-01T00:11:42Z")));
        assert_eq!(c.time(5), Some(ts("2026-01-01T00:11:42Z")));
        assert_eq!(c.stats().restarts, 2);
    }

    #[test]
    fn counter_rejects_synthetic_and_wide_values() {
        let mut c = CounterClock::new(Timestamp::EPOCH);
        assert_eq!(c.time(0), None);
        assert_eq!(c.time(0xFF00_4D4C_4154), None);
        assert_eq!(c.time(0xFF00_4D4C_415E), None);
        assert_eq!(c.time(BEAST_COUNTER_MODULUS), None);
        assert_eq!(c.stats().rejected, 4);
        assert_eq!(c.stats().frames, 0);
        // Not a restart afterwards: the first real value anchors the clock.
        assert_eq!(c.time(0xFF00_4D4C_415F), Some(Timestamp::EPOCH));
    }

    #[test]
    fn gps_time_of_day_layout() {
        // 23:59:59.999999999 is the largest valid value.
        let t = GpsTimeOfDay::from_beast((86_399 << 30) | 999_999_999).unwrap();
        assert_eq!((t.second_of_day, t.nanos), (86_399, 999_999_999));
        assert_eq!(t.nanos_of_day(), DAY_NS - 1);
        // The lower 30 bits hold nanoseconds up to 2³⁰ − 1, beyond a second: rejected.
        assert_eq!(GpsTimeOfDay::from_beast((1 << 30) | 1_000_000_000), None);
        assert_eq!(GpsTimeOfDay::from_beast(1 << 48), None);
        assert_eq!(GpsTimeOfDay::from_beast(0), None);
        let t = GpsTimeOfDay::from_beast(7).unwrap();
        assert_eq!((t.second_of_day, t.nanos), (0, 7));
    }

    #[test]
    fn gps_rolls_over_midnight() {
        let mut c = GpsDayClock::on_date(2025, 12, 31).unwrap();
        let at = |s: u64, ns: u64| (s << 30) | ns;
        assert_eq!(c.time(at(86_398, 0)), Some(ts("2025-12-31T23:59:58Z")));
        assert_eq!(c.time(at(0, 250_000_000)), Some(ts("2026-01-01T00:00:00.25Z")));
        // Stamped before midnight, sent after: still on the 31st.
        assert_eq!(c.time(at(86_399, 500_000_000)), Some(ts("2025-12-31T23:59:59.5Z")));
        assert_eq!(c.time(at(40_000, 0)), Some(ts("2026-01-01T11:06:40Z")));
        assert_eq!(c.time(at(80_000, 0)), Some(ts("2026-01-01T22:13:20Z")));
        assert_eq!(c.time(at(3, 0)), Some(ts("2026-01-02T00:00:03Z")));
        let s = c.stats();
        assert_eq!((s.frames, s.rollovers, s.late_across_midnight, s.rejected), (6, 2, 1, 0));
        assert_eq!(c.time(86_400 << 30), None);
        assert_eq!(c.stats().rejected, 1);
        assert!(GpsDayClock::on_date(2026, 2, 30).is_none());
    }

    #[test]
    fn gps_date_from_an_approximate_start() {
        let at = |s: u64| s << 30;
        // The first frame at 23:59:50 with a start given as just after midnight: the day
        // before.
        let mut c = GpsDayClock::near(ts("2026-03-01T00:00:05Z"));
        assert_eq!(c.time(at(86_390)), Some(ts("2026-02-28T23:59:50Z")));
        assert_eq!(c.time(at(20)), Some(ts("2026-03-01T00:00:20Z")));
        // The first frame just after midnight with a start given late the day before.
        let mut c = GpsDayClock::near(ts("2026-02-28T23:59:00+00:00"));
        assert_eq!(c.time(at(10)), Some(ts("2026-03-01T00:00:10Z")));
        // The ordinary case: same day.
        let mut c = GpsDayClock::near(ts("2026-03-01T12:00:00Z"));
        assert_eq!(c.time(at(43_210)), Some(ts("2026-03-01T12:00:10Z")));
    }
}
