//! [`BarChart`]: vertical bars with values on top and an optional reference line.

use super::svg::{
    AXIS, GRID, INK_SOFT, LegendItem, MARGIN, MUTED, Mark, Scale, WIDTH, XLabels, arrow, document,
    esc, finite, fmt_num, header, n, open_link, placeholder, text_width, unit_caption,
    value_decimals, value_suffix,
};
use super::{BarChart, BarColor, DEFAULT_BLUE, REFERENCE_COLOR};
use std::fmt::Write as _;

const PLOT_HEIGHT: f64 = 230.0;
const VALUE_SIZE: f64 = 12.0;
const SMALL_VALUE_SIZE: f64 = 10.0;

impl BarChart {
    pub fn to_svg(&self) -> String {
        let values: Vec<Option<f64>> = self.bars.iter().map(|b| finite(b.value)).collect();
        if values.iter().all(Option::is_none) {
            return placeholder("bar", &self.title);
        }
        let reference = self
            .reference
            .as_ref()
            .and_then(|(v, label)| finite(*v).map(|v| (v, label.as_str())));
        let suffix = value_suffix(&self.unit);
        let decimals = value_decimals(values.iter().flatten().copied(), &self.unit);

        let mut lo = 0.0f64;
        let mut hi = 0.0f64;
        for v in values
            .iter()
            .flatten()
            .chain(reference.iter().map(|(v, _)| v))
        {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
        let scale = Scale::nice(lo, hi);

        let legend: Vec<LegendItem> = BarColor::ALL
            .into_iter()
            .filter(|c| self.bars.iter().any(|b| b.color == Some(*c)))
            .map(|c| LegendItem {
                mark: match c.arrow() {
                    Some(up) => Mark::Arrow { color: c.hex(), up },
                    None => Mark::Swatch(c.hex()),
                },
                text: c.label().to_string(),
            })
            .collect();

        // Horizontal layout: tick labels on the left, reference label on the right.
        let ticks = scale.ticks();
        let tick_texts: Vec<String> = ticks
            .iter()
            .map(|t| format!("{}{suffix}", fmt_num(*t, scale.decimals)))
            .collect();
        let tick_w = tick_texts
            .iter()
            .map(|t| text_width(t, 12.0))
            .fold(0.0, f64::max);
        let plot_left = MARGIN + tick_w + 8.0;
        let ref_lines: Vec<String> = reference
            .map(|(_, label)| {
                label
                    .split_whitespace()
                    .map(|l| super::svg::ellipsize(l, 96.0, 12.0))
                    .collect()
            })
            .unwrap_or_default();
        let ref_w = ref_lines
            .iter()
            .map(|l| text_width(l, 12.0))
            .fold(0.0, f64::max);
        let plot_right = WIDTH
            - MARGIN
            - if ref_lines.is_empty() {
                0.0
            } else {
                ref_w + 8.0
            };
        let slot = (plot_right - plot_left) / self.bars.len() as f64;
        let bar_w = (slot * 0.56).min(52.0);

        // Value labels: 12px, 10px if crowded, turned upright if still too wide.
        let value_texts: Vec<String> = values
            .iter()
            .map(|v| {
                v.map_or("—".to_string(), |v| {
                    format!("{}{suffix}", fmt_num(v, decimals))
                })
            })
            .collect();
        let widest = value_texts
            .iter()
            .map(|t| text_width(t, VALUE_SIZE))
            .fold(0.0, f64::max);
        let (value_size, turned) = if widest <= slot - 4.0 {
            (VALUE_SIZE, false)
        } else if widest * SMALL_VALUE_SIZE / VALUE_SIZE <= slot - 2.0 {
            (SMALL_VALUE_SIZE, false)
        } else {
            (SMALL_VALUE_SIZE, true)
        };
        let value_room = if turned {
            widest * SMALL_VALUE_SIZE / VALUE_SIZE + 10.0
        } else {
            value_size + 8.0
        };

        let labels: Vec<&str> = self.bars.iter().map(|b| b.label.as_str()).collect();
        let x_labels = XLabels::fit(&labels, slot);

        // Vertical layout.
        let mut body = String::new();
        let top = header(&mut body, &self.title, &legend);
        let captioned = unit_caption(&mut body, &self.unit, top + 12.0);
        let plot_top = top + if captioned { 18.0 } else { 0.0 } + value_room.max(18.0);
        let plot_bottom = plot_top + PLOT_HEIGHT;
        let height = plot_bottom + x_labels.height() + 12.0;
        let y = |v: f64| scale.at(v, plot_bottom, plot_top);
        let zero = y(0.0);

        for (t, text) in ticks.iter().zip(&tick_texts) {
            let ty = y(*t);
            let _ = write!(
                body,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{GRID}" stroke-width="1"/><text x="{}" y="{}" text-anchor="end" fill="{MUTED}">{}</text>"#,
                n(plot_left),
                n(ty),
                n(plot_right),
                n(ty),
                n(plot_left - 8.0),
                n(ty + 4.0),
                esc(text)
            );
        }

        // Pass 1: per bar, one link (or group) holding its column, bar and category label.
        for (i, (bar, value)) in self.bars.iter().zip(&values).enumerate() {
            let cx = plot_left + (i as f64 + 0.5) * slot;
            let close = open_link(&mut body, bar.href.as_deref());
            let status = bar
                .color
                .map(|c| format!("（{}）", c.label()))
                .unwrap_or_default();
            let _ = write!(
                body,
                "<title>{}：{}{}{}</title>",
                esc(&bar.label),
                value.map_or("无数据".to_string(), |v| fmt_num(v, decimals)),
                if value.is_some() {
                    esc(self.unit.trim())
                } else {
                    String::new()
                },
                status
            );
            if close == "</a>" {
                // The whole column is the link, so a short bar is still easy to hit.
                let _ = write!(
                    body,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff" fill-opacity="0"/>"##,
                    n(cx - slot / 2.0),
                    n(plot_top),
                    n(slot),
                    n(plot_bottom - plot_top + x_labels.height())
                );
            }
            if let Some(v) = value {
                let fill = bar.color.map_or(DEFAULT_BLUE, BarColor::hex);
                let (y0, y1) = (zero.min(y(*v)), zero.max(y(*v)));
                let _ = write!(
                    body,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{fill}"/>"#,
                    n(cx - bar_w / 2.0),
                    n(y0),
                    n(bar_w),
                    n((y1 - y0).max(0.0))
                );
                // The status arrow sits at the bar's far end when there is room for it.
                if let Some(up) = bar.color.and_then(BarColor::arrow)
                    && y1 - y0 >= 16.0
                    && bar_w >= 12.0
                {
                    let cy = if *v >= 0.0 { y0 + 9.0 } else { y1 - 9.0 };
                    arrow(&mut body, cx, cy, up);
                }
            }
            x_labels.draw(&mut body, i, cx, plot_bottom);
            body.push_str(close);
        }

        let _ = write!(
            body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{AXIS}" stroke-width="1"/>"#,
            n(plot_left),
            n(zero),
            n(plot_right),
            n(zero)
        );

        // Pass 2: the reference line, over the bars.
        let ref_y = reference.map(|(v, _)| y(v));
        if let Some(ry) = ref_y {
            let _ = write!(
                body,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{REFERENCE_COLOR}" stroke-width="1.5" stroke-dasharray="6 4"/>"#,
                n(plot_left),
                n(ry),
                n(plot_right + 4.0),
                n(ry)
            );
            let first = (ry + 4.0 - (ref_lines.len() as f64 - 1.0) * 7.5).max(plot_top - 4.0);
            for (k, line) in ref_lines.iter().enumerate() {
                let _ = write!(
                    body,
                    r#"<text x="{}" y="{}" fill="{REFERENCE_COLOR}">{}</text>"#,
                    n(plot_right + 8.0),
                    n(first + 15.0 * k as f64),
                    esc(line)
                );
            }
        }

        // Pass 3: values, over everything. They let clicks through to the links beneath, and
        // where the reference line would cross one, a white backing interrupts the line.
        body.push_str(r#"<g pointer-events="none">"#);
        for (i, value) in values.iter().enumerate() {
            let cx = plot_left + (i as f64 + 0.5) * slot;
            // Beyond the bar's end: above a positive bar, and above the zero line for a
            // negative one (keeping clear of the category labels).
            let label_y = match value {
                Some(v) if *v >= 0.0 => y(*v) - 6.0,
                _ => zero - 6.0,
            };
            let text = &value_texts[i];
            let w = text_width(text, value_size);
            let (left, top, right, bottom) = if turned {
                (
                    cx - value_size / 2.0,
                    label_y - w,
                    cx + value_size / 2.0,
                    label_y,
                )
            } else {
                (
                    cx - w / 2.0,
                    label_y - value_size,
                    cx + w / 2.0,
                    label_y + 3.0,
                )
            };
            if ref_y.is_some_and(|ry| ry >= top - 2.0 && ry <= bottom + 2.0) {
                let _ = write!(
                    body,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#ffffff"/>"##,
                    n(left - 2.0),
                    n(top - 1.0),
                    n(right - left + 4.0),
                    n(bottom - top + 2.0)
                );
            }
            if turned {
                let _ = write!(
                    body,
                    r#"<text x="{}" y="{}" transform="rotate(-90 {} {})" font-size="{}" fill="{INK_SOFT}">{}</text>"#,
                    n(cx + value_size * 0.35),
                    n(label_y),
                    n(cx + value_size * 0.35),
                    n(label_y),
                    n(value_size),
                    esc(text)
                );
            } else {
                let _ = write!(
                    body,
                    r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{INK_SOFT}">{}</text>"#,
                    n(cx),
                    n(label_y),
                    n(value_size),
                    esc(text)
                );
            }
        }
        body.push_str("</g>");

        let mut desc: Vec<String> = self
            .bars
            .iter()
            .zip(&values)
            .map(|(b, v)| {
                let status = b
                    .color
                    .map(|c| format!("（{}）", c.label()))
                    .unwrap_or_default();
                match v {
                    Some(v) => format!(
                        "{} {}{}{status}",
                        b.label,
                        fmt_num(*v, decimals),
                        self.unit.trim()
                    ),
                    None => format!("{} 无数据", b.label),
                }
            })
            .collect();
        if let Some((_, label)) = reference {
            desc.push(label.to_string());
        }
        document("bar", &self.title, &desc.join("；"), height, &body)
    }
}
