//! Property tests: the store against a plain model (each context is a BTreeMap var -> value id).
#![cfg(not(target_arch = "wasm32"))]

use asynccontext::store::{Handle, SlotId, Store, StoreError, VarId};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone)]
enum Op {
    /// derive from the context at position `parent % live.len()` (or the empty context)
    Derive { parent: usize, var: usize },
    Release { pick: usize },
    Lookup { pick: usize, var: usize },
    /// use a handle that was already released
    UseStale { pick: usize, var: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (any::<usize>(), 0..24usize).prop_map(|(parent, var)| Op::Derive { parent, var }),
        2 => any::<usize>().prop_map(|pick| Op::Release { pick }),
        3 => (any::<usize>(), 0..24usize).prop_map(|(pick, var)| Op::Lookup { pick, var }),
        1 => (any::<usize>(), 0..24usize).prop_map(|(pick, var)| Op::UseStale { pick, var }),
    ]
}

struct Model {
    /// live context -> (var -> slot that holds its value)
    contexts: Vec<(Handle, BTreeMap<usize, SlotId>)>,
    stale: Vec<Handle>,
    /// slot -> the value id the JS side stored there (each derive stores a fresh one)
    values: HashMap<SlotId, u64>,
    /// value id each context sees for each var
    expected: HashMap<Handle, BTreeMap<usize, u64>>,
    next_value: u64,
}

fn check(ops: Vec<Op>) {
    let mut store = Store::new();
    let vars: Vec<VarId> = (0..24).map(|_| store.new_variable().unwrap()).collect();
    let mut m = Model { contexts: vec![], stale: vec![], values: HashMap::new(), expected: HashMap::new(), next_value: 0 };
    m.expected.insert(Handle::EMPTY, BTreeMap::new());

    for op in ops {
        match op {
            Op::Derive { parent, var } => {
                let (ph, pmap) = if m.contexts.is_empty() || parent % 3 == 0 {
                    (Handle::EMPTY, BTreeMap::new())
                } else {
                    m.contexts[parent % m.contexts.len()].clone()
                };
                let h = store.derive(ph, vars[var]).unwrap();
                let slot = h.index();
                assert!(!m.values.contains_key(&slot), "slot {slot} handed out while still live");
                m.next_value += 1;
                m.values.insert(slot, m.next_value);
                let mut map = pmap;
                map.insert(var, slot);
                let mut exp = m.expected[&ph].clone();
                exp.insert(var, m.next_value);
                m.expected.insert(h, exp);
                m.contexts.push((h, map));
            }
            Op::Release { pick } => {
                if m.contexts.is_empty() {
                    continue;
                }
                let (h, _) = m.contexts.swap_remove(pick % m.contexts.len());
                m.expected.remove(&h);
                let freed: HashSet<SlotId> = store.release(h).unwrap().iter().copied().collect();
                let still_used: HashSet<SlotId> = m.contexts.iter().flat_map(|(_, mp)| mp.values().copied()).collect();
                let should_free: HashSet<SlotId> =
                    m.values.keys().copied().filter(|s| !still_used.contains(s)).collect();
                assert_eq!(freed, should_free, "freed slots must be exactly the unreachable ones");
                for s in &freed {
                    m.values.remove(s);
                }
                m.stale.push(h);
            }
            Op::Lookup { pick, var } => {
                let h = if m.contexts.is_empty() { Handle::EMPTY } else { m.contexts[pick % m.contexts.len()].0 };
                let got = store.lookup(h, vars[var]).unwrap().map(|slot| m.values[&slot]);
                assert_eq!(got, m.expected[&h].get(&var).copied());
            }
            Op::UseStale { pick, var } => {
                if m.stale.is_empty() {
                    continue;
                }
                let h = m.stale[pick % m.stale.len()];
                assert_eq!(store.lookup(h, vars[var]), Err(StoreError::StaleHandle));
                assert_eq!(store.derive(h, vars[var]), Err(StoreError::StaleHandle));
                assert_eq!(store.release(h), Err(StoreError::StaleHandle));
            }
        }
        assert_eq!(store.live_nodes(), m.contexts.len());
        assert_eq!(store.live_slots(), m.values.len());
    }

    // Release everything: the store returns to its baseline.
    for (h, _) in m.contexts.drain(..) {
        store.release(h).unwrap();
    }
    assert_eq!((store.live_nodes(), store.live_slots()), (0, 0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn store_matches_model(ops in proptest::collection::vec(op(), 1..300)) {
        check(ops);
    }
}

#[test]
fn deep_nesting_and_full_release() {
    let mut s = Store::new();
    let vars: Vec<VarId> = (0..20).map(|_| s.new_variable().unwrap()).collect();
    let mut chain = vec![Handle::EMPTY];
    for depth in 0..2000 {
        let h = s.derive(*chain.last().unwrap(), vars[depth % 20]).unwrap();
        chain.push(h);
    }
    let top = *chain.last().unwrap();
    assert_eq!(s.len(top).unwrap(), 20);
    // Release from the outside in: only the innermost 20 bindings stay reachable until the end.
    for &h in &chain[1..chain.len() - 1] {
        s.release(h).unwrap();
    }
    assert_eq!(s.live_nodes(), 1);
    assert_eq!(s.live_slots(), 20);
    assert_eq!(s.release(top).unwrap().len(), 20);
    assert_eq!((s.live_nodes(), s.live_slots()), (0, 0));
}

#[test]
fn slot_reuse_bumps_generation_every_time() {
    let mut s = Store::new();
    let v = s.new_variable().unwrap();
    let mut seen = Vec::new();
    for _ in 0..1000 {
        let h = s.derive(Handle::EMPTY, v).unwrap();
        assert_eq!(h.index(), 1, "a single live context keeps reusing one index");
        assert!(!seen.contains(&h));
        seen.push(h);
        s.release(h).unwrap();
    }
    for h in seen {
        assert_eq!(s.lookup(h, v), Err(StoreError::StaleHandle));
    }
}
