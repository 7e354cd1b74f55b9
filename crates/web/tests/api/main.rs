//! HTTP integration tests for the web edge, compiled as one binary. Each test gets its own
//! `TestApp` (a fresh SQLite database with a seeded city) and drives the router without a socket.

mod helpers;

mod admin;
mod api;
mod assistance;
mod bulletin;
mod conflicts;
mod csrf;
mod exports;
mod headers;
mod imports;
mod key_items;
mod login;
mod mujun;
mod platforms;
mod progress;
mod project_form;
mod scope;
mod security;
mod stages;
mod uploads;
mod xss;
