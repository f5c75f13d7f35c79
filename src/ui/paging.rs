//! Long tables (the registry list, the month's dispatch, supervision's proposals) shown a page at
//! a time, and each page drawn in two steps: its first rows in the frame that opens the screen,
//! the rest in the task after that frame is painted. A city's 200 dispatch rows with their entry
//! fields took 80 ms to make, so the screen came up after them; its first rows take a fifth.

use super::{browser::after_paint, ctx};
use leptos::prelude::*;

/// Rows drawn before the screen's first frame is painted.
pub const FIRST_ROWS: usize = 40;

#[derive(Clone, Copy)]
pub struct Paging {
    limit: RwSignal<usize>,
    page: usize,
    /// False until the frame showing the first rows has been painted.
    painted: RwSignal<bool>,
    /// The browser is printing (`Ctx::printing`), for a table that goes on paper.
    printing: Option<RwSignal<bool>>,
    /// Where the first rows end: a memo, so that 再显示 (a new limit) does not redraw them.
    first_end: Memo<usize>,
}

impl Paging {
    /// `page` rows at a time; call it when the screen is made.
    pub fn new(page: usize) -> Self {
        let painted = RwSignal::new(false);
        leptos::task::spawn_local(async move {
            after_paint().await;
            // The screen may have been left before its first frame.
            let _ = painted.try_set(true);
        });
        let limit = RwSignal::new(page);
        let first_end = Memo::new(move |_| limit.get().min(FIRST_ROWS));
        Paging { limit, page, painted, printing: Some(ctx().printing), first_end }
    }

    /// For a table that is not printed (supervision's proposals): it keeps to its pages on paper.
    pub fn screen_only(self) -> Self {
        Paging { printing: None, ..self }
    }

    fn on_paper(self) -> bool {
        self.printing.is_some_and(|p| p.get())
    }

    /// How many rows to draw now: all of them on paper (a printed 台账 that stopped at the
    /// screen's 200th row was a wrong document), the first few until the first frame is
    /// painted, else the page(s) asked for.
    fn shown(self) -> usize {
        if self.on_paper() {
            usize::MAX
        } else if !self.painted.get() {
            self.limit.get().min(FIRST_ROWS)
        } else {
            self.limit.get()
        }
    }

    /// The rows drawn in the screen's first frame, as a range of its rows: a table draws them
    /// and `rest` in two parts, so that drawing the rest (once painted, or 再显示) does not
    /// make these rows' views again. (Their elements were kept either way: Leptos patches a
    /// redrawn list in place, so this saves work, not focus.)
    pub fn first(self) -> std::ops::Range<usize> {
        0..self.first_end.get()
    }

    /// The rows after `first` drawn now (none until the first frame is painted).
    pub fn rest(self) -> std::ops::Range<usize> {
        let from = self.first_end.get();
        from..self.shown().max(from)
    }

    /// Rows past the pages asked for, out of `total` (none on paper).
    pub fn hidden(self, total: usize) -> usize {
        if self.on_paper() {
            0
        } else {
            total.saturating_sub(self.limit.get())
        }
    }

    /// 再显示: one page more.
    pub fn next(self) {
        self.limit.update(|l| *l += self.page);
    }

    /// Back to the first page (the filter changed).
    pub fn reset(self) {
        self.limit.set(self.page);
    }
}
