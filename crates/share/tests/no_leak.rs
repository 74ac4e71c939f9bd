//! No leak, over a million generated cases: objects with random object-level and field-level
//! markings, held by a random node, looked at by every kind of viewer.
//!
//! For each case the test computes, by its own reading of the rules, which fields the viewer
//! may see, and checks that:
//! 1. `visible` shows exactly those fields (or nothing, when the object is not releasable);
//! 2. the egress guard passes what `visible` produced for a partner;
//! 3. the egress guard refuses the object as held, unredacted — what a query path that forgot
//!    to call `visible` would send — whenever anything in it should have been hidden, and
//!    passes it when nothing should (so the guard neither leaks nor blocks needlessly).
//!
//! A second, smaller run seals (signs) the objects and checks that what `visible` produces still
//! verifies against the originator's key.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use kuroshio_model::{FurtherSharing, Marking, PartnerCode, Tlp};
use kuroshio_share::guard::{EgressGuard, GuardConfig};
use kuroshio_share::{GranularMarking, Held, NodeKey, SharedObject, Viewer, sign, visible};
use serde_json::{Map, Value, json};

/// SplitMix64: a small seeded generator, so every run checks the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const CODES: [&str; 5] = ["JP", "US", "TW", "AU", "PH"];
const FIELDS: [&str; 5] = [
    "x_kuroshio_sensor",
    "x_kuroshio_note",
    "count",
    "x_kuroshio_detail",
    "x_kuroshio_detail.band",
];

fn partners() -> Vec<PartnerCode> {
    CODES.iter().map(|c| PartnerCode::parse(c).unwrap()).collect()
}

/// The parameters of one generated marking, kept for the test's own reading of the rules.
#[derive(Clone, Debug)]
struct Spec {
    tlp: Tlp,
    to: BTreeSet<PartnerCode>,
    relay: bool,
}

fn spec(rng: &mut Rng, originator: PartnerCode, all: &[PartnerCode]) -> Spec {
    let tlp = Tlp::ALL[rng.below(5)];
    let mut to: BTreeSet<PartnerCode> = all.iter().copied().filter(|_| rng.below(2) == 0).collect();
    to.insert(originator);
    Spec { tlp, to, relay: rng.below(3) != 0 }
}

fn marking(originator: PartnerCode, s: &Spec) -> Marking {
    let fs = if s.relay { FurtherSharing::Permitted } else { FurtherSharing::OriginatorOnly };
    Marking::new(originator, s.tlp, s.to.iter().copied(), fs)
}

/// The test's own rule: may `viewer` see something marked `s` (all of `specs` at once), on a
/// node of `holder`, originated by `originator`?
fn may_see(
    specs: &[&Spec],
    holder: PartnerCode,
    originator: PartnerCode,
    viewer: Option<PartnerCode>,
) -> bool {
    let in_all = |p: PartnerCode| specs.iter().all(|s| s.to.contains(&p));
    if !in_all(holder) {
        return false;
    }
    let Some(v) = viewer.filter(|v| *v != holder) else { return true };
    if !in_all(v) {
        return false;
    }
    holder == originator
        || specs.iter().all(|s| s.relay && matches!(s.tlp, Tlp::Clear | Tlp::Green | Tlp::Amber))
}

struct Case {
    held: Held,
    object_spec: Spec,
    fields: Vec<(Vec<&'static str>, Spec)>,
    originator: PartnerCode,
}

fn case(rng: &mut Rng, n: u64, all: &[PartnerCode], holder: PartnerCode) -> Case {
    // Half the objects are the holder's own, half came from another partner.
    let originator = if rng.below(2) == 0 { holder } else { all[rng.below(all.len())] };
    let object_spec = spec(rng, originator, all);
    let mut fields = Vec::new();
    for _ in 0..rng.below(4) {
        let mut selectors: Vec<&'static str> =
            FIELDS.iter().copied().filter(|_| rng.below(3) == 0).collect();
        if selectors.is_empty() {
            selectors.push(FIELDS[rng.below(FIELDS.len())]);
        }
        fields.push((selectors, spec(rng, originator, all)));
    }
    let body = json!({
        "type": "sighting",
        "spec_version": "2.1",
        "id": format!("sighting--00000000-0000-4000-8000-{n:012x}"),
        "created": "2026-12-04T00:00:00.000Z",
        "modified": "2026-12-04T00:00:00.000Z",
        "sighting_of_ref": "indicator--00000000-0000-4000-8000-000000000001",
        "count": 1 + rng.below(9),
        "x_kuroshio_sensor": format!("radar-{}", rng.below(20)),
        "x_kuroshio_note": "seen",
        "x_kuroshio_detail": {"band": "S", "range_nm": rng.below(200)},
    });
    let shared = SharedObject {
        body: body.as_object().unwrap().clone(),
        marking: marking(originator, &object_spec),
        granular: fields
            .iter()
            .map(|(sel, s)| GranularMarking {
                selectors: sel.iter().map(|s| (*s).to_owned()).collect(),
                marking: marking(originator, s),
            })
            .collect(),
    };
    Case { held: shared.mark().unwrap(), object_spec, fields, originator }
}

/// The fields the test expects `viewer` to see: `None` for no object.
fn expected(
    c: &Case,
    holder: PartnerCode,
    viewer: Option<PartnerCode>,
) -> Option<BTreeSet<String>> {
    if !may_see(&[&c.object_spec], holder, c.originator, viewer) {
        return None;
    }
    let mut hidden: Vec<&str> = Vec::new();
    for f in FIELDS {
        let mut specs = vec![&c.object_spec];
        specs.extend(c.fields.iter().filter(|(sel, _)| sel.contains(&f)).map(|(_, s)| s));
        if !may_see(&specs, holder, c.originator, viewer) {
            hidden.push(f);
        }
    }
    let mut present = BTreeSet::new();
    for f in FIELDS {
        let gone = hidden.iter().any(|h| f == *h || f.starts_with(&format!("{h}.")));
        if !gone {
            present.insert(f.to_owned());
        }
    }
    Some(present)
}

fn present(o: &Map<String, Value>) -> BTreeSet<String> {
    FIELDS
        .iter()
        .filter(|f| kuroshio_share::path::get(o, f).is_some())
        .map(|f| (*f).to_owned())
        .collect()
}

fn payload(object: Map<String, Value>, definitions: &BTreeMap<String, Value>) -> Vec<Value> {
    let mut v: Vec<Value> = definitions.values().cloned().collect();
    v.push(Value::Object(object));
    v
}

/// Releasability definitions by (partners, further sharing): there are only a few hundred.
type DefinitionCache =
    std::collections::HashMap<(Vec<PartnerCode>, FurtherSharing), (String, Value)>;

fn definitions(c: &Case, cache: &mut DefinitionCache) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut add = |m: &Marking| {
        let key = (m.releasable_to().iter().copied().collect(), m.further_sharing());
        let (id, def) = cache
            .entry(key)
            .or_insert_with(|| kuroshio_share::markings::releasability_definition(m).unwrap())
            .clone();
        out.insert(id, def);
        out.insert(
            kuroshio_share::markings::tlp_definition_id(m.tlp()).to_owned(),
            kuroshio_share::markings::tlp_definition(m.tlp()),
        );
    };
    add(&c.held.marking);
    for (_, s) in &c.fields {
        add(&marking(c.originator, s));
    }
    // A field under several markings is marked on the wire by their combination.
    for m in c.held.granular.values() {
        add(m);
    }
    out
}

#[test]
fn a_million_views_leak_nothing_and_the_guard_catches_a_forgotten_filter() {
    let all = partners();
    let mut guards: Vec<EgressGuard> = all[..3]
        .iter()
        .map(|h| {
            EgressGuard::new(&GuardConfig {
                holder: *h,
                partners: all.clone(),
                require_signature: false,
                public_ids: Default::default(),
            })
            .unwrap()
        })
        .collect();
    let mut rng = Rng(20_261_204);
    let mut cache = DefinitionCache::new();
    let (mut views, mut withheld, mut redacted, mut caught) = (0u64, 0u64, 0u64, 0u64);
    // Each object is looked at by the holder's users and by all five partners: six views.
    let objects = 170_000u64;
    for n in 0..objects {
        let h = rng.below(3);
        let holder = all[h];
        let c = case(&mut rng, n, &all, holder);
        // The guards learn the node's definitions once; payloads then carry objects only.
        let before = cache.len();
        let defs = definitions(&c, &mut cache);
        if cache.len() > before || n == 0 {
            for g in &mut guards {
                for d in defs.values() {
                    g.learn(d).unwrap();
                }
            }
        }
        let wire = Value::Object(c.held.wire.clone());
        let viewers = std::iter::once(None).chain(all.iter().map(|p| Some(*p)));
        for viewer in viewers {
            views += 1;
            let v = viewer.map_or(Viewer::Local, Viewer::Partner);
            let want = expected(&c, holder, viewer);
            let got = visible(&c.held, holder, v);
            assert_eq!(
                got.as_ref().map(present),
                want,
                "case {n} holder {holder} viewer {viewer:?}"
            );
            let Some(peer) = viewer else { continue };
            match &got {
                None => withheld += 1,
                Some(o) => {
                    if present(o).len() < FIELDS.len() {
                        redacted += 1;
                    }
                    if let Err(e) =
                        guards[h].check(std::slice::from_ref(&Value::Object(o.clone())), peer)
                    {
                        panic!("case {n}: guard refused a correct view for {peer}: {e}\n{o:?}");
                    }
                }
            }
            // The forgotten filter: the object as held goes out as it is.
            let full = expected(&c, holder, viewer).is_some_and(|f| f.len() == FIELDS.len());
            let verdict = guards[h].check(std::slice::from_ref(&wire), peer);
            if full {
                assert!(verdict.is_ok(), "case {n}: guard refused an object {peer} may see whole");
            } else {
                assert!(verdict.is_err(), "case {n}: guard let through what {peer} may not see");
                caught += 1;
            }
        }
    }
    eprintln!(
        "{views} views of {objects} objects: {withheld} withheld, {redacted} redacted, {caught} unfiltered payloads refused by the guard"
    );
    assert!(views >= 1_000_000);
    // The generator must exercise every outcome often.
    assert!(withheld > 100_000 && redacted > 10_000 && caught > 100_000);
}

#[test]
fn signatures_survive_the_views_partners_get() {
    let all = partners();
    let keys: Vec<NodeKey> =
        (0..all.len()).map(|i| NodeKey::from_secret([i as u8 + 1; 32])).collect();
    let mut rng = Rng(7);
    let mut verified = 0;
    for n in 0..1_500u64 {
        let holder = all[rng.below(3)];
        let mut c = case(&mut rng, n, &all, holder);
        let k = all.iter().position(|p| *p == c.originator).unwrap();
        sign::sign(&mut c.held.wire, &keys[k]).unwrap();
        for peer in &all {
            if let Some(o) = visible(&c.held, holder, Viewer::Partner(*peer)) {
                sign::verify(&o, &keys[k].public()).unwrap();
                let wrong = (k + 1) % keys.len();
                assert!(sign::verify(&o, &keys[wrong].public()).is_err());
                verified += 1;
            }
        }
    }
    assert!(verified > 1_000, "{verified}");
}

#[test]
fn the_guard_fails_closed_on_what_it_cannot_read() {
    let all = partners();
    let us = all[1];
    let guard = EgressGuard::new(&GuardConfig {
        holder: us,
        partners: all.clone(),
        require_signature: true,
        public_ids: Default::default(),
    })
    .unwrap();
    let marking = Marking::new(us, Tlp::Green, all.iter().copied(), FurtherSharing::Permitted);
    let shared = SharedObject {
        body: json!({"type": "note", "spec_version": "2.1", "id": "note--00000000-0000-4000-8000-000000000009",
            "created": "2026-12-04T00:00:00.000Z", "modified": "2026-12-04T00:00:00.000Z",
            "content": "x", "object_refs": ["note--00000000-0000-4000-8000-000000000001"]})
        .as_object()
        .unwrap()
        .clone(),
        marking: marking.clone(),
        granular: vec![],
    };
    let defs = shared.definitions().unwrap();
    let held = shared.seal(&NodeKey::from_secret([3; 32])).unwrap();
    let jp = all[0];
    let good = payload(held.wire.clone(), &defs);
    assert_eq!(guard.check(&good, jp).unwrap(), good.len());
    let bundle = json!({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000002", "objects": good});
    assert!(guard.check_bytes(bundle.to_string().as_bytes(), jp).is_ok());

    // Without the releasability definition in the payload or known to the guard: dangling.
    let dangling: Vec<Value> = vec![Value::Object(held.wire.clone())];
    assert!(guard.check(&dangling, jp).is_err());
    // Once the guard knows it, the same payload goes.
    let mut knowing = guard.clone();
    for d in defs.values() {
        knowing.learn(d).unwrap();
    }
    assert!(knowing.check(&dangling, jp).is_ok());
    // Unsigned, unknown originator, a forged TLP definition, junk, a second TLP: refused.
    let mut unsigned = held.wire.clone();
    unsigned.remove(sign::SIGNATURE_PROPERTY);
    assert!(knowing.check(&[Value::Object(unsigned)], jp).is_err());
    let mut stranger = held.wire.clone();
    stranger
        .insert("created_by_ref".into(), json!("identity--00000000-0000-4000-8000-000000000003"));
    assert!(knowing.check(&[Value::Object(stranger)], jp).is_err());
    let mut forged = kuroshio_share::markings::tlp_definition(Tlp::Green);
    forged["extensions"][kuroshio_share::markings::TLP2_EXTENSION_ID]["tlp_2_0"] = json!("clear");
    assert!(guard.check(&[forged], jp).is_err());
    assert!(guard.check_bytes(b"{\"objects\": [1", jp).is_err());
    assert!(guard.check_bytes(b"[42]", jp).is_err());
    let mut two = held.wire.clone();
    two["object_marking_refs"]
        .as_array_mut()
        .unwrap()
        .push(json!(kuroshio_share::markings::tlp_definition_id(Tlp::Clear)));
    assert!(knowing.check(&[Value::Object(two)], jp).is_err());
    // Unmarked objects pass only as named public metadata of the right type.
    let ext = json!({"type": "extension-definition", "spec_version": "2.1",
        "id": "extension-definition--00000000-0000-4000-8000-000000000004"});
    assert!(knowing.check(std::slice::from_ref(&ext), jp).is_err());
    let mut public = GuardConfig {
        holder: us,
        partners: all.clone(),
        require_signature: true,
        public_ids: Default::default(),
    };
    public.public_ids.insert("extension-definition--00000000-0000-4000-8000-000000000004".into());
    let open = EgressGuard::new(&public).unwrap();
    assert!(open.check(std::slice::from_ref(&ext), jp).is_ok());
    let mut disguised = ext.clone();
    disguised["type"] = json!("note");
    assert!(open.check(&[disguised], jp).is_err());
    // A partner code without a nationality gets nothing.
    assert!(knowing.check(&dangling, PartnerCode::parse("XX").unwrap()).is_err());
}

#[test]
fn tlp_definitions_are_the_published_ones() {
    // The OASIS TLP 2.0 example bundle (shared/data/stix21-tlp2-markings) holds the
    // AMBER+STRICT definition as published.
    let Some(path) = kuroshio_testdata::path("stix21-tlp2-markings/tlp-amber+strict.json") else {
        return;
    };
    let bundle: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let published = &bundle["objects"][0];
    assert_eq!(published, &kuroshio_share::markings::tlp_definition(Tlp::AmberStrict));
}
