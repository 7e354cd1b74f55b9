//! Charts drawn on the server as self-contained SVG 1.1 strings.
//!
//! One picture serves a page (inline `<svg>`), a Word bulletin (rasterized) and a file.
//! Every chart is a plain struct with a `to_svg(&self) -> String`; the output is
//! deterministic, so equal input gives an equal string and can be snapshot-tested.
//!
//! What the output promises:
//! - `viewBox` 720 wide and `width="100%"`, so the chart fills its container; pages may cap
//!   it with CSS on the `hz-chart` class (`hz-chart-bar`, `-line`, `-grid`, `-tiers`).
//! - `role="img"`, a `<title>` and a `<desc>` listing the figures, for screen readers.
//! - No `style` attributes, no scripts, no event handlers, no ids, no external resources:
//!   only presentation attributes, so a page with `style-src 'self'` shows it as drawn, and
//!   several charts can share one page.
//! - All text is escaped; links are kept only for relative paths and http(s) URLs.
//! - Non-finite values (NaN, ±∞) are treated as missing; a chart with nothing to draw shows
//!   "暂无数据".
//! - Text is measured without a font: CJK ≈ 1em, ASCII ≈ 0.55em, erring wide. Category labels
//!   that do not fit are wrapped into two or three lines, else turned 45° (or 90°) and
//!   ellipsized.
//!
//! # Palette
//!
//! | use | colour | contrast on white |
//! |---|---|---|
//! | 超前 [`BarColor::Ahead`] | green `#237f4a` | 4.9 : 1 |
//! | 正常 [`BarColor::Normal`], and bars without a status | blue `#1d4f91` (the site's blue) | 8.3 : 1 |
//! | 滞后 [`BarColor::Behind`] | red `#c0392b` (the site's red) | 5.4 : 1 |
//! | reference line (时序进度) | amber `#b45309`, dashed | 5.0 : 1 |
//! | line series, in order | `#1d4f91` `#c2410c` `#237f4a` `#6d28d9` `#0e7490` `#a16207` `#be185d` `#475569` | ≥ 4.5 : 1 |
//! | shaded cells, light → dark | `#dbe7f5` `#a9c4e6` `#6f9bd1` `#3a6fb0` `#1d4f91` | |
//!
//! Every fill that carries white text passes WCAG AA for normal text (4.5 : 1). Green and
//! red are hard to tell apart for about one man in twelve, so status is never colour alone:
//! 超前 bars carry a white ▲ and 滞后 bars a white ▼ (the legend swatches too), grid tiles
//! write their status in words, the reference line shows where the boundary lies, and every
//! bar's tooltip and the chart's `<desc>` name the status.

mod bar;
mod grid;
mod line;
mod png;
pub use png::{Png, has_cjk_font, svg_to_png};
mod svg;
mod tier;

#[cfg(test)]
mod tests;

/// Traffic-light status of a bar or a cell against 时序进度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BarColor {
    /// 超前
    Ahead,
    /// 正常
    Normal,
    /// 滞后
    Behind,
}

impl BarColor {
    pub const ALL: [BarColor; 3] = [BarColor::Ahead, BarColor::Normal, BarColor::Behind];

    /// The fill, as `#rrggbb`.
    pub fn hex(self) -> &'static str {
        match self {
            BarColor::Ahead => "#237f4a",
            BarColor::Normal => DEFAULT_BLUE,
            BarColor::Behind => "#c0392b",
        }
    }

    /// The Chinese name shown in legends and tooltips.
    pub fn label(self) -> &'static str {
        match self {
            BarColor::Ahead => "超前",
            BarColor::Normal => "正常",
            BarColor::Behind => "滞后",
        }
    }

    /// The white arrow drawn on a bar so that status does not rest on colour alone:
    /// `Some(true)` points up (超前), `Some(false)` down (滞后).
    pub(crate) fn arrow(self) -> Option<bool> {
        match self {
            BarColor::Ahead => Some(true),
            BarColor::Normal => None,
            BarColor::Behind => Some(false),
        }
    }
}

/// The fill of bars without a status: the site's blue.
pub const DEFAULT_BLUE: &str = "#1d4f91";

/// Colours of line series, in order; the ninth series starts again.
pub const SERIES_COLORS: [&str; 8] = [
    "#1d4f91", "#c2410c", "#237f4a", "#6d28d9", "#0e7490", "#a16207", "#be185d", "#475569",
];

/// The colour of the reference line (时序进度).
pub const REFERENCE_COLOR: &str = "#b45309";

/// Vertical bars, one per category, with an optional horizontal reference line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarChart {
    pub title: String,
    /// "%" is written after every value; any other unit ("亿元") once, as "单位：亿元".
    pub unit: String,
    pub bars: Vec<Bar>,
    /// A horizontal line and its label, e.g. `(91.7, "时序进度 91.7%")`. A space in the label
    /// is where it may break into two lines.
    pub reference: Option<(f64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The category, e.g. "吴兴区".
    pub label: String,
    pub value: f64,
    /// Traffic light; `None` draws the default blue.
    pub color: Option<BarColor>,
    /// Drill-down link; the bar, its value and its label become one `<a>`.
    pub href: Option<String>,
}

/// Lines over categories (usually months), with gaps where a value is missing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineChart {
    pub title: String,
    pub unit: String,
    /// Category labels, e.g. "1月" … "12月".
    pub x_labels: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Shown in the legend, e.g. "计划累计".
    pub name: String,
    /// One value per x label; `None` (or a non-finite value) leaves a gap.
    pub values: Vec<Option<f64>>,
    /// Dashed line, e.g. for a plan.
    pub dashed: bool,
}

/// A schematic grid of districts, one tile each. Not a map: it is labelled 示意图 and says
/// nothing about borders or area.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GridMap {
    pub title: String,
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    /// The district, e.g. "南太湖新区".
    pub label: String,
    /// Zero-based row and column of the tile.
    pub row: u8,
    pub col: u8,
    /// The figure as written, e.g. "92.3%".
    pub value_text: String,
    pub color: CellColor,
    pub href: Option<String>,
}

/// How a grid tile is filled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellColor {
    /// A traffic light.
    Status(BarColor),
    /// A shade of blue, 0.0 (lightest) to 1.0 (darkest), for a figure without a status.
    Shade(f64),
    /// Grey: nothing to report.
    NoData,
}

impl From<BarColor> for CellColor {
    fn from(c: BarColor) -> Self {
        CellColor::Status(c)
    }
}

/// Projects by investment tier, drawn as two sets of horizontal bars side by side:
/// the number of projects and their total investment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TierBars {
    pub title: String,
    /// `(tier label, project count, investment in 亿元)`, e.g. `("10亿元以上", 12, 356.2)`,
    /// drawn top to bottom in the order given.
    pub items: Vec<(String, u64, f64)>,
}
