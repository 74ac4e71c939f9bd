//! Multi-sentence reassembly: joins the fragments of an AIS message into one armored payload.
//!
//! Fragments belong together when they share a key. Without a tag-block group the key is the
//! receiving station (tag block `s:` or USCG station field), talker, `VDM`/`VDO`, radio
//! channel, sequential message id and fragment count — never the channel alone, so
//! interleaved messages from several stations come out right. With a tag-block group
//! (`g:<n>-<m>-<id>`) the group id replaces the station in the key (the other parts stay),
//! because providers write `s:` on the first fragment only. When a later fragment finds no
//! group under its exact key, it may join a group that differs only in that one of the two
//! names no station and that waits for exactly this fragment: some feeds put the station on
//! one fragment only. The fragment numbers of the sentences, not those of the tag group,
//! decide the order. Single-fragment messages pass straight through without being copied.
//!
//! Pending groups are bounded ([`ReassemblyLimits`]): a group older than
//! `max_age_sentences` pushes is evicted, and when `max_pending` groups are open the oldest
//! is evicted to make room. Evicted groups are reported through
//! [`Reassembler::pop_evicted`], broken groups (a fragment missing or out of order) through
//! [`ReassemblyError`], and whatever is still open at end of input through
//! [`Reassembler::drain_incomplete`]; nothing is dropped silently. This module does not look
//! inside payloads (bit counts, message types) and does not use clocks: age is counted in
//! sentences pushed.

use std::collections::VecDeque;

use thiserror::Error;

use crate::line::{MAX_FRAGMENTS, Sentence};

/// Default limit on groups waiting for fragments at once.
///
/// Fragments of one message normally arrive back to back; on aggregated feeds a few dozen
/// stations may interleave. 256 open groups covers that with a wide margin while bounding
/// the memory (each group holds at most [`MAX_ASSEMBLED_PAYLOAD_CHARS`] bytes). When full,
/// the group that started earliest is evicted and reported.
pub const MAX_PENDING_GROUPS: usize = 256;

/// Default age, in sentences pushed, after which an unfinished group is evicted.
///
/// In the recorded feeds of the shared test data the fragments of a message are at most 3
/// sentences apart; busier aggregated feeds interleave more, but a fragment 1,024 sentences
/// late is lost for practical purposes (and its group would otherwise hold a slot forever).
pub const MAX_GROUP_AGE_SENTENCES: u64 = 1024;

/// Longest assembled payload accepted, in armored characters.
///
/// The longest ITU-R M.1371-5 messages (binary messages 6, 8, 25, 26) fill 5 slots, at most
/// 1,008 bits = 168 characters; 341 characters (2,046 bits) allows twice that for
/// non-conforming senders. A longer message is an error.
pub const MAX_ASSEMBLED_PAYLOAD_CHARS: usize = 341;

/// Most eviction reports kept until [`Reassembler::pop_evicted`] takes them.
///
/// A caller that pops after every push never has more than a handful queued. If reports are
/// not taken the oldest is discarded when the queue is full, and
/// [`Reassembler::reports_dropped`] counts it.
pub const MAX_EVICTION_REPORTS: usize = 1024;

/// Bounds of a [`Reassembler`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReassemblyLimits {
    /// Most groups waiting for fragments at once (at least 1 is used).
    pub max_pending: usize,
    /// Sentences pushed after a group's first fragment before the group is evicted.
    pub max_age_sentences: u64,
}

impl Default for ReassemblyLimits {
    fn default() -> Self {
        ReassemblyLimits {
            max_pending: MAX_PENDING_GROUPS,
            max_age_sentences: MAX_GROUP_AGE_SENTENCES,
        }
    }
}

/// A complete message: the concatenated armored payload and the metadata of its fragments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assembled<'a> {
    /// The armored payload of all fragments in order (for one fragment, the sentence's own
    /// payload slice, not a copy).
    pub payload: &'a [u8],
    /// Fill bits of the last fragment.
    pub fill_bits: u8,
    /// Talker of the first fragment.
    pub talker: [u8; 2],
    /// `true` for `VDO` (own-ship) messages.
    pub own_ship: bool,
    /// Radio channel of the first fragment.
    pub channel: Option<u8>,
    /// Sequential message id (`None` for single-fragment messages, usually).
    pub sequence_id: Option<u8>,
    /// Number of fragments joined.
    pub fragment_count: u8,
    /// Tag-block group id, when the fragments were grouped by one.
    pub group_id: Option<u32>,
    /// Receiving station: that of the first fragment that names one.
    pub station: Option<&'a str>,
    /// Receive time in Unix ms: that of the first fragment that carries one.
    pub received_unix_ms: Option<i64>,
    /// Whether every fragment's sentence and tag-block checksums matched (can only be
    /// `false` in lenient parse modes).
    pub checksum_ok: bool,
}

/// Why a group ended without producing a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IncompleteReason {
    /// Older than [`ReassemblyLimits::max_age_sentences`].
    AgedOut,
    /// Evicted to make room: [`ReassemblyLimits::max_pending`] groups were open.
    CapacityFull,
    /// A new first fragment with the same key arrived first.
    Interrupted,
    /// A fragment arrived out of order (one is missing or duplicated).
    OutOfOrder,
    /// Still open when [`Reassembler::drain_incomplete`] was called.
    EndOfInput,
}

impl IncompleteReason {
    /// A stable short `snake_case` name, for counting.
    pub fn kind(&self) -> &'static str {
        match self {
            IncompleteReason::AgedOut => "aged_out",
            IncompleteReason::CapacityFull => "capacity_full",
            IncompleteReason::Interrupted => "interrupted",
            IncompleteReason::OutOfOrder => "out_of_order",
            IncompleteReason::EndOfInput => "end_of_input",
        }
    }
}

/// A group of fragments that did not become a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncompleteGroup {
    /// Why the group ended.
    pub reason: IncompleteReason,
    /// Talker of the first fragment.
    pub talker: [u8; 2],
    /// `true` for `VDO`.
    pub own_ship: bool,
    /// Radio channel.
    pub channel: Option<u8>,
    /// Sequential message id.
    pub sequence_id: Option<u8>,
    /// Tag-block group id, if grouped by one.
    pub group_id: Option<u32>,
    /// Receiving station, if known.
    pub station: Option<String>,
    /// Fragments the message should have had.
    pub fragment_count: u8,
    /// Fragments received before the group ended.
    pub fragments_received: u8,
    /// Receive time of the first fragment that carried one, in Unix ms.
    pub received_unix_ms: Option<i64>,
    /// Position of the group's first fragment among all sentences pushed (1-based).
    pub first_sentence_index: u64,
}

/// A fragment that could not be placed. The stream goes on; nothing else is affected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ReassemblyError {
    /// Fragment number or count out of range (only possible for hand-built sentences:
    /// [`crate::parse_line`] rejects them).
    #[error("fragment {number} of {count} is out of range")]
    InvalidFragment {
        /// Fragment number.
        number: u8,
        /// Fragment count.
        count: u8,
    },
    /// A later fragment arrived with no group waiting for it (its first fragment was lost,
    /// or it is a repeat of one already used). The fragment is dropped.
    #[error("fragment {number} of {count} has no group waiting for it")]
    OrphanFragment {
        /// Fragment number.
        number: u8,
        /// Fragment count.
        count: u8,
        /// Talker.
        talker: [u8; 2],
        /// Radio channel.
        channel: Option<u8>,
        /// Sequential message id.
        sequence_id: Option<u8>,
    },
    /// A new first fragment arrived while a group with the same key was unfinished. The old
    /// group is dropped (and described here); the new fragment starts a new group.
    #[error("a new message started before the previous one with the same key was complete")]
    Interrupted {
        /// The group that was dropped.
        dropped: IncompleteGroup,
    },
    /// A group expected fragment `expected` but got `found`. The group and the fragment are
    /// both dropped.
    #[error("expected fragment {expected}, got {found}")]
    OutOfOrder {
        /// The fragment number the group was waiting for.
        expected: u8,
        /// The fragment number that arrived.
        found: u8,
        /// The group that was dropped.
        dropped: IncompleteGroup,
    },
    /// The message would be longer than [`MAX_ASSEMBLED_PAYLOAD_CHARS`]; it is dropped.
    #[error("assembled payload of {len} characters exceeds the {max}-character limit")]
    PayloadTooLong {
        /// Length the payload would have had.
        len: usize,
        /// The limit.
        max: usize,
    },
}

impl ReassemblyError {
    /// A stable short `snake_case` name of the fault, for counting by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            ReassemblyError::InvalidFragment { .. } => "invalid_fragment",
            ReassemblyError::OrphanFragment { .. } => "orphan_fragment",
            ReassemblyError::Interrupted { .. } => "interrupted_group",
            ReassemblyError::OutOfOrder { .. } => "out_of_order_fragment",
            ReassemblyError::PayloadTooLong { .. } => "payload_too_long",
        }
    }
}

/// The key fields of a group other than the station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    talker: [u8; 2],
    own_ship: bool,
    channel: Option<u8>,
    sequence_id: Option<u8>,
    count: u8,
    group_id: Option<u32>,
}

/// One group being assembled. Buffers are reused across groups (see [`Reassembler`]).
#[derive(Debug, Default)]
struct Pending {
    key: Option<Key>,
    /// Station bytes; meaningful only when `has_station`.
    station: Vec<u8>,
    has_station: bool,
    next: u8,
    payload: Vec<u8>,
    fill_bits: u8,
    received_unix_ms: Option<i64>,
    checksum_ok: bool,
    started_at: u64,
}

impl Pending {
    fn station_str(&self) -> Option<&str> {
        if self.has_station { std::str::from_utf8(&self.station).ok() } else { None }
    }

    /// Does the group's station agree with `station` for keying purposes?
    fn same_station(&self, station: Option<&str>) -> bool {
        match station {
            None => !self.has_station,
            Some(s) => self.has_station && self.station == s.as_bytes(),
        }
    }

    fn set_station(&mut self, station: Option<&str>) {
        if let (false, Some(s)) = (self.has_station, station) {
            self.station.clear();
            self.station.extend_from_slice(s.as_bytes());
            self.has_station = true;
        }
    }

    fn report(&self, reason: IncompleteReason) -> IncompleteGroup {
        let key = self.key.unwrap_or(Key {
            talker: [0; 2],
            own_ship: false,
            channel: None,
            sequence_id: None,
            count: 0,
            group_id: None,
        });
        IncompleteGroup {
            reason,
            talker: key.talker,
            own_ship: key.own_ship,
            channel: key.channel,
            sequence_id: key.sequence_id,
            group_id: key.group_id,
            station: self.station_str().map(str::to_owned),
            fragment_count: key.count,
            fragments_received: self.next.saturating_sub(1),
            received_unix_ms: self.received_unix_ms,
            first_sentence_index: self.started_at,
        }
    }
}

/// Joins fragments of multi-sentence messages; see the module documentation for keys and
/// bounds.
///
/// After warm-up it does not allocate: group buffers are recycled.
#[derive(Debug)]
pub struct Reassembler {
    limits: ReassemblyLimits,
    pending: Vec<Pending>,
    /// Recycled groups (at most `max_pending + 1`, as that many exist at once).
    spare: Vec<Pending>,
    /// The most recently completed group; an [`Assembled`] borrows from it.
    done: Pending,
    reports: VecDeque<IncompleteGroup>,
    reports_dropped: u64,
    /// Sentences pushed so far.
    seen: u64,
    /// A lower bound of the `started_at` of every pending group.
    oldest_started: u64,
}

impl Default for Reassembler {
    fn default() -> Self {
        Reassembler::new(ReassemblyLimits::default())
    }
}

impl Reassembler {
    /// A reassembler with the given bounds.
    pub fn new(limits: ReassemblyLimits) -> Self {
        Reassembler {
            limits: ReassemblyLimits { max_pending: limits.max_pending.max(1), ..limits },
            pending: Vec::new(),
            spare: Vec::new(),
            done: Pending::default(),
            reports: VecDeque::new(),
            reports_dropped: 0,
            seen: 0,
            oldest_started: 0,
        }
    }

    /// Adds one sentence. Returns the message when `sentence` completes one, `None` when the
    /// fragment was stored to wait for the rest.
    ///
    /// A single-fragment sentence is returned at once with its own payload slice. On
    /// [`ReassemblyError::Interrupted`] the sentence has still been stored as the start of a
    /// new group; on other errors it has been dropped. Groups evicted during the call are
    /// queued for [`Reassembler::pop_evicted`].
    pub fn push<'r>(
        &'r mut self,
        sentence: &Sentence<'r>,
    ) -> Result<Option<Assembled<'r>>, ReassemblyError> {
        self.seen += 1;
        if !self.pending.is_empty()
            && self.seen.saturating_sub(self.oldest_started) > self.limits.max_age_sentences
        {
            self.evict_aged();
        }
        let (number, count) = (sentence.fragment_number, sentence.fragment_count);
        if count == 0 || count > MAX_FRAGMENTS || number == 0 || number > count {
            return Err(ReassemblyError::InvalidFragment { number, count });
        }
        let tags_ok = sentence.tags.is_none_or(|t| t.checksum_ok);
        if count == 1 {
            if sentence.payload.len() > MAX_ASSEMBLED_PAYLOAD_CHARS {
                return Err(ReassemblyError::PayloadTooLong {
                    len: sentence.payload.len(),
                    max: MAX_ASSEMBLED_PAYLOAD_CHARS,
                });
            }
            return Ok(Some(Assembled {
                payload: sentence.payload,
                fill_bits: sentence.fill_bits,
                talker: sentence.talker,
                own_ship: sentence.own_ship,
                channel: sentence.channel,
                sequence_id: sentence.sequence_id,
                fragment_count: 1,
                group_id: sentence.tags.and_then(|t| t.group).map(|g| g.id),
                station: sentence.station,
                received_unix_ms: sentence.received_unix_ms,
                checksum_ok: sentence.checksum_ok && tags_ok,
            }));
        }

        let key = Key {
            talker: sentence.talker,
            own_ship: sentence.own_ship,
            channel: sentence.channel,
            sequence_id: sentence.sequence_id,
            count,
            group_id: sentence.tags.and_then(|t| t.group).map(|g| g.id),
        };
        let found = self.find(&key, sentence.station, number);

        if number == 1 {
            let interrupted = found.map(|i| {
                let old = self.pending.swap_remove(i);
                let dropped = old.report(IncompleteReason::Interrupted);
                self.spare.push(old);
                dropped
            });
            self.start(key, sentence, tags_ok);
            return match interrupted {
                Some(dropped) => Err(ReassemblyError::Interrupted { dropped }),
                None => Ok(None),
            };
        }

        let Some(i) = found else {
            return Err(ReassemblyError::OrphanFragment {
                number,
                count,
                talker: sentence.talker,
                channel: sentence.channel,
                sequence_id: sentence.sequence_id,
            });
        };
        let group = &mut self.pending[i];
        if group.next != number {
            let expected = group.next;
            let old = self.pending.swap_remove(i);
            let dropped = old.report(IncompleteReason::OutOfOrder);
            self.spare.push(old);
            return Err(ReassemblyError::OutOfOrder { expected, found: number, dropped });
        }
        let len = group.payload.len() + sentence.payload.len();
        if len > MAX_ASSEMBLED_PAYLOAD_CHARS {
            let old = self.pending.swap_remove(i);
            self.spare.push(old);
            return Err(ReassemblyError::PayloadTooLong { len, max: MAX_ASSEMBLED_PAYLOAD_CHARS });
        }
        group.payload.extend_from_slice(sentence.payload);
        group.next += 1;
        group.fill_bits = sentence.fill_bits;
        group.checksum_ok &= sentence.checksum_ok && tags_ok;
        group.received_unix_ms = group.received_unix_ms.or(sentence.received_unix_ms);
        group.set_station(sentence.station);
        if number < count {
            return Ok(None);
        }

        let complete = self.pending.swap_remove(i);
        let previous = std::mem::replace(&mut self.done, complete);
        self.spare.push(previous);
        let done = &self.done;
        Ok(Some(Assembled {
            payload: &done.payload,
            fill_bits: done.fill_bits,
            talker: key.talker,
            own_ship: key.own_ship,
            channel: key.channel,
            sequence_id: key.sequence_id,
            fragment_count: count,
            group_id: key.group_id,
            station: done.station_str(),
            received_unix_ms: done.received_unix_ms,
            checksum_ok: done.checksum_ok,
        }))
    }

    /// Takes the oldest queued report of a group evicted by age or capacity.
    pub fn pop_evicted(&mut self) -> Option<IncompleteGroup> {
        self.reports.pop_front()
    }

    /// Ends the input: returns every queued eviction report, then every group still open
    /// (reason [`IncompleteReason::EndOfInput`], oldest first), and leaves the reassembler
    /// empty and ready for new input.
    pub fn drain_incomplete(&mut self) -> Vec<IncompleteGroup> {
        let mut out: Vec<IncompleteGroup> = self.reports.drain(..).collect();
        self.pending.sort_by_key(|p| p.started_at);
        for p in self.pending.drain(..) {
            out.push(p.report(IncompleteReason::EndOfInput));
            self.spare.push(p);
        }
        out
    }

    /// Number of groups waiting for fragments.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Eviction reports discarded because [`MAX_EVICTION_REPORTS`] were queued untaken.
    pub fn reports_dropped(&self) -> u64 {
        self.reports_dropped
    }

    /// Sentences pushed so far.
    pub fn sentences_pushed(&self) -> u64 {
        self.seen
    }

    /// Finds the pending group a fragment belongs to.
    ///
    /// Exact key first. A later fragment that finds none may join a group with the same key
    /// fields that is waiting for exactly this fragment when one side names no station:
    /// some feeds write the station on the last fragment only (gpsd's `sample.aivdm` has
    /// one), others on the first only.
    fn find(&self, key: &Key, station: Option<&str>, number: u8) -> Option<usize> {
        let exact = self.pending.iter().position(|p| {
            p.key.as_ref() == Some(key) && (key.group_id.is_some() || p.same_station(station))
        });
        if exact.is_some() || number == 1 {
            return exact;
        }
        self.pending.iter().position(|p| {
            p.key.as_ref() == Some(key) && p.next == number && (!p.has_station || station.is_none())
        })
    }

    /// Opens a group with `sentence` as its first fragment.
    fn start(&mut self, key: Key, sentence: &Sentence<'_>, tags_ok: bool) {
        if self.pending.len() >= self.limits.max_pending {
            if let Some(oldest) =
                self.pending.iter().enumerate().min_by_key(|(_, p)| p.started_at).map(|(i, _)| i)
            {
                let old = self.pending.swap_remove(oldest);
                self.queue_report(old.report(IncompleteReason::CapacityFull));
                self.spare.push(old);
            }
        }
        let mut group = self.spare.pop().unwrap_or_default();
        group.key = Some(key);
        group.has_station = false;
        group.set_station(sentence.station);
        group.next = 2;
        group.payload.clear();
        group.payload.extend_from_slice(sentence.payload);
        group.fill_bits = sentence.fill_bits;
        group.received_unix_ms = sentence.received_unix_ms;
        group.checksum_ok = sentence.checksum_ok && tags_ok;
        group.started_at = self.seen;
        if self.pending.is_empty() {
            self.oldest_started = self.seen;
        }
        self.pending.push(group);
    }

    /// Evicts every group older than the age limit and refreshes `oldest_started`.
    fn evict_aged(&mut self) {
        let max_age = self.limits.max_age_sentences;
        let mut i = 0;
        while i < self.pending.len() {
            if self.seen.saturating_sub(self.pending[i].started_at) > max_age {
                let old = self.pending.swap_remove(i);
                self.queue_report(old.report(IncompleteReason::AgedOut));
                self.spare.push(old);
            } else {
                i += 1;
            }
        }
        self.oldest_started = self.pending.iter().map(|p| p.started_at).min().unwrap_or(self.seen);
    }

    fn queue_report(&mut self, report: IncompleteGroup) {
        if self.reports.len() >= MAX_EVICTION_REPORTS {
            self.reports.pop_front();
            self.reports_dropped += 1;
        }
        self.reports.push_back(report);
    }
}
