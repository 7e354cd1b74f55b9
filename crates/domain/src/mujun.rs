//! 亩均效益评价 ("亩均论英雄"): enterprises scored under a scheme the office configures per year
//! (indicators built from the data fields, weights, benchmarks fixed or derived from the
//! average, classes by rank, exemptions, bonus and deduction items, a simpler scheme for 规下),
//! each result explaining how every indicator contributed. A pure function over the population.
//!
//! Missing data follow the scheme's stated rule — scored 0 for that indicator with a note, or
//! the enterprise left ungraded — never a silent zero.

use serde::{Deserialize, Serialize};

/// The data an enterprise reports for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataField {
    /// 实缴税收, yuan.
    Tax,
    /// 工业增加值, yuan.
    ValueAdded,
    /// 营业收入, yuan.
    Revenue,
    /// 综合能耗, 吨标煤.
    Energy,
    /// 排放当量.
    Emission,
    /// 用电量, kWh.
    Electricity,
    /// 从业人员 (annual average).
    Employees,
    /// 研发经费, yuan.
    Rnd,
    /// 用地, 亩.
    Land,
}

impl DataField {
    pub const ALL: [DataField; 9] = [
        DataField::Tax,
        DataField::ValueAdded,
        DataField::Revenue,
        DataField::Energy,
        DataField::Emission,
        DataField::Electricity,
        DataField::Employees,
        DataField::Rnd,
        DataField::Land,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DataField::Tax => "税收",
            DataField::ValueAdded => "增加值",
            DataField::Revenue => "营业收入",
            DataField::Energy => "能耗",
            DataField::Emission => "排放当量",
            DataField::Electricity => "用电量",
            DataField::Employees => "从业人员",
            DataField::Rnd => "研发经费",
            DataField::Land => "用地",
        }
    }

    fn index(self) -> usize {
        DataField::ALL
            .iter()
            .position(|f| *f == self)
            .expect("every field is in ALL")
    }
}

/// One enterprise's year: each field, or `None` when not reported.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct YearData([Option<f64>; 9]);

impl YearData {
    pub fn get(&self, f: DataField) -> Option<f64> {
        self.0[f.index()]
    }

    pub fn set(&mut self, f: DataField, v: Option<f64>) {
        self.0[f.index()] = v;
    }

    pub fn with(mut self, f: DataField, v: f64) -> YearData {
        self.set(f, Some(v));
        self
    }
}

/// How an indicator's benchmark is set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Benchmark {
    /// A value the office states.
    Fixed { value: f64 },
    /// `times` the average of the group being scored (e.g. 2× the county average).
    Average { times: f64 },
}

/// An indicator: numerator ÷ denominator, divided by the benchmark (capped), times the weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDef {
    /// 亩均税收, 单位能耗增加值 …
    pub name: String,
    pub numerator: DataField,
    pub denominator: DataField,
    pub weight: f64,
    pub benchmark: Benchmark,
    /// The most value ÷ benchmark counts for (e.g. 2.0), none when uncapped.
    #[serde(default)]
    pub cap: Option<f64>,
}

/// A class and the share of the ranked population, from the top, that it reaches (cumulative
/// percent): A 20, B 60, C 95, D 100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassBand {
    pub class: String,
    pub upto_pct: f64,
}

/// What happens when a field an indicator needs is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The indicator scores 0, with a note saying so.
    #[default]
    Zero,
    /// The enterprise is not graded this year.
    Ungraded,
}

/// Enterprises not graded (utilities, still building, new), managed as a class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exemption {
    /// The reason as enterprises are flagged: 公用事业, 在建, 新办 …
    pub reason: String,
    pub managed_as: String,
}

/// A bonus (positive) or deduction (negative) item applied to the enterprises flagged with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    pub name: String,
    pub points: f64,
}

/// A year's scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    pub year: i32,
    /// 规上 enterprises.
    pub indicators: Vec<IndicatorDef>,
    /// 规下 enterprises; empty means they are not graded.
    #[serde(default)]
    pub small: Vec<IndicatorDef>,
    pub classes: Vec<ClassBand>,
    #[serde(default)]
    pub missing: Missing,
    #[serde(default)]
    pub exempt: Vec<Exemption>,
    #[serde(default)]
    pub adjustments: Vec<Adjustment>,
}

impl Scheme {
    /// Reads a scheme from TOML (the format the README documents) and checks it.
    pub fn from_toml(text: &str) -> Result<Scheme, String> {
        let scheme: Scheme =
            toml::from_str(text).map_err(|e| format!("评价方案格式有误：{}", e.message()))?;
        let problems = scheme.problems();
        if problems.is_empty() {
            Ok(scheme)
        } else {
            Err(problems.join("；"))
        }
    }

    /// Chinese reasons a scheme cannot work; empty when it can.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.indicators.is_empty() {
            out.push("规上企业评价方案至少要有一项指标".to_string());
        }
        for i in self.indicators.iter().chain(&self.small) {
            if !(i.weight.is_finite() && i.weight > 0.0) {
                out.push(format!("指标“{}”的权重应大于0", i.name));
            }
            let bench_ok = match i.benchmark {
                Benchmark::Fixed { value } => value.is_finite() && value > 0.0,
                Benchmark::Average { times } => times.is_finite() && times > 0.0,
            };
            if !bench_ok {
                out.push(format!("指标“{}”的基准值应大于0", i.name));
            }
            if i.cap.is_some_and(|c| !(c.is_finite() && c > 0.0)) {
                out.push(format!("指标“{}”的封顶倍数应大于0", i.name));
            }
        }
        let mut last = 0.0;
        for b in &self.classes {
            if !(b.upto_pct > last && b.upto_pct <= 100.0) {
                out.push(format!(
                    "等级“{}”的累计比例应大于上一等级且不超过100",
                    b.class
                ));
            }
            last = b.upto_pct;
        }
        if self.classes.last().is_none_or(|b| b.upto_pct != 100.0) {
            out.push("最后一个等级的累计比例应为100".to_string());
        }
        out
    }
}

/// An enterprise to score.
#[derive(Debug, Clone, PartialEq)]
pub struct Enterprise {
    /// 规上 (above designated size)?
    pub above_scale: bool,
    /// The exemption reason it is flagged with, if any.
    pub exempt: Option<String>,
    /// Names of the scheme's adjustment items that apply to it.
    pub flags: Vec<String>,
    pub data: YearData,
}

/// How one indicator contributed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IndicatorScore {
    pub name: String,
    /// numerator ÷ denominator, or null when a field is missing.
    pub value: Option<f64>,
    pub benchmark: f64,
    pub weight: f64,
    pub points: f64,
    /// "数据缺失（用地），本项按0分计" …
    pub note: Option<String>,
}

/// One enterprise's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MuResult {
    /// None when not graded (exempt, missing data under `Ungraded`, 规下 without a scheme).
    pub score: Option<f64>,
    pub class: Option<String>,
    /// 1 is best within its group (规上 or 规下); equal scores share a rank.
    pub rank: Option<usize>,
    /// For an exempt enterprise: the class it is managed as.
    pub managed_as: Option<String>,
    pub indicators: Vec<IndicatorScore>,
    /// Bonus and deduction items applied.
    pub adjustments: Vec<(String, f64)>,
    pub note: Option<String>,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// numerator ÷ denominator, or why there is none ("数据缺失（用地）", "用地为0").
#[inline]
fn value_of(def: &IndicatorDef, num: Option<f64>, den: Option<f64>) -> Result<f64, String> {
    match (num, den) {
        (Some(n), Some(d)) if d > 0.0 => Ok(n / d),
        _ => Err(why_no_value(def, num, den)),
    }
}

#[cold]
fn why_no_value(def: &IndicatorDef, num: Option<f64>, den: Option<f64>) -> String {
    if num.is_some() && den.is_some() {
        return format!("{}为0", def.denominator.label());
    }
    let missing: Vec<&str> = [(def.numerator, num), (def.denominator, den)]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(f, _)| f.label())
        .collect();
    format!("数据缺失（{}）", missing.join("、"))
}

/// A sort key ordering scores as `b.total_cmp(&a)` does: high to low, +0.0 before −0.0.
fn descending(v: f64) -> u64 {
    let bits = v.to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    !ascending
}

/// The score a [`descending`] key was made of.
fn score_of(key: u64) -> f64 {
    let ascending = !key;
    f64::from_bits(if ascending >> 63 == 1 {
        ascending & !(1 << 63)
    } else {
        !ascending
    })
}

/// What scoring needs of a scheme, worked out once: per group (0 = 规上 under `indicators`,
/// 1 = 规下 under `small`) its indicators, where each reads its two fields, and its benchmarks.
struct Plan<'a> {
    scheme: &'a Scheme,
    defs: [&'a [IndicatorDef]; 2],
    fields: [Vec<(usize, usize)>; 2],
    benchmarks: [Vec<f64>; 2],
}

impl<'a> Plan<'a> {
    fn new(scheme: &'a Scheme, population: &[Enterprise]) -> Plan<'a> {
        let defs: [&[IndicatorDef]; 2] = [&scheme.indicators, &scheme.small];
        let fields: [Vec<(usize, usize)>; 2] = defs.map(|ds| {
            ds.iter()
                .map(|d| (d.numerator.index(), d.denominator.index()))
                .collect()
        });
        // An average benchmark is over the graded enterprises (not exempt) of the group that
        // have a value, added up in the population's order as a plain sum would.
        let averaged: [Vec<usize>; 2] = defs.map(|ds| {
            (0..ds.len())
                .filter(|&k| matches!(ds[k].benchmark, Benchmark::Average { .. }))
                .collect()
        });
        let mut sums: [Vec<(f64, usize)>; 2] = defs.map(|ds| vec![(-0.0, 0); ds.len()]);
        if averaged.iter().any(|a| !a.is_empty()) {
            for e in population {
                let g = Plan::group(e);
                if e.exempt.is_some() || defs[g].is_empty() {
                    continue;
                }
                for &k in &averaged[g] {
                    let (n, d) = fields[g][k];
                    if let (Some(n), Some(d)) = (e.data.0[n], e.data.0[d])
                        && d > 0.0
                    {
                        let s = &mut sums[g][k];
                        s.0 += n / d;
                        s.1 += 1;
                    }
                }
            }
        }
        let benchmarks = [0, 1].map(|g| {
            defs[g]
                .iter()
                .zip(&sums[g])
                .map(|(d, &(sum, count))| match d.benchmark {
                    Benchmark::Fixed { value } => value,
                    Benchmark::Average { times } if count > 0 => times * sum / count as f64,
                    Benchmark::Average { .. } => 0.0,
                })
                .collect()
        });
        Plan {
            scheme,
            defs,
            fields,
            benchmarks,
        }
    }

    fn group(e: &Enterprise) -> usize {
        usize::from(!e.above_scale)
    }

    /// Indicator `k` of group `g` for `e`: its value (or why none) and its unrounded points.
    #[inline]
    fn indicator(&self, g: usize, k: usize, e: &Enterprise) -> (Result<f64, String>, f64) {
        let d = &self.defs[g][k];
        let (n, dn) = self.fields[g][k];
        let bench = self.benchmarks[g][k];
        let value = value_of(d, e.data.0[n], e.data.0[dn]);
        let points = match value {
            Ok(v) if bench > 0.0 => {
                let ratio = (v / bench).max(0.0);
                d.cap.map_or(ratio, |c| ratio.min(c)) * d.weight
            }
            _ => 0.0,
        };
        (value, points)
    }

    /// The score, or None when the enterprise is not graded.
    fn total(&self, e: &Enterprise) -> Option<f64> {
        let g = Plan::group(e);
        if e.exempt.is_some() || self.defs[g].is_empty() {
            return None;
        }
        let mut total = 0.0;
        for k in 0..self.defs[g].len() {
            let (value, points) = self.indicator(g, k, e);
            if value.is_err() && self.scheme.missing == Missing::Ungraded {
                return None;
            }
            total += points;
        }
        for a in &self.scheme.adjustments {
            if e.flags.contains(&a.name) {
                total += a.points;
            }
        }
        Some(round2(total))
    }

    /// The whole result, with each indicator's explanation, given the place found for it.
    fn result(&self, e: &Enterprise, place: Place) -> MuResult {
        let mut r = MuResult {
            score: None,
            class: None,
            rank: None,
            managed_as: None,
            indicators: Vec::new(),
            adjustments: Vec::new(),
            note: None,
        };
        let g = Plan::group(e);
        if let Some(reason) = &e.exempt {
            let ex = self.scheme.exempt.iter().find(|x| &x.reason == reason);
            r.managed_as = ex.map(|x| x.managed_as.clone());
            r.note = Some(format!("{reason}，不定等级"));
            return r;
        }
        let defs = self.defs[g];
        if defs.is_empty() {
            r.note = Some("规下企业本年度不参与评价".into());
            return r;
        }
        let mut ungraded = None;
        let mut parts = Vec::with_capacity(defs.len());
        for (k, d) in defs.iter().enumerate() {
            let bench = self.benchmarks[g][k];
            let (value, points) = self.indicator(g, k, e);
            let (value, note) = match value {
                Ok(v) if bench > 0.0 => (Some(v), None),
                Ok(v) => (Some(v), Some("基准值为0，本项不计分".to_string())),
                Err(why) => match self.scheme.missing {
                    Missing::Zero => (None, Some(format!("{why}，本项按0分计"))),
                    Missing::Ungraded => {
                        ungraded.get_or_insert(format!("{why}，本年度不定等级"));
                        (None, Some(why))
                    }
                },
            };
            parts.push(IndicatorScore {
                name: d.name.clone(),
                value,
                benchmark: bench,
                weight: d.weight,
                points: round2(points),
                note,
            });
        }
        r.indicators = parts;
        if let Some(why) = ungraded {
            r.note = Some(why);
            return r;
        }
        if !e.flags.is_empty() {
            for a in &self.scheme.adjustments {
                if e.flags.contains(&a.name) {
                    r.adjustments.push((a.name.clone(), a.points));
                }
            }
        }
        // Graded, so ranked: `score` found its place.
        r.score = Some(place.score);
        r.rank = Some(place.rank);
        r.class = self.scheme.classes.get(place.band).map(|b| b.class.clone());
        r
    }
}

/// An enterprise's score, rank and class band in its group; rank 0 when not ranked.
#[derive(Clone, Copy, Default)]
struct Place {
    score: f64,
    rank: usize,
    band: usize,
}

/// Scores the population: each enterprise by its group's indicators, ranked within its group,
/// classed by the scheme's bands. Results are in the population's order.
///
/// Written for large populations (200 000 enterprises in about 60 ms, see `bench/README.md`):
/// the fields each indicator reads are located once and the benchmarks summed in one pass;
/// the scores are found and ranked in compact arrays (sorting integer keys); only then is
/// each result, with its explanation, built once, in the population's order.
pub fn score(scheme: &Scheme, population: &[Enterprise]) -> Vec<MuResult> {
    let plan = Plan::new(scheme, population);

    // Each group's scores, as sort keys: high to low, and ties in the population's order.
    let mut ranked: [Vec<(u64, usize)>; 2] = [Vec::new(), Vec::new()];
    for (i, e) in population.iter().enumerate() {
        if let Some(total) = plan.total(e) {
            ranked[Plan::group(e)].push((descending(total), i));
        }
    }

    // Rank (ties share a rank) and classes by position, in the bands' shares.
    let mut places = vec![Place::default(); population.len()];
    for mut group in ranked {
        group.sort_unstable();
        let n = group.len();
        let bounds: Vec<usize> = scheme
            .classes
            .iter()
            .map(|b| ((b.upto_pct / 100.0) * n as f64).round() as usize)
            .collect();
        let mut rank = 0;
        let mut previous = f64::NAN;
        for (pos, &(key, i)) in group.iter().enumerate() {
            let score = score_of(key);
            // Sorted high to low: a new score starts a new rank at its position.
            if pos == 0 || previous > score {
                rank = pos + 1;
            }
            previous = score;
            let band = bounds
                .iter()
                .position(|&b| pos < b)
                .unwrap_or(bounds.len().saturating_sub(1));
            places[i] = Place { score, rank, band };
        }
    }

    // The results, each built once, in order. Most of the time goes here: every indicator's
    // name is a String of its own (1.4 million allocations for 200 000 enterprises).
    population
        .iter()
        .zip(places)
        .map(|(e, place)| plan.result(e, place))
        .collect()
}

/// How many of the `n` ranked enterprises each band holds, as [`score`] assigns them.
pub fn band_sizes(scheme: &Scheme, n: usize) -> Vec<usize> {
    let mut last = 0;
    scheme
        .classes
        .iter()
        .map(|b| {
            let upto = ((b.upto_pct / 100.0) * n as f64).round() as usize;
            let size = upto.saturating_sub(last);
            last = upto.max(last);
            size
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use DataField::*;
    use proptest::prelude::*;

    const SCHEME: &str = r#"
year = 2024
missing = "zero"

[[indicators]]
name = "亩均税收"
numerator = "tax"
denominator = "land"
weight = 60
benchmark = { kind = "fixed", value = 100000 }
cap = 2.0

[[indicators]]
name = "单位能耗增加值"
numerator = "value_added"
denominator = "energy"
weight = 40
benchmark = { kind = "average", times = 1.0 }

[[small]]
name = "亩均税收"
numerator = "tax"
denominator = "land"
weight = 100
benchmark = { kind = "fixed", value = 50000 }

[[classes]]
class = "A"
upto_pct = 20
[[classes]]
class = "B"
upto_pct = 60
[[classes]]
class = "C"
upto_pct = 95
[[classes]]
class = "D"
upto_pct = 100

[[exempt]]
reason = "在建"
managed_as = "B"

[[adjustments]]
name = "省级以上研发机构"
points = 3
"#;

    fn firm(tax: f64, land: f64, va: f64, energy: f64) -> Enterprise {
        Enterprise {
            above_scale: true,
            exempt: None,
            flags: vec![],
            data: YearData::default()
                .with(Tax, tax)
                .with(Land, land)
                .with(ValueAdded, va)
                .with(Energy, energy),
        }
    }

    /// `score` as first written, one enterprise and one indicator at a time: the optimised
    /// `score` must give exactly its results.
    fn reference(scheme: &Scheme, population: &[Enterprise]) -> Vec<MuResult> {
        let value = |d: &IndicatorDef, data: &YearData| {
            value_of(d, data.get(d.numerator), data.get(d.denominator))
        };
        let mut results: Vec<MuResult> = population
            .iter()
            .map(|_| MuResult {
                score: None,
                class: None,
                rank: None,
                managed_as: None,
                indicators: Vec::new(),
                adjustments: Vec::new(),
                note: None,
            })
            .collect();
        for above in [true, false] {
            let defs = if above {
                &scheme.indicators
            } else {
                &scheme.small
            };
            let group: Vec<usize> = (0..population.len())
                .filter(|&i| population[i].above_scale == above)
                .collect();
            let mut graded: Vec<usize> = Vec::new();
            for &i in &group {
                let e = &population[i];
                if let Some(reason) = &e.exempt {
                    let ex = scheme.exempt.iter().find(|x| &x.reason == reason);
                    results[i].managed_as = ex.map(|x| x.managed_as.clone());
                    results[i].note = Some(format!("{reason}，不定等级"));
                } else if defs.is_empty() {
                    results[i].note = Some("规下企业本年度不参与评价".into());
                } else {
                    graded.push(i);
                }
            }
            let benchmarks: Vec<f64> = defs
                .iter()
                .map(|d| match d.benchmark {
                    Benchmark::Fixed { value } => value,
                    Benchmark::Average { times } => {
                        let values: Vec<f64> = graded
                            .iter()
                            .filter_map(|&i| value(d, &population[i].data).ok())
                            .collect();
                        if values.is_empty() {
                            0.0
                        } else {
                            times * values.iter().sum::<f64>() / values.len() as f64
                        }
                    }
                })
                .collect();
            let mut scored: Vec<(usize, f64)> = Vec::new();
            for &i in &graded {
                let e = &population[i];
                let mut total = 0.0;
                let mut ungraded = None;
                let mut parts = Vec::new();
                for (d, &bench) in defs.iter().zip(&benchmarks) {
                    let (value, points, note) = match value(d, &e.data) {
                        Ok(v) if bench > 0.0 => {
                            let ratio = (v / bench).max(0.0);
                            let ratio = d.cap.map_or(ratio, |c| ratio.min(c));
                            (Some(v), ratio * d.weight, None)
                        }
                        Ok(v) => (Some(v), 0.0, Some("基准值为0，本项不计分".to_string())),
                        Err(why) => match scheme.missing {
                            Missing::Zero => (None, 0.0, Some(format!("{why}，本项按0分计"))),
                            Missing::Ungraded => {
                                ungraded.get_or_insert(format!("{why}，本年度不定等级"));
                                (None, 0.0, Some(why))
                            }
                        },
                    };
                    total += points;
                    parts.push(IndicatorScore {
                        name: d.name.clone(),
                        value,
                        benchmark: bench,
                        weight: d.weight,
                        points: round2(points),
                        note,
                    });
                }
                let r = &mut results[i];
                r.indicators = parts;
                if let Some(why) = ungraded {
                    r.note = Some(why);
                    continue;
                }
                for a in &scheme.adjustments {
                    if e.flags.contains(&a.name) {
                        total += a.points;
                        r.adjustments.push((a.name.clone(), a.points));
                    }
                }
                let total = round2(total);
                r.score = Some(total);
                scored.push((i, total));
            }
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let n = scored.len();
            let bounds: Vec<usize> = scheme
                .classes
                .iter()
                .map(|b| ((b.upto_pct / 100.0) * n as f64).round() as usize)
                .collect();
            let mut rank = 0;
            for (pos, &(i, total)) in scored.iter().enumerate() {
                if pos == 0 || scored[pos - 1].1 > total {
                    rank = pos + 1;
                }
                let band = bounds
                    .iter()
                    .position(|&b| pos < b)
                    .unwrap_or(bounds.len().saturating_sub(1));
                results[i].rank = Some(rank);
                results[i].class = scheme.classes.get(band).map(|b| b.class.clone());
            }
        }
        results
    }

    /// Figures as registers hold them, and the awkward ones: 0, −0, negative, tiny, missing.
    fn figure() -> impl Strategy<Value = Option<f64>> {
        prop_oneof![
            3 => (0.0..2e6f64).prop_map(Some),
            1 => prop::sample::select(vec![0.0, -0.0, -5.0, 1e-9, 1.0, 100.0]).prop_map(Some),
            1 => Just(None),
        ]
    }

    fn enterprise() -> impl Strategy<Value = Enterprise> {
        (
            prop::bool::weighted(0.75),
            prop::sample::select(vec![None, None, None, None, Some("在建"), Some("未列明")]),
            prop::sample::subsequence(vec!["省级以上研发机构", "安全生产事故"], 0..=2),
            prop::collection::vec(figure(), 9),
        )
            .prop_map(|(above, exempt, flags, figures)| {
                let mut data = YearData::default();
                for (f, v) in DataField::ALL.into_iter().zip(figures) {
                    data.set(f, v);
                }
                Enterprise {
                    above_scale: above,
                    exempt: exempt.map(str::to_string),
                    flags: flags.into_iter().map(str::to_string).collect(),
                    data,
                }
            })
    }

    /// The test scheme under either missing rule, its first indicator fixed or averaged, with
    /// or without a 规下 scheme.
    fn scheme() -> impl Strategy<Value = Scheme> {
        (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(ungraded, average, small)| {
            let mut s = Scheme::from_toml(SCHEME).unwrap();
            if ungraded {
                s.missing = Missing::Ungraded;
            }
            if average {
                s.indicators[0].benchmark = Benchmark::Average { times: 1.5 };
            }
            if !small {
                s.small.clear();
            }
            s.adjustments.push(Adjustment {
                name: "安全生产事故".into(),
                points: -5.0,
            });
            s
        })
    }

    #[test]
    fn a_large_population_with_many_ties_is_scored_as_the_reference_does() {
        // The same figures recur: many equal scores, in both groups, across every band.
        let scheme = Scheme::from_toml(SCHEME).unwrap();
        let pop: Vec<Enterprise> = (0..25_001)
            .map(|i| {
                let mut e = firm(
                    (i % 97) as f64 * 31_000.0,
                    (1 + i % 13) as f64,
                    (i % 89) as f64 * 1e5,
                    (1 + i % 7) as f64 * 10.0,
                );
                e.above_scale = i % 4 != 0;
                e.exempt = (i % 50 == 0).then(|| "在建".to_string());
                if i % 30 == 0 {
                    e.data.set(Energy, None);
                }
                if i % 20 == 0 {
                    e.flags.push("省级以上研发机构".into());
                }
                e
            })
            .collect();
        for missing in [Missing::Zero, Missing::Ungraded] {
            let scheme = Scheme {
                missing,
                ..scheme.clone()
            };
            let (got, want) = (score(&scheme, &pop), reference(&scheme, &pop));
            assert!(got == want, "{missing:?}");
        }
    }

    #[test]
    fn a_hand_computed_worked_example() {
        let scheme = Scheme::from_toml(SCHEME).unwrap();
        // 亩均税收: 3,000,000 ÷ 20亩 = 150,000 → 1.5 × 60 = 90.
        // 单位能耗增加值: values 20,000 and 10,000 (average 15,000):
        //   first 20,000 ÷ 15,000 × 40 = 53.33, second 10,000 ÷ 15,000 × 40 = 26.67.
        // The second: 亩均税收 1,000,000 ÷ 20 = 50,000 → 0.5 × 60 = 30, plus 3 bonus.
        let mut second = firm(1_000_000.0, 20.0, 10_000_000.0, 1000.0);
        second.flags.push("省级以上研发机构".into());
        let pop = vec![firm(3_000_000.0, 20.0, 20_000_000.0, 1000.0), second];
        let r = score(&scheme, &pop);
        assert_eq!(r[0].indicators[0].points, 90.0);
        assert_eq!(r[0].indicators[1].points, 53.33);
        assert_eq!(r[0].score, Some(143.33));
        assert_eq!(r[1].score, Some(59.67));
        assert_eq!(r[1].adjustments, [("省级以上研发机构".to_string(), 3.0)]);
        assert_eq!((r[0].rank, r[1].rank), (Some(1), Some(2)));
        // Two ranked: A gets round(0.4) = 0, B round(1.2) = 1 … the top one is B, the next C.
        assert_eq!(r[0].class.as_deref(), Some("B"));
        assert_eq!(r[1].class.as_deref(), Some("C"));
    }

    #[test]
    fn missing_data_is_said_and_exempt_firms_are_managed_not_ranked() {
        let scheme = Scheme::from_toml(SCHEME).unwrap();
        let mut no_land = firm(1_000_000.0, 20.0, 1.0, 1.0);
        no_land.data.set(Land, None);
        let mut building = firm(0.0, 10.0, 0.0, 1.0);
        building.exempt = Some("在建".into());
        let small = Enterprise {
            above_scale: false,
            ..firm(100_000.0, 4.0, 0.0, 1.0)
        };
        let r = score(&scheme, &[no_land, building, small]);
        assert_eq!(
            r[0].indicators[0].note.as_deref(),
            Some("数据缺失（用地），本项按0分计")
        );
        assert!(r[0].score.is_some());
        assert_eq!(
            (r[1].rank, r[1].class.as_deref(), r[1].managed_as.as_deref()),
            (None, None, Some("B"))
        );
        // 规下: 100,000 ÷ 4 = 25,000 → 0.5 × 100.
        assert_eq!(r[2].score, Some(50.0));

        let strict = Scheme {
            missing: Missing::Ungraded,
            ..scheme
        };
        let mut no_energy = firm(1.0, 1.0, 1.0, 1.0);
        no_energy.data.set(Energy, None);
        let r = score(&strict, &[no_energy]);
        assert_eq!((r[0].score, r[0].class.as_deref()), (None, None));
        assert!(r[0].note.as_deref().unwrap().contains("能耗"));
    }

    #[test]
    fn equal_scores_share_a_rank() {
        let scheme = Scheme::from_toml(SCHEME).unwrap();
        let pop = vec![
            firm(1_000_000.0, 10.0, 1.0, 1.0),
            firm(2_000_000.0, 10.0, 1.0, 1.0),
            firm(1_000_000.0, 10.0, 1.0, 1.0),
        ];
        let ranks: Vec<Option<usize>> = score(&scheme, &pop).iter().map(|r| r.rank).collect();
        assert_eq!(ranks, [Some(2), Some(1), Some(2)]);
    }

    #[test]
    fn a_scheme_that_cannot_work_is_refused_in_chinese() {
        let bad = SCHEME
            .replace("upto_pct = 100", "upto_pct = 90")
            .replace("weight = 40", "weight = 0");
        let err = Scheme::from_toml(&bad).unwrap_err();
        assert!(
            err.contains("权重应大于0") && err.contains("累计比例应为100"),
            "{err}"
        );
        assert!(
            Scheme::from_toml("year = ")
                .unwrap_err()
                .starts_with("评价方案格式有误")
        );
    }

    fn population() -> impl Strategy<Value = Vec<(f64, f64, f64, f64, bool)>> {
        prop::collection::vec(
            (
                0.0..5e6f64,
                1.0..200.0f64,
                0.0..5e7f64,
                1.0..5e4f64,
                prop::bool::weighted(0.1),
            ),
            1..60,
        )
    }

    fn build(rows: &[(f64, f64, f64, f64, bool)]) -> Vec<Enterprise> {
        rows.iter()
            .map(|&(t, l, v, e, exempt)| Enterprise {
                exempt: exempt.then(|| "在建".to_string()),
                ..firm(t, l, v, e)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn raising_an_enterprises_tax_never_lowers_its_score(rows in population(), who in 0usize..60, extra in 0.0..1e6f64) {
            let scheme = Scheme::from_toml(SCHEME).unwrap();
            let pop = build(&rows);
            let who = who % pop.len();
            let before = score(&scheme, &pop)[who].score;
            let mut richer = pop.clone();
            let tax = richer[who].data.get(Tax).unwrap();
            richer[who].data.set(Tax, Some(tax + extra));
            let after = score(&scheme, &richer)[who].score;
            if let (Some(b), Some(a)) = (before, after) {
                prop_assert!(a >= b - 0.01, "{b} → {a}");
            }
        }

        #[test]
        fn classes_partition_the_scored_population_in_the_configured_shares(rows in population()) {
            let scheme = Scheme::from_toml(SCHEME).unwrap();
            let pop = build(&rows);
            let r = score(&scheme, &pop);
            let ranked = r.iter().filter(|x| x.rank.is_some()).count();
            let sizes = band_sizes(&scheme, ranked);
            for (band, size) in scheme.classes.iter().zip(sizes) {
                let got = r.iter().filter(|x| x.class.as_deref() == Some(band.class.as_str())).count();
                prop_assert_eq!(got, size, "class {}", band.class);
            }
            // Exempt enterprises are never ranked nor classed.
            for (e, x) in pop.iter().zip(&r) {
                if e.exempt.is_some() {
                    prop_assert!(x.rank.is_none() && x.class.is_none() && x.managed_as.is_some());
                }
            }
        }

        #[test]
        fn the_fast_scoring_gives_exactly_the_reference_results(pop in prop::collection::vec(enterprise(), 0..80), scheme in scheme()) {
            // Compared as text, so that −0.0 counts too.
            prop_assert_eq!(format!("{:?}", score(&scheme, &pop)), format!("{:?}", reference(&scheme, &pop)));
        }
    }
}
