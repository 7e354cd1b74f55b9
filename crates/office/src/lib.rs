//! The files people exchange with the office. For now: [`chart`], charts drawn on the
//! server as self-contained SVG strings, so the same picture can sit inline in a page, be
//! rasterized into a Word bulletin, or be saved as a file. No IO, no dependencies.

pub mod chart;
