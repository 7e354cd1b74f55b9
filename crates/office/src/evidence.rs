//! Evidence files (佐证材料) attached to progress reports: what kind a file is, decided from its
//! bytes and never from its name, and the limits on size and count. A file that is not a PDF,
//! an image, or an Office document is refused with the reason in Chinese.

use std::io::Cursor;

/// Largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;
/// Files per report.
pub const MAX_EVIDENCE_FILES: usize = 5;

/// A recognised evidence file: its MIME type and the extension it is served under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceKind {
    pub content_type: &'static str,
    pub extension: &'static str,
}

const PDF: EvidenceKind = EvidenceKind {
    content_type: "application/pdf",
    extension: "pdf",
};
const PNG: EvidenceKind = EvidenceKind {
    content_type: "image/png",
    extension: "png",
};
const JPEG: EvidenceKind = EvidenceKind {
    content_type: "image/jpeg",
    extension: "jpg",
};
const DOCX: EvidenceKind = EvidenceKind {
    content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extension: "docx",
};
const XLSX: EvidenceKind = EvidenceKind {
    content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extension: "xlsx",
};
const DOC: EvidenceKind = EvidenceKind {
    content_type: "application/msword",
    extension: "doc",
};
const XLS: EvidenceKind = EvidenceKind {
    content_type: "application/vnd.ms-excel",
    extension: "xls",
};

/// Decides what `bytes` are. `name` only tells a legacy Word file from a legacy Excel one
/// (both are OLE compound files); it never makes a file acceptable.
pub fn evidence_kind(name: &str, bytes: &[u8]) -> Result<EvidenceKind, String> {
    if bytes.is_empty() {
        return Err(format!("文件“{name}”是空的"));
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(format!(
            "文件“{name}”有 {:.1} MB，超过单个佐证材料 10 MB 的上限",
            bytes.len() as f64 / 1024.0 / 1024.0
        ));
    }
    let refused = || {
        Err(format!(
            "文件“{name}”不是 PDF、图片（PNG/JPG）或 Word/Excel 文档，不能作为佐证材料"
        ))
    };
    if bytes.starts_with(b"%PDF-") {
        Ok(PDF)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(PNG)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(JPEG)
    } else if bytes.starts_with(b"PK\x03\x04") {
        let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
            return refused();
        };
        let has = |part: &str| zip.file_names().any(|n| matches!(n, Ok(n) if n == part));
        if has("word/document.xml") {
            Ok(DOCX)
        } else if has("xl/workbook.xml") {
            Ok(XLSX)
        } else {
            refused()
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let lower = name.to_lowercase();
        Ok(if lower.ends_with(".xls") || lower.ends_with(".et") {
            XLS
        } else {
            DOC
        })
    } else {
        refused()
    }
}

/// The name a file is kept and served under: the uploaded name without any path, control or
/// quoting characters, ending in the extension of what the file really is.
pub fn evidence_name(uploaded: &str, kind: EvidenceKind) -> String {
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*' | ';'))
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .chars()
        .take(80)
        .collect();
    let stem = match clean.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => clean,
    };
    let stem = if stem.trim().is_empty() {
        "佐证材料".to_string()
    } else {
        stem
    };
    format!("{stem}.{}", kind.extension)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(part: &str) -> Vec<u8> {
        use std::io::Write;
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        w.start_file(part, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"<x/>").unwrap();
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn files_are_known_by_their_bytes_not_their_names() {
        assert_eq!(evidence_kind("a.docx", b"%PDF-1.7 ...").unwrap(), PDF);
        assert_eq!(
            evidence_kind("photo.pdf", b"\x89PNG\r\n\x1a\n....").unwrap(),
            PNG
        );
        assert_eq!(
            evidence_kind("x", &zip_with("word/document.xml")).unwrap(),
            DOCX
        );
        assert_eq!(
            evidence_kind("x", &zip_with("xl/workbook.xml")).unwrap(),
            XLSX
        );
        let err = evidence_kind("报告.pdf", b"<script>alert(1)</script>").unwrap_err();
        assert!(err.contains("报告.pdf") && err.contains("不能作为佐证材料"));
        assert!(evidence_kind("a.zip", &zip_with("payload.exe")).is_err());
        assert!(evidence_kind("空.pdf", b"").unwrap_err().contains("空"));
        let big = vec![b'%'; MAX_EVIDENCE_BYTES + 1];
        assert!(evidence_kind("大.pdf", &big).unwrap_err().contains("10 MB"));
    }

    #[test]
    fn served_names_are_safe_and_tell_the_truth() {
        assert_eq!(evidence_name("../../etc/passwd", PDF), "passwd.pdf");
        assert_eq!(evidence_name("C:\\材料\\现场照片.JPG", PNG), "现场照片.png");
        assert_eq!(evidence_name("\"a\";b.pdf\r\n", PDF), "ab.pdf");
        assert_eq!(evidence_name("", DOCX), "佐证材料.docx");
        assert_eq!(evidence_name(".hidden", PDF), "hidden.pdf");
    }
}
