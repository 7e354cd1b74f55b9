//! [`GridMap`]: a schematic grid of districts, one rounded tile each, coloured by status or by
//! a shade of blue. Labelled 示意图: it shows where districts roughly lie, never borders.

use super::svg::{
    GRID, INK, LegendItem, MARGIN, MUTED, Mark, RAMP, WIDTH, bold_width, contrast, document,
    ellipsize, esc, header, n, open_link, placeholder,
};
use super::{BarColor, CellColor, GridMap};
use std::fmt::Write as _;

const GAP: f64 = 8.0;
const CELL_HEIGHT: f64 = 84.0;
const MAX_CELL_WIDTH: f64 = 168.0;
const NO_DATA: &str = "#e5e7eb";
const LABEL_SIZE: f64 = 14.0;
const VALUE_SIZE: f64 = 20.0;

impl CellColor {
    fn fill(self) -> &'static str {
        match self {
            CellColor::Status(c) => c.hex(),
            CellColor::Shade(s) if s.is_finite() => {
                RAMP[(s.clamp(0.0, 1.0) * 4.0).round() as usize]
            }
            CellColor::Shade(_) | CellColor::NoData => NO_DATA,
        }
    }
}

impl GridMap {
    pub fn to_svg(&self) -> String {
        if self.cells.is_empty() {
            return placeholder("grid", &self.title);
        }
        let rows = self
            .cells
            .iter()
            .map(|c| usize::from(c.row))
            .max()
            .unwrap_or(0)
            + 1;
        let cols = self
            .cells
            .iter()
            .map(|c| usize::from(c.col))
            .max()
            .unwrap_or(0)
            + 1;
        let avail = WIDTH - 2.0 * MARGIN;
        let cell_w = ((avail - GAP * (cols as f64 - 1.0)) / cols as f64).min(MAX_CELL_WIDTH);
        let grid_w = cols as f64 * cell_w + (cols as f64 - 1.0) * GAP;
        let x0 = (WIDTH - grid_w) / 2.0;

        let mut legend: Vec<LegendItem> = BarColor::ALL
            .into_iter()
            .filter(|c| {
                self.cells
                    .iter()
                    .any(|cell| cell.color == CellColor::Status(*c))
            })
            .map(|c| LegendItem {
                mark: Mark::Swatch(c.hex()),
                text: c.label().to_string(),
            })
            .collect();
        if self
            .cells
            .iter()
            .any(|c| matches!(c.color, CellColor::Shade(s) if s.is_finite()))
        {
            legend.push(LegendItem {
                mark: Mark::Ramp,
                text: "颜色越深数值越高".to_string(),
            });
        }
        if self.cells.iter().any(|c| c.color.fill() == NO_DATA) {
            legend.push(LegendItem {
                mark: Mark::Swatch(NO_DATA),
                text: "无数据".to_string(),
            });
        }

        let mut body = String::new();
        let top = header(&mut body, &self.title, &legend);
        let y0 = top + 14.0;
        // Light placeholders where no district sits, so the grid still reads as a grid.
        for r in 0..rows {
            for c in 0..cols {
                if !self
                    .cells
                    .iter()
                    .any(|cell| usize::from(cell.row) == r && usize::from(cell.col) == c)
                {
                    let _ = write!(
                        body,
                        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#f9fafb" stroke="{GRID}" stroke-dasharray="3 3"/>"##,
                        n(x0 + c as f64 * (cell_w + GAP)),
                        n(y0 + r as f64 * (CELL_HEIGHT + GAP)),
                        n(cell_w),
                        n(CELL_HEIGHT)
                    );
                }
            }
        }
        for cell in &self.cells {
            let x = x0 + f64::from(cell.col) * (cell_w + GAP);
            let y = y0 + f64::from(cell.row) * (CELL_HEIGHT + GAP);
            let fill = cell.color.fill();
            let ink = if contrast(fill, "#ffffff") >= 4.5 {
                "#ffffff"
            } else {
                INK
            };
            let status = match cell.color {
                CellColor::Status(c) => format!("（{}）", c.label()),
                _ => String::new(),
            };
            let close = open_link(&mut body, cell.href.as_deref());
            let _ = write!(
                body,
                r#"<title>{}：{}{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{fill}"/>"#,
                esc(&cell.label),
                esc(&cell.value_text),
                status,
                n(x),
                n(y),
                n(cell_w),
                n(CELL_HEIGHT)
            );
            let room = (cell_w - 16.0) / 1.06;
            let _ = write!(
                body,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="bold" fill="{ink}">{}</text><text x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="bold" fill="{ink}">{}</text>"#,
                n(x + cell_w / 2.0),
                n(y + 33.0),
                n(LABEL_SIZE),
                esc(&ellipsize(&cell.label, room, LABEL_SIZE)),
                n(x + cell_w / 2.0),
                n(y + 64.0),
                n(VALUE_SIZE),
                esc(&ellipsize(&cell.value_text, room, VALUE_SIZE))
            );
            // Status in words too, so it never rests on colour alone.
            if let CellColor::Status(c) = cell.color
                && cell_w >= 96.0
            {
                let _ = write!(
                    body,
                    r#"<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{ink}">{}</text>"#,
                    n(x + cell_w - 8.0),
                    n(y + 16.0),
                    c.label()
                );
            }
            body.push_str(close);
        }
        let grid_bottom = y0 + rows as f64 * CELL_HEIGHT + (rows as f64 - 1.0) * GAP;
        let note = "示意图，不反映实际边界与面积";
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{MUTED}">{note}</text>"#,
            n((x0 + grid_w).max(MARGIN + bold_width(note, 12.0))),
            n(grid_bottom + 22.0)
        );
        let height = grid_bottom + 36.0;

        let desc: Vec<String> = self
            .cells
            .iter()
            .map(|c| {
                let status = match c.color {
                    CellColor::Status(s) => format!("（{}）", s.label()),
                    _ => String::new(),
                };
                format!("{} {}{status}", c.label, c.value_text)
            })
            .collect();
        document(
            "grid",
            &self.title,
            &format!("示意图。{}", desc.join("；")),
            height,
            &body,
        )
    }
}
