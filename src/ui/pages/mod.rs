//! One file per screen (or family of screens).

pub mod conflicts;
pub mod exchange;
pub mod item;
pub mod known;
pub mod ledger;
pub mod list;
pub mod monthly;
pub mod org;
pub mod review;
pub mod scoring;
pub mod settings;
pub mod setup;
pub mod trash;
