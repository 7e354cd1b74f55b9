//! Inputs the fuzz target (`fuzz/`) found to break something, kept so they stay fixed.

use hezuo_office::book::{BookError, read_book};

/// A cell reference whose digits overflow calamine's row arithmetic (a panic in debug builds,
/// a wrapped number in release): read as a corrupt file, never a crash.
#[test]
fn an_overflowing_cell_reference_is_a_corrupt_file() {
    let bytes = include_bytes!("data/calamine-overflow.xlsx");
    let read = read_book(bytes);
    if cfg!(debug_assertions) {
        // Where the overflow panics, the panic is caught and reported as a corrupt file.
        assert!(matches!(read, Err(BookError::Corrupt(_))), "{read:?}");
    }
}
