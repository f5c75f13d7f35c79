//! The record, clock and bundle model every office stores and exchanges.
pub mod bundle;
pub mod clock;
pub mod compact;
pub mod jsonscan;
pub mod pace;
pub mod records;
pub mod state;
pub mod trust;

pub use clock::{Clock, Dot, Hlc, OfficeId, VersionVector};
pub use records::Records;
pub use state::{Change, FieldState, Peer, Record, RecordId, Registry, StoredChange, DELETED};
