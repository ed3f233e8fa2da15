//! A small allocator for the wasm build, in place of std's dlmalloc (which is about a third of the
//! module, and the module is inlined into every page that loads the polyfill).
//!
//! The store allocates few, long-lived blocks that it reuses: the arena `Vec`, one map `Vec` per
//! arena entry (kept across reuse), and the free lists. So a power-of-two size-class allocator
//! fits: a block of class k has 2^k bytes; freed blocks go onto the free list of their class and
//! are handed out again for the same class; new blocks are carved from the end of linear memory,
//! which grows on demand. Memory is never returned to the host (wasm memory cannot shrink anyway).
//!
//! Single-threaded by construction: wasm32-unknown-unknown without the atomics feature.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65536;
const MIN_CLASS: u32 = 3; // 8 bytes: room for the free-list link
const CLASSES: usize = usize::BITS as usize;

struct State {
    /// Head of each class's free list (0 = empty); a free block's first word links to the next.
    free: [usize; CLASSES],
    /// Bump region: [next, end) is unused memory at the top of the heap.
    next: usize,
    end: usize,
}

pub struct SizeClassAllocator(UnsafeCell<State>);

// SAFETY: the wasm build has exactly one thread (see the module comment).
unsafe impl Sync for SizeClassAllocator {}

impl SizeClassAllocator {
    pub const fn new() -> Self {
        SizeClassAllocator(UnsafeCell::new(State { free: [0; CLASSES], next: 0, end: 0 }))
    }
}

impl Default for SizeClassAllocator {
    fn default() -> Self {
        Self::new()
    }
}

/// The class of a request: the smallest power of two that holds it and satisfies its alignment
/// (blocks of class k are carved at multiples of 2^k, so alignment up to 2^k holds).
fn class_of(layout: Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let rounded = size.checked_next_power_of_two()?;
    Some(rounded.trailing_zeros())
}

impl State {
    unsafe fn carve(&mut self, class: u32) -> *mut u8 {
        let size = 1usize << class;
        if self.end == 0 {
            // Start above everything the module owns at start-up (data, stack, statics).
            self.next = core::arch::wasm32::memory_size(0) * PAGE;
            self.end = self.next;
        }
        let start = match self.next.checked_add(size - 1) {
            Some(v) => v & !(size - 1),
            None => return null_mut(),
        };
        let Some(stop) = start.checked_add(size) else { return null_mut() };
        if stop > self.end {
            let pages = (stop - self.end).div_ceil(PAGE);
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                return null_mut();
            }
            self.end += pages * PAGE;
        }
        // The gap skipped for alignment is simply left unused: classes are powers of two, so
        // after the first few blocks of a class the bump pointer is already aligned.
        self.next = stop;
        start as *mut u8
    }
}

// alloc and dealloc are not inlined: at opt-level 3 every Vec growth and drop got its own copy,
// and one call each is 705 bytes smaller (304 bytes of the bundle's gzip). Allocation happens
// only when the store grows or frees a map, never in a lookup.
unsafe impl GlobalAlloc for SizeClassAllocator {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else { return null_mut() };
        let state = &mut *self.0.get();
        let head = state.free[class as usize];
        if head != 0 {
            state.free[class as usize] = *(head as *const usize);
            return head as *mut u8;
        }
        state.carve(class)
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else { return };
        let state = &mut *self.0.get();
        *(ptr as *mut usize) = state.free[class as usize];
        state.free[class as usize] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class_of(layout) == class_of(new_layout) {
            return ptr; // the block already has room
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}
