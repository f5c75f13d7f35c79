//! The reform office's domain: records, life cycle, validation, and the actions on them.
//! Plain Rust — no web crates — so it is tested natively.
pub mod assessment;
pub mod demo;
pub mod document;
pub mod figures;
pub mod form;
pub mod labels;
pub mod lifecycle;
pub mod model;
pub mod monthly;
pub mod ops;
pub mod org;
pub mod ownership;
pub mod publish;
pub mod review;
pub mod rules;
pub mod scoring;
pub mod tx;
pub mod validate;

pub use model::*;
pub use validate::DomainError;
