//! The files people exchange with the office: [`chart`], charts drawn on the server as
//! self-contained SVG strings; [`book`] and [`import`], workbooks as offices write them read
//! into validated records with every problem reported; [`export`], lists written back out as
//! workbooks worth forwarding. No database here: the store resolves and stores.

pub mod book;
pub mod chart;
pub mod docx;
pub mod evidence;
pub mod export;
mod guard;
pub mod import;
mod xlsx;
