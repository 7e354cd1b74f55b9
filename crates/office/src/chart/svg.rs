//! The drawing kit every chart shares: escaping, text measurement without a font, number
//! and coordinate formatting, nice axis ticks, the header with title and legend, and the
//! "暂无数据" placeholder.

use std::fmt::Write as _;

/// Width of every chart's viewBox, so charts side by side scale alike.
pub(crate) const WIDTH: f64 = 720.0;
/// Left and right page margin inside the viewBox.
pub(crate) const MARGIN: f64 = 20.0;

pub(crate) const FONT_STACK: &str =
    "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif";

pub(crate) const INK: &str = "#1f2937";
pub(crate) const INK_SOFT: &str = "#374151";
pub(crate) const MUTED: &str = "#6b7280";
pub(crate) const GRID: &str = "#e5e7eb";
pub(crate) const AXIS: &str = "#9ca3af";

/// Escapes text for element content and attribute values, and drops the control characters
/// XML 1.0 forbids (they would make the whole document unreadable). Tabs and line breaks
/// become spaces: a label is one line.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A link target we are willing to put in a chart: site-relative paths, queries, fragments
/// and http(s) URLs. Anything else (`javascript:`, `data:` …) is dropped, so a bad value can
/// never turn a bar into a script.
pub(crate) fn safe_href(href: Option<&str>) -> Option<&str> {
    let h = href?.trim();
    if h.is_empty() {
        return None;
    }
    let scheme_end = h.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if h[i..].starts_with(':') => {
            let scheme = h[..i].to_ascii_lowercase();
            (scheme == "http" || scheme == "https").then_some(h)
        }
        _ => Some(h),
    }
}

/// Estimated advance of one character, in em. CJK and other wide characters take a full em;
/// ASCII about 0.55em, capitals and a few wide letters more. The estimate errs on the wide
/// side so that centred labels never collide.
fn char_em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        '%' => 0.85,
        'A'..='Z' | 'm' | 'w' | '@' => 0.72,
        '.' | ',' | ':' | ';' | '!' | '|' | 'i' | 'l' | 'j' | '\'' => 0.32,
        c if c.is_ascii() => 0.56,
        '\u{0300}'..='\u{036f}' | '\u{200b}'..='\u{200f}' => 0.0,
        c if (c as u32) < 0x1100 => 0.62,
        _ => 1.0,
    }
}

/// Estimated width of `text` set at `size` px (regular weight).
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// Estimated width of bold text.
pub(crate) fn bold_width(text: &str, size: f64) -> f64 {
    text_width(text, size) * 1.06
}

/// `text` shortened with "…" so that it fits `max` px at `size`.
pub(crate) fn ellipsize(text: &str, max: f64, size: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let budget = max - text_width("…", size);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let w = char_em(c) * size;
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Splits a label into `lines` lines of about equal width (南太湖新区 → 南太湖 / 新区),
/// making the widest line as narrow as possible and, among equals, the first lines longest.
/// `None` when the widest line would still exceed `max`.
pub(crate) fn split_lines(text: &str, lines: usize, max: f64, size: f64) -> Option<Vec<String>> {
    let chars: Vec<char> = text.trim().chars().collect();
    if lines == 0 || chars.len() < lines || chars.len() > 60 {
        return None;
    }
    let widths: Vec<f64> = chars.iter().map(|c| char_em(*c) * size).collect();
    // Cuts (line ends) minimising the widest line; a small search, labels are short.
    fn best(widths: &[f64], start: usize, lines: usize) -> (f64, Vec<usize>) {
        let rest = &widths[start..];
        if lines == 1 {
            return (rest.iter().sum(), vec![widths.len()]);
        }
        let mut found: Option<(f64, Vec<usize>)> = None;
        let mut first = 0.0;
        for cut in start + 1..=widths.len() - (lines - 1) {
            first += widths[cut - 1];
            let (w, mut cuts) = best(widths, cut, lines - 1);
            let worst = first.max(w);
            if found.as_ref().is_none_or(|(f, _)| worst <= *f + 1e-9) {
                cuts.insert(0, cut);
                found = Some((worst, cuts));
            }
        }
        found.unwrap_or((f64::INFINITY, Vec::new()))
    }
    let (worst, cuts) = best(&widths, 0, lines);
    if worst > max {
        return None;
    }
    let mut out = Vec::with_capacity(lines);
    let mut from = 0;
    for cut in cuts {
        out.push(
            chars[from..cut]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
        );
        from = cut;
    }
    Some(out)
}

/// A coordinate with at most one decimal, never "NaN", "inf" or "-0".
pub(crate) fn n(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 10.0).round() / 10.0 + 0.0;
    if r == r.trunc() && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Values are drawn only if finite, and clamped so that arithmetic on them stays finite.
pub(crate) fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v.clamp(-1e12, 1e12))
}

/// A value as a person reads it, with `decimals` digits, rounded half away from zero.
pub(crate) fn fmt_num(v: f64, decimals: usize) -> String {
    let p = 10f64.powi(decimals as i32);
    let r = (v * p).round() / p + 0.0;
    let s = format!("{r:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// How many decimals a set of values needs: none for whole numbers, otherwise one (two for
/// small fractions). Percentages always get one, as the office writes them ("92.0%").
pub(crate) fn value_decimals(values: impl Iterator<Item = f64> + Clone, unit: &str) -> usize {
    if is_percent(unit) {
        return 1;
    }
    for d in 0..=2 {
        let p = 10f64.powi(d);
        if values
            .clone()
            .all(|v| ((v * p) - (v * p).round()).abs() < 1e-6)
        {
            return d as usize;
        }
    }
    let max = values.fold(0.0f64, |m, v| m.max(v.abs()));
    if max < 10.0 { 2 } else { 1 }
}

pub(crate) fn is_percent(unit: &str) -> bool {
    matches!(unit.trim(), "%" | "％" | "‰")
}

/// The suffix written after each value: the unit when it is a percent sign, otherwise
/// nothing (the unit then appears once, as "单位：亿元").
pub(crate) fn value_suffix(unit: &str) -> &str {
    if is_percent(unit) { unit.trim() } else { "" }
}

/// A value axis with round ticks: steps of 1, 2 or 5 × 10ⁿ, always including zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub decimals: usize,
}

impl Scale {
    pub(crate) fn nice(min: f64, max: f64) -> Scale {
        let lo = min.min(0.0);
        let mut hi = max.max(0.0);
        if hi - lo < 1e-9 {
            hi = lo + 1.0;
        }
        let raw = (hi - lo) / 6.0;
        let mag = 10f64.powf(raw.log10().floor());
        let mut chosen = None;
        for m in [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0] {
            let step = mag * m;
            let intervals = (hi / step - 1e-9).ceil() - (lo / step + 1e-9).floor();
            if intervals <= 7.0 {
                chosen = Some(step);
                break;
            }
        }
        let step = chosen.unwrap_or(mag * 100.0);
        let decimals = if step >= 1.0 {
            0
        } else {
            (-step.log10().floor()).clamp(0.0, 6.0) as usize
        };
        Scale {
            lo: (lo / step + 1e-9).floor() * step,
            hi: (hi / step - 1e-9).ceil() * step,
            step,
            decimals,
        }
    }

    pub(crate) fn ticks(&self) -> Vec<f64> {
        let count = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=count)
            .map(|i| self.lo + i as f64 * self.step)
            .collect()
    }

    /// Position of `v` between `from` (the value `lo`) and `to` (the value `hi`).
    pub(crate) fn at(&self, v: f64, from: f64, to: f64) -> f64 {
        from + (v - self.lo) / (self.hi - self.lo) * (to - from)
    }
}

/// How the labels under a category axis are set.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum XLabels {
    /// One line each, centred.
    Flat(Vec<String>),
    /// Up to three lines each, centred.
    Wrapped(Vec<Vec<String>>),
    /// Turned by `angle` degrees (45 or 90), anchored at their end, ellipsized if long.
    Turned { texts: Vec<String>, angle: f64 },
}

pub(crate) const X_LABEL_SIZE: f64 = 12.0;

impl XLabels {
    /// Chooses the plainest layout that keeps neighbours apart in slots `slot` px wide.
    pub(crate) fn fit(labels: &[&str], slot: f64) -> XLabels {
        let size = X_LABEL_SIZE;
        let room = slot - 6.0;
        if labels.iter().all(|l| text_width(l, size) <= room) {
            return XLabels::Flat(labels.iter().map(|l| l.to_string()).collect());
        }
        for lines in 2..=3 {
            let split: Option<Vec<Vec<String>>> = labels
                .iter()
                .map(|l| {
                    if text_width(l, size) <= room {
                        Some(vec![l.to_string()])
                    } else {
                        (2..=lines).find_map(|k| split_lines(l, k, room, size))
                    }
                })
                .collect();
            if let Some(split) = split {
                return XLabels::Wrapped(split);
            }
        }
        let angle = if slot * std::f64::consts::FRAC_1_SQRT_2 >= size + 2.0 {
            45.0
        } else {
            90.0
        };
        XLabels::Turned {
            texts: labels
                .iter()
                .map(|l| ellipsize(l, 8.0 * size, size))
                .collect(),
            angle,
        }
    }

    /// Height the labels need below the axis.
    pub(crate) fn height(&self) -> f64 {
        let size = X_LABEL_SIZE;
        match self {
            XLabels::Flat(_) => size + 12.0,
            XLabels::Wrapped(lines) => {
                let most = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
                most * (size + 3.0) + 10.0
            }
            XLabels::Turned { texts, angle } => {
                let longest = texts
                    .iter()
                    .map(|t| text_width(t, size))
                    .fold(0.0, f64::max);
                let a = angle.to_radians();
                longest * a.sin() + size * a.cos() + 14.0
            }
        }
    }

    /// Draws label `i` centred on `x` below the axis at `y`.
    pub(crate) fn draw(&self, out: &mut String, i: usize, x: f64, y: f64) {
        let size = X_LABEL_SIZE;
        match self {
            XLabels::Flat(texts) => {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" text-anchor="middle" fill="{INK_SOFT}">{}</text>"#,
                    n(x),
                    n(y + size + 4.0),
                    esc(&texts[i])
                );
            }
            XLabels::Wrapped(lines) => {
                for (k, line) in lines[i].iter().enumerate() {
                    let _ = write!(
                        out,
                        r#"<text x="{}" y="{}" text-anchor="middle" fill="{INK_SOFT}">{}</text>"#,
                        n(x),
                        n(y + size + 4.0 + k as f64 * (size + 3.0)),
                        esc(line)
                    );
                }
            }
            XLabels::Turned { texts, angle } => {
                let (tx, ty) = (x + size * 0.35, y + 10.0);
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" text-anchor="end" transform="rotate(-{} {} {})" fill="{INK_SOFT}">{}</text>"#,
                    n(tx),
                    n(ty),
                    n(*angle),
                    n(tx),
                    n(ty),
                    esc(&texts[i])
                );
            }
        }
    }
}

/// The mark drawn before a legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    Swatch(&'static str),
    /// A swatch with a white arrow, up or down, as drawn on status bars.
    Arrow {
        color: &'static str,
        up: bool,
    },
    Line {
        color: &'static str,
        dashed: bool,
    },
    /// Five swatches from light to dark, for shaded maps.
    Ramp,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    pub mark: Mark,
    pub text: String,
}

const LEGEND_SIZE: f64 = 12.0;
const LEGEND_GAP: f64 = 18.0;

impl LegendItem {
    fn mark_width(&self) -> f64 {
        match self.mark {
            Mark::Swatch(_) | Mark::Arrow { .. } => 12.0,
            Mark::Line { .. } => 24.0,
            Mark::Ramp => 5.0 * 12.0,
        }
    }

    fn width(&self) -> f64 {
        self.mark_width() + 6.0 + text_width(&self.text, LEGEND_SIZE)
    }

    fn draw(&self, out: &mut String, x: f64, y: f64) {
        match self.mark {
            Mark::Swatch(color) => {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="12" height="12" rx="2" fill="{color}"/>"#,
                    n(x),
                    n(y - 10.0)
                );
            }
            Mark::Arrow { color, up } => {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="12" height="12" rx="2" fill="{color}"/>"#,
                    n(x),
                    n(y - 10.0)
                );
                arrow(out, x + 6.0, y - 4.0, up);
            }
            Mark::Line { color, dashed } => {
                let dash = if dashed {
                    r#" stroke-dasharray="5 3""#
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{color}" stroke-width="2.5"{dash}/><circle cx="{}" cy="{}" r="3.5" fill="#ffffff" stroke="{color}" stroke-width="2"/>"##,
                    n(x),
                    n(y - 4.0),
                    n(x + 24.0),
                    n(y - 4.0),
                    n(x + 12.0),
                    n(y - 4.0)
                );
            }
            Mark::Ramp => {
                for (k, color) in RAMP.iter().enumerate() {
                    let _ = write!(
                        out,
                        r#"<rect x="{}" y="{}" width="12" height="12" fill="{color}"/>"#,
                        n(x + 12.0 * k as f64),
                        n(y - 10.0)
                    );
                }
            }
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-size="{LEGEND_SIZE}" fill="{INK_SOFT}">{}</text>"#,
            n(x + self.mark_width() + 6.0),
            n(y),
            esc(&self.text)
        );
    }
}

/// A small white triangle centred on (`cx`, `cy`), pointing up or down.
pub(crate) fn arrow(out: &mut String, cx: f64, cy: f64, up: bool) {
    let (tip, base) = if up {
        (cy - 3.5, cy + 3.0)
    } else {
        (cy + 3.5, cy - 3.0)
    };
    let _ = write!(
        out,
        r##"<polygon points="{},{} {},{} {},{}" fill="#ffffff"/>"##,
        n(cx - 4.5),
        n(base),
        n(cx + 4.5),
        n(base),
        n(cx),
        n(tip)
    );
}

/// Five steps of the sequential blue used for shaded cells, light to dark.
pub(crate) const RAMP: [&str; 5] = ["#dbe7f5", "#a9c4e6", "#6f9bd1", "#3a6fb0", "#1d4f91"];

const TITLE_SIZE: f64 = 16.0;

/// Draws the title and legend, returns the y where the chart body may begin.
/// The legend sits right-aligned on the title line when both fit, else on rows below it.
pub(crate) fn header(out: &mut String, title: &str, legend: &[LegendItem]) -> f64 {
    let avail = WIDTH - 2.0 * MARGIN;
    let legend_w = legend.iter().map(LegendItem::width).sum::<f64>()
        + LEGEND_GAP * legend.len().saturating_sub(1) as f64;
    let title_w = bold_width(title, TITLE_SIZE);
    let inline = legend.is_empty() || title_w + 32.0 + legend_w <= avail;
    let title_room = if inline && !legend.is_empty() {
        avail - legend_w - 32.0
    } else {
        avail
    };
    if !title.trim().is_empty() {
        let _ = write!(
            out,
            r#"<text x="{}" y="30" font-size="{TITLE_SIZE}" font-weight="bold" fill="{INK}">{}</text>"#,
            n(MARGIN),
            esc(&ellipsize(title, title_room / 1.06, TITLE_SIZE))
        );
    }
    if legend.is_empty() {
        return 44.0;
    }
    if inline {
        let mut x = WIDTH - MARGIN - legend_w;
        for item in legend {
            item.draw(out, x, 29.0);
            x += item.width() + LEGEND_GAP;
        }
        return 44.0;
    }
    // Rows below the title, left-aligned, wrapping when full.
    let mut y = 56.0;
    let mut x = MARGIN;
    for item in legend {
        if x > MARGIN && x + item.width() > WIDTH - MARGIN {
            x = MARGIN;
            y += 22.0;
        }
        item.draw(out, x, y);
        x += item.width() + LEGEND_GAP;
    }
    y + 14.0
}

/// Opens the document. `kind` becomes a class (`hz-chart hz-chart-bar`) for page styles.
pub(crate) fn document(kind: &str, title: &str, desc: &str, height: f64, body: &str) -> String {
    let title = if title.trim().is_empty() {
        "图表"
    } else {
        title
    };
    let mut out = String::with_capacity(body.len() + 600);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" class="hz-chart hz-chart-{kind}" width="100%" viewBox="0 0 {} {}" role="img" font-family="{FONT_STACK}" font-size="12">"#,
        n(WIDTH),
        n(height)
    );
    let _ = write!(out, "<title>{}</title>", esc(title));
    if !desc.is_empty() {
        let _ = write!(out, "<desc>{}</desc>", esc(desc));
    }
    let _ = write!(
        out,
        r##"<rect width="{}" height="{}" fill="#ffffff"/>"##,
        n(WIDTH),
        n(height)
    );
    out.push_str(body);
    out.push_str("</svg>");
    out
}

/// Opens a link around part of a chart (`href` for HTML and SVG 2, `xlink:href` for SVG 1.1
/// renderers), or a plain group when there is no safe link.
pub(crate) fn open_link(out: &mut String, href: Option<&str>) -> &'static str {
    match safe_href(href) {
        Some(h) => {
            let h = esc(h);
            let _ = write!(out, r#"<a href="{h}" xlink:href="{h}">"#);
            "</a>"
        }
        None => {
            out.push_str("<g>");
            "</g>"
        }
    }
}

/// The whole chart when there is nothing to draw: title and a quiet "暂无数据".
pub(crate) fn placeholder(kind: &str, title: &str) -> String {
    let mut body = String::new();
    let top = header(&mut body, title, &[]);
    let height = 240.0;
    let _ = write!(
        body,
        r##"<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="#f9fafb" stroke="{GRID}" stroke-dasharray="4 4"/><text x="{}" y="{}" text-anchor="middle" font-size="14" fill="{MUTED}">暂无数据</text>"##,
        n(MARGIN),
        n(top + 8.0),
        n(WIDTH - 2.0 * MARGIN),
        n(height - top - 28.0),
        n(WIDTH / 2.0),
        n((top + 8.0 + height - 20.0) / 2.0 + 5.0)
    );
    document(kind, title, "暂无数据", height, &body)
}

/// A unit caption ("单位：亿元") above the value axis when values are not percentages.
pub(crate) fn unit_caption(out: &mut String, unit: &str, y: f64) -> bool {
    let unit = unit.trim();
    if unit.is_empty() || is_percent(unit) {
        return false;
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" fill="{MUTED}">单位：{}</text>"#,
        n(MARGIN),
        n(y),
        esc(&ellipsize(unit, 200.0, 12.0))
    );
    true
}

/// Relative luminance of a `#rrggbb` colour (WCAG), for choosing text on a fill.
pub(crate) fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let v = u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
        let c = f64::from(v) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/// WCAG contrast ratio of two `#rrggbb` colours.
pub(crate) fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(
            esc(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(esc("吴兴\u{0}区\n"), "吴兴区 ");
    }

    #[test]
    fn chinese_is_measured_wider_than_ascii() {
        assert_eq!(text_width("吴兴区", 12.0), 36.0);
        assert!(text_width("abc", 12.0) < 24.0);
        assert_eq!(ellipsize("南太湖新区", 40.0, 12.0), "南太…");
        assert_eq!(ellipsize("吴兴区", 40.0, 12.0), "吴兴区");
    }

    #[test]
    fn long_names_split_into_balanced_lines() {
        let lines = |t: &str, k: usize| split_lines(t, k, 40.0, 12.0);
        assert_eq!(
            lines("南太湖新区", 2),
            Some(vec!["南太湖".to_string(), "新区".to_string()])
        );
        assert_eq!(lines("一二三四五六七八九十", 2), None);
        assert_eq!(
            lines("湖州经济技术开发区", 3),
            Some(vec![
                "湖州经".to_string(),
                "济技术".to_string(),
                "开发区".to_string()
            ])
        );
        assert_eq!(lines("吴兴", 3), None);
    }

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        let s = Scale::nice(0.0, 96.0);
        assert_eq!(s.ticks(), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let s = Scale::nice(0.0, 105.0);
        assert_eq!((s.lo, s.hi, s.step), (0.0, 120.0, 20.0));
        let s = Scale::nice(-12.0, 30.0);
        assert_eq!((s.lo, s.hi, s.step), (-20.0, 30.0, 10.0));
        let s = Scale::nice(0.0, 0.37);
        assert_eq!((s.hi, s.step, s.decimals), (0.4, 0.1, 1));
        let s = Scale::nice(0.0, 0.0);
        assert!(s.hi > s.lo);
        let s = Scale::nice(0.0, 1234.0);
        assert_eq!((s.hi, s.step), (1400.0, 200.0));
    }

    #[test]
    fn category_labels_wrap_then_turn_as_slots_narrow() {
        let labels = ["吴兴区", "南太湖新区"];
        assert!(matches!(XLabels::fit(&labels, 80.0), XLabels::Flat(_)));
        assert_eq!(
            XLabels::fit(&labels, 50.0),
            XLabels::Wrapped(vec![
                vec!["吴兴区".to_string()],
                vec!["南太湖".to_string(), "新区".to_string()]
            ])
        );
        assert!(
            matches!(XLabels::fit(&labels, 28.0), XLabels::Turned { angle, .. } if angle == 45.0)
        );
        assert!(
            matches!(XLabels::fit(&labels, 16.0), XLabels::Turned { angle, .. } if angle == 90.0)
        );
        let long = ["一二三四五六七八九十一二三"];
        match XLabels::fit(&long, 16.0) {
            XLabels::Turned { texts, .. } => assert_eq!(texts[0], "一二三四五六七…"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn numbers_never_print_as_nan_or_negative_zero() {
        assert_eq!(n(f64::NAN), "0");
        assert_eq!(n(-0.04), "0");
        assert_eq!(n(12.25), "12.3");
        assert_eq!(fmt_num(-0.01, 1), "0.0");
        assert_eq!(fmt_num(92.25, 1), "92.3");
        assert_eq!(value_decimals([1.0, 2.0].into_iter(), "亿元"), 0);
        assert_eq!(value_decimals([1.5, 2.0].into_iter(), "亿元"), 1);
        assert_eq!(value_decimals([92.0].into_iter(), "%"), 1);
    }

    #[test]
    fn only_plain_links_survive() {
        assert_eq!(
            safe_href(Some("/projects?area=吴兴区")),
            Some("/projects?area=吴兴区")
        );
        assert_eq!(
            safe_href(Some("https://example.org/x")),
            Some("https://example.org/x")
        );
        assert_eq!(safe_href(Some(" JavaScript:alert(1)")), None);
        assert_eq!(safe_href(Some("data:text/html,x")), None);
        assert_eq!(safe_href(Some("")), None);
        assert_eq!(safe_href(Some("a/b:c")), Some("a/b:c"));
    }
}
