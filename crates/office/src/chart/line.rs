//! [`LineChart`]: series over categories, broken where a value is missing, with a legend and
//! the latest value of each series written at its last point.

use super::svg::{
    AXIS, GRID, LegendItem, MARGIN, MUTED, Mark, Scale, WIDTH, XLabels, document, esc, finite,
    fmt_num, header, n, placeholder, text_width, unit_caption, value_decimals, value_suffix,
};
use super::{LineChart, SERIES_COLORS};
use std::fmt::Write as _;

const PLOT_HEIGHT: f64 = 230.0;
const END_LABEL_SIZE: f64 = 12.0;

impl LineChart {
    pub fn to_svg(&self) -> String {
        let count = self.x_labels.len();
        // values[s][i]: series s at category i, None where missing or not finite.
        let values: Vec<Vec<Option<f64>>> = self
            .series
            .iter()
            .map(|s| {
                (0..count)
                    .map(|i| s.values.get(i).copied().flatten().and_then(finite))
                    .collect()
            })
            .collect();
        if count == 0 || values.iter().flatten().all(Option::is_none) {
            return placeholder("line", &self.title);
        }
        let suffix = value_suffix(&self.unit);
        let decimals = value_decimals(values.iter().flatten().flatten().copied(), &self.unit);
        let (lo, hi) = values
            .iter()
            .flatten()
            .flatten()
            .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        let scale = Scale::nice(lo, hi);
        let color = |s: usize| SERIES_COLORS[s % SERIES_COLORS.len()];

        let legend: Vec<LegendItem> = self
            .series
            .iter()
            .enumerate()
            .map(|(s, series)| LegendItem {
                mark: Mark::Line {
                    color: color(s),
                    dashed: series.dashed,
                },
                text: series.name.clone(),
            })
            .collect();

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
        let plot_right = WIDTH - MARGIN;
        let slot = (plot_right - plot_left) / count as f64;
        let labels: Vec<&str> = self.x_labels.iter().map(String::as_str).collect();
        let x_labels = XLabels::fit(&labels, slot);

        let mut body = String::new();
        let top = header(&mut body, &self.title, &legend);
        let captioned = unit_caption(&mut body, &self.unit, top + 12.0);
        let plot_top = top + if captioned { 18.0 } else { 0.0 } + 22.0;
        let plot_bottom = plot_top + PLOT_HEIGHT;
        let height = plot_bottom + x_labels.height() + 12.0;
        let y = |v: f64| scale.at(v, plot_bottom, plot_top);
        let x = |i: usize| plot_left + (i as f64 + 0.5) * slot;

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
        let _ = write!(
            body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{AXIS}" stroke-width="1"/>"#,
            n(plot_left),
            n(y(0.0)),
            n(plot_right),
            n(y(0.0))
        );
        for i in 0..count {
            let _ = write!(
                body,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{AXIS}" stroke-width="1"/>"#,
                n(x(i)),
                n(plot_bottom),
                n(x(i)),
                n(plot_bottom + 4.0)
            );
            x_labels.draw(&mut body, i, x(i), plot_bottom);
        }

        // Lines: one polyline per run of consecutive values.
        for (s, series) in self.series.iter().enumerate() {
            let dash = if series.dashed {
                r#" stroke-dasharray="7 4""#
            } else {
                ""
            };
            let mut run: Vec<(f64, f64)> = Vec::new();
            let flush = |run: &mut Vec<(f64, f64)>, body: &mut String| {
                if run.len() >= 2 {
                    let points: Vec<String> = run
                        .iter()
                        .map(|(px, py)| format!("{},{}", n(*px), n(*py)))
                        .collect();
                    let _ = write!(
                        body,
                        r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"{dash}/>"#,
                        points.join(" "),
                        color(s)
                    );
                }
                run.clear();
            };
            for (i, v) in values[s].iter().enumerate() {
                match v {
                    Some(v) => run.push((x(i), y(*v))),
                    None => flush(&mut run, &mut body),
                }
            }
            flush(&mut run, &mut body);
        }

        // Points, each with a tooltip.
        for (s, series) in self.series.iter().enumerate() {
            for (i, v) in values[s].iter().enumerate() {
                if let Some(v) = v {
                    let _ = write!(
                        body,
                        r##"<circle cx="{}" cy="{}" r="3.5" fill="#ffffff" stroke="{}" stroke-width="2"><title>{} {}：{}{}</title></circle>"##,
                        n(x(i)),
                        n(y(*v)),
                        color(s),
                        esc(&series.name),
                        esc(&self.x_labels[i]),
                        fmt_num(*v, decimals),
                        esc(self.unit.trim())
                    );
                }
            }
        }

        // The latest value of each series at its last point: above it, or below when a line,
        // a point or another label is in the way there; left out where both would collide
        // with another label. More than three series would only crowd the end of the chart.
        let mut placed: Vec<Rect> = Vec::new();
        let labelled = if values.len() <= 3 { values.len() } else { 0 };
        for (s, row) in values.iter().enumerate().take(labelled) {
            let Some((i, v)) = row
                .iter()
                .enumerate()
                .rev()
                .find_map(|(i, v)| v.map(|v| (i, v)))
            else {
                continue;
            };
            let text = format!("{}{suffix}", fmt_num(v, decimals));
            let w = text_width(&text, END_LABEL_SIZE) * 1.06;
            let cx = x(i).clamp(plot_left + w / 2.0, WIDTH - 4.0 - w / 2.0);
            let py = y(v);
            let boxed = |baseline: f64| Rect {
                left: cx - w / 2.0,
                right: cx + w / 2.0,
                top: baseline - END_LABEL_SIZE,
                bottom: baseline + 2.0,
            };
            let candidates = [py - 9.0, py + END_LABEL_SIZE + 8.0];
            let clash = |r: &Rect| {
                let mut hits = placed.iter().filter(|p| p.meets(r)).count() * 100;
                for (s2, row2) in values.iter().enumerate() {
                    for (j, v2) in row2.iter().enumerate() {
                        let Some(v2) = v2 else { continue };
                        let (x2, y2) = (x(j), y(*v2));
                        if (s2, j) != (s, i) && r.near(x2, y2, 4.0) {
                            hits += 1;
                        }
                        // The segment to the next point, sampled.
                        if let Some(Some(v3)) = row2.get(j + 1) {
                            let (x3, y3) = (x(j + 1), y(*v3));
                            hits += (0..=24)
                                .filter(|k| {
                                    let t = f64::from(*k) / 24.0;
                                    r.near(x2 + (x3 - x2) * t, y2 + (y3 - y2) * t, 1.5)
                                })
                                .count();
                        }
                    }
                }
                hits
            };
            let mut best = (usize::MAX, candidates[0]);
            for baseline in candidates {
                let hits = clash(&boxed(baseline));
                if hits < best.0 {
                    best = (hits, baseline);
                }
            }
            if best.0 >= 100 {
                continue;
            }
            placed.push(boxed(best.1));
            let _ = write!(
                body,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="bold" fill="{}">{}</text>"#,
                n(cx),
                n(best.1),
                n(END_LABEL_SIZE),
                color(s),
                esc(&text)
            );
        }

        let desc: Vec<String> = self
            .series
            .iter()
            .enumerate()
            .map(|(s, series)| {
                let points: Vec<String> = values[s]
                    .iter()
                    .zip(&self.x_labels)
                    .map(|(v, l)| match v {
                        Some(v) => format!("{l} {}{}", fmt_num(*v, decimals), self.unit.trim()),
                        None => format!("{l} 无数据"),
                    })
                    .collect();
                format!("{}：{}", series.name, points.join("，"))
            })
            .collect();
        document("line", &self.title, &desc.join("；"), height, &body)
    }
}

/// A label's box, for keeping labels off lines, points and each other.
struct Rect {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Rect {
    fn meets(&self, o: &Rect) -> bool {
        self.left < o.right && o.left < self.right && self.top < o.bottom && o.top < self.bottom
    }

    fn near(&self, x: f64, y: f64, pad: f64) -> bool {
        x >= self.left - pad
            && x <= self.right + pad
            && y >= self.top - pad
            && y <= self.bottom + pad
    }
}
