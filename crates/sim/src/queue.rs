//! The generator's agenda: which agent reports next, in time order.
//!
//! A calendar queue (Brown, "Calendar queues", CACM 31(10), 1988) with one bucket per second
//! over a ring of [`RING_S`] seconds: agents report every 2 s to 6 min, so almost every entry
//! lands in the ring, and a bucket (about a thousand entries at the largest scale) is sorted
//! once when its second comes. Entries further ahead than the ring wait in a binary heap.
//! Order is by time in milliseconds, then agent number, so ties are reproducible. Compared
//! with one binary heap over all agents this avoids a dozen cache-missing comparisons per
//! report.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Seconds covered by the ring: above the longest sensor update interval a scenario accepts
/// (3,600 s), so that only activities starting later than that use the overflow heap.
pub const RING_S: i64 = 4096;

/// Time-ordered agenda of `(time_ms, agent)` entries.
#[derive(Debug)]
pub struct Agenda {
    ring: Vec<Vec<(i64, u32)>>,
    /// The current second's entries, sorted descending (the next one is last).
    ready: Vec<(i64, u32)>,
    /// The second whose bucket is taken next.
    next_s: i64,
    overflow: BinaryHeap<Reverse<(i64, u32)>>,
    len: usize,
}

impl Agenda {
    /// An empty agenda starting at `start_ms`.
    pub fn new(start_ms: i64) -> Self {
        Self {
            ring: vec![Vec::new(); RING_S as usize],
            ready: Vec::new(),
            next_s: start_ms.div_euclid(1000),
            overflow: BinaryHeap::new(),
            len: 0,
        }
    }

    /// Entries waiting.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds an entry.
    pub fn push(&mut self, time_ms: i64, agent: u32) {
        self.len += 1;
        let s = time_ms.div_euclid(1000);
        if s < self.next_s {
            // Within the second being served: keep `ready` sorted descending.
            let key = (time_ms, agent);
            let at = self.ready.partition_point(|e| *e > key);
            self.ready.insert(at, key);
        } else if s >= self.next_s + RING_S {
            self.overflow.push(Reverse((time_ms, agent)));
        } else {
            self.ring[s.rem_euclid(RING_S) as usize].push((time_ms, agent));
        }
    }

    /// Removes and returns the earliest entry.
    pub fn pop(&mut self) -> Option<(i64, u32)> {
        if self.len == 0 {
            return None;
        }
        while self.ready.is_empty() {
            // Bring overflow entries that now fall within the ring into it.
            while let Some(Reverse((t, a))) = self.overflow.peek().copied() {
                if t.div_euclid(1000) >= self.next_s + RING_S {
                    break;
                }
                self.overflow.pop();
                let s = t.div_euclid(1000);
                if s < self.next_s {
                    self.ready.push((t, a));
                } else {
                    self.ring[s.rem_euclid(RING_S) as usize].push((t, a));
                }
            }
            let slot = self.next_s.rem_euclid(RING_S) as usize;
            std::mem::swap(&mut self.ready, &mut self.ring[slot]);
            // Every entry of the bucket lies within its second, so (millisecond within the
            // second, agent) packed into one integer orders them as (time, agent) does, and
            // integer comparisons sort faster than tuple ones.
            let base_ms = self.next_s * 1000;
            debug_assert!(self.ready.iter().all(|e| (0..1000).contains(&(e.0 - base_ms))));
            self.ready.sort_unstable_by_key(|&(t, a)| {
                Reverse(((t - base_ms) as u64) << 32 | u64::from(a))
            });
            self.next_s += 1;
            if self.ready.is_empty() && self.ring.iter().all(Vec::is_empty) {
                // Only far entries left: jump to the earliest.
                if let Some(Reverse((t, _))) = self.overflow.peek() {
                    self.next_s = t.div_euclid(1000);
                }
            }
        }
        self.len -= 1;
        self.ready.pop()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn pops_in_order_like_a_sorted_list() {
        let mut rng = Rng::new(9);
        let mut q = Agenda::new(1_000_000);
        let mut all = Vec::new();
        for i in 0..20_000u32 {
            // Mostly near, some beyond the ring, some in the same millisecond.
            let t = 1_000_000 + (rng.below(if i % 10 == 0 { 20_000_000 } else { 400_000 }) as i64);
            q.push(t, i);
            all.push((t, i));
        }
        all.sort_unstable();
        let mut got = Vec::new();
        // Interleave pushes into the second being served.
        while let Some(e) = q.pop() {
            got.push(e);
            if got.len() == 5 {
                q.push(e.0, 999_999);
                all.push((e.0, 999_999));
                all.sort_unstable();
            }
        }
        assert_eq!(got, all);
        assert!(q.is_empty());
    }
}
