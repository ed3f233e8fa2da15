//! WebAssembly exports of the context store. This file only converts arguments and answers;
//! the logic lives in `store.rs` and is tested natively.
//!
//! Numbers only cross the boundary: handles as f64 (see `Handle::to_bits`), variable ids and
//! slots as u32. Failures come back as sentinel values that the JS shim reports (it throws or logs
//! them with a message): a bad call never traps and never leaves the store half-updated. Nothing
//! here calls into JavaScript but the panic report (a function of no arguments: passing a
//! string would add about 1 KB gzip of glue to the inlined bundle).

// The bundles' wasm build (feature "no-std", set by scripts/build.mjs) is no_std: std's panic
// handler formats the message with core::fmt, which was a third of the module (inlined into every
// page). A panic there is reported by `panicked` (JS) and traps. The native build (cargo test)
// and the wasm-bindgen tests (tests/web.rs links std) keep std.
#![cfg_attr(all(target_arch = "wasm32", feature = "no-std"), no_std)]

#[cfg(all(target_arch = "wasm32", feature = "no-std"))]
#[macro_use]
extern crate alloc;
// store.rs and graph.rs spell core paths as std:: (std::fmt, std::mem), valid in both builds.
#[cfg(all(target_arch = "wasm32", feature = "no-std"))]
extern crate core as std;

pub mod graph;
pub mod store;

#[cfg(target_arch = "wasm32")]
pub mod allocator;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: allocator::SizeClassAllocator = allocator::SizeClassAllocator::new();

#[cfg(all(target_arch = "wasm32", feature = "no-std", feature = "store"))]
use alloc::vec::Vec;
use std::cell::UnsafeCell;
#[cfg(feature = "store")]
use store::{Handle, Store, VarId};
use wasm_bindgen::prelude::*;

/// `store_lookup` answer: the context does not bind the variable.
pub const UNBOUND: u32 = u32::MAX;
/// `store_lookup` answer: the handle is stale (a bug: reported on the console as well).
pub const STALE: u32 = u32::MAX - 1;
/// `store_derive` / `store_new_variable` answer on failure (never a valid handle or id).
pub const FAILED: f64 = -1.0;

/// The module's single store. Wasm without threads runs one call at a time and no export calls
/// back into another, so exclusive access is guaranteed without a RefCell's borrow flag on the
/// hot path (`store_lookup` runs on every `Variable.prototype.get`).
struct Global<T>(UnsafeCell<Option<T>>);
// SAFETY: wasm32-unknown-unknown without the atomics feature has exactly one thread.
unsafe impl<T> Sync for Global<T> {}

#[cfg(feature = "store")]
static STORE: Global<Store> = Global(UnsafeCell::new(None));
#[cfg(feature = "store")]
/// Freed slots of the last release, laid out as [count, slot...] for the JS side to read
/// straight out of linear memory (one boundary crossing per release).
static FREED: Global<Vec<u32>> = Global(UnsafeCell::new(None));

fn with<T, R>(global: &Global<T>, init: fn() -> T, f: impl FnOnce(&mut T) -> R) -> R {
    // SAFETY: single-threaded (see `Global`), and nothing in this module calls into JavaScript, so
    // no export can re-enter while a closure holds the reference.
    let slot = unsafe { &mut *global.0.get() };
    f(slot.get_or_insert_with(init))
}

#[cfg(feature = "store")]
fn with_store<R>(f: impl FnOnce(&mut Store) -> R) -> R {
    with(&STORE, Store::new, f)
}

/// A finite, non-negative whole number (`f64::fract` is not in core). Every f64 from 2^52 up is whole.
fn is_whole(x: f64) -> bool {
    x >= 0.0 && x < f64::INFINITY && (x >= 4_503_599_627_370_496.0 || (x as u64) as f64 == x)
}

#[cfg(feature = "store")]
fn handle(bits: f64) -> Handle {
    // Not a handle at all (negative, fractional, too large): treat as stale.
    if is_whole(bits) {
        if let Some(h) = Handle::from_bits(bits as u64) {
            return h;
        }
    }
    Handle::from_bits(u64::from(u32::MAX)).expect("generation 0 fits")
}

// A panic must not pass silently (it traps, and the shim's call throws a RuntimeError): it is
// reported on the console first, as console_error_panic_hook did, without the message (see the
// top of this file). js-shim/store.js supplies `panicked` by name; the inline body is only what
// wasm-bindgen's own glue would call.
#[cfg(all(target_arch = "wasm32", feature = "no-std"))]
#[wasm_bindgen(inline_js = "export function panicked() { console.error('asynccontext: internal error: the wasm module panicked'); }")]
extern "C" {
    fn panicked();
}

#[cfg(all(target_arch = "wasm32", feature = "no-std"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    panicked();
    core::arch::wasm32::unreachable()
}

#[cfg(all(feature = "no-std", feature = "debug-panics"))]
compile_error!("the features \"no-std\" and \"debug-panics\" exclude each other");

// The debug build (feature "debug-panics", std): std's panic message and location go to the
// console through console_error_panic_hook, installed when the module starts.
#[cfg(all(target_arch = "wasm32", feature = "debug-panics"))]
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[cfg(feature = "store")]
/// A fresh variable id, or `FAILED` once ids run out.
#[wasm_bindgen]
pub fn store_new_variable() -> f64 {
    with_store(|s| s.new_variable()).map_or(FAILED, |v| f64::from(v.raw()))
}

#[cfg(feature = "store")]
/// The context `parent + (var -> new slot)`; the slot id is the returned handle's low 32 bits.
#[wasm_bindgen]
pub fn store_derive(parent: f64, var: u32) -> f64 {
    with_store(|s| s.derive(handle(parent), VarId::from_raw(var))).map_or(FAILED, |h| h.to_bits() as f64)
}

#[cfg(feature = "store")]
/// The slot `var` resolves to in `h`, `UNBOUND`, or `STALE`.
#[wasm_bindgen]
pub fn store_lookup(h: f64, var: u32) -> u32 {
    match with_store(|s| s.lookup(handle(h), VarId::from_raw(var))) {
        Ok(Some(slot)) => slot,
        Ok(None) => UNBOUND,
        Err(_) => STALE,
    }
}

#[cfg(feature = "store")]
/// Releases `h`. Returns the address of `[count, slot...]`: the slots the caller must clear; or
/// null for a stale handle (nothing is freed).
#[wasm_bindgen]
pub fn store_release(h: f64) -> *const u32 {
    with(&FREED, Vec::new, |out| {
        out.clear();
        out.push(0);
        match with_store(|s| s.release(handle(h)).map(|freed| out.extend_from_slice(freed))) {
            Ok(()) => {
                out[0] = (out.len() - 1) as u32;
                out.as_ptr()
            }
            Err(_) => std::ptr::null(),
        }
    })
}

#[cfg(feature = "store")]
/// Live context nodes, for leak tests (exposed only through the opt-in test hook).
#[wasm_bindgen]
pub fn store_live_nodes() -> u32 {
    with_store(|s| s.live_nodes()) as u32
}

#[cfg(feature = "store")]
/// Live value slots, for leak tests (exposed only through the opt-in test hook).
#[wasm_bindgen]
pub fn store_live_slots() -> u32 {
    with_store(|s| s.live_slots()) as u32
}

// ---- The async call graph (task tracking, see graph.rs) -----------------------------------
// Built only into the tracking module (`--features graph`): see Cargo.toml.

#[cfg(feature = "graph")]
pub use graph_api::*;

#[cfg(feature = "graph")]
mod graph_api {
    use super::{with, Global, FAILED};
    #[cfg(all(target_arch = "wasm32", feature = "no-std"))]
    use alloc::vec::Vec;
    use crate::graph::{ChainEntry, Graph, NodeHandle};
    use std::cell::UnsafeCell;
    use wasm_bindgen::prelude::*;
    static GRAPH: Global<Graph> = Global(UnsafeCell::new(None));
    /// The last `graph_chain` answer: `[count, (index, repeat, elided, ready)...]`.
    static CHAIN: Global<(Vec<ChainEntry>, Vec<u32>)> = Global(UnsafeCell::new(None));

    fn with_graph<R>(f: impl FnOnce(&mut Graph) -> R) -> R {
        with(&GRAPH, Graph::default, f)
    }

    /// 0 means "no node"; anything that is not a handle's bits is treated as stale.
    fn node(bits: f64) -> Option<NodeHandle> {
        if bits > 0.0 && super::is_whole(bits) && bits < 9_007_199_254_740_992.0 {
            NodeHandle::from_bits(bits as u64)
        } else {
            None
        }
    }

    /// A task node linked to `link` (0 for a root) with ready edge `ready` (0 for none); `fold` when
    /// the task has its link's signature. Returns the handle, or `FAILED` (stale link, arena full).
    #[wasm_bindgen]
    pub fn graph_create(link: f64, ready: f64, fold: bool) -> f64 {
        if link != 0.0 && node(link).is_none() {
            return FAILED;
        }
        with_graph(|g| g.create(node(link), node(ready), fold)).map_or(FAILED, |h| h.to_bits() as f64)
    }

    /// Drops the JS side's reference to a task node. Returns how many nodes were freed, or -1 if the
    /// handle was stale.
    #[wasm_bindgen]
    pub fn graph_release(h: f64) -> i32 {
        match node(h) {
            Some(h) => with_graph(|g| g.release(h).map_or(-1, |freed| freed.len() as i32)),
            None => -1,
        }
    }

    /// Points the ready edge of a repeating task's node at the cause of its current run.
    #[wasm_bindgen]
    pub fn graph_set_ready(h: f64, ready: f64) -> i32 {
        match node(h) {
            Some(h) => with_graph(|g| g.set_ready(h, node(ready)).map_or(-1, |freed| freed.len() as i32)),
            None => -1,
        }
    }

    /// The chain from `h` toward its root (at most `max` entries), as the address of
    /// `[count, (index, repeat, elided, ready)...]`, or null for a stale handle.
    #[wasm_bindgen]
    pub fn graph_chain(h: f64, max: u32) -> *const u32 {
        let Some(h) = node(h) else { return std::ptr::null() };
        with(&CHAIN, || (Vec::new(), Vec::new()), |(entries, flat)| {
            if with_graph(|g| g.chain(h, max as usize, entries)).is_err() {
                return std::ptr::null();
            }
            flat.clear();
            flat.push(entries.len() as u32);
            for e in entries.iter() {
                flat.extend_from_slice(&[e.index, e.repeat, e.elided, e.ready]);
            }
            flat.as_ptr()
        })
    }

    /// Live task nodes, for memory tests (exposed only through the opt-in test hook).
    #[wasm_bindgen]
    pub fn graph_live_nodes() -> u32 {
        with_graph(|g| g.live_nodes()) as u32
    }
}
