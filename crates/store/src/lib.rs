//! The database. One [`Store`] serves SQLite (the embedded default) and PostgreSQL; the engine
//! is chosen by the URL scheme in one place ([`Store::connect`]). SQL is written once in the
//! dialect both engines share (`$1` placeholders, integer money, ISO-text dates), and every
//! query that returns projects or figures takes a [`hezuo_domain::Viewer`] so scope is enforced
//! here, not at the edge.

pub mod agreement;
pub mod assessment;
pub mod assistance;
mod assistance_import;
mod audit;
pub mod auth;
pub mod backup;
pub mod coop_platform;
mod db;
pub mod demo;
pub mod dict;
pub mod enterprise;
mod enterprise_import;
pub mod import;
pub mod key_item;
mod key_item_import;
pub mod mujun_results;
pub mod openapi;
pub mod progress;
pub mod project;
mod records;
pub mod security;
pub mod stats;

pub use audit::{Actor, AuditEntry, LastChange};
pub use db::{Engine, Store, StoreError, now_text};
