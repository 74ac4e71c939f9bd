//! Sharing markings: who originated an object, how sensitive it is, and which partners may see it.
//!
//! Every shareable object carries a [`Marking`]:
//! - `originator`: the partner whose node created it;
//! - `tlp`: its Traffic Light Protocol 2.0 level (FIRST TLP 2.0: CLEAR, GREEN, AMBER,
//!   AMBER+STRICT, RED), which bounds what a recipient may do with it;
//! - `releasable_to`: the partners allowed to receive it (always including the originator), the
//!   equivalent of an ISA ACS 3.0 "permitted nationalities" list;
//! - `further_sharing`: whether a recipient may pass it on at all.
//!
//! Markings only ever get stricter as data flows: an item inside a container, or an object
//! derived from several inputs, takes the strictest of everything it came from
//! ([`Marking::combine`], [`Marking::derive`]). The rule is a lattice meet, so the order in which
//! inputs are combined never changes the result.
//!
//! Partners are data in a [`PartnerRegistry`], not an enum: adding a fourth partner is a
//! configuration change.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::PartnerCode;

/// Traffic Light Protocol 2.0 levels, ordered from least to most restrictive.
///
/// Definitions from FIRST, "Traffic Light Protocol (TLP) Version 2.0" (2022): CLEAR — no limit on
/// disclosure; GREEN — the recipient's community; AMBER — the recipient's organisation and its
/// clients on a need-to-know basis; AMBER+STRICT — the recipient's organisation only; RED — the
/// individual recipients only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Tlp {
    /// TLP:CLEAR.
    Clear,
    /// TLP:GREEN.
    Green,
    /// TLP:AMBER.
    Amber,
    /// TLP:AMBER+STRICT.
    #[serde(rename = "AMBER+STRICT")]
    AmberStrict,
    /// TLP:RED.
    Red,
}

impl Tlp {
    /// All levels, least restrictive first.
    pub const ALL: [Tlp; 5] = [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict, Tlp::Red];

    /// The label as TLP 2.0 writes it, e.g. `TLP:AMBER+STRICT`.
    pub const fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// Whether a recipient organisation (a partner's node) may pass an object of this level to
    /// another organisation. Only CLEAR, GREEN and AMBER leave the recipient organisation.
    pub const fn allows_onward_sharing(self) -> bool {
        matches!(self, Tlp::Clear | Tlp::Green | Tlp::Amber)
    }
}

impl fmt::Display for Tlp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Tlp {
    type Err = MarkingError;
    /// Accepts `TLP:AMBER+STRICT`, `AMBER+STRICT` and `amber+strict` alike.
    fn from_str(s: &str) -> Result<Self, MarkingError> {
        let upper = s.trim().to_ascii_uppercase();
        let bare = upper.strip_prefix("TLP:").unwrap_or(&upper);
        Tlp::ALL
            .into_iter()
            .find(|t| &t.label()[4..] == bare)
            .ok_or_else(|| MarkingError::UnknownTlp { value: s.to_owned() })
    }
}

/// Whether a recipient may pass an object on to partners it is releasable to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FurtherSharing {
    /// Recipients may relay it to any partner in `releasable_to`, as its TLP level allows.
    #[default]
    Permitted,
    /// Only the originator shares it; recipients keep it to themselves.
    OriginatorOnly,
}

/// Why a marking could not be built or applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MarkingError {
    /// Not a TLP 2.0 label.
    #[error("{value:?} is not a TLP 2.0 level (CLEAR, GREEN, AMBER, AMBER+STRICT, RED)")]
    UnknownTlp {
        /// The rejected text.
        value: String,
    },
    /// A partner code that the registry does not know.
    #[error("partner {code} is not in the partner registry")]
    UnknownPartner {
        /// The unknown code.
        code: PartnerCode,
    },
    /// A derived object would not be visible to the partner deriving it, because an input
    /// was not releasable to that partner.
    #[error("an input of the derived object is not releasable to its deriver {deriver}")]
    NotReleasableToDeriver {
        /// The partner deriving the object.
        deriver: PartnerCode,
    },
    /// The same partner code appears twice in a registry.
    #[error("partner {code} is registered twice")]
    DuplicatePartner {
        /// The repeated code.
        code: PartnerCode,
    },
}

/// The sharing marking of one object.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Marking {
    originator: PartnerCode,
    tlp: Tlp,
    releasable_to: BTreeSet<PartnerCode>,
    #[serde(default)]
    further_sharing: FurtherSharing,
}

impl Marking {
    /// A marking; the originator is always added to `releasable_to`.
    pub fn new(
        originator: PartnerCode,
        tlp: Tlp,
        releasable_to: impl IntoIterator<Item = PartnerCode>,
        further_sharing: FurtherSharing,
    ) -> Self {
        let mut set: BTreeSet<PartnerCode> = releasable_to.into_iter().collect();
        set.insert(originator);
        Self { originator, tlp, releasable_to: set, further_sharing }
    }

    /// The strictest marking an originator can give: TLP:RED, releasable to itself only.
    pub fn originator_only(originator: PartnerCode) -> Self {
        Self::new(originator, Tlp::Red, [], FurtherSharing::OriginatorOnly)
    }

    /// The partner that created the object.
    pub fn originator(&self) -> PartnerCode {
        self.originator
    }

    /// The TLP level.
    pub fn tlp(&self) -> Tlp {
        self.tlp
    }

    /// Partners allowed to receive the object (the originator included).
    pub fn releasable_to(&self) -> &BTreeSet<PartnerCode> {
        &self.releasable_to
    }

    /// Whether recipients may relay it.
    pub fn further_sharing(&self) -> FurtherSharing {
        self.further_sharing
    }

    /// Whether `partner` may hold and see the object at all.
    pub fn permits(&self, partner: PartnerCode) -> bool {
        self.releasable_to.contains(&partner)
    }

    /// Whether `holder`, which has the object, may send it to `to`.
    ///
    /// The originator may send to anyone the object is releasable to. Anyone else may only relay
    /// when the further-sharing rule permits it and the TLP level lets the object leave the
    /// recipient organisation (CLEAR, GREEN, AMBER), and then only to partners it is releasable to.
    pub fn may_send(&self, holder: PartnerCode, to: PartnerCode) -> bool {
        if !self.permits(holder) || !self.permits(to) {
            return false;
        }
        if holder == self.originator {
            return true;
        }
        self.further_sharing == FurtherSharing::Permitted && self.tlp.allows_onward_sharing()
    }

    /// The strictest of two markings: the higher TLP level, the partners both allow, the stricter
    /// further-sharing rule. The originator stays `self`'s: use it as `item.combine(container)`
    /// for an item held in a container.
    ///
    /// The result never permits anything that either input forbids, and the operation is
    /// commutative on everything but the originator, associative and idempotent.
    pub fn combine(&self, other: &Marking) -> Marking {
        let releasable_to: BTreeSet<PartnerCode> =
            self.releasable_to.intersection(&other.releasable_to).copied().collect();
        Marking {
            originator: self.originator,
            tlp: self.tlp.max(other.tlp),
            // The originator may always see its own object; when the container is stricter than
            // the item's originator, the item's originator drops out of the visible set below
            // through `permits`, but keeps its name here for provenance.
            releasable_to,
            further_sharing: self.further_sharing.max(other.further_sharing),
        }
    }

    /// The marking of an object that `deriver` computes from `inputs` (a track from
    /// observations, an event from tracks, a report from events): the strictest of all inputs,
    /// originated by the deriver. Starts from `base`, the deriver's own default marking for
    /// such objects, so a derived object is never looser than local policy either.
    ///
    /// Fails when an input is not releasable to the deriver, which would make the derived object
    /// invisible to the node that made it (and means the input should not have been there).
    pub fn derive<'a>(
        deriver: PartnerCode,
        base: &Marking,
        inputs: impl IntoIterator<Item = &'a Marking>,
    ) -> Result<Marking, MarkingError> {
        let mut out = Marking { originator: deriver, ..base.clone() };
        out.releasable_to.insert(deriver);
        for input in inputs {
            if !input.permits(deriver) {
                return Err(MarkingError::NotReleasableToDeriver { deriver });
            }
            out = out.combine(input);
        }
        if !out.permits(deriver) {
            return Err(MarkingError::NotReleasableToDeriver { deriver });
        }
        Ok(out)
    }

    /// Whether `self` is at least as strict as `other` in every respect.
    pub fn at_least_as_strict_as(&self, other: &Marking) -> bool {
        self.tlp >= other.tlp
            && self.further_sharing >= other.further_sharing
            && self.releasable_to.is_subset(&other.releasable_to)
    }
}

/// A partner of the federation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// Its code.
    pub code: PartnerCode,
    /// Display name in English.
    pub name: String,
}

/// The partners a node knows, keyed by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Partner>", into = "Vec<Partner>")]
pub struct PartnerRegistry {
    partners: BTreeMap<PartnerCode, Partner>,
}

impl PartnerRegistry {
    /// A registry of the given partners; duplicate codes are rejected.
    pub fn new(partners: impl IntoIterator<Item = Partner>) -> Result<Self, MarkingError> {
        let mut map = BTreeMap::new();
        for p in partners {
            let code = p.code;
            if map.insert(code, p).is_some() {
                return Err(MarkingError::DuplicatePartner { code });
            }
        }
        Ok(Self { partners: map })
    }

    /// Looks a partner up.
    pub fn get(&self, code: PartnerCode) -> Option<&Partner> {
        self.partners.get(&code)
    }

    /// All partners, ordered by code.
    pub fn iter(&self) -> impl Iterator<Item = &Partner> {
        self.partners.values()
    }

    /// Number of partners.
    pub fn len(&self) -> usize {
        self.partners.len()
    }

    /// Whether the registry is empty.
    pub fn is_empty(&self) -> bool {
        self.partners.is_empty()
    }

    /// Checks that every partner a marking names is registered.
    pub fn check(&self, marking: &Marking) -> Result<(), MarkingError> {
        for &code in std::iter::once(&marking.originator).chain(&marking.releasable_to) {
            if !self.partners.contains_key(&code) {
                return Err(MarkingError::UnknownPartner { code });
            }
        }
        Ok(())
    }
}

impl TryFrom<Vec<Partner>> for PartnerRegistry {
    type Error = MarkingError;
    fn try_from(v: Vec<Partner>) -> Result<Self, MarkingError> {
        Self::new(v)
    }
}

impl From<PartnerRegistry> for Vec<Partner> {
    fn from(r: PartnerRegistry) -> Vec<Partner> {
        r.partners.into_values().collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> PartnerCode {
        PartnerCode::parse(s).unwrap()
    }

    const CODES: [&str; 4] = ["JP", "US", "TW", "PH"];

    /// Every marking over four partners: 4 originators × 5 TLP × 2 rules × 8 other-partner
    /// subsets = 320.
    fn all_markings() -> Vec<Marking> {
        let mut out = Vec::new();
        for (oi, o) in CODES.iter().enumerate() {
            let others: Vec<&str> =
                CODES.iter().enumerate().filter(|&(i, _)| i != oi).map(|(_, c)| *c).collect();
            for tlp in Tlp::ALL {
                for fs in [FurtherSharing::Permitted, FurtherSharing::OriginatorOnly] {
                    for mask in 0..(1u8 << others.len()) {
                        let set = others
                            .iter()
                            .enumerate()
                            .filter(|&(i, _)| mask & (1 << i) != 0)
                            .map(|(_, c)| code(c));
                        out.push(Marking::new(code(o), tlp, set, fs));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn tlp_order_and_labels() {
        assert!(Tlp::Clear < Tlp::Green && Tlp::Green < Tlp::Amber);
        assert!(Tlp::Amber < Tlp::AmberStrict && Tlp::AmberStrict < Tlp::Red);
        for t in Tlp::ALL {
            assert_eq!(t.label().parse::<Tlp>().unwrap(), t);
        }
        assert_eq!("amber+strict".parse::<Tlp>().unwrap(), Tlp::AmberStrict);
        assert!("TLP:WHITE".parse::<Tlp>().is_err(), "TLP 1.0 WHITE is not a TLP 2.0 level");
        assert_eq!(serde_json::to_string(&Tlp::AmberStrict).unwrap(), "\"AMBER+STRICT\"");
    }

    #[test]
    fn combine_is_a_meet_over_all_pairs() {
        let all = all_markings();
        assert_eq!(all.len(), 320);
        for a in &all {
            assert_eq!(&a.combine(a), a, "idempotent");
            for b in &all {
                let ab = a.combine(b);
                let ba = b.combine(a);
                // Commutative except for whose object it is.
                assert_eq!(ab.tlp, ba.tlp);
                assert_eq!(ab.releasable_to, ba.releasable_to);
                assert_eq!(ab.further_sharing, ba.further_sharing);
                assert_eq!(ab.originator, a.originator);
                // Strictest wins: never looser than either input.
                assert!(ab.at_least_as_strict_as(a) && ab.at_least_as_strict_as(b));
                assert_eq!(ab.tlp, a.tlp.max(b.tlp));
                // And no stricter than needed: exactly the partners both allow.
                for c in CODES.map(code) {
                    assert_eq!(ab.permits(c), a.permits(c) && b.permits(c));
                    for d in CODES.map(code) {
                        if ab.may_send(c, d) {
                            assert!(a.permits(c) && b.permits(c) && a.permits(d) && b.permits(d));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn combine_is_associative() {
        let all = all_markings();
        // Every 7th marking keeps the triple loop to ~100k combinations while still covering each
        // TLP level, rule and originator.
        let some: Vec<&Marking> = all.iter().step_by(7).collect();
        for a in &some {
            for b in &some {
                for c in &some {
                    assert_eq!(a.combine(b).combine(c), a.combine(&b.combine(c)));
                }
            }
        }
    }

    #[test]
    fn may_send_rules() {
        let (jp, us, tw, ph) = (code("JP"), code("US"), code("TW"), code("PH"));
        for m in all_markings() {
            for holder in [jp, us, tw, ph] {
                for to in [jp, us, tw, ph] {
                    let expected = m.permits(holder)
                        && m.permits(to)
                        && (holder == m.originator()
                            || (m.further_sharing() == FurtherSharing::Permitted
                                && m.tlp() <= Tlp::Amber));
                    assert_eq!(m.may_send(holder, to), expected, "{m:?} {holder} -> {to}");
                }
            }
        }
        // Spelled out: US relays JP's AMBER object to TW only if JP released it to TW.
        let m = Marking::new(jp, Tlp::Amber, [us], FurtherSharing::Permitted);
        assert!(m.may_send(jp, us));
        assert!(!m.may_send(us, tw));
        let m = Marking::new(jp, Tlp::Amber, [us, tw], FurtherSharing::Permitted);
        assert!(m.may_send(us, tw));
        let m = Marking::new(jp, Tlp::AmberStrict, [us, tw], FurtherSharing::Permitted);
        assert!(!m.may_send(us, tw), "AMBER+STRICT stays in the recipient organisation");
        assert!(m.may_send(jp, tw));
    }

    #[test]
    fn derive_takes_strictest_and_checks_deriver() {
        let (jp, us, tw) = (code("JP"), code("US"), code("TW"));
        let base = Marking::new(us, Tlp::Green, [jp, tw], FurtherSharing::Permitted);
        let a = Marking::new(jp, Tlp::Amber, [us, tw], FurtherSharing::Permitted);
        let b = Marking::new(tw, Tlp::Green, [us], FurtherSharing::OriginatorOnly);
        let d = Marking::derive(us, &base, [&a, &b]).unwrap();
        assert_eq!(d.originator(), us);
        assert_eq!(d.tlp(), Tlp::Amber);
        assert_eq!(d.further_sharing(), FurtherSharing::OriginatorOnly);
        // b is TW's own, so TW stays; JP drops out because b was not released to JP.
        assert_eq!(d.releasable_to().iter().copied().collect::<Vec<_>>(), vec![tw, us]);
        assert!(d.at_least_as_strict_as(&a) && d.at_least_as_strict_as(&b));
        let secret = Marking::originator_only(jp);
        assert_eq!(
            Marking::derive(us, &base, [&secret]),
            Err(MarkingError::NotReleasableToDeriver { deriver: us })
        );
        // With no inputs, the base marking stands (re-originated by the deriver).
        assert_eq!(Marking::derive(us, &base, []).unwrap(), base);
    }

    #[test]
    fn registry_is_data() {
        let reg: PartnerRegistry = serde_json::from_str(
            r#"[{"code":"JP","name":"Japan"},{"code":"US","name":"United States"},
                {"code":"TW","name":"Taiwan"},{"code":"PH","name":"Philippines"}]"#,
        )
        .unwrap();
        assert_eq!(reg.len(), 4);
        assert_eq!(reg.get(code("PH")).unwrap().name, "Philippines");
        assert!(
            reg.check(&Marking::new(
                code("PH"),
                Tlp::Green,
                [code("JP")],
                FurtherSharing::Permitted
            ))
            .is_ok()
        );
        assert_eq!(
            reg.check(&Marking::new(
                code("JP"),
                Tlp::Green,
                [code("KR")],
                FurtherSharing::Permitted
            )),
            Err(MarkingError::UnknownPartner { code: code("KR") })
        );
        assert!(
            serde_json::from_str::<PartnerRegistry>(
                r#"[{"code":"JP","name":"a"},{"code":"JP","name":"b"}]"#
            )
            .is_err()
        );
    }
}
