//! The screens and their addresses (hash routing, so a static host serves every screen).

#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    List,
    NewItem,
    Item(String),
    EditItem(String),
    Org,
    Settings,
    Exchange,
    Known,
    Trash,
    Conflicts,
    Scoring,
    Dispatch,
    Supervision,
    Notice(String),
    Bulletin,
    Reviews,
    AcceptanceReport(String),
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        let h = js_sys::decode_uri_component(h).ok().and_then(|s| s.as_string()).unwrap_or_else(|| h.to_string());
        let parts: Vec<&str> = h.split('/').collect();
        match parts.as_slice() {
            ["new"] => Route::NewItem,
            ["item", id] => Route::Item(id.to_string()),
            ["item", id, "edit"] => Route::EditItem(id.to_string()),
            ["org"] => Route::Org,
            ["settings"] => Route::Settings,
            ["exchange"] => Route::Exchange,
            ["known"] => Route::Known,
            ["trash"] => Route::Trash,
            ["conflicts"] => Route::Conflicts,
            ["scoring"] => Route::Scoring,
            ["dispatch"] => Route::Dispatch,
            ["supervision"] => Route::Supervision,
            ["notice", id] => Route::Notice(id.to_string()),
            ["bulletin"] => Route::Bulletin,
            ["reviews"] => Route::Reviews,
            ["acceptance", id] => Route::AcceptanceReport(id.to_string()),
            _ => Route::List,
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::List => "#/".into(),
            Route::NewItem => "#/new".into(),
            Route::Item(id) => format!("#/item/{id}"),
            Route::EditItem(id) => format!("#/item/{id}/edit"),
            Route::Org => "#/org".into(),
            Route::Settings => "#/settings".into(),
            Route::Exchange => "#/exchange".into(),
            Route::Known => "#/known".into(),
            Route::Trash => "#/trash".into(),
            Route::Conflicts => "#/conflicts".into(),
            Route::Scoring => "#/scoring".into(),
            Route::Dispatch => "#/dispatch".into(),
            Route::Supervision => "#/supervision".into(),
            Route::Notice(id) => format!("#/notice/{id}"),
            Route::Bulletin => "#/bulletin".into(),
            Route::Reviews => "#/reviews".into(),
            Route::AcceptanceReport(id) => format!("#/acceptance/{id}"),
        }
    }
}
