//! The snapshot store: an arena of immutable context maps ("nodes") addressed by generational
//! handles.
//!
//! A context maps variable ids to value slots. The JavaScript values themselves stay on the JS
//! side, in an array indexed by slot id; this store only decides which slot a variable resolves
//! to in a given context and when a slot may be reused.
//!
//! Every `derive` creates one arena entry that carries two things sharing one index:
//! - the **node**: the new context's map (the parent's map plus `variable -> this slot`), alive
//!   until the node is released; its handle goes stale at that moment;
//! - the **value slot** for the value being bound, alive while any live node's map points at it
//!   (a child context that still sees the value keeps the slot after its creator is released).
//!
//! An index is only reused once both are gone, and every release bumps the entry's generation,
//! so a stale handle can never resolve to another context (the ABA hazard of plain indices).

#[cfg(all(target_arch = "wasm32", feature = "no-std"))]
use alloc::vec::Vec;
use std::fmt;

/// Number of bits of a handle's generation. Handles travel to JavaScript as doubles, so
/// index (32 bits) + generation must fit in the 53-bit integer range of an f64.
const GENERATION_BITS: u32 = 21;
const MAX_GENERATION: u32 = (1 << GENERATION_BITS) - 1;

/// Identifies a context node: arena index plus the generation it was created in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Handle {
    index: u32,
    generation: u32,
}

impl Handle {
    /// The empty context. It is never released and never stale.
    pub const EMPTY: Handle = Handle { index: 0, generation: 0 };

    /// Packs the handle into an integer below 2^53 (exactly representable as an f64).
    pub fn to_bits(self) -> u64 {
        (u64::from(self.generation) << 32) | u64::from(self.index)
    }

    /// Inverse of `to_bits`. Returns `None` for values no handle can have.
    pub fn from_bits(bits: u64) -> Option<Handle> {
        let generation = bits >> 32;
        if generation > u64::from(MAX_GENERATION) {
            return None;
        }
        Some(Handle { index: bits as u32, generation: generation as u32 })
    }

    /// Arena index; also the id of the value slot this node's own binding lives in.
    pub fn index(self) -> u32 {
        self.index
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({}v{})", self.index, self.generation)
    }
}

/// Identifies an `AsyncContext.Variable`. Ids are never reused, so a map entry can never be
/// mistaken for a later variable's.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct VarId(u32);

impl VarId {
    pub fn from_raw(raw: u32) -> VarId {
        VarId(raw)
    }
    pub fn raw(self) -> u32 {
        self.0
    }
}

/// Index of a value slot (the JS side keeps `values[slot]`).
pub type SlotId = u32;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StoreError {
    /// The handle names a node that was released (or never existed).
    StaleHandle,
    /// All variable ids have been handed out.
    VariablesExhausted,
    /// The arena cannot grow any further.
    ArenaFull,
}

impl StoreError {
    pub fn message(self) -> &'static str {
        match self {
            StoreError::StaleHandle => "stale context handle",
            StoreError::VariablesExhausted => "too many AsyncContext.Variable instances",
            StoreError::ArenaFull => "too many live contexts",
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

struct Entry {
    generation: u32,
    /// The node's map, sorted by variable id. Kept (emptied) after release so the next node
    /// created at this index reuses the allocation.
    map: Vec<(VarId, SlotId)>,
    node_live: bool,
    /// How many live maps point at this entry's value slot.
    slot_refs: u32,
    /// The generation counter ran out: never hand this index out again.
    retired: bool,
}

impl Entry {
    fn is_free(&self) -> bool {
        !self.node_live && self.slot_refs == 0
    }
}

/// Above this length a map is searched by bisection instead of a linear scan.
const LINEAR_SCAN_MAX: usize = 8;

pub struct Store {
    entries: Vec<Entry>,
    free: Vec<u32>,
    next_var: u32,
    live_nodes: usize,
    live_slots: usize,
    /// Slots freed by the most recent `release`, for the caller to clear.
    freed: Vec<SlotId>,
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    pub fn new() -> Store {
        // Entry 0 is the empty context: a permanent node with an empty map and no slot.
        let root = Entry { generation: 0, map: Vec::new(), node_live: true, slot_refs: 0, retired: true };
        Store { entries: vec![root], free: Vec::new(), next_var: 0, live_nodes: 0, live_slots: 0, freed: Vec::new() }
    }

    pub fn new_variable(&mut self) -> Result<VarId, StoreError> {
        let id = self.next_var;
        self.next_var = id.checked_add(1).ok_or(StoreError::VariablesExhausted)?;
        Ok(VarId(id))
    }

    fn node(&self, h: Handle) -> Result<&Entry, StoreError> {
        match self.entries.get(h.index as usize) {
            Some(e) if e.node_live && e.generation == h.generation => Ok(e),
            _ => Err(StoreError::StaleHandle),
        }
    }

    pub fn is_live(&self, h: Handle) -> bool {
        self.node(h).is_ok()
    }

    /// Creates the context `parent + (var -> new slot)`. Returns its handle; the new value slot
    /// is `handle.index()`.
    pub fn derive(&mut self, parent: Handle, var: VarId) -> Result<Handle, StoreError> {
        self.node(parent)?;
        let index = self.allocate()?;
        let mut map = std::mem::take(&mut self.entries[index as usize].map);
        map.clear();
        map.extend_from_slice(&self.entries[parent.index as usize].map);
        match map.binary_search_by_key(&var, |&(v, _)| v) {
            Ok(at) => map[at].1 = index,
            Err(at) => map.insert(at, (var, index)),
        }
        for &(_, slot) in &map {
            self.entries[slot as usize].slot_refs += 1;
        }
        self.live_slots += 1;
        self.live_nodes += 1;
        let entry = &mut self.entries[index as usize];
        entry.map = map;
        entry.node_live = true;
        Ok(Handle { index, generation: entry.generation })
    }

    fn allocate(&mut self) -> Result<u32, StoreError> {
        if let Some(index) = self.free.pop() {
            return Ok(index);
        }
        let index = u32::try_from(self.entries.len()).map_err(|_| StoreError::ArenaFull)?;
        // The two highest u32 values are the JS side's "unbound" and "stale" lookup answers.
        if index >= u32::MAX - 1 {
            return Err(StoreError::ArenaFull);
        }
        self.entries.push(Entry { generation: 0, map: Vec::new(), node_live: false, slot_refs: 0, retired: false });
        Ok(index)
    }

    /// The slot `var` resolves to in context `h`, or `None` if the context does not bind it.
    pub fn lookup(&self, h: Handle, var: VarId) -> Result<Option<SlotId>, StoreError> {
        let map = &self.node(h)?.map;
        if map.len() <= LINEAR_SCAN_MAX {
            return Ok(map.iter().find(|&&(v, _)| v == var).map(|&(_, s)| s));
        }
        Ok(map.binary_search_by_key(&var, |&(v, _)| v).ok().map(|at| map[at].1))
    }

    /// Releases node `h`: its handle goes stale now. Returns the value slots that no live
    /// context can reach any more; the caller must drop the values it keeps for them.
    pub fn release(&mut self, h: Handle) -> Result<&[SlotId], StoreError> {
        if h == Handle::EMPTY {
            return Err(StoreError::StaleHandle);
        }
        self.node(h)?;
        self.freed.clear();
        let index = h.index as usize;
        let map = std::mem::take(&mut self.entries[index].map);
        {
            let entry = &mut self.entries[index];
            entry.node_live = false;
            // Bump now, not at reuse: the handle must go stale even while the slot lives on.
            if entry.generation == MAX_GENERATION {
                entry.retired = true;
            } else {
                entry.generation += 1;
            }
        }
        self.live_nodes -= 1;
        for &(_, slot) in &map {
            let e = &mut self.entries[slot as usize];
            e.slot_refs -= 1;
            if e.is_free() {
                self.live_slots -= 1;
                self.freed.push(slot);
                if !e.retired {
                    self.free.push(slot);
                }
            }
        }
        // Every map contains its own node's slot, so `index` was handled above if it is free.
        self.entries[index].map = map;
        self.entries[index].map.clear();
        Ok(&self.freed)
    }

    pub fn live_nodes(&self) -> usize {
        self.live_nodes
    }

    pub fn live_slots(&self) -> usize {
        self.live_slots
    }

    /// Number of bindings in context `h` (for tests and diagnostics only; bindings themselves are
    /// never enumerable from JavaScript).
    pub fn len(&self, h: Handle) -> Result<usize, StoreError> {
        Ok(self.node(h)?.map.len())
    }

    #[cfg(test)]
    fn force_generation(&mut self, index: u32, generation: u32) {
        self.entries[index as usize].generation = generation;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_context_binds_nothing() {
        let mut s = Store::new();
        let v = s.new_variable().unwrap();
        assert_eq!(s.lookup(Handle::EMPTY, v), Ok(None));
        assert_eq!(s.len(Handle::EMPTY), Ok(0));
        assert_eq!(s.release(Handle::EMPTY), Err(StoreError::StaleHandle));
        assert!(s.is_live(Handle::EMPTY));
    }

    #[test]
    fn derive_binds_and_inherits() {
        let mut s = Store::new();
        let (a, b) = (s.new_variable().unwrap(), s.new_variable().unwrap());
        let h1 = s.derive(Handle::EMPTY, a).unwrap();
        let h2 = s.derive(h1, b).unwrap();
        assert_eq!(s.lookup(h1, a), Ok(Some(h1.index())));
        assert_eq!(s.lookup(h1, b), Ok(None));
        assert_eq!(s.lookup(h2, a), Ok(Some(h1.index())));
        assert_eq!(s.lookup(h2, b), Ok(Some(h2.index())));
    }

    #[test]
    fn overwrite_shadows_without_touching_parent() {
        let mut s = Store::new();
        let a = s.new_variable().unwrap();
        let h1 = s.derive(Handle::EMPTY, a).unwrap();
        let h2 = s.derive(h1, a).unwrap();
        assert_eq!(s.lookup(h2, a), Ok(Some(h2.index())));
        assert_eq!(s.lookup(h1, a), Ok(Some(h1.index())));
        assert_eq!(s.len(h2), Ok(1));
    }

    #[test]
    fn released_handle_is_stale_even_while_its_slot_lives() {
        let mut s = Store::new();
        let (a, b) = (s.new_variable().unwrap(), s.new_variable().unwrap());
        let h1 = s.derive(Handle::EMPTY, a).unwrap();
        let h2 = s.derive(h1, b).unwrap();
        assert_eq!(s.release(h1).unwrap(), &[] as &[SlotId], "h2 still sees h1's value");
        assert_eq!(s.lookup(h1, a), Err(StoreError::StaleHandle));
        assert_eq!(s.lookup(h2, a), Ok(Some(h1.index())));
        assert_eq!((s.live_nodes(), s.live_slots()), (1, 2));
        let mut freed = s.release(h2).unwrap().to_vec();
        freed.sort();
        assert_eq!(freed, vec![h1.index(), h2.index()]);
        assert_eq!((s.live_nodes(), s.live_slots()), (0, 0));
    }

    #[test]
    fn shadowed_slot_is_not_held_by_child() {
        let mut s = Store::new();
        let a = s.new_variable().unwrap();
        let h1 = s.derive(Handle::EMPTY, a).unwrap();
        let h2 = s.derive(h1, a).unwrap();
        assert_eq!(s.release(h1).unwrap(), &[h1.index()]);
        assert_eq!(s.release(h2).unwrap(), &[h2.index()]);
    }

    #[test]
    fn reused_index_gets_new_generation() {
        let mut s = Store::new();
        let a = s.new_variable().unwrap();
        let h1 = s.derive(Handle::EMPTY, a).unwrap();
        s.release(h1).unwrap();
        let h2 = s.derive(Handle::EMPTY, a).unwrap();
        assert_eq!(h1.index(), h2.index());
        assert_ne!(h1, h2);
        assert_eq!(s.lookup(h1, a), Err(StoreError::StaleHandle));
        assert_eq!(s.release(h1), Err(StoreError::StaleHandle));
        assert!(s.is_live(h2));
    }

    #[test]
    fn double_release_is_detected() {
        let mut s = Store::new();
        let a = s.new_variable().unwrap();
        let h = s.derive(Handle::EMPTY, a).unwrap();
        s.release(h).unwrap();
        assert_eq!(s.release(h), Err(StoreError::StaleHandle));
        assert_eq!((s.live_nodes(), s.live_slots()), (0, 0));
    }

    #[test]
    fn derive_from_stale_parent_fails_without_side_effects() {
        let mut s = Store::new();
        let a = s.new_variable().unwrap();
        let h = s.derive(Handle::EMPTY, a).unwrap();
        s.release(h).unwrap();
        assert_eq!(s.derive(h, a), Err(StoreError::StaleHandle));
        assert_eq!((s.live_nodes(), s.live_slots()), (0, 0));
    }

    #[test]
    fn exhausted_generation_retires_the_index() {
        let mut s = Store::new();
        let a = s.new_variable().unwrap();
        let h = s.derive(Handle::EMPTY, a).unwrap();
        s.release(h).unwrap();
        s.force_generation(h.index(), MAX_GENERATION);
        let last = s.derive(Handle::EMPTY, a).unwrap();
        assert_eq!(last.index(), h.index());
        s.release(last).unwrap();
        let next = s.derive(Handle::EMPTY, a).unwrap();
        assert_ne!(next.index(), h.index(), "a retired index is never handed out again");
        assert_eq!(s.lookup(last, a), Err(StoreError::StaleHandle));
    }

    #[test]
    fn handle_bits_round_trip_and_fit_in_f64() {
        let h = Handle { index: u32::MAX - 1, generation: MAX_GENERATION };
        let bits = h.to_bits();
        assert!(bits < (1u64 << 53));
        assert_eq!(bits as f64 as u64, bits);
        assert_eq!(Handle::from_bits(bits), Some(h));
        assert_eq!(Handle::from_bits(1u64 << 53), None);
    }

    #[test]
    fn many_variables_use_bisection_correctly() {
        let mut s = Store::new();
        let vars: Vec<VarId> = (0..40).map(|_| s.new_variable().unwrap()).collect();
        let mut h = Handle::EMPTY;
        let mut handles = Vec::new();
        // Bind in a scrambled order so the map's sorted insert is exercised.
        for i in (0..40).map(|i| (i * 17) % 40) {
            h = s.derive(h, vars[i]).unwrap();
            handles.push((i, h));
        }
        for &(i, hi) in &handles {
            assert_eq!(s.lookup(h, vars[i]), Ok(Some(hi.index())));
        }
        assert_eq!(s.len(h), Ok(40));
    }

    #[test]
    fn variables_exhaust_cleanly() {
        let mut s = Store::new();
        s.next_var = u32::MAX - 1;
        assert!(s.new_variable().is_ok());
        assert_eq!(s.new_variable(), Err(StoreError::VariablesExhausted));
    }
}
