//! Which marking each kind of event gets on this node.
//!
//! A node's configuration says, per event kind, the TLP level, the partners an event of that kind
//! is releasable to and whether recipients may pass it on; a `default` rule covers the kinds not
//! named. The originator is always the node's own partner. Loaded from JSON:
//!
//! ```json
//! {"default": {"tlp": "AMBER", "releasable_to": ["JP", "US", "TW"]},
//!  "kinds": {"identity_conflict": {"tlp": "AMBER+STRICT", "releasable_to": []}}}
//! ```

use std::collections::BTreeMap;

use kuroshio_model::{FurtherSharing, Marking, MarkingError, PartnerCode, PartnerRegistry, Tlp};
use serde::{Deserialize, Serialize};

use crate::EventKind;

/// The marking given to events of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkingRule {
    /// TLP level.
    pub tlp: Tlp,
    /// Partners besides the originator.
    #[serde(default)]
    pub releasable_to: Vec<PartnerCode>,
    /// Whether recipients may relay.
    #[serde(default)]
    pub further_sharing: FurtherSharing,
}

/// A node's marking policy for events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPolicy {
    /// Rule for kinds without their own.
    pub default: MarkingRule,
    /// Rules by kind.
    #[serde(default)]
    pub kinds: BTreeMap<EventKind, MarkingRule>,
}

/// Why a policy was rejected.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// Not valid policy JSON.
    #[error("event policy: {0}")]
    Syntax(#[from] serde_json::Error),
    /// A partner the registry does not know.
    #[error("event policy: {0}")]
    Marking(#[from] MarkingError),
}

impl Default for EventPolicy {
    /// The conservative default: TLP:AMBER+STRICT, releasable to no one but the originator.
    /// Sharing is opened on purpose, in configuration, never by accident.
    fn default() -> Self {
        Self {
            default: MarkingRule {
                tlp: Tlp::AmberStrict,
                releasable_to: Vec::new(),
                further_sharing: FurtherSharing::OriginatorOnly,
            },
            kinds: BTreeMap::new(),
        }
    }
}

impl EventPolicy {
    /// Parses a policy and checks every partner it names against the registry.
    pub fn from_json(text: &str, registry: &PartnerRegistry) -> Result<Self, PolicyError> {
        let policy: EventPolicy = serde_json::from_str(text)?;
        for rule in std::iter::once(&policy.default).chain(policy.kinds.values()) {
            for &p in &rule.releasable_to {
                if registry.get(p).is_none() {
                    return Err(MarkingError::UnknownPartner { code: p }.into());
                }
            }
        }
        Ok(policy)
    }

    /// The marking of an event of `kind` originated by `originator`.
    pub fn marking(&self, kind: EventKind, originator: PartnerCode) -> Marking {
        let rule = self.kinds.get(&kind).unwrap_or(&self.default);
        Marking::new(originator, rule.tlp, rule.releasable_to.iter().copied(), rule.further_sharing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kuroshio_model::Partner;

    fn code(s: &str) -> PartnerCode {
        PartnerCode::parse(s).unwrap()
    }

    fn registry() -> PartnerRegistry {
        PartnerRegistry::new(["JP", "US", "TW"].map(|c| Partner { code: code(c), name: c.into() }))
            .unwrap()
    }

    #[test]
    fn per_kind_rules_override_the_default() {
        let p = EventPolicy::from_json(
            r#"{"default": {"tlp": "AMBER", "releasable_to": ["JP", "US", "TW"]},
                "kinds": {"identity_conflict": {"tlp": "AMBER+STRICT", "releasable_to": []}}}"#,
            &registry(),
        )
        .unwrap();
        let tw = code("TW");
        let crossing = p.marking(EventKind::LineCrossing, tw);
        assert_eq!(crossing.tlp(), Tlp::Amber);
        assert!(crossing.permits(code("JP")) && crossing.permits(code("US")));
        let conflict = p.marking(EventKind::IdentityConflict, tw);
        assert_eq!(conflict.tlp(), Tlp::AmberStrict);
        assert!(!conflict.permits(code("JP")));
        assert!(conflict.permits(tw), "the originator always sees its own events");
    }

    #[test]
    fn unknown_partners_and_kinds_are_rejected() {
        let bad_partner = r#"{"default": {"tlp": "GREEN", "releasable_to": ["KR"]}}"#;
        assert!(EventPolicy::from_json(bad_partner, &registry()).is_err());
        let bad_kind = r#"{"default": {"tlp": "GREEN"}, "kinds": {"sighting": {"tlp": "RED"}}}"#;
        assert!(EventPolicy::from_json(bad_kind, &registry()).is_err());
        let bad_tlp = r#"{"default": {"tlp": "WHITE"}}"#;
        assert!(EventPolicy::from_json(bad_tlp, &registry()).is_err());
    }

    #[test]
    fn every_kind_has_a_rule_and_zone_dwell_can_have_its_own() {
        let p = EventPolicy::from_json(
            r#"{"default": {"tlp": "AMBER", "releasable_to": ["JP", "US", "TW"]},
                "kinds": {"zone_dwell": {"tlp": "GREEN", "releasable_to": ["JP"]}}}"#,
            &registry(),
        )
        .unwrap();
        let tw = code("TW");
        let dwell = p.marking(EventKind::ZoneDwell, tw);
        assert_eq!(dwell.tlp(), Tlp::Green);
        assert!(dwell.permits(code("JP")) && !dwell.permits(code("US")));
        assert_eq!(p.marking(EventKind::ZoneExit, tw).tlp(), Tlp::Amber);
        // The default policy marks every kind, the newest included.
        for kind in EventKind::ALL {
            assert_eq!(EventPolicy::default().marking(kind, tw).tlp(), Tlp::AmberStrict, "{kind}");
        }
    }

    #[test]
    fn default_policy_shares_nothing() {
        let m = EventPolicy::default().marking(EventKind::ZoneEntry, code("JP"));
        assert_eq!(m.releasable_to().len(), 1);
        assert!(!m.may_send(code("JP"), code("US")));
    }
}
