//! `hezuo-bench-mujun`: 亩均效益评价 at county-and-up scale. It draws N enterprises (200 000 by
//! default) from a seed, writes them as CSV and a realistic scheme as TOML to a scratch
//! directory, lays the population out as columns once (`Population::from_enterprises`, not
//! timed, as pandas' `read_csv` is not), and times on the population already in memory, one
//! after the other, the columnar core of `hezuo_domain::mujun` — scores, ranks, classes and
//! each indicator's points as columns, as pandas produces them: `score_columns_into()` on the
//! columns into one table kept from call to call (as a server re-scoring the year would keep
//! it; every call still scores the whole population from its figures); `score_table_into()`,
//! the same from `&[Enterprise]` (laying the enterprises out as columns in every call); and
//! `score_table()` into a new table each call; then `score()`, the same with every
//! enterprise's explanation built (a `MuResult` each). It then runs `bench/mujun.py` (pandas
//! scoring the same CSV under the same scheme, its loading not timed), checks that the tables
//! and the explanations all give every enterprise pandas' answer (and stops if not), and
//! prints the medians, p95s and the ratios pandas/Rust. Issue 8's goals (< 1 s, ≥ 10× pandas)
//! are judged on `score_columns_into`, which does what the pandas side does (from columns in
//! memory to result columns); the other rows say what reading the records, a new table's
//! memory and the explanations cost. The figures last measured, and how, are in
//! `bench/README.md`.

use anyhow::{Context, bail, ensure};
use clap::{Parser, ValueEnum};
use hezuo_domain::mujun::{
    DataField, Enterprise, MuResult, Population, Scheme, ScoreTable, Standing, YearData, score,
    score_columns_into, score_table, score_table_into,
};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "hezuo-bench-mujun",
    about = "亩均效益评价：Rust score() 与 pandas 同一方案对照计时"
)]
struct Args {
    /// Enterprises to draw
    #[arg(long, default_value_t = 200_000)]
    n: usize,
    /// Seed of the population (the same seed gives the same enterprises on every machine)
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Timed runs on each side (after the warm-ups)
    #[arg(long, default_value_t = 15)]
    runs: usize,
    /// Untimed warm-up runs on each side
    #[arg(long, default_value_t = 3)]
    warmups: usize,
    /// The scheme's missing-data rules to run, one table row each
    #[arg(long, value_delimiter = ',', default_value = "zero,ungraded")]
    missing: Vec<Rule>,
    /// The Python interpreter (with pandas installed)
    #[arg(long, default_value = "python3")]
    python: String,
    /// The pandas side (default: bench/mujun.py of this checkout)
    #[arg(long)]
    script: Option<PathBuf>,
    /// Scratch directory for the CSV, the TOML and pandas' results (default: under $TMPDIR)
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep the scratch directory afterwards
    #[arg(long)]
    keep: bool,
    /// Skip pandas: time Rust alone (for profiling)
    #[arg(long)]
    rust_only: bool,
    /// Time the columnar core alone (from columns, from records, new table): no pandas, no
    /// score() (for profiling)
    #[arg(long)]
    columns_only: bool,
    /// Time the goal's row alone (`score_columns_into` on the columns, kept table): no pandas
    /// (for counting instructions)
    #[arg(long)]
    goal_only: bool,
    /// Drop each run's results before the next run starts (by default they are let go once
    /// the next run's are in hand, as `result = score(df, scheme)` does in the Python loop).
    /// glibc may then hand the memory back to the kernel (~190 MB of `score()` results) and the
    /// next run faults it in again. (The kept table is kept: that is its point.)
    #[arg(long)]
    drop_first: bool,
    /// The goal for Rust's p95, in milliseconds
    #[arg(long, default_value_t = 1000.0)]
    goal_ms: f64,
    /// The goal for pandas/Rust (on the medians)
    #[arg(long, default_value_t = 10.0)]
    goal_ratio: f64,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Rule {
    Zero,
    Ungraded,
}

impl Rule {
    fn toml(self) -> &'static str {
        match self {
            Rule::Zero => "zero",
            Rule::Ungraded => "ungraded",
        }
    }
}

/// A county-style scheme: six 规上 indicators (fixed and average-multiple benchmarks, most
/// capped), a two-indicator 规下 scheme, A/B/C/D by 20/60/95/100, three exemptions, two bonus
/// and two deduction items. `{missing}` is filled in per run.
const SCHEME: &str = r#"
year = 2024
missing = "{missing}"

[[indicators]]
name = "亩均税收"
numerator = "tax"
denominator = "land"
weight = 30
benchmark = { kind = "fixed", value = 150000 }
cap = 2.0

[[indicators]]
name = "亩均增加值"
numerator = "value_added"
denominator = "land"
weight = 20
benchmark = { kind = "average", times = 1.0 }
cap = 2.5

[[indicators]]
name = "单位能耗增加值"
numerator = "value_added"
denominator = "energy"
weight = 15
benchmark = { kind = "average", times = 1.2 }
cap = 3.0

[[indicators]]
name = "单位排放增加值"
numerator = "value_added"
denominator = "emission"
weight = 10
benchmark = { kind = "fixed", value = 60000 }
cap = 2.0

[[indicators]]
name = "全员劳动生产率"
numerator = "value_added"
denominator = "employees"
weight = 15
benchmark = { kind = "average", times = 1.0 }

[[indicators]]
name = "研发经费占营业收入比"
numerator = "rnd"
denominator = "revenue"
weight = 10
benchmark = { kind = "fixed", value = 0.03 }
cap = 2.0

[[small]]
name = "亩均税收"
numerator = "tax"
denominator = "land"
weight = 60
benchmark = { kind = "fixed", value = 60000 }
cap = 2.0

[[small]]
name = "亩均增加值"
numerator = "value_added"
denominator = "land"
weight = 40
benchmark = { kind = "average", times = 1.0 }
cap = 2.0

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
[[exempt]]
reason = "新办"
managed_as = "B"
[[exempt]]
reason = "公用事业"
managed_as = "C"

[[adjustments]]
name = "省级以上研发机构"
points = 3
[[adjustments]]
name = "高新技术企业"
points = 2
[[adjustments]]
name = "安全生产事故"
points = -5
[[adjustments]]
name = "环境违法"
points = -10
"#;

const FLAGS: [&str; 4] = [
    "省级以上研发机构",
    "高新技术企业",
    "安全生产事故",
    "环境违法",
];

/// The CSV column of each field: the scheme's own names for them, in `DataField::ALL` order.
const COLUMNS: [&str; 9] = [
    "tax",
    "value_added",
    "revenue",
    "energy",
    "emission",
    "electricity",
    "employees",
    "rnd",
    "land",
];

/// SplitMix64: tiny, deterministic, good enough for a synthetic population.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A factor around 1 with a long upper tail (0.2 … 5, mean 1.4), as per-mu figures spread.
    fn spread(&mut self) -> f64 {
        let u = self.unit();
        0.2 + 4.8 * u * u * u
    }
}

/// The synthetic population: about 25% 规下, 2% exempt (在建, 新办, 公用事业), 2% without
/// their energy figure, 0.2% with no revenue (the R&D ratio divides by 0), 5% flagged with a
/// bonus or deduction item, and 1% reporting exactly the figures of an earlier enterprise
/// (equal scores). Money in whole yuan, land in 亩 and energy/emission with two decimals, as
/// the registers hold them.
fn generate(n: usize, seed: u64) -> Vec<Enterprise> {
    let mut rng = Rng(seed);
    let mut pop: Vec<Enterprise> = Vec::with_capacity(n);
    for i in 0..n {
        if i > 0 && rng.below(100) == 0 {
            let twin = pop[rng.below(i as u64) as usize].clone();
            pop.push(twin);
            continue;
        }
        let above = rng.below(4) != 0;
        let exempt = match rng.below(1000) {
            0..=7 => Some("在建"),
            8..=13 => Some("新办"),
            14..=19 => Some("公用事业"),
            _ => None,
        };
        let mu = if above {
            1_000 + rng.below(29_000)
        } else {
            200 + rng.below(2_800)
        } as f64
            / 100.0;
        let tax_per_mu = 120_000.0 * rng.spread() * if above { 1.0 } else { 0.6 };
        let tax = (tax_per_mu * mu).round();
        let va = (tax_per_mu * mu * rng.range(4.0, 9.0)).round();
        let mut revenue = (va * rng.range(3.0, 5.0)).round();
        let energy = (rng.below(50) != 0)
            .then(|| ((va / 12_000.0) * rng.spread().sqrt() * 100.0).round() / 100.0);
        let emission = ((va / 50_000.0) * rng.spread().sqrt() * 100.0).round() / 100.0;
        let electricity = (va / 3.0 * rng.range(0.7, 1.3)).round();
        let employees = (mu * rng.range(1.5, 8.0)).round() + 5.0;
        let mut rnd = (revenue * rng.range(0.002, 0.06)).round();
        if rng.below(500) == 0 {
            revenue = 0.0;
            rnd = 0.0;
        }
        let flags = match rng.below(1000) {
            r @ 0..=4 => vec![FLAGS[r as usize % 2], FLAGS[2 + r as usize % 2]],
            r @ 5..=49 => vec![FLAGS[r as usize % 4]],
            _ => vec![],
        };
        let mut data = YearData::default()
            .with(DataField::Tax, tax)
            .with(DataField::ValueAdded, va)
            .with(DataField::Revenue, revenue)
            .with(DataField::Emission, emission)
            .with(DataField::Electricity, electricity)
            .with(DataField::Employees, employees)
            .with(DataField::Rnd, rnd)
            .with(DataField::Land, mu);
        data.set(DataField::Energy, energy);
        pop.push(Enterprise {
            above_scale: above,
            exempt: exempt.map(str::to_string),
            flags: flags.into_iter().map(str::to_string).collect(),
            data,
        });
    }
    pop
}

/// The population as CSV: `above,exempt,flags,<fields>`; a missing figure is an empty cell,
/// flags are separated by `;`. Floats are written in their shortest round-trip form.
fn write_csv(path: &Path, pop: &[Enterprise]) -> anyhow::Result<()> {
    let mut out = String::with_capacity(pop.len() * 120);
    out.push_str("above,exempt,flags,");
    out.push_str(&COLUMNS.join(","));
    out.push('\n');
    for e in pop {
        let _ = write!(
            out,
            "{},{},{}",
            u8::from(e.above_scale),
            e.exempt.as_deref().unwrap_or(""),
            e.flags.join(";")
        );
        for f in DataField::ALL {
            out.push(',');
            if let Some(v) = e.data.get(f) {
                let _ = write!(out, "{v}");
            }
        }
        out.push('\n');
    }
    std::fs::write(path, out).with_context(|| format!("无法写入 {}", path.display()))
}

/// The table's rows: the columnar core on the population as columns, into a kept table, which
/// the goals are for (pandas starts from a data frame and produces columns too); the same from
/// `&[Enterprise]`, which lays the enterprises out as columns on every call; the same into a
/// new table each call; and `score()`, the same with every enterprise's explanation built.
const GOAL_ROW: &str = "score_columns_into (columns, kept table)";
const KEPT_ROW: &str = "score_table_into (kept table)";
const FRESH_ROW: &str = "score_table (new table)";
const RESULTS_ROW: &str = "score() (+ explanations)";

/// Nearest-rank percentile of sorted durations (as `hezuo-bench` computes it).
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (sorted.len() * p).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median and p95 of `runs` timed calls of `f` after `warmups` untimed ones, and the last
/// output. Only the call is timed. As in the Python loop (`result = score(…)`), a run's output
/// is let go once the next run's is in hand; with `drop_first` it is dropped before the next
/// run starts (see `--drop-first`).
fn time<T>(
    warmups: usize,
    runs: usize,
    drop_first: bool,
    mut f: impl FnMut() -> T,
) -> (Duration, Duration, T) {
    for _ in 0..warmups {
        black_box(f());
    }
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        if drop_first {
            drop(last.take());
        }
        let start = Instant::now();
        let r = f();
        times.push(start.elapsed());
        last = Some(black_box(r));
    }
    times.sort();
    let last = last.expect("at least one run");
    (percentile(&times, 50), percentile(&times, 95), last)
}

struct Pandas {
    median_ms: f64,
    p95_ms: f64,
    versions: String,
}

fn run_pandas(args: &Args, script: &Path, dir: &Path, rule: Rule) -> anyhow::Result<Pandas> {
    let out = dir.join(format!("pandas-{}.csv", rule.toml()));
    let output = Command::new(&args.python)
        .arg(script)
        .arg("--population")
        .arg(dir.join("population.csv"))
        .arg("--scheme")
        .arg(dir.join(format!("scheme-{}.toml", rule.toml())))
        .arg("--runs")
        .arg(args.runs.to_string())
        .arg("--warmups")
        .arg(args.warmups.to_string())
        .arg("--out")
        .arg(&out)
        .output()
        .with_context(|| format!("无法运行 {} {}", args.python, script.display()))?;
    if !output.status.success() {
        bail!(
            "pandas 一侧失败（{}）：{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let stdout = String::from_utf8(output.stdout)?;
    let last = stdout.lines().last().context("pandas 一侧没有输出计时")?;
    let v: serde_json::Value = serde_json::from_str(last).context("pandas 计时不是 JSON")?;
    let num = |k: &str| {
        v[k].as_f64()
            .with_context(|| format!("pandas 计时缺少 {k}"))
    };
    Ok(Pandas {
        median_ms: num("median_ms")?,
        p95_ms: num("p95_ms")?,
        versions: format!(
            "Python {}, pandas {}, numpy {}",
            v["python"].as_str().unwrap_or("?"),
            v["pandas"].as_str().unwrap_or("?"),
            v["numpy"].as_str().unwrap_or("?")
        ),
    })
}

/// One enterprise's answer, in the terms both sides write: what became of it (graded,
/// ungraded, exempt, none), score, rank, class, the class it is managed as, and each
/// indicator's points.
struct Answer<'a> {
    state: &'static str,
    score: Option<f64>,
    rank: Option<usize>,
    class: Option<&'a str>,
    managed_as: Option<&'a str>,
    points: Vec<f64>,
}

/// Enterprise `i`'s answer as the columnar core gives it.
fn from_table<'a>(scheme: &'a Scheme, t: &'a ScoreTable, i: usize) -> Answer<'a> {
    Answer {
        state: match t.standing(i) {
            Standing::Graded => "graded",
            Standing::Ungraded => "ungraded",
            Standing::Exempt => "exempt",
            Standing::NotAssessed => "none",
        },
        score: t.score(i),
        rank: t.rank(i),
        class: t.class(i).map(|c| scheme.classes[c].class.as_str()),
        managed_as: t
            .managed_as(i)
            .map(|x| scheme.exempt[x].managed_as.as_str()),
        points: t.points(i).to_vec(),
    }
}

/// Enterprise `e`'s answer as `score()` explains it.
fn from_result<'a>(e: &Enterprise, r: &'a MuResult) -> Answer<'a> {
    Answer {
        state: if e.exempt.is_some() {
            "exempt"
        } else if r.score.is_some() {
            "graded"
        } else if r.indicators.is_empty() {
            "none"
        } else {
            "ungraded"
        },
        score: r.score,
        rank: r.rank,
        class: r.class.as_deref(),
        managed_as: r.managed_as.as_deref(),
        points: r.indicators.iter().map(|x| x.points).collect(),
    }
}

fn parse_opt_f64(s: &str) -> anyhow::Result<Option<f64>> {
    if s.is_empty() {
        Ok(None)
    } else {
        Ok(Some(s.parse().with_context(|| format!("不是数字：{s}"))?))
    }
}

fn opt_str(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Equal within 0.01 (both sides round to 2 decimals; a last-bit difference before rounding
/// can move one of them by a cent).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 0.01 + 1e-9
}

/// Compares pandas' results with Rust's answers (`answer(i)`, enterprise `i`'s), enterprise
/// by enterprise; returns how many scores were bit-for-bit equal, or the first differences.
fn compare<'a>(
    n: usize,
    answer: impl Fn(usize) -> Answer<'a>,
    pandas_csv: &Path,
) -> anyhow::Result<usize> {
    let text = std::fs::read_to_string(pandas_csv)
        .with_context(|| format!("无法读取 {}", pandas_csv.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .context("pandas 结果为空")?
        .split(',')
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .with_context(|| format!("pandas 结果缺少列 {name}"))
    };
    let (c_state, c_score, c_rank, c_class, c_managed) = (
        col("state")?,
        col("score")?,
        col("rank")?,
        col("class")?,
        col("managed_as")?,
    );
    let mut problems = Vec::new();
    let mut rows = 0;
    let mut identical = 0;
    for (i, line) in lines.enumerate() {
        rows += 1;
        if i >= n {
            continue;
        }
        let r = answer(i);
        let cells: Vec<&str> = line.split(',').collect();
        ensure!(cells.len() == header.len(), "pandas 结果第 {i} 行列数不对");
        let mut why = Vec::new();
        if cells[c_state] != r.state {
            why.push(format!("state {} / {}", r.state, cells[c_state]));
        }
        match (r.score, parse_opt_f64(cells[c_score])?) {
            (Some(a), Some(b)) if close(a, b) => identical += usize::from(a == b),
            (None, None) => {}
            (a, b) => why.push(format!("score {a:?} / {b:?}")),
        }
        let p_rank = parse_opt_f64(cells[c_rank])?.map(|v| v as usize);
        if r.rank != p_rank {
            why.push(format!("rank {:?} / {p_rank:?}", r.rank));
        }
        if r.class != opt_str(cells[c_class]) {
            why.push(format!("class {:?} / {:?}", r.class, cells[c_class]));
        }
        if r.managed_as != opt_str(cells[c_managed]) {
            why.push(format!(
                "managed_as {:?} / {:?}",
                r.managed_as, cells[c_managed]
            ));
        }
        // Each indicator's points: the explanation must agree too.
        for (k, &points) in r.points.iter().enumerate() {
            let p = parse_opt_f64(cells[col(&format!("points_{k}"))?])?;
            if !p.is_some_and(|p| close(p, points)) {
                why.push(format!("points_{k} {points} / {p:?}"));
            }
        }
        if !why.is_empty() {
            problems.push(format!("  #{i}: {}", why.join("; ")));
        }
    }
    ensure!(rows == n, "pandas 结果有 {rows} 行，应为 {n}");
    if !problems.is_empty() {
        bail!(
            "pandas 与 Rust 的结果有 {} 家企业不一致（前 10 家，Rust / pandas）：\n{}",
            problems.len(),
            problems
                .iter()
                .take(10)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    Ok(identical)
}

fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    args.columns_only |= args.goal_only;
    args.rust_only |= args.columns_only;
    ensure!(args.n > 0 && args.runs > 0, "--n 与 --runs 应大于 0");
    ensure!(!args.missing.is_empty(), "--missing 至少一种");
    let script = args.script.clone().unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("mujun.py")
    });
    let dir = args.dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("hezuo-bench-mujun-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建 {}", dir.display()))?;

    let started = Instant::now();
    let pop = generate(args.n, args.seed);
    let above = pop.iter().filter(|e| e.above_scale).count();
    let exempt = pop.iter().filter(|e| e.exempt.is_some()).count();
    let no_energy = pop
        .iter()
        .filter(|e| e.data.get(DataField::Energy).is_none())
        .count();
    let flagged = pop.iter().filter(|e| !e.flags.is_empty()).count();
    // The population as columns, built once (as pandas' data frame is, untimed there too).
    let laid_out = Instant::now();
    let columns = Population::from_enterprises(&pop);
    let laid_out = laid_out.elapsed();
    if !args.rust_only {
        write_csv(&dir.join("population.csv"), &pop)?;
    }
    println!(
        "{} 家企业（种子 {}）：规上 {above}、规下 {}，免评 {exempt}，缺能耗 {no_energy}，有加减分项 {flagged}；生成{}用时 {:.1} s；目录 {}",
        args.n,
        args.seed,
        args.n - above,
        if args.rust_only { "" } else { "并写出 CSV " },
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    println!(
        "每侧预热 {} 次、计时 {} 次；只计评分本身（人群已在内存中；按列排布用时 {:.1} ms，不计时，与 pandas 读入 DataFrame 相同）{}",
        args.warmups,
        args.runs,
        ms(laid_out),
        if args.drop_first {
            "；Rust 每次计时前先释放上一次的结果"
        } else {
            ""
        }
    );

    let mut rows = Vec::new();
    let mut all_met = true;
    // The kept table: scored into again on every call (each call still scores the whole
    // population from its figures; only the memory is kept).
    let mut goal_table = ScoreTable::new();
    let mut table = ScoreTable::new();
    for &rule in &args.missing {
        let text = SCHEME.replace("{missing}", rule.toml());
        let scheme = Scheme::from_toml(&text).map_err(anyhow::Error::msg)?;
        std::fs::write(dir.join(format!("scheme-{}.toml", rule.toml())), &text)?;

        // The columnar core on the columns into a kept table (the goal's row), then from
        // `&[Enterprise]` into a kept table, then into a new table each call, then the same
        // with every explanation built.
        let (c50, c95, ()) = time(args.warmups, args.runs, false, || {
            score_columns_into(
                black_box(&scheme),
                black_box(&columns),
                black_box(&mut goal_table),
            );
        });
        let (k50, k95, t50, t95) = if args.goal_only {
            (
                Duration::ZERO,
                Duration::ZERO,
                Duration::ZERO,
                Duration::ZERO,
            )
        } else {
            let (k50, k95, ()) = time(args.warmups, args.runs, false, || {
                score_table_into(black_box(&scheme), black_box(&pop), black_box(&mut table));
            });
            let (t50, t95, fresh) = time(args.warmups, args.runs, args.drop_first, || {
                score_table(black_box(&scheme), black_box(&pop))
            });
            // The same table all three ways, to the bit (`Debug` writes every float exactly).
            let fresh = format!("{fresh:?}");
            ensure!(
                fresh == format!("{table:?}"),
                "score_table() 与 score_table_into() 的结果不同"
            );
            ensure!(
                fresh == format!("{goal_table:?}"),
                "score_table() 与 score_columns_into() 的结果不同"
            );
            (k50, k95, t50, t95)
        };
        let (s50, s95, results) = if args.columns_only {
            (Duration::ZERO, Duration::ZERO, Vec::new())
        } else {
            time(args.warmups, args.runs, args.drop_first, || {
                score(black_box(&scheme), black_box(&pop))
            })
        };
        let graded = (0..pop.len())
            .filter(|&i| goal_table.score(i).is_some())
            .count();
        let mut classes = String::new();
        for (c, band) in scheme.classes.iter().enumerate() {
            let count = (0..pop.len())
                .filter(|&i| goal_table.class(i) == Some(c))
                .count();
            let _ = write!(classes, " {} {count}", band.class);
        }
        println!(
            "missing = \"{}\"：定级 {graded} 家（{}），不定等级 {}；Rust 中位数 score_columns_into {:.1} ms，score_table_into {:.1} ms，score_table {:.1} ms{}",
            rule.toml(),
            classes.trim(),
            pop.len() - graded - exempt,
            ms(c50),
            ms(k50),
            ms(t50),
            if args.columns_only {
                String::new()
            } else {
                format!("，score() {:.1} ms", ms(s50))
            }
        );
        let goal = |p95: Duration| {
            if ms(p95) < args.goal_ms {
                "met"
            } else {
                "MISSED"
            }
        };
        if args.rust_only {
            let shown = if args.goal_only {
                1
            } else if args.columns_only {
                3
            } else {
                4
            };
            for (what, r50, r95) in [
                (GOAL_ROW, c50, c95),
                (KEPT_ROW, k50, k95),
                (FRESH_ROW, t50, t95),
                (RESULTS_ROW, s50, s95),
            ]
            .into_iter()
            .take(shown)
            {
                rows.push(format!(
                    "| {} | {what} | {} | {graded} | {:.1} | {:.1} | — | — | — | {} | — |",
                    rule.toml(),
                    args.n,
                    ms(r50),
                    ms(r95),
                    goal(r95)
                ));
            }
            continue;
        }
        let pandas = run_pandas(&args, &script, &dir, rule)?;
        // Both of Rust's answers (the table, and the explanations), enterprise by enterprise,
        // against pandas'.
        let csv = dir.join(format!("pandas-{}.csv", rule.toml()));
        let identical = compare(pop.len(), |i| from_table(&scheme, &goal_table, i), &csv)?;
        compare(pop.len(), |i| from_result(&pop[i], &results[i]), &csv)?;
        println!(
            "  pandas（{}）中位数 {:.1} ms；score_columns_into、score_table_into、score_table 与 score() 给每家企业的结果都与 pandas 一致（分数逐位相同 {identical} / {graded}）",
            pandas.versions, pandas.median_ms
        );
        for (what, r50, r95) in [
            (GOAL_ROW, c50, c95),
            (KEPT_ROW, k50, k95),
            (FRESH_ROW, t50, t95),
            (RESULTS_ROW, s50, s95),
        ] {
            let ratio = pandas.median_ms / ms(r50);
            let far = if what == GOAL_ROW {
                all_met &= ms(r95) < args.goal_ms && ratio >= args.goal_ratio;
                if ratio >= args.goal_ratio {
                    "met"
                } else {
                    "MISSED"
                }
            } else {
                "(not the goal's row)"
            };
            rows.push(format!(
                "| {} | {what} | {} | {graded} | {:.1} | {:.1} | {:.1} | {:.1} | {ratio:.1}× | {} | {far} |",
                rule.toml(),
                args.n,
                ms(r50),
                ms(r95),
                pandas.median_ms,
                pandas.p95_ms,
                goal(r95),
            ));
        }
    }
    println!();
    println!(
        "| missing | Rust | N | graded | Rust median ms | Rust p95 ms | pandas median ms | pandas p95 ms | pandas/Rust | Rust p95 < {} ms | ≥ {}× pandas |",
        args.goal_ms, args.goal_ratio
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for row in &rows {
        println!("{row}");
    }
    println!();
    if !args.rust_only {
        println!(
            "目标（{GOAL_ROW}：Rust p95 < {} ms 且 pandas/Rust 中位数 ≥ {}×）：{}",
            args.goal_ms,
            args.goal_ratio,
            if all_met {
                "全部达标"
            } else {
                "未全部达标"
            }
        );
    }
    if !args.keep && args.dir.is_none() {
        std::fs::remove_dir_all(&dir).ok();
    }
    Ok(())
}
