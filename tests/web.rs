//! The exported store API, run as WebAssembly in headless Chromium
//! (`wasm-pack test --headless --chrome -- --test web`).
#![cfg(target_arch = "wasm32")]

use asynccontext::{
    store_derive, store_live_nodes, store_live_slots, store_lookup, store_new_variable,
    store_release, STALE, UNBOUND,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EMPTY: f64 = 0.0;

fn var() -> u32 {
    let id = store_new_variable();
    assert!(id >= 0.0, "variable ids are handed out");
    id as u32
}

/// Reads `[count, slot...]` written by `store_release`.
fn freed(ptr: *const u32) -> Vec<u32> {
    // SAFETY: store_release returns a pointer into its own live buffer, valid until the next release.
    unsafe {
        let count = *ptr as usize;
        std::slice::from_raw_parts(ptr.add(1), count).to_vec()
    }
}

fn slot_of(handle: f64) -> u32 {
    (handle as u64 & 0xffff_ffff) as u32
}

#[wasm_bindgen_test]
fn derive_then_lookup_returns_the_new_slot() {
    let v = var();
    let h = store_derive(EMPTY, v);
    assert!(h > 0.0);
    assert_eq!(store_lookup(h, v), slot_of(h));
    assert_eq!(store_lookup(EMPTY, v), UNBOUND);
    assert_eq!(freed(store_release(h)), vec![slot_of(h)]);
}

#[wasm_bindgen_test]
fn child_context_inherits_and_keeps_parent_value_alive() {
    let (a, b) = (var(), var());
    let parent = store_derive(EMPTY, a);
    let child = store_derive(parent, b);
    assert_eq!(store_lookup(child, a), slot_of(parent));
    assert_eq!(store_lookup(child, b), slot_of(child));
    assert_eq!(
        freed(store_release(parent)),
        Vec::<u32>::new(),
        "child still sees parent's value"
    );
    let mut both = freed(store_release(child));
    both.sort_unstable();
    let mut expected = vec![slot_of(parent), slot_of(child)];
    expected.sort_unstable();
    assert_eq!(both, expected);
}

#[wasm_bindgen_test]
fn stale_handles_are_reported_not_resolved() {
    let v = var();
    let h = store_derive(EMPTY, v);
    store_release(h);
    let reused = store_derive(EMPTY, v);
    assert_eq!(slot_of(reused), slot_of(h), "the index is reused");
    assert_eq!(store_lookup(h, v), STALE, "but the old handle is stale");
    assert_eq!(store_derive(h, v), -1.0);
    assert!(store_release(h).is_null(), "a stale release frees nothing");
    assert_eq!(store_lookup(reused, v), slot_of(reused));
    store_release(reused);
}

#[wasm_bindgen_test]
fn garbage_handles_are_stale() {
    let v = var();
    for bogus in [-1.0, 0.5, f64::NAN, f64::INFINITY, 9.0e15] {
        assert_eq!(store_lookup(bogus, v), STALE, "{bogus}");
    }
}

#[wasm_bindgen_test]
fn stats_return_to_baseline_after_release() {
    let base = (store_live_nodes(), store_live_slots());
    let v = var();
    let mut handles = vec![];
    let mut h = EMPTY;
    for _ in 0..100 {
        h = store_derive(h, v);
        handles.push(h);
    }
    assert_eq!(store_live_nodes(), base.0 + 100);
    for h in handles {
        store_release(h);
    }
    assert_eq!((store_live_nodes(), store_live_slots()), base);
}

#[wasm_bindgen_test]
fn allocator_keeps_blocks_intact_across_reuse_and_growth() {
    // Many sizes with interleaved frees (blocks return to their class's free list and are handed
    // out again) and regrowth (realloc into a bigger class): every block keeps its own contents.
    let pattern = |tag: u32, i: usize| (i as u32).wrapping_mul(2654435761) ^ tag;
    let mut blocks: Vec<(u32, Vec<u32>)> = Vec::new();
    for tag in 0..300u32 {
        let len = ((tag * 37) % 500 + 1) as usize;
        blocks.push((tag, (0..len).map(|i| pattern(tag, i)).collect()));
        if tag % 3 == 0 {
            let victim = (tag as usize * 7) % blocks.len();
            blocks.swap_remove(victim);
        }
        if let (0, Some((t, block))) = (tag % 5, blocks.last_mut()) {
            let from = block.len();
            block.extend((from..from + 1000).map(|i| pattern(*t, i)));
        }
    }
    for (tag, block) in &blocks {
        for (i, &x) in block.iter().enumerate() {
            assert_eq!(x, pattern(*tag, i), "block {tag} word {i}");
        }
    }
    // A large allocation grows linear memory.
    let big = vec![7u8; 3 << 20];
    assert!(big.iter().all(|&b| b == 7));
}

#[wasm_bindgen_test]
fn release_buffer_reads_through_a_uint32array_view_as_the_shim_does() {
    let v = var();
    let h = store_derive(EMPTY, v);
    let at = store_release(h) as u32 / 4;
    let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>();
    let words = js_sys::Uint32Array::new(&memory.buffer());
    assert_eq!(words.get_index(at), 1, "count");
    assert_eq!(words.get_index(at + 1), slot_of(h), "the freed slot");
    assert!(store_release(h).is_null(), "a stale release returns null");
}

/// The call-graph exports (the tracking module's build, `--features graph`).
#[cfg(feature = "graph")]
mod graph {
    use asynccontext::{
        graph_chain, graph_create, graph_live_nodes, graph_release, graph_set_ready, FAILED,
    };
    use wasm_bindgen_test::*;

    fn chain(handle: f64) -> Vec<u32> {
        let ptr = graph_chain(handle, 64);
        assert!(!ptr.is_null(), "a live handle has a chain");
        // SAFETY: graph_chain returns a pointer into its own buffer, valid until the next call.
        unsafe {
            let count = *ptr as usize;
            std::slice::from_raw_parts(ptr.add(1), count * 4).to_vec()
        }
    }

    #[wasm_bindgen_test]
    fn a_chain_reaches_the_root_and_releasing_frees_it() {
        let before = graph_live_nodes();
        let root = graph_create(0.0, 0.0, false);
        let child = graph_create(root, 0.0, false);
        assert!(root > 0.0 && child > 0.0);
        let entries = chain(child);
        assert_eq!(entries.len(), 8, "two entries of four words");
        assert_eq!(entries[4], (root as u64 & 0xffff_ffff) as u32);
        assert_eq!(graph_release(root), 0, "kept by the child's link");
        assert_eq!(graph_release(child), 2);
        assert_eq!(graph_live_nodes(), before);
    }

    #[wasm_bindgen_test]
    fn stale_and_foreign_handles_are_refused() {
        let gone = graph_create(0.0, 0.0, false);
        graph_release(gone);
        assert_eq!(graph_create(gone, 0.0, false), FAILED);
        assert_eq!(graph_create(0.5, 0.0, false), FAILED);
        assert_eq!(graph_release(gone), -1);
        assert!(graph_chain(gone, 4).is_null());
        assert_eq!(graph_set_ready(gone, 0.0), -1);
    }

    #[wasm_bindgen_test]
    fn a_self_rescheduling_task_folds_into_one_node() {
        let before = graph_live_nodes();
        let root = graph_create(0.0, 0.0, false);
        let mut current = graph_create(root, 0.0, false);
        for _ in 0..1000 {
            let next = graph_create(current, 0.0, true);
            graph_release(current);
            current = next;
        }
        assert_eq!(graph_live_nodes() - before, 2);
        assert_eq!(chain(current)[1], 1000, "repeat count");
        graph_release(current);
        graph_release(root);
        assert_eq!(graph_live_nodes(), before);
    }
}
