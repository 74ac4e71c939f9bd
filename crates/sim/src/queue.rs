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
    /// Scratch space of [`sort_descending`], kept to reuse its allocations: at most one
    /// bucket's entries and one count per millisecond of a second.
    scratch: Vec<(i64, u32)>,
    counts: Vec<u32>,
}

/// Buckets from this size up are sorted by counting their milliseconds: two passes over the
/// entries and one over the thousand milliseconds, where a comparison sort of a thousand
/// entries takes about ten passes. Smaller buckets are sorted by comparison.
const COUNTING_SORT_MIN: usize = 64;

/// Sorts the entries of one second (every `time_ms` in `base_ms..base_ms + 1000`) by time
/// and agent, descending.
fn sort_descending(
    bucket: &mut Vec<(i64, u32)>,
    scratch: &mut Vec<(i64, u32)>,
    counts: &mut Vec<u32>,
    base_ms: i64,
) {
    // (millisecond within the second, agent) packed into one integer orders the entries as
    // (time, agent) does, and integer comparisons are faster than tuple ones.
    let key = |&(t, a): &(i64, u32)| ((t - base_ms) as u64) << 32 | u64::from(a);
    if bucket.len() < COUNTING_SORT_MIN {
        bucket.sort_unstable_by_key(|e| Reverse(key(e)));
        return;
    }
    // Counting sort on the millisecond, latest first. An entry outside the second (which
    // `push` never files) is counted at the nearer end and put right by the pass after.
    let slot = |&(t, _): &(i64, u32)| 999 - (t - base_ms).clamp(0, 999) as usize;
    counts.clear();
    counts.resize(1001, 0);
    for e in bucket.iter() {
        counts[slot(e) + 1] += 1;
    }
    for k in 1..counts.len() {
        counts[k] += counts[k - 1];
    }
    scratch.clear();
    scratch.resize(bucket.len(), (0, 0));
    for e in bucket.iter() {
        let at = &mut counts[slot(e)];
        scratch[*at as usize] = *e;
        *at += 1;
    }
    // Insertion sort on the whole key: it only moves entries within runs of one millisecond,
    // which hold one or two agents.
    for j in 1..scratch.len() {
        let e = scratch[j];
        let k = key(&e);
        let mut m = j;
        while m > 0 && key(&scratch[m - 1]) < k {
            scratch[m] = scratch[m - 1];
            m -= 1;
        }
        scratch[m] = e;
    }
    std::mem::swap(bucket, scratch);
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
            scratch: Vec::new(),
            counts: Vec::new(),
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

    /// The second whose entries [`Agenda::pop`] is serving: it changes each time a new
    /// second's bucket is taken (the caller can then look ahead with [`Agenda::ready`]).
    pub fn serving_s(&self) -> i64 {
        self.next_s
    }

    /// The entries of the second being served that are still to come, the next one last.
    pub fn ready(&self) -> &[(i64, u32)] {
        &self.ready
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
            let base_ms = self.next_s * 1000;
            debug_assert!(self.ready.iter().all(|e| (0..1000).contains(&(e.0 - base_ms))));
            sort_descending(&mut self.ready, &mut self.scratch, &mut self.counts, base_ms);
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

    /// Full buckets (a thousand entries a second and more, many in the same millisecond) go
    /// through the counting sort; they must come out as a sorted list does, and
    /// [`Agenda::ready`] must show what comes next.
    #[test]
    fn full_buckets_pop_in_order() {
        let mut rng = Rng::new(11);
        let mut q = Agenda::new(5_000_000);
        let mut all = Vec::new();
        for i in 0..6_000u32 {
            let t = 5_000_000 + rng.below(if i % 3 == 0 { 300 } else { 4_000 }) as i64;
            let agent = rng.below(100_000) as u32;
            q.push(t, agent);
            all.push((t, agent));
        }
        all.sort_unstable();
        let mut got = Vec::new();
        let mut seconds = Vec::new();
        while let Some(e) = q.pop() {
            got.push(e);
            seconds.push(q.serving_s());
            if let Some(&next) = q.ready().last() {
                assert!(next >= e, "{next:?} after {e:?}");
            }
        }
        assert_eq!(got, all);
        assert_eq!(seconds.first(), Some(&5_001));
        assert_eq!(seconds.last(), Some(&5_004));
    }
}
