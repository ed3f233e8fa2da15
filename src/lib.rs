//! WebAssembly exports of the context store. This file only converts arguments and answers;
//! the logic lives in `store.rs` and is tested natively.
//!
//! Numbers only cross the boundary: handles as f64 (see `Handle::to_bits`), variable ids and
//! slots as u32. Failures come back as sentinel values that the JS shim reports (it throws or logs
//! them with a message): a bad call never traps and never leaves the store half-updated. Nothing
//! here calls into JavaScript: a console binding alone would add about 1 KB (gzip) of glue to
//! the inlined bundle.

pub mod store;

#[cfg(target_arch = "wasm32")]
pub mod allocator;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: allocator::SizeClassAllocator = allocator::SizeClassAllocator::new();

use std::cell::UnsafeCell;
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

static STORE: Global<Store> = Global(UnsafeCell::new(None));
/// Freed slots of the last release, laid out as [count, slot...] for the JS side to read
/// straight out of linear memory (one boundary crossing per release).
static FREED: Global<Vec<u32>> = Global(UnsafeCell::new(None));

fn with<T, R>(global: &Global<T>, init: fn() -> T, f: impl FnOnce(&mut T) -> R) -> R {
    // SAFETY: single-threaded (see `Global`), and nothing in this module calls into JavaScript, so
    // no export can re-enter while a closure holds the reference.
    let slot = unsafe { &mut *global.0.get() };
    f(slot.get_or_insert_with(init))
}

fn with_store<R>(f: impl FnOnce(&mut Store) -> R) -> R {
    with(&STORE, Store::new, f)
}

fn handle(bits: f64) -> Handle {
    // Not a handle at all (negative, fractional, too large): treat as stale.
    if bits >= 0.0 && bits.fract() == 0.0 {
        if let Some(h) = Handle::from_bits(bits as u64) {
            return h;
        }
    }
    Handle::from_bits(u64::from(u32::MAX)).expect("generation 0 fits")
}

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A fresh variable id, or `FAILED` once ids run out.
#[wasm_bindgen]
pub fn store_new_variable() -> f64 {
    with_store(|s| s.new_variable()).map_or(FAILED, |v| f64::from(v.raw()))
}

/// The context `parent + (var -> new slot)`; the slot id is the returned handle's low 32 bits.
#[wasm_bindgen]
pub fn store_derive(parent: f64, var: u32) -> f64 {
    with_store(|s| s.derive(handle(parent), VarId::from_raw(var))).map_or(FAILED, |h| h.to_bits() as f64)
}

/// The slot `var` resolves to in `h`, `UNBOUND`, or `STALE`.
#[wasm_bindgen]
pub fn store_lookup(h: f64, var: u32) -> u32 {
    match with_store(|s| s.lookup(handle(h), VarId::from_raw(var))) {
        Ok(Some(slot)) => slot,
        Ok(None) => UNBOUND,
        Err(_) => STALE,
    }
}

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

/// Live context nodes, for leak tests (exposed only through the opt-in test hook).
#[wasm_bindgen]
pub fn store_live_nodes() -> u32 {
    with_store(|s| s.live_nodes()) as u32
}

/// Live value slots, for leak tests (exposed only through the opt-in test hook).
#[wasm_bindgen]
pub fn store_live_slots() -> u32 {
    with_store(|s| s.live_slots()) as u32
}
