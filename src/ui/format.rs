//! How values look on screen and on paper.

/// The badge colour class for a status.
pub fn status_class(s: crate::domain::Status) -> &'static str {
    use crate::domain::Status::*;
    match s {
        Proposed | RiskReviewed => "st-plan",
        Approved | InProgress => "st-run",
        Completed | Accepted => "st-done",
        AwaitingDeployment | Suspended => "st-wait",
        Terminated => "st-stop",
    }
}

/// A date from an `<input type="date">` (always YYYY-MM-DD); None when empty or invalid.
pub fn parse_day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// A moment as the user's local "YYYY-MM-DD HH:MM".
pub fn format_time(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:04}-{:02}-{:02} {:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}
