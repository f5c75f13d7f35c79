//! Horizontal bar charts (the month's ranking, the units with overdue items) as HTML rather than
//! SVG text: a unit's whole name shows and wraps when long (SVG cut it at 7 or 8 characters), a
//! screen reader reads each row, and print keeps the bars' colours.

use leptos::prelude::*;

pub struct Bar {
    pub label: String,
    /// The bar's length against the largest, from 0 to 1.
    pub share: f64,
    pub value: String,
    /// A colour class (`band-red`, `band-amber`, `band-green`).
    pub class: &'static str,
}

#[component]
pub fn BarList(rows: Vec<Bar>, #[prop(into)] label: String, test: &'static str) -> impl IntoView {
    view! {
        <ol class="bars" aria-label=label data-test=test>
            {rows.into_iter().map(|b| {
                // Up to 80% of the track, so the figure after the longest bar still fits.
                let width = format!("{:.1}%", (b.share.clamp(0.0, 1.0) * 80.0).max(0.5));
                view! {
                    <li class="bar-row">
                        <span class="bar-label">{b.label}</span>
                        <span class="bar-track"><span class=format!("bar {}", b.class) style:width=width></span><span class="bar-value">{b.value}</span></span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
