//! The one decision: what a viewer may see of an object.
//!
//! [`visible`] is the only function that decides; the web map, the HTTP API, exports, TAXII
//! and Cursor-on-Target all call it, and [`crate::guard`] checks its output again on the way
//! out. A viewer is either one of the node's own users, or a partner — a partner's node pulling
//! over TAXII, or a partner's user looking through the "as partner X" view; both see exactly
//! what is released to that partner.
//!
//! The rule, for a node of partner `holder`:
//! - its own users see everything the node holds that is releasable to `holder`;
//! - partner `p` sees an object when `marking.may_send(holder, p)`: `p` is in the releasable
//!   set, and either `holder` originated the object or the object allows relaying (further
//!   sharing permitted and TLP CLEAR, GREEN or AMBER);
//! - a field under granular markings is judged by the object's marking made stricter by the
//!   field's ([`Marking::combine`]); a field the viewer may not see is removed
//!   ([`crate::sign::redact`], so the originator's signature still holds);
//! - the object is withheld whole when a field that must go cannot be removed cleanly (a
//!   selector into a list, a property STIX requires, a selector that names nothing).

use kuroshio_model::{Marking, PartnerCode};
use serde_json::{Map, Value};

use crate::object::{Held, REQUIRED_PROPERTIES};
use crate::path;
use crate::sign::redact;

/// Who is looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// A user of this node.
    Local,
    /// Partner `p`'s node, or a user of partner `p`.
    Partner(PartnerCode),
}

/// Whether `viewer` may see what `marking` marks, on a node of partner `holder`.
pub fn allowed(marking: &Marking, holder: PartnerCode, viewer: Viewer) -> bool {
    match viewer {
        Viewer::Local => marking.permits(holder),
        Viewer::Partner(p) if p == holder => marking.permits(holder),
        Viewer::Partner(p) => marking.may_send(holder, p),
    }
}

/// What `viewer` may see of `object` on a node of partner `holder`: the wire object with the
/// fields it may not see removed, or `None` when it may not see the object.
pub fn visible(object: &Held, holder: PartnerCode, viewer: Viewer) -> Option<Map<String, Value>> {
    if !allowed(&object.marking, holder, viewer) {
        return None;
    }
    let mut out: Option<Map<String, Value>> = None;
    for (selector, field) in &object.granular {
        if allowed(&object.marking.combine(field), holder, viewer) {
            continue;
        }
        if !path::is_property_path(selector) || REQUIRED_PROPERTIES.contains(&selector.as_str()) {
            return None;
        }
        let o = out.get_or_insert_with(|| object.wire.clone());
        // A field already removed with its parent is gone; a selector naming nothing in the
        // original is a broken object.
        path::get(&object.wire, selector)?;
        let _ = redact(o, selector);
    }
    Some(out.unwrap_or_else(|| object.wire.clone()))
}
