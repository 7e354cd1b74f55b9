//! [`TierBars`]: projects by investment tier as two panels of horizontal bars side by side,
//! the number of projects on the left and their investment on the right, each on its own
//! scale. Horizontal bars keep long Chinese tier names ("10亿元以上") readable.

use super::svg::{
    GRID, INK_SOFT, MARGIN, MUTED, WIDTH, document, ellipsize, esc, finite, fmt_num, header, n,
    placeholder, text_width, value_decimals,
};
use super::{DEFAULT_BLUE, TierBars};
use std::fmt::Write as _;

const ROW_HEIGHT: f64 = 34.0;
const BAR_HEIGHT: f64 = 16.0;
const LABEL_SIZE: f64 = 13.0;
const COUNT_COLOR: &str = DEFAULT_BLUE;
const INVESTMENT_COLOR: &str = "#0e7490";

impl TierBars {
    pub fn to_svg(&self) -> String {
        if self.items.is_empty() {
            return placeholder("tiers", &self.title);
        }
        let investments: Vec<Option<f64>> = self
            .items
            .iter()
            .map(|(_, _, v)| finite(*v).map(|v| v.max(0.0)))
            .collect();
        let decimals = value_decimals(investments.iter().flatten().copied(), "亿元");
        let count_texts: Vec<String> = self.items.iter().map(|(_, c, _)| c.to_string()).collect();
        let inv_texts: Vec<String> = investments
            .iter()
            .map(|v| v.map_or("—".to_string(), |v| fmt_num(v, decimals)))
            .collect();
        let max_count = self.items.iter().map(|(_, c, _)| *c).max().unwrap_or(0);
        let max_inv = investments.iter().flatten().fold(0.0f64, |m, v| m.max(*v));

        let labels: Vec<String> = self
            .items
            .iter()
            .map(|(l, _, _)| ellipsize(l, 150.0, LABEL_SIZE))
            .collect();
        let label_w = labels
            .iter()
            .map(|l| text_width(l, LABEL_SIZE))
            .fold(0.0, f64::max);
        let start = MARGIN + label_w + 14.0;
        let avail = WIDTH - MARGIN - start;
        let p1 = (start, avail * 0.42 - 14.0);
        let p2 = (start + avail * 0.42 + 14.0, avail * 0.58 - 14.0);
        let room = |texts: &[String]| {
            texts
                .iter()
                .map(|t| text_width(t, 12.0))
                .fold(0.0, f64::max)
                + 10.0
        };
        let count_len = p1.1 - room(&count_texts);
        let inv_len = p2.1 - room(&inv_texts);

        let mut body = String::new();
        let top = header(&mut body, &self.title, &[]);
        let heads_y = top + 14.0;
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" fill="{MUTED}">项目数（个）</text><text x="{}" y="{}" fill="{MUTED}">总投资（亿元）</text>"#,
            n(p1.0),
            n(heads_y),
            n(p2.0),
            n(heads_y)
        );
        let rows_top = heads_y + 10.0;
        for (i, (label, count, _)) in self.items.iter().enumerate() {
            let ry = rows_top + i as f64 * ROW_HEIGHT;
            let mid = ry + ROW_HEIGHT / 2.0;
            if i % 2 == 0 {
                let _ = write!(
                    body,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#f6f8fb"/>"##,
                    n(MARGIN - 6.0),
                    n(ry),
                    n(WIDTH - 2.0 * MARGIN + 12.0),
                    n(ROW_HEIGHT)
                );
            }
            let _ = write!(
                body,
                r#"<g><title>{}：{} 个项目，总投资 {}</title><text x="{}" y="{}" text-anchor="end" font-size="{}" fill="{INK_SOFT}">{}</text>"#,
                esc(label),
                count,
                investments[i].map_or("无数据".to_string(), |v| format!(
                    "{}亿元",
                    fmt_num(v, decimals)
                )),
                n(MARGIN + label_w),
                n(mid + 4.5),
                n(LABEL_SIZE),
                esc(&labels[i])
            );
            let c_len = if max_count == 0 {
                0.0
            } else {
                *count as f64 / max_count as f64 * count_len
            };
            bar(&mut body, p1.0, mid, c_len, COUNT_COLOR, &count_texts[i]);
            let v_len = match investments[i] {
                Some(v) if max_inv > 0.0 => v / max_inv * inv_len,
                _ => 0.0,
            };
            bar(&mut body, p2.0, mid, v_len, INVESTMENT_COLOR, &inv_texts[i]);
            body.push_str("</g>");
        }
        let rows_bottom = rows_top + self.items.len() as f64 * ROW_HEIGHT;
        for x in [p1.0, p2.0] {
            let _ = write!(
                body,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/>"#,
                n(x),
                n(rows_top),
                n(x),
                n(rows_bottom)
            );
        }
        let height = rows_bottom + 16.0;

        let desc: Vec<String> = self
            .items
            .iter()
            .zip(&investments)
            .map(|((label, count, _), v)| match v {
                Some(v) => format!("{label} {count}个项目 {}亿元", fmt_num(*v, decimals)),
                None => format!("{label} {count}个项目"),
            })
            .collect();
        document("tiers", &self.title, &desc.join("；"), height, &body)
    }
}

fn bar(out: &mut String, x: f64, mid: f64, len: f64, color: &str, text: &str) {
    if len > 0.0 {
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{color}"/>"#,
            n(x),
            n(mid - BAR_HEIGHT / 2.0),
            n(len.max(1.0)),
            n(BAR_HEIGHT)
        );
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" fill="{INK_SOFT}">{}</text>"#,
        n(x + len.max(0.0) + 6.0),
        n(mid + 4.0),
        esc(text)
    );
}
