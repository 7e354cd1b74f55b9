//! Any bytes through what an upload goes through: the format sniff, the zip guard, calamine
//! or the CSV reader, table finding, cell reading and the form's validation — and the wire
//! format the parsing child answers in. None of it may panic; what it returns is checked for
//! the promises the importer relies on.
#![no_main]

use hezuo_office::book::{BookError, BookSink, Piece, PieceSink, read_book, read_book_into, read_frames};
use hezuo_office::import::Remembered;
use hezuo_office::import::project::{Vocab, read_projects};
use libfuzzer_sys::fuzz_target;

fn vocab() -> Vocab {
    Vocab {
        districts: vec![("330502".into(), "吴兴区".into()), ("330503".into(), "南浔区".into())],
        platforms: vec![(1, "南太湖新区".into(), "NTH".into(), "330502".into())],
        industries: vec![(1, "高端装备".into())],
        chains: vec![(1, "数控机床".into())],
        leaders: vec![(1, "沈卫东".into())],
        units: vec![(1, "市投资促进服务中心".into())],
    }
}

fuzz_target!(
    init: {
        // read_book catches a parser's panic and reports the file as corrupt; libfuzzer-sys's
        // hook would abort first. Back to the default hook: a panic nothing catches still
        // reaches libfuzzer-sys's own catch and counts as a crash.
        let _ = std::panic::take_hook();
    },
    |data: &[u8]| {
    if let Ok(book) = read_book(data) {
        // The wire format carries any book unchanged.
        let mut frames = Vec::new();
        let mut sink = PieceSink::new(|p: Piece| {
            p.write_frame(&mut frames).map_err(|e| BookError::Corrupt(e.to_string()))
        });
        read_book_into(data, &mut sink).expect("read once, read again");
        sink.done().expect("frames written");
        let mut back = BookSink::default();
        for piece in read_frames(&frames).expect("frames read back") {
            back.piece(piece).expect("pieces in order");
        }
        assert_eq!(back.book, book);
        let today = chrono::NaiveDate::from_ymd_opt(2024, 12, 31).expect("a date");
        let result = read_projects(&book, &vocab(), today, &Remembered::new());
        // A row is either valid or reported, never both; reported rows name a sheet.
        for e in &result.errors {
            assert!(e.row == 0 || !e.sheet.is_empty());
        }
    }
    // Decoding arbitrary bytes never panics or over-allocates.
    let _ = read_frames(data);
    let _ = Piece::decode(data);
});
