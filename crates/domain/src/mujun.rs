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

    /// Its place in [`DataField::ALL`] and in [`YearData`] (the order they are declared in).
    fn index(self) -> usize {
        self as usize
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

/// `(v × 100).round() ÷ 100`: to 2 decimals, halves away from zero.
fn round2(v: f64) -> f64 {
    round(v * 100.0) / 100.0
}

/// `f64::round` — halves away from zero, the sign of a zero kept — in plain arithmetic and
/// masks, so that it inlines and vectorises: on the baseline x86-64 target (no SSE4.1)
/// `f64::round` is a call into libm. Exact: below 2^52, adding and taking away 2^52 rounds
/// |x| to the nearest whole number, ties to even, every step exact; a tie that went down is
/// put up again. From 2^52 on every float is whole already, and 0 is added and taken away
/// instead (±∞ stay as they are, NaN stays NaN).
#[inline]
fn round(x: f64) -> f64 {
    const WHOLE: f64 = 4_503_599_627_370_496.0; // 2^52
    let a = x.abs();
    let shift = if a < WHOLE { WHOLE } else { 0.0 };
    let even = (a + shift) - shift;
    let up = if a - even == 0.5 { 1.0 } else { 0.0 };
    (even + up).copysign(x)
}

/// Why an indicator has no value for an enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoValue {
    /// The numerator's figure is not reported.
    NumeratorMissing,
    /// The denominator's figure is not reported.
    DenominatorMissing,
    /// Neither figure is reported.
    BothMissing,
    /// Both are reported, but the denominator is not above 0.
    DenominatorNotPositive,
}

impl NoValue {
    /// What the explanation says: "数据缺失（用地）", "数据缺失（税收、用地）", "用地为0".
    pub fn describe(self, def: &IndicatorDef) -> String {
        let (n, d) = (def.numerator.label(), def.denominator.label());
        match self {
            NoValue::NumeratorMissing => format!("数据缺失（{n}）"),
            NoValue::DenominatorMissing => format!("数据缺失（{d}）"),
            NoValue::BothMissing => format!("数据缺失（{n}、{d}）"),
            NoValue::DenominatorNotPositive => format!("{d}为0"),
        }
    }
}

/// Why numerator ÷ denominator has no value, if it has none (for the tests' reference).
#[cfg(test)]
fn no_value(num: Option<f64>, den: Option<f64>) -> Option<NoValue> {
    match (num, den) {
        (Some(_), Some(d)) if d > 0.0 => None,
        (Some(_), Some(_)) => Some(NoValue::DenominatorNotPositive),
        (None, Some(_)) => Some(NoValue::NumeratorMissing),
        (Some(_), None) => Some(NoValue::DenominatorMissing),
        (None, None) => Some(NoValue::BothMissing),
    }
}

/// numerator ÷ denominator, or why there is none (for the tests' reference).
#[cfg(test)]
fn value(num: Option<f64>, den: Option<f64>) -> Result<f64, NoValue> {
    match (num, den, no_value(num, den)) {
        (Some(n), Some(d), None) => Ok(n / d),
        (.., why) => Err(why.expect("no value without a reason")),
    }
}

/// numerator ÷ denominator, or why there is none in words (for the tests' reference).
#[cfg(test)]
fn value_of(def: &IndicatorDef, num: Option<f64>, den: Option<f64>) -> Result<f64, String> {
    value(num, den).map_err(|why| why.describe(def))
}

/// The scheme's bonus and deduction items an enterprise is flagged with, in the scheme's
/// order (an item listed twice counts twice), with their positions in `scheme.adjustments`.
fn applied<'a>(
    scheme: &'a Scheme,
    e: &'a Enterprise,
) -> impl Iterator<Item = (usize, &'a Adjustment)> {
    scheme
        .adjustments
        .iter()
        .enumerate()
        .filter(|(_, a)| e.flags.contains(&a.name))
}

/// The group an enterprise is scored in, ranked in and classed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// 规上, under [`Scheme::indicators`].
    Above,
    /// 规下, under [`Scheme::small`].
    Small,
}

impl Group {
    pub fn of(e: &Enterprise) -> Group {
        if e.above_scale {
            Group::Above
        } else {
            Group::Small
        }
    }

    /// The indicators the group is scored by (none: not assessed).
    pub fn indicators(self, scheme: &Scheme) -> &[IndicatorDef] {
        match self {
            Group::Above => &scheme.indicators,
            Group::Small => &scheme.small,
        }
    }

    fn index(self) -> usize {
        match self {
            Group::Above => 0,
            Group::Small => 1,
        }
    }
}

/// What became of an enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standing {
    /// Scored, ranked and classed.
    Graded,
    /// A value is missing under [`Missing::Ungraded`]: its indicators are worked out, but it
    /// has no score, rank or class.
    Ungraded,
    /// Flagged with an exemption: not scored; managed as the exemption's class when the
    /// scheme lists the reason.
    Exempt,
    /// Its group has no indicators (规下 without a 规下 scheme): not scored.
    NotAssessed,
}

/// The bits of −0.0.
const NEGATIVE_ZERO: u64 = 1 << 63;

/// "None" in the table's index columns.
const NONE: u32 = u32::MAX;

/// The whole population scored, as columns: what [`score`] says of every enterprise, as
/// numbers and indices into the scheme — no text, nothing allocated per enterprise. The
/// explanation of any one enterprise is [`ScoreTable::result`].
///
/// Rows are in the population's order. Each enterprise has a row of [`ScoreTable::stride`]
/// indicator slots, of which the first as many as its group has indicators are used.
///
/// A table can be scored into again ([`score_table_into`]): it then keeps its memory, and the
/// working space of the scoring with it. That working space is not part of what the table
/// says: two tables are equal (`==`, `Debug`) when their columns are.
#[derive(Clone, Default)]
pub struct ScoreTable {
    width: [usize; 2],
    stride: usize,
    group: Vec<Group>,
    standing: Vec<Standing>,
    /// The score where graded (0 elsewhere).
    score: Vec<f64>,
    /// 1 is best within the group; 0 when not ranked.
    rank: Vec<u32>,
    /// Index into `scheme.classes`, or NONE.
    class: Vec<u32>,
    /// Index into `scheme.exempt`, or NONE.
    managed_as: Vec<u32>,
    /// n × stride: the indicator's value where `why` is None (0 elsewhere).
    values: Vec<f64>,
    /// n × stride: why the indicator has no value.
    why: Vec<Option<NoValue>>,
    /// n × stride: the indicator's points, rounded to 2 decimals (0 where not scored).
    points: Vec<f64>,
    /// Per group, each indicator's benchmark.
    benchmarks: [Vec<f64>; 2],
    /// Kept between calls of [`score_table_into`], so that scoring again allocates nothing.
    scratch: Scratch,
}

/// The working space of [`score_table_into`]: what it needs on the way and does not hand back.
#[derive(Clone, Default)]
struct Scratch {
    /// (enterprise, adjustment) in order, for the few enterprises flagged.
    adjusted: Vec<(u32, u32)>,
    /// Per group, the graded enterprises and their keys, and the counting sort's buckets.
    ranked: [Ranked; 2],
    /// The enterprises as columns, for [`score_table_into`].
    population: Population,
}

impl ScoreTable {
    /// An empty table, to be scored into with [`score_table_into`].
    pub fn new() -> ScoreTable {
        ScoreTable::default()
    }
}

/// A population laid out as columns, as a data frame holds it: one column of figures per
/// field, and whether each is reported; each enterprise's group, exemption and flags — to be
/// scored by [`score_columns_into`], as often as the scheme or the caller likes, without
/// reading the enterprises again (a 200-byte [`Enterprise`] record is read whole; scoring
/// reads only the columns it divides). Built from `&[Enterprise]`
/// ([`Population::from_enterprises`], or [`Population::fill`] to reuse one's memory).
#[derive(Clone, Default)]
pub struct Population {
    len: usize,
    above: Vec<bool>,
    /// Index into `reasons`, or NONE when not exempt.
    exempt: Vec<u32>,
    /// The exemption reasons enterprises are flagged with, each once.
    reasons: Vec<String>,
    /// Per field (in [`DataField::ALL`]'s order), each enterprise's figure, 0 where it is not
    /// reported (`missing` says which); past the last enterprise, 0 up to a whole number of
    /// [`BLOCK`]s.
    figures: [Vec<f64>; 9],
    /// Per enterprise, bit `f` set where field `f` is not reported (padded as `figures`, every
    /// bit set).
    missing: Vec<u16>,
    /// (enterprise, flag) for each flag of each enterprise, in order; the flag as an index into
    /// `flag_names`.
    flags: Vec<(u32, u32)>,
    /// The flags enterprises carry, each once.
    flag_names: Vec<String>,
}

impl Population {
    /// No enterprises.
    pub fn new() -> Population {
        Population::default()
    }

    /// The enterprises as columns.
    pub fn from_enterprises(population: &[Enterprise]) -> Population {
        let mut columns = Population::new();
        columns.fill(population);
        columns
    }

    /// The enterprises as columns, replacing what it held, its memory kept.
    pub fn fill(&mut self, population: &[Enterprise]) {
        let n = population.len();
        let padded = n.div_ceil(BLOCK) * BLOCK;
        self.len = n;
        refill(&mut self.above, n, false);
        refill(&mut self.exempt, n, NONE);
        refill(&mut self.missing, padded, u16::MAX);
        for column in &mut self.figures {
            refill(column, padded, 0.0);
        }
        self.reasons.clear();
        self.flags.clear();
        self.flag_names.clear();
        let mut reasons = Names::default();
        let mut flag_names = Names::default();
        for (i, e) in population.iter().enumerate() {
            self.above[i] = e.above_scale;
            self.exempt[i] = match &e.exempt {
                Some(reason) => reasons.index(&mut self.reasons, reason),
                None => NONE,
            };
            let mut missing = 0;
            for (f, figure) in e.data.0.iter().enumerate() {
                self.figures[f][i] = figure.unwrap_or(0.0);
                missing |= u16::from(figure.is_none()) << f;
            }
            self.missing[i] = missing;
            for flag in &e.flags {
                let f = flag_names.index(&mut self.flag_names, flag);
                self.flags.push((i as u32, f));
            }
        }
        for column in &mut self.figures {
            column[n..].fill(0.0);
        }
        self.missing[n..].fill(u16::MAX);
    }

    /// Enterprises.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The index of a flag in `flag_names`, if any enterprise carries it.
    fn flag_index(&self, name: &str) -> Option<u32> {
        self.flag_names
            .iter()
            .position(|f| f == name)
            .map(|f| f as u32)
    }
}

/// Names given indices in the order first seen: a look-up by hash once there are many.
#[derive(Default)]
struct Names {
    by_name: std::collections::HashMap<String, u32>,
}

impl Names {
    /// `name`'s index in `names`, appended if new.
    fn index(&mut self, names: &mut Vec<String>, name: &str) -> u32 {
        const FEW: usize = 16;
        if names.len() <= FEW {
            if let Some(i) = names.iter().position(|x| x == name) {
                return i as u32;
            }
        } else if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        names.push(name.to_string());
        if names.len() > FEW {
            if self.by_name.is_empty() {
                self.by_name = names.iter().cloned().zip(0..).collect();
            } else {
                self.by_name
                    .insert(name.to_string(), names.len() as u32 - 1);
            }
        }
        names.len() as u32 - 1
    }
}

impl PartialEq for ScoreTable {
    /// The columns (not the working space).
    fn eq(&self, other: &ScoreTable) -> bool {
        self.width == other.width
            && self.stride == other.stride
            && self.group == other.group
            && self.standing == other.standing
            && self.score == other.score
            && self.rank == other.rank
            && self.class == other.class
            && self.managed_as == other.managed_as
            && self.values == other.values
            && self.why == other.why
            && self.points == other.points
            && self.benchmarks == other.benchmarks
    }
}

impl std::fmt::Debug for ScoreTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScoreTable")
            .field("width", &self.width)
            .field("stride", &self.stride)
            .field("group", &self.group)
            .field("standing", &self.standing)
            .field("score", &self.score)
            .field("rank", &self.rank)
            .field("class", &self.class)
            .field("managed_as", &self.managed_as)
            .field("values", &self.values)
            .field("why", &self.why)
            .field("points", &self.points)
            .field("benchmarks", &self.benchmarks)
            .finish()
    }
}

impl ScoreTable {
    /// Enterprises scored.
    pub fn len(&self) -> usize {
        self.group.len()
    }

    pub fn is_empty(&self) -> bool {
        self.group.is_empty()
    }

    /// Indicator slots per row: the larger group's number of indicators (at least 1).
    pub fn stride(&self) -> usize {
        self.stride
    }

    pub fn group(&self, i: usize) -> Group {
        self.group[i]
    }

    pub fn standing(&self, i: usize) -> Standing {
        self.standing[i]
    }

    /// The score, None when not graded.
    pub fn score(&self, i: usize) -> Option<f64> {
        (self.standing[i] == Standing::Graded).then(|| self.score[i])
    }

    /// 1 is best within the group; equal scores share a rank. None when not graded.
    pub fn rank(&self, i: usize) -> Option<usize> {
        (self.rank[i] != 0).then(|| self.rank[i] as usize)
    }

    /// The class, as an index into `scheme.classes`; None when not graded.
    pub fn class(&self, i: usize) -> Option<usize> {
        (self.class[i] != NONE).then(|| self.class[i] as usize)
    }

    /// For an exempt enterprise whose reason the scheme lists: the exemption, as an index
    /// into `scheme.exempt` (its `managed_as` is the class it is managed as).
    pub fn managed_as(&self, i: usize) -> Option<usize> {
        (self.managed_as[i] != NONE).then(|| self.managed_as[i] as usize)
    }

    /// The slots of enterprise `i`'s row its indicators use: none when it is not scored.
    fn row(&self, i: usize) -> std::ops::Range<usize> {
        let used = match self.standing[i] {
            Standing::Graded | Standing::Ungraded => self.width[self.group[i].index()],
            Standing::Exempt | Standing::NotAssessed => 0,
        };
        i * self.stride..i * self.stride + used
    }

    /// Each of its group's indicators' points, rounded to 2 decimals as shown; empty when it
    /// is not scored (exempt, or its group has no indicators). The score is summed from the
    /// unrounded points.
    pub fn points(&self, i: usize) -> &[f64] {
        &self.points[self.row(i)]
    }

    /// Indicator `k`'s value, or why there is none. Only for indicators of [`Self::points`].
    pub fn value(&self, i: usize, k: usize) -> Result<f64, NoValue> {
        let at = self.row(i).nth(k).expect("an indicator of its group");
        self.why[at].map_or(Ok(self.values[at]), Err)
    }

    /// The points of all rows, n × [`Self::stride`], 0 in unused slots.
    pub fn points_matrix(&self) -> &[f64] {
        &self.points
    }

    /// Each of the group's indicators' benchmark, as applied.
    pub fn benchmarks(&self, group: Group) -> &[f64] {
        &self.benchmarks[group.index()]
    }

    /// Enterprise `i`'s result with every indicator explained, exactly as [`score`] gives it.
    /// `scheme` and `population` are those the table was scored from.
    pub fn result(&self, scheme: &Scheme, population: &[Enterprise], i: usize) -> MuResult {
        let e = &population[i];
        let mut r = MuResult {
            score: None,
            class: None,
            rank: None,
            managed_as: None,
            indicators: Vec::new(),
            adjustments: Vec::new(),
            note: None,
        };
        let standing = self.standing[i];
        match standing {
            Standing::Exempt => {
                r.managed_as = self
                    .managed_as(i)
                    .map(|x| scheme.exempt[x].managed_as.clone());
                let reason = e.exempt.as_deref().unwrap_or_default();
                r.note = Some(format!("{reason}，不定等级"));
                return r;
            }
            Standing::NotAssessed => {
                r.note = Some("规下企业本年度不参与评价".into());
                return r;
            }
            Standing::Graded | Standing::Ungraded => {}
        }
        let g = self.group[i];
        let defs = g.indicators(scheme);
        let benchmarks = &self.benchmarks[g.index()];
        let at = i * self.stride;
        let mut first_missing = None;
        let mut parts = Vec::with_capacity(defs.len());
        for (k, d) in defs.iter().enumerate() {
            let bench = benchmarks[k];
            let (value, note) = match self.why[at + k] {
                None if bench > 0.0 => (Some(self.values[at + k]), None),
                None => (
                    Some(self.values[at + k]),
                    Some("基准值为0，本项不计分".to_string()),
                ),
                // Missing under `Missing::Ungraded`: said once more in the result's note.
                Some(why) if standing == Standing::Ungraded => {
                    first_missing.get_or_insert((why, d));
                    (None, Some(why.describe(d)))
                }
                // Missing and still graded: under `Missing::Zero`.
                Some(why) => (None, Some(format!("{}，本项按0分计", why.describe(d)))),
            };
            parts.push(IndicatorScore {
                name: d.name.clone(),
                value,
                benchmark: bench,
                weight: d.weight,
                points: self.points[at + k],
                note,
            });
        }
        r.indicators = parts;
        if let Some((why, d)) = first_missing {
            r.note = Some(format!("{}，本年度不定等级", why.describe(d)));
            return r;
        }
        if !e.flags.is_empty() {
            r.adjustments = applied(scheme, e)
                .map(|(_, a)| (a.name.clone(), a.points))
                .collect();
        }
        r.score = Some(self.score[i]);
        r.rank = self.rank(i);
        r.class = self.class(i).map(|c| scheme.classes[c].class.clone());
        r
    }
}

/// A group's indicators laid out over the slots of a row (the stride), `C` slots at a time:
/// for each slot, the fields it divides, whether it is one of the group's indicators at all
/// (the slots past them read nothing and score nothing), whether its benchmark is an average;
/// and, once the benchmarks are known, how it scores.
#[derive(Clone, Copy)]
struct Slots<const C: usize> {
    num: [DataField; C],
    den: [DataField; C],
    used: [bool; C],
    /// A benchmark above 0: the indicator scores.
    live: [bool; C],
    /// All ones where `live`, else 0: the bits of its points kept.
    keep: [u64; C],
    benchmark: [f64; C],
    /// ∞ when uncapped.
    cap: [f64; C],
    weight: [f64; C],
}

impl<const C: usize> Slots<C> {
    /// Whether each scoring slot (benchmark above 0) gives +0.0 points for a value of +0.0:
    /// +0.0 ÷ a benchmark above 0 is +0.0, `max(0.0)` keeps it, `min(cap)` too when the cap is
    /// above 0 (or none: ∞), and +0.0 × a finite weight above 0 is +0.0. Always so for a scheme
    /// that [`Scheme::problems`] passes; a scheme not checked may have a weight of ∞ (+0.0 × ∞
    /// is NaN), below 0 (−0.0) or a cap below 0.
    fn zero_scores_zero(&self) -> bool {
        (0..C).all(|k| {
            !self.live[k]
                || (self.weight[k].is_finite() && self.weight[k] > 0.0 && self.cap[k] > 0.0)
        })
    }

    /// The chunks of a row of `stride` slots.
    fn new(defs: &[IndicatorDef], stride: usize) -> Vec<Slots<C>> {
        (0..stride)
            .step_by(C)
            .map(|c| {
                let mut s = Slots {
                    num: [DataField::Tax; C],
                    den: [DataField::Tax; C],
                    used: [false; C],
                    live: [false; C],
                    keep: [0; C],
                    benchmark: [1.0; C],
                    cap: [f64::INFINITY; C],
                    weight: [0.0; C],
                };
                for (k, d) in defs.iter().skip(c).take(C).enumerate() {
                    s.num[k] = d.numerator;
                    s.den[k] = d.denominator;
                    s.used[k] = true;
                }
                s
            })
            .collect()
    }
}

/// The most slots of a row handled together, in fixed-size buffers the compiler keeps in
/// registers (rows of up to `CHUNK` slots are one chunk of exactly their stride).
const CHUNK: usize = 8;

/// Rows handled together in steps 1 and 2, each block finished while it is in cache. The
/// columns of a [`Population`]'s figures are as long as a whole number of blocks.
const BLOCK: usize = 1024;

/// The figures of a block's rows that a slot divides: numerator and denominator as columns of
/// the block (a slot that reads nothing divides a column of 0 by a column of 1), and the bits
/// of [`Population::missing`] that say whether each is reported (none for a slot that reads
/// nothing).
#[derive(Clone, Copy)]
struct Reads<'a, const C: usize> {
    num: [&'a [f64; BLOCK]; C],
    den: [&'a [f64; BLOCK]; C],
    num_bit: [u16; C],
    den_bit: [u16; C],
}

static ZEROS: [f64; BLOCK] = [0.0; BLOCK];
static ONES: [f64; BLOCK] = [1.0; BLOCK];

impl<'a, const C: usize> Reads<'a, C> {
    /// A row that reads nothing: no value is missing, and each slot is +0.0 (0 ÷ 1).
    fn nothing() -> Reads<'static, C> {
        Reads {
            num: [&ZEROS; C],
            den: [&ONES; C],
            num_bit: [0; C],
            den_bit: [0; C],
        }
    }

    /// What the slots of `s` read in the block of rows from `start` on.
    fn of(s: &Slots<C>, population: &'a Population, start: usize) -> Reads<'a, C> {
        let mut r = Reads::nothing();
        let column = |f: DataField| -> &'a [f64; BLOCK] {
            population.figures[f.index()][start..start + BLOCK]
                .try_into()
                .expect("figures padded to whole blocks")
        };
        for k in 0..C {
            if s.used[k] {
                r.num[k] = column(s.num[k]);
                r.den[k] = column(s.den[k]);
                r.num_bit[k] = 1 << s.num[k].index();
                r.den_bit[k] = 1 << s.den[k].index();
            }
        }
        r
    }
}

/// Scores the population as columns: each enterprise by its group's indicators, ranked
/// within its group, classed by the scheme's bands — what [`score`] returns, without the
/// text. The rules of scoring are all in [`score_columns_into`]; [`ScoreTable::result`] only
/// puts them in words.
///
/// This is [`score_table_into`] into a new table. A caller that scores again and again (a
/// server re-scoring as figures come in) can keep one table and score into it instead.
pub fn score_table(scheme: &Scheme, population: &[Enterprise]) -> ScoreTable {
    let mut table = ScoreTable::new();
    score_table_into(scheme, population, &mut table);
    table
}

/// Scores the population into `table`, replacing everything it held: afterwards it is
/// exactly what [`score_table`] returns. Nothing of the previous contents is used; the table
/// only lends its memory (columns and working space), so that scoring a population no
/// larger than the last allocates nothing.
///
/// The enterprises are first laid out as columns ([`Population::fill`], into the table's
/// working space), then scored by [`score_columns_into`].
pub fn score_table_into(scheme: &Scheme, population: &[Enterprise], table: &mut ScoreTable) {
    let mut columns = std::mem::take(&mut table.scratch.population);
    columns.fill(population);
    score_columns_into(scheme, &columns, table);
    table.scratch.population = columns;
}

/// [`score_columns_into`] into a new table.
pub fn score_columns(scheme: &Scheme, population: &Population) -> ScoreTable {
    let mut table = ScoreTable::new();
    score_columns_into(scheme, population, &mut table);
    table
}

/// Scores a population laid out as columns into `table`, replacing everything it held:
/// afterwards it is exactly what [`score_table`] returns for the enterprises the population
/// was filled from. The rules of scoring are all here.
///
/// Three passes, nothing allocated per enterprise (figures in `bench/README.md`): the first
/// reads the population's columns once, in blocks of rows, dividing each indicator's two
/// fields into the value column and adding up the values of the average benchmarks (in the
/// population's order, as a plain sum would); the second turns the values into points and
/// scores, adds the adjustment items and rounds; the third ranks and classes each group, by a
/// counting sort on whole cents when the scores allow (finite, below 10^13, spread over fewer
/// cents than twice the group's size plus 65 536), else by sorting integer keys.
pub fn score_columns_into(scheme: &Scheme, population: &Population, table: &mut ScoreTable) {
    let width = [scheme.indicators.len(), scheme.small.len()];
    // At least 1, so that rows can be chunked even when no group has indicators.
    let stride = width[0].max(width[1]).max(1);
    // The same passes, compiled for each common stride: a row is then one chunk of exactly
    // its slots, which unroll and vectorise (two divisions at a time).
    match stride {
        1 => columns::<1>(1, scheme, population, table),
        2 => columns::<2>(2, scheme, population, table),
        3 => columns::<3>(3, scheme, population, table),
        4 => columns::<4>(4, scheme, population, table),
        5 => columns::<5>(5, scheme, population, table),
        6 => columns::<6>(6, scheme, population, table),
        7 => columns::<7>(7, scheme, population, table),
        8 => columns::<8>(8, scheme, population, table),
        _ => columns::<CHUNK>(stride, scheme, population, table),
    }
}

/// [`score_columns_into`] for a given stride, in chunks of `C` slots (inlined into each of its
/// calls).
#[inline(always)]
fn columns<const C: usize>(
    stride: usize,
    scheme: &Scheme,
    population: &Population,
    table: &mut ScoreTable,
) {
    let n = population.len();
    assert!(
        u32::try_from(n).is_ok_and(|n| n < NONE),
        "too many enterprises"
    );
    let defs: [&[IndicatorDef]; 2] = [&scheme.indicators, &scheme.small];
    let width = defs.map(<[IndicatorDef]>::len);
    let mut slots = defs.map(|ds| Slots::<C>::new(ds, stride));
    table.width = width;
    table.stride = stride;
    let ScoreTable {
        group,
        standing,
        score,
        rank,
        class,
        managed_as,
        values,
        why,
        points,
        benchmarks,
        scratch:
            Scratch {
                adjusted,
                ranked,
                population: _,
            },
        ..
    } = table;
    // Each column as long as this population needs, its memory kept. Every element is
    // written below before it is read (those past the old length are filled first).
    let cells = n * stride;
    refill(group, n, Group::Above);
    refill(standing, n, Standing::NotAssessed);
    refill(managed_as, n, NONE);
    refill(score, n, 0.0);
    refill(rank, n, 0);
    refill(class, n, NONE);
    refill(values, cells, 0.0);
    refill(why, cells, None);
    refill(points, cells, 0.0);

    // The scheme's bonus and deduction items each enterprise is flagged with, in order of
    // enterprise and then of the scheme (an item listed twice counts twice). Every flagged
    // enterprise's: what is added to the score of one not graded is not used.
    adjusted.clear();
    let flag_of: Vec<Option<u32>> = scheme
        .adjustments
        .iter()
        .map(|a| population.flag_index(&a.name))
        .collect();
    for run in population.flags.chunk_by(|a, b| a.0 == b.0) {
        let i = run[0].0;
        for (j, f) in flag_of.iter().enumerate() {
            if f.is_some_and(|f| run.iter().any(|&(_, g)| g == f)) {
                adjusted.push((i, j as u32));
            }
        }
    }
    // Each exemption reason's place in `scheme.exempt` (NONE when the scheme does not list it).
    let exemption: Vec<u32> = population
        .reasons
        .iter()
        .map(|r| {
            scheme
                .exempt
                .iter()
                .position(|x| &x.reason == r)
                .map_or(NONE, |x| x as u32)
        })
        .collect();

    // 1. Each enterprise's group and standing, and its indicators' values. An average
    //    benchmark is over the graded enterprises (not exempt) of the group that have a value.
    // Per group and chunk of slots, each average benchmark's Σ values (begun at −0.0, as a
    // plain sum is) and their count; the third "group" is the rows not scored, which read
    // nothing and whose sums are not used.
    let chunks = stride.div_ceil(C);
    let mut sums: [Vec<([f64; C], [usize; C])>; 3] =
        [(); 3].map(|()| vec![([-0.0; C], [0; C]); chunks]);
    let strict = scheme.missing == Missing::Ungraded;
    let mut reads: [Vec<Reads<C>>; 3] = [(); 3].map(|()| vec![Reads::nothing(); chunks]);
    let blocks = group
        .chunks_mut(BLOCK)
        .zip(standing.chunks_mut(BLOCK))
        .zip(managed_as.chunks_mut(BLOCK))
        .zip(
            values
                .chunks_mut(BLOCK * stride)
                .zip(why.chunks_mut(BLOCK * stride)),
        );
    for (b, (((group_block, standing_block), managed_block), (value_block, why_block))) in
        blocks.enumerate()
    {
        let start = b * BLOCK;
        for g in 0..2 {
            for (r, s) in reads[g].iter_mut().zip(&slots[g]) {
                *r = Reads::of(s, population, start);
            }
        }
        let missing: &[u16; BLOCK] = population.missing[start..start + BLOCK]
            .try_into()
            .expect("padded to whole blocks");
        let rows = group_block
            .iter_mut()
            .zip(standing_block.iter_mut())
            .zip(managed_block.iter_mut())
            .zip(
                value_block
                    .chunks_exact_mut(stride)
                    .zip(why_block.chunks_exact_mut(stride)),
            )
            .zip(
                population.above[start..]
                    .iter()
                    .zip(&population.exempt[start..]),
            );
        for (j, ((((g, st), ex), (value_row, why_row)), (&above, &reason))) in rows.enumerate() {
            let j = j % BLOCK;
            *g = if above { Group::Above } else { Group::Small };
            let gi = g.index();
            // The rows read as: their group's slots, or nothing (2).
            let (read, state) = if reason != NONE {
                *ex = exemption[reason as usize];
                (2, Standing::Exempt)
            } else if width[gi] == 0 {
                *ex = NONE;
                (2, Standing::NotAssessed)
            } else {
                *ex = NONE;
                (gi, Standing::Graded)
            };
            let mut complete = true;
            for c in 0..chunks {
                let (r, (sum, count)) = (&reads[read][c], &mut sums[read][c]);
                let at = c * C;
                let len = C.min(stride - at);
                // All the chunk's slots at once, so that the divisions go two at a time.
                let (v, ok, w) = divide::<C>(r, j, missing[j]);
                // Every slot's sum and count, averaged or not (only the averaged are used):
                // no branch on which slots are. A slot without a value adds the +0.0 it holds
                // and is not counted: +0.0 changes no sum but −0.0 (put right below).
                for k in 0..C {
                    sum[k] += v[k];
                    count[k] += (ok[k] & 1) as usize;
                    complete &= ok[k] != 0;
                }
                value_row[at..at + len].copy_from_slice(&v[..len]);
                why_row[at..at + len].copy_from_slice(&w[..len]);
            }
            // Under `Missing::Ungraded` a missing value leaves the enterprise ungraded (it still
            // counts towards the averages, and its indicators are still worked out).
            *st = if strict && !complete && state == Standing::Graded {
                Standing::Ungraded
            } else {
                state
            };
        }
    }
    for g in 0..2 {
        benchmarks[g].clear();
        for (k, d) in defs[g].iter().enumerate() {
            let (sum, count) = &sums[g][k / C];
            let (mut sum, count) = (sum[k % C], count[k % C]);
            if sum.to_bits() == 0 && count > 0 {
                // +0.0, where a plain sum of the values counted might be −0.0: it is when each
                // of them is −0.0 (a sum that once leaves −0.0 comes back to 0 only as +0.0).
                // Rare; looked up the slow way.
                let counted = |i: usize| {
                    group[i].index() == g
                        && matches!(standing[i], Standing::Graded | Standing::Ungraded)
                        && why[i * stride + k].is_none()
                };
                if (0..n)
                    .filter(|&i| counted(i))
                    .all(|i| values[i * stride + k].to_bits() == NEGATIVE_ZERO)
                {
                    sum = -0.0;
                }
            }
            let b = match d.benchmark {
                Benchmark::Fixed { value } => value,
                Benchmark::Average { times } if count > 0 => times * sum / count as f64,
                Benchmark::Average { .. } => 0.0,
            };
            benchmarks[g].push(b);
            let s = &mut slots[g][k / C];
            let k = k % C;
            s.live[k] = b > 0.0;
            s.keep[k] = if b > 0.0 { u64::MAX } else { 0 };
            // Where it does not score, the division is done all the same (and not used).
            s.benchmark[k] = if b > 0.0 { b } else { 1.0 };
            s.cap[k] = d.cap.unwrap_or(f64::INFINITY);
            s.weight[k] = d.weight;
        }
    }

    // 2. Points, and Σ points unrounded in the scheme's order, for the graded and the
    //    ungraded; then each adjustment item, in order, and the score rounded (`round2`,
    //    keeping the cents for ranking). In blocks of rows, each finished while it is still
    //    in cache.
    let sane = slots.iter().flatten().all(Slots::zero_scores_zero);
    for r in ranked.iter_mut() {
        r.clear();
        r.reserve(n);
    }
    // The flagged enterprises are in order: the next one not yet adjusted.
    let mut flagged = adjusted.iter().peekable();
    // A block's scores in whole cents.
    let cents = &mut [0.0; BLOCK];
    let blocks = points
        .chunks_mut(BLOCK * stride)
        .zip(
            values
                .chunks(BLOCK * stride)
                .zip(why.chunks(BLOCK * stride)),
        )
        .zip(standing.chunks(BLOCK).zip(group.chunks(BLOCK)))
        .zip(score.chunks_mut(BLOCK))
        .zip(rank.chunks_mut(BLOCK).zip(class.chunks_mut(BLOCK)));
    for (b, (block, (rank_block, class_block))) in blocks.enumerate() {
        let (((point_block, (value_block, why_block)), (standing_block, group_block)), score_block) =
            block;
        let rows = Rows {
            values: value_block,
            why: why_block,
            standing: standing_block,
            group: group_block,
        };
        if sane {
            points_of::<C, true>(stride, &slots, rows, point_block, score_block);
        } else {
            points_of::<C, false>(stride, &slots, rows, point_block, score_block);
        }
        // Each indicator's points as shown: a flat loop, which vectorises.
        for p in point_block.iter_mut() {
            *p = round2(*p);
        }
        let first = b * BLOCK;
        let end = first + score_block.len();
        while let Some(&(i, j)) = flagged.next_if(|&&(i, _)| (i as usize) < end) {
            score_block[i as usize - first] += scheme.adjustments[j as usize].points;
        }
        // Every row's score rounded, in a flat loop that vectorises; 0 where not graded.
        let rows = score_block
            .iter_mut()
            .zip(standing_block)
            .zip(cents.iter_mut());
        for ((total, st), cents) in rows {
            *cents = round(*total * 100.0);
            let graded = mask(*st == Standing::Graded);
            *total = f64::from_bits((*cents / 100.0).to_bits() & graded);
        }
        let rows = (standing_block.iter().zip(group_block))
            .zip(rank_block.iter_mut().zip(class_block))
            .zip(cents.iter());
        for (i, (((st, g), (r, c)), &cents)) in (first..).zip(rows) {
            if *st == Standing::Graded {
                // Its rank and class: step 3.
                ranked[g.index()].push(i, cents);
            } else {
                (*r, *c) = (0, NONE);
            }
        }
    }

    // 3. Rank and class within each group.
    for r in ranked.iter_mut() {
        place(&scheme.classes, score, r, rank, class);
    }
}

/// Why numerator ÷ denominator has no value, where it has none (`ok` false), from whether each
/// figure is missing: both reported, the denominator is not above 0.
#[inline]
fn why_not(ok: bool, num_missing: bool, den_missing: bool) -> Option<NoValue> {
    if ok {
        return None;
    }
    Some(match (num_missing, den_missing) {
        (false, false) => NoValue::DenominatorNotPositive,
        (true, false) => NoValue::NumeratorMissing,
        (false, true) => NoValue::DenominatorMissing,
        (true, true) => NoValue::BothMissing,
    })
}

/// Step 1 of [`columns`] for a chunk of row `j` of a block: each slot's numerator ÷
/// denominator (+0.0 where there is no value), all ones where there is a value (else 0), and
/// why there is none. Every slot is divided, and the quotient's bits kept where it is a value:
/// no branch but on whether a value is missing at all.
#[inline(always)]
fn divide<const C: usize>(
    r: &Reads<'_, C>,
    j: usize,
    missing: u16,
) -> ([f64; C], [u64; C], [Option<NoValue>; C]) {
    let (mut x, mut y, mut ok) = ([0.0; C], [1.0; C], [0u64; C]);
    for k in 0..C {
        (x[k], y[k]) = (r.num[k][j], r.den[k][j]);
        ok[k] = mask((missing & (r.num_bit[k] | r.den_bit[k]) == 0) & (y[k] > 0.0));
    }
    let mut v = [0.0; C];
    for k in 0..C {
        v[k] = f64::from_bits((x[k] / y[k]).to_bits() & ok[k]);
    }
    let w = if ok.iter().all(|&ok| ok != 0) {
        [None; C]
    } else {
        std::array::from_fn(|k| {
            let (num_missing, den_missing) =
                (missing & r.num_bit[k] != 0, missing & r.den_bit[k] != 0);
            why_not(ok[k] != 0, num_missing, den_missing)
        })
    };
    (v, ok, w)
}

/// All ones if `b`, else 0.
#[inline(always)]
fn mask(b: bool) -> u64 {
    0u64.wrapping_sub(u64::from(b))
}

/// A block of rows as step 1 left them.
#[derive(Clone, Copy)]
struct Rows<'a> {
    values: &'a [f64],
    why: &'a [Option<NoValue>],
    standing: &'a [Standing],
    group: &'a [Group],
}

/// Step 2 of [`columns`] for a block of rows: each row's points (unrounded) and their sum.
/// What does not score — a row not scored, a value missing, a benchmark not above 0, the
/// slots past the group's indicators — is 0. Each slot of each row is worked out all the same,
/// and set to 0 after as need be: no branch but the loop's.
///
/// `SANE`: every scoring slot turns a value of +0.0 into +0.0 points
/// ([`Slots::zero_scores_zero`]). Where there is no value (and in rows not scored) step 1
/// has stored +0.0, so only the slots whose benchmark is not above 0 need setting to 0, and
/// the reasons need not be read at all.
#[inline(always)]
fn points_of<const C: usize, const SANE: bool>(
    stride: usize,
    slots: &[Vec<Slots<C>>; 2],
    rows: Rows,
    points: &mut [f64],
    score: &mut [f64],
) {
    let Rows {
        values,
        why,
        standing,
        group,
    } = rows;
    let chunks = stride.div_ceil(C);
    let rows = points
        .chunks_exact_mut(stride)
        .zip(values.chunks_exact(stride).zip(why.chunks_exact(stride)))
        .zip(standing.iter().zip(group))
        .zip(score.iter_mut());
    for (((point_row, (value_row, why_row)), (st, g)), total) in rows {
        let scored = matches!(st, Standing::Graded | Standing::Ungraded);
        // Begun at +0.0: the slots past the group's indicators add +0.0, which changes it not.
        let mut sum = 0.0;
        // (`take(chunks)`: with the stride known, one chunk, and no loop left.)
        for (c, s) in slots[g.index()].iter().take(chunks).enumerate() {
            let at = c * C;
            let len = C.min(stride - at);
            let (mut v, mut keep) = ([0.0; C], s.keep);
            v[..len].copy_from_slice(&value_row[at..at + len]);
            if !SANE {
                for k in 0..len {
                    keep[k] &= 0u64.wrapping_sub(u64::from(scored & why_row[at + k].is_none()));
                }
            }
            let mut p = [0.0; C];
            for k in 0..C {
                let ratio = (v[k] / s.benchmark[k]).max(0.0);
                // `min(∞)` keeps the ratio: it is never NaN after `max(0.0)`.
                let points = ratio.min(s.cap[k]) * s.weight[k];
                // +0.0 where it does not score.
                p[k] = f64::from_bits(points.to_bits() & keep[k]);
            }
            for &x in &p[..len] {
                sum += x;
            }
            point_row[at..at + len].copy_from_slice(&p[..len]);
        }
        *total = sum;
    }
}

/// `v` made `len` long, its memory kept: the elements it has stay as they are (to be
/// overwritten), any new ones are `fill`.
fn refill<T: Clone>(v: &mut Vec<T>, len: usize, fill: T) {
    v.truncate(len);
    v.resize(len, fill);
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

/// A group's graded enterprises, in the population's order, and their scores as integers
/// that order as `total_cmp` does: twice the cents, plus 1 unless the sign is negative (so
/// +0.0 comes above −0.0) — as long as every score is `cents ÷ 100` with |cents| < 2^50.
/// Below that, distinct cents are 0.01 apart and `÷ 100` errs by less than 0.00125, so the
/// scores are distinct and in the same order: equal keys are equal scores.
#[derive(Clone)]
struct Ranked {
    members: Vec<u32>,
    keys: Vec<i64>,
    /// Every member has its key.
    whole: bool,
    lo: i64,
    hi: i64,
    /// The counting sort's buckets: where each key's run starts, and the rank of its score
    /// (kept between calls for their memory only).
    buckets: Vec<[u32; 2]>,
    /// The positions in the order where the class may change (as [`place`] bands them),
    /// ascending, and the class of each run of positions between them.
    cuts: Vec<u32>,
    run_class: Vec<u32>,
}

impl Default for Ranked {
    fn default() -> Ranked {
        Ranked::with_capacity(0)
    }
}

impl Ranked {
    fn with_capacity(n: usize) -> Ranked {
        Ranked {
            members: Vec::with_capacity(n),
            keys: Vec::with_capacity(n),
            whole: true,
            lo: i64::MAX,
            hi: i64::MIN,
            buckets: Vec::new(),
            cuts: Vec::new(),
            run_class: Vec::new(),
        }
    }

    /// No members, the memory kept.
    fn clear(&mut self) {
        self.members.clear();
        self.keys.clear();
        self.whole = true;
        self.lo = i64::MAX;
        self.hi = i64::MIN;
    }

    fn reserve(&mut self, n: usize) {
        self.members.reserve(n);
        self.keys.reserve(n);
    }

    /// Enterprise `i`, whose score is `cents ÷ 100`.
    #[inline]
    fn push(&mut self, i: usize, cents: f64) {
        const MOST: f64 = 1_125_899_906_842_624.0; // 2^50
        self.members.push(i as u32);
        if cents.abs() < MOST {
            let key = 2 * (cents as i64) + i64::from(cents.is_sign_positive());
            self.keys.push(key);
            self.lo = self.lo.min(key);
            self.hi = self.hi.max(key);
        } else {
            self.whole = false;
        }
    }
}

/// Ranks one group's graded enterprises by score, high to low, equal scores sharing the rank
/// of the first; and classes them by position in that order (ties in the population's
/// order), in the bands' shares.
fn place(
    classes: &[ClassBand],
    score: &[f64],
    group: &mut Ranked,
    rank: &mut [u32],
    class: &mut [u32],
) {
    let m = group.members.len();
    if m == 0 {
        return;
    }
    let bounds: Vec<usize> = classes
        .iter()
        .map(|b| ((b.upto_pct / 100.0) * m as f64).round() as usize)
        .collect();
    let last = bounds.len().saturating_sub(1);
    // The first band whose bound is past the position (the last if none is).
    let band = |pos: usize| {
        let band = bounds.iter().position(|&b| pos < b).unwrap_or(last);
        if band < classes.len() {
            band as u32
        } else {
            NONE
        }
    };
    if group.whole && group.hi - group.lo < 4 * m as i64 + 131_072 {
        // The band changes only where a bound is: the runs between the bounds inside the
        // order, and each run's class.
        let cuts = &mut group.cuts;
        cuts.clear();
        cuts.extend(
            bounds
                .iter()
                .filter(|&&b| 0 < b && b < m)
                .map(|&b| b as u32),
        );
        cuts.sort_unstable();
        cuts.dedup();
        group.run_class.clear();
        group.run_class.push(band(0));
        group
            .run_class
            .extend(cuts.iter().map(|&c| band(c as usize)));
        place_by_counting(group, rank, class);
    } else {
        place_by_sorting(score, &group.members, &band, rank, class);
    }
}

/// [`place`] by a counting sort on the keys, one bucket per key from the best down: a pass
/// to count, one to add up, one to place each enterprise in the population's order (its
/// class by the run of positions it falls in, [`Ranked::cuts`]).
fn place_by_counting(group: &mut Ranked, rank: &mut [u32], class: &mut [u32]) {
    let Ranked {
        members,
        keys,
        hi,
        lo,
        buckets: starts,
        cuts,
        run_class,
        ..
    } = group;
    let hi = *hi;
    // A key's bucket, from the best down: half its distance from the best, rounded up. The
    // keys of scores other than 0 are all odd (above 0) or all even (below), so one bucket
    // each; +0.0 and −0.0 (keys 1 and 0) get two, side by side.
    let bucket = |key: i64| ((hi - key + 1) >> 1) as usize;
    let buckets = bucket(*lo) + 1;
    // Each bucket's [next position, rank], side by side: counted into the next bucket's
    // place first, then added up.
    starts.clear();
    starts.resize(buckets + 1, [0, 0]);
    for &key in keys.iter() {
        starts[bucket(key) + 1][0] += 1;
    }
    for b in 1..=buckets {
        starts[b][0] += starts[b - 1][0];
    }
    // A score's rank: 1 + how many are strictly higher. −0.0 ranks with +0.0.
    for s in starts.iter_mut() {
        s[1] = s[0] + 1;
    }
    if *lo <= 0 && hi >= 1 {
        starts[bucket(0)][1] = starts[bucket(1)][1];
    }
    // Each enterprise in the population's order: its bucket's next position, its rank, and
    // the class of the run of positions it falls in (how many cuts are at or below it).
    #[inline(always)]
    fn scatter(
        (members, keys): (&[u32], &[i64]),
        bucket: impl Fn(i64) -> usize,
        starts: &mut [[u32; 2]],
        run_of: impl Fn(u32) -> usize,
        run_class: &[u32],
        rank: &mut [u32],
        class: &mut [u32],
    ) {
        for (&i, &key) in members.iter().zip(keys.iter()) {
            let s = &mut starts[bucket(key)];
            let pos = s[0];
            s[0] += 1;
            rank[i as usize] = s[1];
            class[i as usize] = run_class[run_of(pos)];
        }
    }
    if cuts.len() <= 4 {
        // The usual few bands: four comparisons, no loop (cuts past the last never reached).
        let mut four = [u32::MAX; 4];
        four[..cuts.len()].copy_from_slice(cuts);
        let run_of = |pos| four.iter().map(|&c| usize::from(pos >= c)).sum();
        scatter(
            (members, keys),
            bucket,
            starts,
            run_of,
            run_class,
            rank,
            class,
        );
    } else {
        let run_of = |pos| cuts.iter().map(|&c| usize::from(pos >= c)).sum();
        scatter(
            (members, keys),
            bucket,
            starts,
            run_of,
            run_class,
            rank,
            class,
        );
    }
}

/// [`place`] by sorting (score, index) keys: for any scores at all.
fn place_by_sorting(
    score: &[f64],
    members: &[u32],
    band: &impl Fn(usize) -> u32,
    rank: &mut [u32],
    class: &mut [u32],
) {
    let mut order: Vec<(u64, u32)> = members
        .iter()
        .map(|&i| (descending(score[i as usize]), i))
        .collect();
    order.sort_unstable();
    let mut r = 0;
    let mut previous = f64::NAN;
    for (pos, &(_, i)) in order.iter().enumerate() {
        let i = i as usize;
        // Sorted high to low: a new score starts a new rank at its position.
        if pos == 0 || previous > score[i] {
            r = pos + 1;
        }
        previous = score[i];
        rank[i] = r as u32;
        class[i] = band(pos);
    }
}

/// Scores the population: each enterprise by its group's indicators, ranked within its group,
/// classed by the scheme's bands, each indicator's contribution explained. Results are in the
/// population's order.
///
/// This is [`score_table`] with [`ScoreTable::result`] for every enterprise. For large
/// populations most of the time goes into the explanations — 200 000 of them are 1.4 million
/// `String`s — so a caller that shows a few should score the table and explain only those
/// (figures in `bench/README.md`).
pub fn score(scheme: &Scheme, population: &[Enterprise]) -> Vec<MuResult> {
    let table = score_table(scheme, population);
    (0..population.len())
        .map(|i| table.result(scheme, population, i))
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
            1 => prop::sample::select(vec![0.0, -0.0, -5.0, 1e-9, 1.0, 100.0, f64::NAN]).prop_map(Some),
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

    #[test]
    fn flags_and_exemptions_are_matched_by_name_however_many_there_are() {
        // More distinct flags and exemption reasons than a list is searched for (looked up by
        // hash past 16), flags repeated, flags the scheme does not list, an item the scheme
        // lists twice (it counts twice), reasons the scheme does not list.
        let mut scheme = Scheme::from_toml(SCHEME).unwrap();
        scheme.adjustments.push(Adjustment {
            name: "标记7".into(),
            points: -1.5,
        });
        scheme.adjustments.push(Adjustment {
            name: "省级以上研发机构".into(),
            points: 3.0,
        });
        scheme.exempt.push(Exemption {
            reason: "原因19".into(),
            managed_as: "C".into(),
        });
        let pop: Vec<Enterprise> = (0..400)
            .map(|i| {
                let mut e = firm(
                    (i % 37) as f64 * 30_000.0,
                    (1 + i % 9) as f64,
                    (i % 41) as f64 * 1e5,
                    (1 + i % 5) as f64,
                );
                e.above_scale = i % 5 != 0;
                for f in 0..(i % 4) {
                    e.flags.push(format!("标记{}", (i + f) % 23));
                }
                if i % 3 == 0 {
                    e.flags.push("省级以上研发机构".into());
                    e.flags.push("省级以上研发机构".into());
                }
                if i % 11 == 0 {
                    e.exempt = Some(format!("原因{}", i % 29));
                }
                e
            })
            .collect();
        for missing in [Missing::Zero, Missing::Ungraded] {
            let scheme = Scheme {
                missing,
                ..scheme.clone()
            };
            assert_eq!(
                format!("{:?}", score(&scheme, &pop)),
                format!("{:?}", reference(&scheme, &pop))
            );
        }
    }

    #[test]
    fn a_table_scored_into_again_is_the_table_scored_afresh() {
        // Filled first from a larger population under another scheme (wider rows, other
        // benchmarks and flags), then scored into again: every column as a new table's.
        let scheme = Scheme::from_toml(SCHEME).unwrap();
        let mut wide = scheme.clone();
        wide.indicators.push(IndicatorDef {
            name: "全员劳动生产率".into(),
            numerator: ValueAdded,
            denominator: Employees,
            weight: 10.0,
            benchmark: Benchmark::Average { times: 1.0 },
            cap: None,
        });
        wide.missing = Missing::Ungraded;
        let big: Vec<Enterprise> = (0..3_000)
            .map(|i| {
                let mut e = firm(
                    (i % 71) as f64 * 20_000.0,
                    (1 + i % 11) as f64,
                    (i % 53) as f64 * 1e5,
                    (1 + i % 5) as f64 * 10.0,
                );
                e.data.set(Employees, Some((5 + i % 40) as f64));
                e.above_scale = i % 3 != 0;
                e.exempt = (i % 40 == 0).then(|| "在建".to_string());
                if i % 17 == 0 {
                    e.data.set(Energy, None);
                }
                if i % 9 == 0 {
                    e.flags.push("省级以上研发机构".into());
                }
                e
            })
            .collect();
        let small: Vec<Enterprise> = (0..700)
            .map(|i| {
                let mut e = firm(
                    (i % 29) as f64 * 45_000.0,
                    (1 + i % 7) as f64,
                    (i % 31) as f64 * 2e5,
                    (1 + i % 3) as f64 * 10.0,
                );
                e.above_scale = i % 4 != 0;
                if i % 13 == 0 {
                    e.data.set(Land, None);
                }
                e
            })
            .collect();
        for missing in [Missing::Zero, Missing::Ungraded] {
            let scheme = Scheme {
                missing,
                ..scheme.clone()
            };
            let mut table = score_table(&wide, &big);
            assert_eq!(table.len(), big.len());
            score_table_into(&scheme, &small, &mut table);
            let fresh = score_table(&scheme, &small);
            assert!(table == fresh, "{missing:?}");
            // To the bit (`Debug` writes every float exactly, −0.0 too).
            assert_eq!(format!("{table:?}"), format!("{fresh:?}"));
            let explained: Vec<MuResult> = (0..small.len())
                .map(|i| table.result(&scheme, &small, i))
                .collect();
            assert_eq!(
                format!("{explained:?}"),
                format!("{:?}", reference(&scheme, &small))
            );
            // And into an empty table, and again into the same.
            let mut again = ScoreTable::new();
            score_table_into(&scheme, &small, &mut again);
            score_table_into(&scheme, &small, &mut again);
            assert_eq!(format!("{again:?}"), format!("{fresh:?}"));
        }
    }

    #[test]
    fn an_average_of_negative_zeros_is_negative_zero_as_a_plain_sum_is() {
        // 单位能耗增加值 is averaged: every value −0.0 ÷ energy = −0.0, some enterprises
        // without energy (not counted), some exempt. A plain sum of −0.0s is −0.0, and so is
        // the benchmark; with one +0.0 among them it is +0.0.
        let scheme = Scheme::from_toml(SCHEME).unwrap();
        let mut pop: Vec<Enterprise> = (0..40)
            .map(|i| firm(1e6, 10.0, -0.0, 1.0 + i as f64))
            .collect();
        pop[0].data.set(Energy, None);
        pop[5].data.set(Energy, None);
        pop[7].exempt = Some("在建".into());
        for missing in [Missing::Zero, Missing::Ungraded] {
            let scheme = Scheme {
                missing,
                ..scheme.clone()
            };
            let table = score_table(&scheme, &pop);
            assert_eq!(
                table.benchmarks(Group::Above)[1].to_bits(),
                (-0.0f64).to_bits()
            );
            assert_eq!(
                format!("{:?}", score(&scheme, &pop)),
                format!("{:?}", reference(&scheme, &pop))
            );
            let mut one_positive = pop.clone();
            one_positive[20].data.set(ValueAdded, Some(0.0));
            let table = score_table(&scheme, &one_positive);
            assert_eq!(
                table.benchmarks(Group::Above)[1].to_bits(),
                0.0f64.to_bits()
            );
            assert_eq!(
                format!("{:?}", score(&scheme, &one_positive)),
                format!("{:?}", reference(&scheme, &one_positive))
            );
        }
    }

    #[test]
    fn a_scheme_not_checked_is_scored_as_the_reference_does() {
        // Weights of ∞, below 0 and NaN, caps below 0, −0.0 and NaN, a benchmark below 0: what
        // `Scheme::problems` refuses, but `score` takes all the same. Where there is no value
        // the points are +0.0 all the same, not NaN or −0.0.
        let base = Scheme::from_toml(SCHEME).unwrap();
        let odd: [(f64, Option<f64>); 6] = [
            (f64::INFINITY, None),
            (-3.0, Some(2.0)),
            (f64::NAN, None),
            (5.0, Some(-1.0)),
            (5.0, Some(-0.0)),
            (5.0, Some(f64::NAN)),
        ];
        let mut pop: Vec<Enterprise> = (0..60)
            .map(|i| {
                firm(
                    (i % 7) as f64 * 1e5,
                    1.0 + (i % 3) as f64,
                    1e6,
                    1.0 + i as f64,
                )
            })
            .collect();
        pop[3].data.set(Tax, None);
        pop[4].data.set(Energy, None);
        pop[9].exempt = Some("在建".into());
        pop[11].data.set(Land, Some(0.0));
        for (weight, cap) in odd {
            for missing in [Missing::Zero, Missing::Ungraded] {
                let mut scheme = base.clone();
                scheme.missing = missing;
                scheme.indicators[0].weight = weight;
                scheme.indicators[0].cap = cap;
                scheme.small[0].benchmark = Benchmark::Fixed { value: -1.0 };
                assert_eq!(
                    format!("{:?}", score(&scheme, &pop)),
                    format!("{:?}", reference(&scheme, &pop)),
                    "{weight} {cap:?} {missing:?}"
                );
            }
        }
    }

    #[test]
    fn each_field_is_read_from_its_place() {
        for (i, f) in DataField::ALL.into_iter().enumerate() {
            assert_eq!(f.index(), i);
            let data = YearData::default().with(f, i as f64);
            assert_eq!(data.0[i], Some(i as f64));
        }
    }

    #[test]
    fn round_rounds_as_f64_round_does() {
        let whole = 4_503_599_627_370_496.0; // 2^52
        let edges = [
            0.0,
            -0.0,
            0.3,
            -0.3,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            whole - 0.5,
            -(whole - 0.5),
            whole / 2.0 - 0.5,
            whole / 2.0 + 0.5,
            whole,
            whole * 2.0 + 2.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in edges {
            assert_eq!(round(x).to_bits(), x.round().to_bits(), "{x:e}");
        }
        assert!(round(f64::NAN).is_nan());
    }

    #[test]
    fn the_reasons_for_no_value_are_said_as_before() {
        let scheme = Scheme::from_toml(SCHEME).unwrap();
        let d = &scheme.indicators[0]; // 税收 ÷ 用地
        let said = [
            NoValue::NumeratorMissing,
            NoValue::DenominatorMissing,
            NoValue::BothMissing,
            NoValue::DenominatorNotPositive,
        ]
        .map(|why| why.describe(d));
        assert_eq!(
            said,
            [
                "数据缺失（税收）",
                "数据缺失（用地）",
                "数据缺失（税收、用地）",
                "用地为0"
            ]
        );
        assert_eq!(
            no_value(Some(1.0), Some(-0.0)),
            Some(NoValue::DenominatorNotPositive)
        );
        assert_eq!(
            no_value(Some(1.0), Some(f64::NAN)),
            Some(NoValue::DenominatorNotPositive)
        );
        assert_eq!(no_value(Some(f64::NAN), Some(1e-300)), None);
    }

    #[test]
    fn scores_too_large_or_too_spread_for_counting_are_ranked_as_the_reference_does() {
        // One uncapped indicator against a benchmark of 1: the scores are the tax figures.
        let mut scheme = Scheme::from_toml(SCHEME).unwrap();
        scheme.indicators.truncate(1);
        scheme.indicators[0].cap = None;
        scheme.indicators[0].weight = 1.0;
        scheme.indicators[0].benchmark = Benchmark::Fixed { value: 1.0 };
        scheme.adjustments.push(Adjustment {
            name: "微扣".into(),
            points: -0.001,
        });
        let pop_of = |tax: &dyn Fn(usize) -> f64| -> Vec<Enterprise> {
            (0..300)
                .map(|i| {
                    let mut e = firm(tax(i), 1.0, 1.0, 1.0);
                    // Scores of 0 and −0.0 (0 − 0.001, rounded), and equal scores.
                    if i % 5 == 0 {
                        e.data.set(Tax, Some(0.0));
                        if i % 10 == 0 {
                            e.flags.push("微扣".into());
                        }
                    }
                    e
                })
                .collect()
        };
        // Too large to be whole cents as an integer (> 2^50 cents); then too spread for a
        // counting sort of 240 scores; then small, counted.
        let huge = pop_of(&|i| 1e15 * (i % 17) as f64 + 0.25);
        let spread = pop_of(&|i| 1e5 * (i % 37) as f64 * (i % 11) as f64);
        let small = pop_of(&|i| (i % 23) as f64 * 0.37);
        for (pop, whole) in [(huge, false), (spread, true), (small, true)] {
            let mut ranked = Ranked::with_capacity(pop.len());
            for (i, e) in pop.iter().enumerate() {
                let total = e.data.get(Tax).unwrap();
                ranked.push(i, round(total * 100.0));
            }
            assert_eq!(ranked.whole, whole);
            assert_eq!(
                format!("{:?}", score(&scheme, &pop)),
                format!("{:?}", reference(&scheme, &pop))
            );
        }
    }

    proptest! {
        #[test]
        fn round_rounds_any_float_as_f64_round_does(bits in any::<u64>(), whole in -(1i64 << 53)..(1i64 << 53), off in prop::sample::select(vec![0.0, 0.25, 0.5, 0.75, -0.5, 0.499_999_999_999_999_94])) {
            let x = f64::from_bits(bits);
            if !x.is_nan() {
                prop_assert_eq!(round(x).to_bits(), x.round().to_bits(), "{:e}", x);
            }
            let y = whole as f64 + off;
            prop_assert_eq!(round(y).to_bits(), y.round().to_bits(), "{:e}", y);
            let z = y / 100.0;
            prop_assert_eq!(round2(z).to_bits(), ((z * 100.0).round() / 100.0).to_bits());
        }

        #[test]
        fn counting_places_as_sorting_does(cents in prop::collection::vec((-400i64..400, any::<bool>()), 1..300), upto in prop::collection::vec(1.0..100.0f64, 0..5)) {
            // Scores as `round2` leaves them, many equal, +0.0 and −0.0 both.
            let score: Vec<f64> = cents
                .iter()
                .map(|&(c, negative)| {
                    let c = if c == 0 && negative { -0.0 } else { c as f64 };
                    round(c) / 100.0
                })
                .collect();
            let mut group = Ranked::with_capacity(score.len());
            for (i, s) in score.iter().enumerate() {
                group.push(i, round(s * 100.0));
            }
            prop_assert!(group.whole);
            // Bands in order or not (a scheme not checked), or none.
            let classes: Vec<ClassBand> = upto
                .iter()
                .enumerate()
                .map(|(k, &upto_pct)| ClassBand { class: k.to_string(), upto_pct })
                .collect();
            let m = score.len();
            let bounds: Vec<usize> = classes
                .iter()
                .map(|b| ((b.upto_pct / 100.0) * m as f64).round() as usize)
                .collect();
            let band = |pos: usize| {
                let band = bounds.iter().position(|&b| pos < b).unwrap_or(bounds.len().saturating_sub(1));
                if band < classes.len() { band as u32 } else { NONE }
            };
            let (mut rank, mut class) = (vec![0; m], vec![NONE; m]);
            place(&classes, &score, &mut group, &mut rank, &mut class);
            let (mut rank_sorted, mut class_sorted) = (vec![0; m], vec![NONE; m]);
            place_by_sorting(&score, &group.members, &band, &mut rank_sorted, &mut class_sorted);
            prop_assert_eq!(rank, rank_sorted);
            prop_assert_eq!(class, class_sorted);
        }

        #[test]
        fn the_population_as_columns_scores_as_the_enterprises_do(pop in prop::collection::vec(enterprise(), 0..80), before in prop::collection::vec(enterprise(), 0..120), scheme in scheme()) {
            // From new columns, and from columns filled before from another population into
            // a table scored before: the table `score_table` gives, to the bit.
            let want = format!("{:?}", score_table(&scheme, &pop));
            let columns = Population::from_enterprises(&pop);
            prop_assert_eq!(columns.len(), pop.len());
            prop_assert_eq!(format!("{:?}", score_columns(&scheme, &columns)), want.clone());
            let mut reused = Population::from_enterprises(&before);
            let mut table = score_columns(&scheme, &reused);
            reused.fill(&pop);
            score_columns_into(&scheme, &reused, &mut table);
            prop_assert_eq!(format!("{table:?}"), want);
        }

        #[test]
        fn the_table_says_what_the_results_say(pop in prop::collection::vec(enterprise(), 0..80), scheme in scheme()) {
            let table = score_table(&scheme, &pop);
            let results = score(&scheme, &pop);
            prop_assert_eq!(table.len(), pop.len());
            prop_assert_eq!(table.points_matrix().len(), pop.len() * table.stride());
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            for (i, r) in results.iter().enumerate() {
                prop_assert_eq!(format!("{:?}", table.result(&scheme, &pop, i)), format!("{r:?}"));
                prop_assert_eq!(table.group(i), Group::of(&pop[i]));
                let standing = if pop[i].exempt.is_some() {
                    Standing::Exempt
                } else if r.score.is_some() {
                    Standing::Graded
                } else if r.indicators.is_empty() {
                    Standing::NotAssessed
                } else {
                    Standing::Ungraded
                };
                prop_assert_eq!(table.standing(i), standing);
                prop_assert_eq!(table.score(i).map(f64::to_bits), r.score.map(f64::to_bits));
                prop_assert_eq!(table.rank(i), r.rank);
                prop_assert_eq!(table.class(i).map(|c| scheme.classes[c].class.as_str()), r.class.as_deref());
                prop_assert_eq!(table.managed_as(i).map(|x| scheme.exempt[x].managed_as.as_str()), r.managed_as.as_deref());
                let shown: Vec<f64> = r.indicators.iter().map(|x| x.points).collect();
                prop_assert_eq!(bits(table.points(i)), bits(&shown));
                let row = &table.points_matrix()[i * table.stride()..(i + 1) * table.stride()];
                prop_assert_eq!(bits(&row[..shown.len()]), bits(&shown));
                prop_assert!(row[shown.len()..].iter().all(|p| p.to_bits() == 0));
                for (k, x) in r.indicators.iter().enumerate() {
                    prop_assert_eq!(table.value(i, k).ok().map(f64::to_bits), x.value.map(f64::to_bits));
                    prop_assert_eq!(table.benchmarks(table.group(i))[k].to_bits(), x.benchmark.to_bits());
                }
            }
        }
    }
}
