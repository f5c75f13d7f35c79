//! Sorting with one shared body. The standard library's stable sort is generated anew for every
//! element type and comparison it is called with: with about fifty call sites it was 211 KB of
//! the app's wasm, the largest single item after the pages. Here each call sorts a list of
//! positions with one sort compiled once (through a `dyn` comparison), then moves the elements
//! into place by swaps; only that small move is generated per element type. Stable, like
//! `slice::sort_by`, and O(n log n). The app's code sorts through these (a test below holds it
//! to that).

use std::cmp::Ordering;

pub trait LeanSort<T> {
    /// As `slice::sort_by` (stable).
    fn lean_sort_by(&mut self, cmp: impl FnMut(&T, &T) -> Ordering);
    /// As `slice::sort_by_key` (stable).
    fn lean_sort_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.lean_sort_by(|a, b| key(a).cmp(&key(b)));
    }
    /// As `slice::sort` (stable).
    fn lean_sort(&mut self)
    where
        T: Ord,
    {
        self.lean_sort_by(T::cmp);
    }
}

impl<T> LeanSort<T> for [T] {
    fn lean_sort_by(&mut self, mut cmp: impl FnMut(&T, &T) -> Ordering) {
        if self.len() < 2 {
            return;
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        {
            let v: &[T] = self;
            sort_positions(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
        }
        place(self, &mut order);
    }
}

/// The one sort the binary carries: positions, compared through the caller's comparison.
#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

/// Puts `v[order[k]]` at position k for every k, following each cycle of the permutation with
/// swaps (no clone, no second buffer of T). `order` is used up as the record of what is done.
fn place<T>(v: &mut [T], order: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for start in 0..v.len() {
        let mut k = start;
        while order[k] != DONE {
            let from = order[k];
            order[k] = DONE;
            if from == start {
                break;
            }
            v.swap(k, from);
            k = from;
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::LeanSort;
    use proptest::prelude::*;

    #[test]
    fn sorts_as_the_standard_library_does_stably() {
        // Few distinct keys, so stability is exercised on every run.
        let strategy = proptest::collection::vec((0u8..6, any::<u16>()), 0..300);
        crate::check_property("lean_sort_matches_std", file!(), 2000, strategy, |v| {
            let mut ours = v.clone();
            let mut std = v.clone();
            ours.lean_sort_by_key(|x| x.0);
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(&ours, &std);
            let mut ours = v.clone();
            let mut std = v;
            ours.lean_sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            std.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            prop_assert_eq!(ours, std);
            Ok(())
        });
    }

    #[test]
    fn moves_owned_values_without_losing_any() {
        let mut v: Vec<String> = ["丙", "甲", "乙", "甲", ""].iter().map(|s| s.to_string()).collect();
        v.lean_sort();
        assert_eq!(v, ["", "丙", "乙", "甲", "甲"]);
        let mut one = vec![String::from("一")];
        one.lean_sort();
        assert_eq!(one, ["一"]);
    }

    /// The app's code sorts through `LeanSort`: a new `.sort_by(` elsewhere would bring back a
    /// copy of the standard sort per call site (tests may use the standard one).
    #[test]
    fn the_app_sorts_through_lean_sort() {
        let mut found = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if path.is_dir() {
                    if name != "tests" {
                        dirs.push(path);
                    }
                } else if name.ends_with(".rs") && name != "tests.rs" && name != "order.rs" {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
                    for call in
                        [".sort(", ".sort_by(", ".sort_by_key(", ".sort_unstable(", ".sort_unstable_by(", ".sort_unstable_by_key(", ".sort_by_cached_key("]
                    {
                        if text.contains(call) {
                            found.push(format!("{} {call}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(found.is_empty(), "use crate::order::LeanSort instead: {found:?}");
    }
}
