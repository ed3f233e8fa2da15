//! The async call graph: one node per tracked task, with edges pointing toward the root.
//!
//! - **link**: the task that was running when this one was scheduled (where the callback was
//!   registered);
//! - **ready**: the task whose completion made this one runnable (the reaction that resolves the
//!   promise a reaction waits on, the request whose event a listener handles), when it differs.
//!
//! Nodes are reference counted: the JS side holds one reference per task while the task can still
//! run, and every edge holds one on its target. A finished task's node therefore lives exactly as
//! long as some live task's chain passes through it.
//!
//! Memory stays bounded under async recursion (a timer or frame callback that re-schedules itself
//! forever) in two ways:
//! - **folding**: a task scheduled by a task with the same signature (same kind, API, label and
//!   stack; the caller decides) takes over its parent's link and counts one more repetition, so the
//!   parent is not kept;
//! - **compaction**: when a link chain grows past twice the window, the link of the node `window`
//!   steps up is replaced by one "elided" node that records how many tasks were cut off. This
//!   happens once per `window` creations along a chain, so its cost is constant per task.

#[cfg(all(target_arch = "wasm32", feature = "no-std"))]
use alloc::vec::Vec;
use std::fmt;

const GENERATION_BITS: u32 = 21;
const MAX_GENERATION: u32 = (1 << GENERATION_BITS) - 1;
/// Index 0 is never a node: edges use it for "none".
const NONE: u32 = 0;
/// Link-chain nodes kept between compactions by default (chains hold at most twice this many).
pub const DEFAULT_WINDOW: u32 = 64;

/// A node as seen from outside: arena index plus generation, so a handle kept after its node was
/// freed is detected instead of naming a later node.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeHandle {
    index: u32,
    generation: u32,
}

impl NodeHandle {
    /// Packs the handle below 2^53, so it travels to JavaScript as an exact f64. Never 0.
    pub fn to_bits(self) -> u64 {
        (u64::from(self.generation) << 32) | u64::from(self.index)
    }

    pub fn from_bits(bits: u64) -> Option<NodeHandle> {
        let generation = bits >> 32;
        let index = bits as u32;
        if generation > u64::from(MAX_GENERATION) || index == NONE {
            return None;
        }
        Some(NodeHandle {
            index,
            generation: generation as u32,
        })
    }

    /// Arena index: the JS side keys its task records by it while the node lives.
    pub fn index(self) -> u32 {
        self.index
    }
}

impl fmt::Debug for NodeHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Node({}v{})", self.index, self.generation)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GraphError {
    /// The handle names a node that was freed (or never existed).
    Stale,
    /// No index left (every index up to u32::MAX exhausted its generations).
    Full,
}

#[derive(Clone, Copy, Default)]
struct Node {
    generation: u32,
    /// 0 when free.
    refs: u32,
    link: u32,
    ready: u32,
    /// Length of the link chain from this node to its root (1 for a root).
    depth: u32,
    /// Earlier tasks with the same signature folded into this one.
    repeat: u32,
    /// Tasks this node's chain stands for: itself, what is folded into it and everything up its
    /// link chain (an elided marker stands for its count).
    tasks: u32,
    /// Non-zero only for an elided marker: how many tasks were cut off there.
    elided: u32,
    /// Stamp of the last `reaches` walk that visited this node.
    visited: u32,
}

/// One step of a chain, from a task toward its root.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ChainEntry {
    /// Arena index (the JS side's key for the task record); for an elided marker there is none.
    pub index: u32,
    pub repeat: u32,
    /// Non-zero for an elided marker: the number of tasks not kept.
    pub elided: u32,
    /// Arena index of the ready edge's target, or 0.
    pub ready: u32,
}

pub struct Graph {
    nodes: Vec<Node>,
    free: Vec<u32>,
    live: usize,
    window: u32,
    /// Indices freed by the last `release`/`set_ready`, for the JS side to forget its records.
    freed: Vec<u32>,
    /// Work list of `release` and `reaches`, kept to avoid an allocation per call.
    pending: Vec<u32>,
    /// Stamp of the current `reaches` walk.
    walk: u32,
}

impl Default for Graph {
    fn default() -> Self {
        Graph::new(DEFAULT_WINDOW)
    }
}

impl Graph {
    /// A graph whose chains keep at least `window` (>= 1) nodes after a compaction.
    pub fn new(window: u32) -> Graph {
        Graph {
            nodes: vec![Node::default()],
            free: Vec::new(),
            live: 0,
            window: window.max(1),
            freed: Vec::new(),
            pending: Vec::new(),
            walk: 0,
        }
    }

    fn resolve(&self, h: NodeHandle) -> Result<u32, GraphError> {
        match self.nodes.get(h.index as usize) {
            Some(n) if n.refs > 0 && n.generation == h.generation => Ok(h.index),
            _ => Err(GraphError::Stale),
        }
    }

    pub fn is_live(&self, h: NodeHandle) -> bool {
        self.resolve(h).is_ok()
    }

    fn handle_of(&self, index: u32) -> NodeHandle {
        NodeHandle {
            index,
            generation: self.nodes[index as usize].generation,
        }
    }

    fn allocate(&mut self, node: Node) -> Result<u32, GraphError> {
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                if self.nodes.len() > u32::MAX as usize {
                    return Err(GraphError::Full);
                }
                self.nodes.push(Node::default());
                (self.nodes.len() - 1) as u32
            }
        };
        let generation = self.nodes[index as usize].generation;
        self.nodes[index as usize] = Node { generation, ..node };
        self.live += 1;
        Ok(index)
    }

    fn retain(&mut self, index: u32) {
        if index != NONE {
            self.nodes[index as usize].refs += 1;
        }
    }

    /// A new node with one reference (the caller's). `link` and `ready` must be live if given
    /// (a stale `ready` is ignored: the task that would have made this one ready is long gone).
    /// With `fold`, the caller says this task has the same signature as its link: the link's
    /// place in the chain is taken over instead of extended.
    pub fn create(
        &mut self,
        link: Option<NodeHandle>,
        ready: Option<NodeHandle>,
        fold: bool,
    ) -> Result<NodeHandle, GraphError> {
        self.freed.clear();
        let link = match link {
            Some(h) => self.resolve(h)?,
            None => NONE,
        };
        let ready = ready.and_then(|h| self.resolve(h).ok()).unwrap_or(NONE);
        let mut node = Node {
            refs: 1,
            link,
            ready: NONE,
            depth: 1,
            tasks: 1,
            ..Node::default()
        };
        if link != NONE {
            let parent = self.nodes[link as usize];
            node.tasks = parent.tasks.saturating_add(1);
            if fold && parent.ready == NONE && parent.elided == 0 && ready == NONE {
                node.link = parent.link;
                node.repeat = parent.repeat.saturating_add(1);
                node.depth = parent.depth;
            } else {
                node.depth = parent.depth.saturating_add(1);
            }
        }
        if ready != node.link {
            node.ready = ready;
        }
        self.retain(node.link);
        self.retain(node.ready);
        let index = self.allocate(node)?;
        if node.depth > self.window.saturating_mul(2) {
            self.compact(index)?;
        }
        Ok(self.handle_of(index))
    }

    /// Cuts the chain above the node `window` steps up from `start` and puts an elided marker there.
    fn compact(&mut self, start: u32) -> Result<(), GraphError> {
        let mut keep = start;
        for _ in 0..self.window {
            let up = self.nodes[keep as usize].link;
            if up == NONE {
                return Ok(());
            }
            keep = up;
        }
        let cut = self.nodes[keep as usize].link;
        if cut == NONE {
            return Ok(());
        }
        // Every task the cut chain stood for, folded ones and earlier markers' counts included.
        let elided = self.nodes[cut as usize].tasks.max(1);
        let marker = self.allocate(Node {
            refs: 1,
            depth: 1,
            tasks: elided,
            elided,
            ..Node::default()
        })?;
        self.nodes[keep as usize].link = marker;
        // Depths along the walked path are now exact again; other branches below `keep` keep an
        // overestimate, which at worst triggers their own (cheap) compaction early.
        let mut depth = self.window + 2;
        let mut at = start;
        while at != marker {
            self.nodes[at as usize].depth = depth;
            depth -= 1;
            at = self.nodes[at as usize].link;
        }
        self.drop_ref(cut);
        Ok(())
    }

    /// Whether `target` can be reached from `from` along link and ready edges (every node is
    /// visited at most once per walk).
    fn reaches(&mut self, from: u32, target: u32) -> bool {
        self.walk = self.walk.wrapping_add(1);
        if self.walk == 0 {
            // The stamps wrapped: clear them so that no stale stamp matches.
            for node in &mut self.nodes {
                node.visited = 0;
            }
            self.walk = 1;
        }
        self.pending.clear();
        self.pending.push(from);
        while let Some(i) = self.pending.pop() {
            if i == target {
                return true;
            }
            let node = &mut self.nodes[i as usize];
            if i == NONE || node.visited == self.walk {
                continue;
            }
            node.visited = self.walk;
            let (link, ready) = (node.link, node.ready);
            self.pending.push(link);
            self.pending.push(ready);
        }
        false
    }

    /// Replaces the ready edge of `h` (a repeating task's latest run). A target that `h` itself
    /// leads to (a task `h` scheduled, directly or not) is not stored: the edge would close a
    /// reference cycle that nothing could free, and the chain from it to `h` already links them.
    pub fn set_ready(
        &mut self,
        h: NodeHandle,
        ready: Option<NodeHandle>,
    ) -> Result<&[u32], GraphError> {
        let index = self.resolve(h)?;
        let ready = ready.and_then(|r| self.resolve(r).ok()).unwrap_or(NONE);
        let ready = if ready == self.nodes[index as usize].link
            || ready == index
            || (ready != NONE && self.reaches(ready, index))
        {
            NONE
        } else {
            ready
        };
        let old = self.nodes[index as usize].ready;
        self.freed.clear();
        if old != ready {
            self.retain(ready);
            self.nodes[index as usize].ready = ready;
            self.drop_ref(old);
        }
        Ok(&self.freed)
    }

    /// Drops the caller's reference. Returns the indices freed (this node and any ancestors
    /// nothing else kept).
    pub fn release(&mut self, h: NodeHandle) -> Result<&[u32], GraphError> {
        let index = self.resolve(h)?;
        self.freed.clear();
        self.drop_ref(index);
        Ok(&self.freed)
    }

    /// Iterative, so that freeing a long chain cannot overflow the (small) wasm stack.
    fn drop_ref(&mut self, index: u32) {
        if index == NONE {
            return;
        }
        self.pending.clear();
        self.pending.push(index);
        while let Some(i) = self.pending.pop() {
            let node = &mut self.nodes[i as usize];
            node.refs -= 1;
            if node.refs > 0 {
                continue;
            }
            let (link, ready) = (node.link, node.ready);
            node.link = NONE;
            node.ready = NONE;
            node.repeat = 0;
            node.elided = 0;
            self.live -= 1;
            self.freed.push(i);
            if node.generation < MAX_GENERATION {
                node.generation += 1;
                self.free.push(i);
            } // else: retired, never handed out again
            if link != NONE {
                self.pending.push(link);
            }
            if ready != NONE {
                self.pending.push(ready);
            }
        }
    }

    /// The chain from `h` toward its root along link edges, at most `max` entries.
    pub fn chain(
        &self,
        h: NodeHandle,
        max: usize,
        out: &mut Vec<ChainEntry>,
    ) -> Result<(), GraphError> {
        let mut at = self.resolve(h)?;
        out.clear();
        while at != NONE && out.len() < max {
            let n = &self.nodes[at as usize];
            out.push(ChainEntry {
                index: if n.elided > 0 { NONE } else { at },
                repeat: n.repeat,
                elided: n.elided,
                ready: n.ready,
            });
            at = n.link;
        }
        Ok(())
    }

    pub fn live_nodes(&self) -> usize {
        self.live
    }

    #[cfg(test)]
    fn depth(&self, h: NodeHandle) -> u32 {
        self.nodes[h.index as usize].depth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(g: &Graph, h: NodeHandle) -> Vec<ChainEntry> {
        let mut out = Vec::new();
        g.chain(h, usize::MAX, &mut out).unwrap();
        out
    }

    #[test]
    fn chain_follows_links_to_the_root() {
        let mut g = Graph::new(8);
        let root = g.create(None, None, false).unwrap();
        let a = g.create(Some(root), None, false).unwrap();
        let b = g.create(Some(a), Some(root), false).unwrap();
        let chain = chain_of(&g, b);
        let indices: Vec<u32> = chain.iter().map(|e| e.index).collect();
        assert_eq!(indices, vec![b.index(), a.index(), root.index()]);
        assert_eq!(chain[0].ready, root.index());
    }

    #[test]
    fn ready_equal_to_link_is_not_stored_twice() {
        let mut g = Graph::new(8);
        let root = g.create(None, None, false).unwrap();
        let a = g.create(Some(root), Some(root), false).unwrap();
        assert_eq!(chain_of(&g, a)[0].ready, 0);
    }

    #[test]
    fn finished_ancestors_live_while_a_descendant_does() {
        let mut g = Graph::new(8);
        let root = g.create(None, None, false).unwrap();
        let child = g.create(Some(root), None, false).unwrap();
        assert!(
            g.release(root).unwrap().is_empty(),
            "child still links to root"
        );
        assert!(g.is_live(root));
        let freed = g.release(child).unwrap().to_vec();
        assert_eq!(freed.len(), 2);
        assert_eq!(g.live_nodes(), 0);
        assert!(!g.is_live(root));
        assert_eq!(g.release(root), Err(GraphError::Stale));
    }

    #[test]
    fn folding_keeps_one_node_for_a_self_rescheduling_task() {
        let mut g = Graph::new(8);
        let root = g.create(None, None, false).unwrap();
        let mut current = g.create(Some(root), None, false).unwrap();
        for _ in 0..10_000 {
            let next = g.create(Some(current), None, true).unwrap();
            g.release(current).unwrap();
            current = next;
        }
        assert_eq!(g.live_nodes(), 2);
        let chain = chain_of(&g, current);
        assert_eq!(chain.len(), 2);
        assert_eq!(chain[0].repeat, 10_000);
        assert_eq!(chain[1].index, root.index());
    }

    #[test]
    fn compaction_bounds_an_unfoldable_chain() {
        let window = 8;
        let mut g = Graph::new(window);
        let mut current = g.create(None, None, false).unwrap();
        let mut peak = 0;
        for _ in 0..10_000 {
            let next = g.create(Some(current), None, false).unwrap();
            g.release(current).unwrap();
            current = next;
            peak = peak.max(g.live_nodes());
        }
        assert!(peak <= 2 * window as usize + 2, "peak {peak}");
        let chain = chain_of(&g, current);
        assert!(chain.len() > window as usize);
        let last = chain.last().unwrap();
        assert!(last.elided > 0, "the far end is an elided marker");
        let kept: u32 = chain
            .iter()
            .filter(|e| e.elided == 0)
            .map(|e| 1 + e.repeat)
            .sum();
        assert_eq!(
            kept + last.elided,
            10_001,
            "every task is either kept or counted as elided"
        );
        assert_eq!(last.index, 0);
        assert!(g.depth(current) <= 2 * window + 1);
        g.release(current).unwrap();
        assert_eq!(g.live_nodes(), 0);
    }

    #[test]
    fn compaction_does_not_cut_a_chain_another_task_still_walks() {
        let mut g = Graph::new(4);
        let root = g.create(None, None, false).unwrap();
        let mut nodes = vec![root];
        for i in 0..20 {
            let n = g.create(Some(nodes[i]), None, false).unwrap();
            nodes.push(n);
        }
        // Every node is still held: compaction replaced links with markers but freed nothing held.
        for n in &nodes {
            assert!(g.is_live(*n));
        }
        assert!(chain_of(&g, nodes[20]).len() <= 2 * 4 + 2);
        for n in nodes {
            g.release(n).unwrap();
        }
        assert_eq!(g.live_nodes(), 0);
    }

    #[test]
    fn stale_ready_is_ignored_and_stale_link_fails() {
        let mut g = Graph::new(8);
        let gone = g.create(None, None, false).unwrap();
        g.release(gone).unwrap();
        let a = g.create(None, Some(gone), false).unwrap();
        assert_eq!(chain_of(&g, a)[0].ready, 0);
        assert_eq!(g.create(Some(gone), None, false), Err(GraphError::Stale));
        assert_eq!(g.live_nodes(), 1);
    }

    #[test]
    fn set_ready_moves_the_reference() {
        let mut g = Graph::new(8);
        let listener = g.create(None, None, false).unwrap();
        let first = g.create(None, None, false).unwrap();
        let second = g.create(None, None, false).unwrap();
        g.set_ready(listener, Some(first)).unwrap();
        g.release(first).unwrap();
        assert!(g.is_live(first), "kept by the ready edge");
        let freed = g.set_ready(listener, Some(second)).unwrap().to_vec();
        assert_eq!(freed, vec![first.index()]);
        g.release(second).unwrap();
        g.release(listener).unwrap();
        assert_eq!(g.live_nodes(), 0);
    }

    #[test]
    fn reused_index_has_a_new_generation() {
        let mut g = Graph::new(8);
        let a = g.create(None, None, false).unwrap();
        g.release(a).unwrap();
        let b = g.create(None, None, false).unwrap();
        assert_eq!(a.index(), b.index());
        assert_ne!(a, b);
        assert!(!g.is_live(a));
    }

    #[test]
    fn handle_bits_round_trip_and_are_never_zero() {
        let h = NodeHandle {
            index: 7,
            generation: MAX_GENERATION,
        };
        assert_eq!(NodeHandle::from_bits(h.to_bits()), Some(h));
        assert!(h.to_bits() < (1u64 << 53));
        assert_eq!(NodeHandle::from_bits(0), None);
    }

    #[test]
    fn freeing_a_very_long_chain_does_not_recurse() {
        let mut g = Graph::new(u32::MAX / 4);
        let mut nodes = Vec::new();
        let mut last = g.create(None, None, false).unwrap();
        nodes.push(last);
        for _ in 0..200_000 {
            last = g.create(Some(last), None, false).unwrap();
            nodes.push(last);
        }
        for n in &nodes[..nodes.len() - 1] {
            g.release(*n).unwrap();
        }
        assert_eq!(g.release(last).unwrap().len(), 200_001);
        assert_eq!(g.live_nodes(), 0);
    }
}
