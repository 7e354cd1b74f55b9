//! 工作简报: the monthly bulletin, written from the same store queries the cockpit and the API
//! read (so every number in it is theirs), in the office's sentences (`hezuo_domain::bulletin`)
//! and laid out as a 公文 (`hezuo_office::docx`).
//!
//! The bulletin is a list of sections ([`SECTIONS`]); each reads what it needs and returns its
//! part, or nothing when it has no data. A module adds its section by adding one function to
//! that list — no other section changes. The opening paragraph (总体情况) is the parts'
//! headlines in order.

use crate::views::rate_text;
use futures_util::future::BoxFuture;
use hezuo_domain::bulletin::{self as words, Investment};
use hezuo_domain::figures::completion_rate;
use hezuo_domain::{BlockerKind, TierConfig, Viewer, Yuan};
use hezuo_office::docx::{Block, DocTable, Document};
use hezuo_store::dict::DictKind;
use hezuo_store::project::ProjectFilter;
use hezuo_store::stats::{GroupBy, Period};
use hezuo_store::{Store, StoreError};

/// What a bulletin is about and who asks.
pub struct Request<'a> {
    pub store: &'a Store,
    pub viewer: &'a Viewer,
    pub filter: ProjectFilter,
    pub period: Period,
    pub tiers: &'a TierConfig,
    /// The city's name ("湖州市"), for the title.
    pub city: &'a str,
    /// Today, for the date line and the age of open blocking factors.
    pub today: chrono::NaiveDate,
    pub kind: Kind,
}

/// Which document: the monthly bulletin, or the data part of the year-end summary (the same
/// sections for the whole year, "全年" instead of "1—12月").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    #[default]
    Bulletin,
    YearSummary,
}

/// One section of the bulletin.
pub struct Part {
    /// "签约引资" — numbered by the bulletin ("二、签约引资").
    pub heading: &'static str,
    /// The clause it lends the opening paragraph ("进度滞后项目189个").
    pub headline: Option<String>,
    pub blocks: Vec<Block>,
}

/// A section: reads its figures for the request and writes its part (`None`: nothing to say).
pub type Section = for<'a> fn(&'a Context<'a>) -> BoxFuture<'a, Result<Option<Part>, StoreError>>;

/// The sections, in the order they appear.
pub const SECTIONS: &[Section] = &[
    |c| Box::pin(signing(c)),
    |c| Box::pin(investment(c)),
    |c| Box::pin(lagging(c)),
    |c| Box::pin(key_items(c)),
    |c| Box::pin(assistance(c)),
    |c| Box::pin(platforms(c)),
    |c| Box::pin(mujun(c)),
];

/// What every section reads from: the request, and the words for its scope and period.
pub struct Context<'a> {
    pub request: &'a Request<'a>,
    /// "全市", "吴兴区", "省长三角一体化重大项目".
    pub place: String,
    /// "1—6月".
    pub months: String,
    /// 投资进度 of the whole scope, read once for the sections that state it.
    whole: tokio::sync::OnceCell<hezuo_store::stats::InvestmentStats>,
}

impl Context<'_> {
    /// 投资进度 of the whole scope and period (the cockpit's and the API's figure).
    pub async fn investment(&self) -> Result<&hezuo_store::stats::InvestmentStats, StoreError> {
        let r = self.request;
        self.whole
            .get_or_try_init(|| r.store.investment_stats(r.viewer, &r.filter, r.period))
            .await
    }
}

/// The scope in words: the district, platform or list filtered on, else the whole city (or
/// the viewer's own area).
async fn place(request: &Request<'_>) -> Result<String, StoreError> {
    use hezuo_domain::Area;
    let f = &request.filter;
    let (kind, value) = if let Some(d) = &f.district {
        (DictKind::District, d.clone())
    } else if let Some(p) = f.platform {
        (DictKind::Platform, p.to_string())
    } else if let Some(l) = f.list {
        (DictKind::List, l.to_string())
    } else {
        match &request.viewer.area {
            Some(Area::District(code)) => (DictKind::District, code.clone()),
            Some(Area::Platform(id)) => (DictKind::Platform, id.to_string()),
            None => return Ok("全市".to_string()),
        }
    };
    Ok(request
        .store
        .dict_list(kind)
        .await?
        .into_iter()
        .find(|i| i.value(kind, "code") == value || i.id.to_string() == value)
        .map_or(value, |i| i.name))
}

/// Chinese numerals for the headings ("一" … "十").
fn numeral(n: usize) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        .get(n)
        .copied()
        .unwrap_or("十")
}

/// The bulletin as a document: title, period line, 总体情况 and every section with data.
pub async fn compose(request: &Request<'_>) -> Result<Document, StoreError> {
    let context = Context {
        request,
        place: place(request).await?,
        months: match request.kind {
            Kind::Bulletin => words::months_words(request.period.month),
            Kind::YearSummary => "全年".to_string(),
        },
        whole: tokio::sync::OnceCell::new(),
    };
    let mut parts = Vec::new();
    for section in SECTIONS {
        if let Some(part) = section(&context).await? {
            parts.push(part);
        }
    }
    let period = request.period;
    let mut blocks = Vec::new();
    let clauses: Vec<String> = parts.iter().filter_map(|p| p.headline.clone()).collect();
    blocks.push(Block::Heading("一、总体情况".into()));
    blocks.push(Block::Paragraph(
        words::overview(&context.months, &context.place, &clauses).unwrap_or_else(|| {
            format!(
                "{}{}年{}尚无签约和投资进度数据。",
                context.place, period.year, context.months
            )
        }),
    ));
    for (i, part) in parts.into_iter().enumerate() {
        blocks.push(Block::Heading(format!(
            "{}、{}",
            numeral(i + 1),
            part.heading
        )));
        blocks.extend(part.blocks);
    }
    // Figures and tables numbered in the order they appear (图1, 表1 …).
    let (mut figure, mut table) = (0, 0);
    for b in &mut blocks {
        match b {
            Block::Image(i) => {
                figure += 1;
                i.caption = format!("图{figure}　{}", i.caption);
            }
            Block::Table(t) => {
                table += 1;
                t.caption = format!("表{table}　{}", t.caption);
            }
            _ => {}
        }
    }
    let scope = if context.place == "全市" {
        String::new()
    } else {
        format!("（{}）", context.place)
    };
    Ok(Document {
        title: match request.kind {
            Kind::Bulletin => format!("{}区域合作工作简报{scope}", request.city),
            Kind::YearSummary => {
                format!("{}{}年区域合作工作总结{scope}", request.city, period.year)
            }
        },
        subtitle: vec![
            match request.kind {
                Kind::Bulletin => format!("{}年{}月", period.year, period.month),
                Kind::YearSummary => "（数据部分）".to_string(),
            },
            format!(
                "{}区域合作办公室　{}",
                request.city,
                request.today.format("%Y年%-m月%-d日")
            ),
        ],
        blocks,
    })
}

/// The .docx of the bulletin.
pub async fn write(request: &Request<'_>) -> Result<Vec<u8>, BulletinError> {
    let doc = compose(request).await?;
    hezuo_office::docx::write_docx(&doc).map_err(BulletinError::Write)
}

#[derive(Debug, thiserror::Error)]
pub enum BulletinError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("生成简报文档失败：{0}")]
    Write(String),
}

/// A chart as a picture in the document (drawn at twice its size, for print). A chart that
/// cannot be drawn is left out and logged; the text and tables carry the same figures.
fn picture(svg: &str, caption: String) -> Option<Block> {
    match hezuo_office::chart::svg_to_png(svg, 2.0) {
        Ok(png) => Some(Block::Image(hezuo_office::docx::Image {
            png: png.bytes,
            width_px: png.width,
            height_px: png.height,
            caption,
            svg: svg.to_string(),
        })),
        Err(e) => {
            tracing::warn!(error = %e, "bulletin chart left out");
            None
        }
    }
}

/// Yuan as 万元 with two decimals for a table cell.
fn wan(yuan: i64) -> String {
    Yuan(yuan).wan_text()
}

/// Yuan as 亿元 with two decimals for a table cell.
fn yi(yuan: i64) -> String {
    Yuan(yuan).yi_text(2)
}

async fn signing(c: &Context<'_>) -> Result<Option<Part>, StoreError> {
    let r = c.request;
    let s = r
        .store
        .signing_stats(r.viewer, &r.filter, r.period, r.tiers)
        .await?;
    let tiers: Vec<(i64, i64)> = s.tiers.iter().map(|t| (t.min_yi, t.count)).collect();
    let Some(sentence) = words::signing(&c.months, &c.place, s.count, Yuan(s.investment), &tiers)
    else {
        return Ok(None);
    };
    let mut blocks = vec![Block::Paragraph(sentence.clone())];
    blocks.push(Block::Table(DocTable {
        caption: format!("签约项目规模分布（{}）", c.months),
        header: vec![
            "规模".into(),
            "项目数（个）".into(),
            "协议投资（亿元）".into(),
        ],
        rows: s
            .tiers
            .iter()
            .filter(|t| t.count > 0)
            .map(|t| {
                vec![
                    TierConfig::label(t.min_yi),
                    t.count.to_string(),
                    yi(t.investment),
                ]
            })
            .collect(),
        total: Some(vec![
            "全部签约项目".into(),
            s.count.to_string(),
            yi(s.investment),
        ]),
        widths: vec![3, 2, 3],
        numeric: vec![false, true, true],
    }));
    blocks.extend(picture(
        &crate::charts::signing_tiers(r.period, &s).to_svg(),
        format!("{}签约项目规模分布", c.months),
    ));
    let origins: Vec<Vec<String>> = s
        .by_origin
        .iter()
        .filter(|g| g.count > 0)
        .map(|g| vec![g.label.clone(), g.count.to_string(), yi(g.investment)])
        .collect();
    if !origins.is_empty() {
        blocks.push(Block::Table(DocTable {
            caption: "签约项目来源地".into(),
            header: vec![
                "来源地".into(),
                "项目数（个）".into(),
                "协议投资（亿元）".into(),
            ],
            rows: origins,
            total: Some(vec!["合计".into(), s.count.to_string(), yi(s.investment)]),
            widths: vec![3, 2, 3],
            numeric: vec![false, true, true],
        }));
    }
    Ok(Some(Part {
        heading: "签约引资",
        headline: words::signing_clause(s.count, Yuan(s.investment)),
        blocks,
    }))
}

async fn investment(c: &Context<'_>) -> Result<Option<Part>, StoreError> {
    let r = c.request;
    let whole = c.investment().await?;
    let province = crate::stats::province_reference(r.store, r.period).await?;
    let figures = Investment {
        projects: whole.projects,
        planned: Yuan(whole.planned),
        completed: Yuan(whole.completed),
        rate: whole.completion_rate(),
        time_progress: whole.time_progress(),
        province_permille: province,
        year_on_year: whole.year_on_year(),
    };
    let Some(sentence) = words::investment(&c.months, &c.place, &figures) else {
        return Ok(None);
    };
    let mut blocks = vec![Block::Paragraph(sentence.clone())];
    let rates: Vec<String> = [
        words::starts_and_completions(
            whole.planned_start,
            whole.started,
            whole.planned_completion,
            whole.completed_projects,
        ),
        words::landing(whole.signed, whole.landed),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !rates.is_empty() {
        blocks.push(Block::Paragraph(rates.join("")));
    }
    let by_district = r
        .store
        .investment_stats_by(r.viewer, &r.filter, r.period, Some(GroupBy::District))
        .await?;
    let rows: Vec<Vec<String>> = by_district
        .iter()
        .filter(|(_, _, s)| s.projects > 0)
        .map(|(_, name, s)| {
            vec![
                name.clone(),
                s.projects.to_string(),
                wan(s.planned),
                wan(s.completed),
                rate_text(s.completion_rate()),
                s.light().map_or("—", |l| l.label()).to_string(),
            ]
        })
        .collect();
    let monthly = r
        .store
        .monthly_completed(r.viewer, &r.filter, r.period)
        .await?;
    blocks.extend(picture(
        &crate::charts::cumulative_against_plan(r.period, whole.planned, &monthly).to_svg(),
        format!("{}年累计完成投资与序时计划", r.period.year),
    ));
    if rows.len() > 1 {
        blocks.extend(picture(
            &crate::charts::district_completion(r.period, &by_district, |_| None).to_svg(),
            format!("{}各区县年度投资完成率", c.months),
        ));
    }
    if !rows.is_empty() {
        blocks.push(Block::Table(DocTable {
            caption: format!("各区县重大项目投资完成情况（{}）", c.months),
            header: vec![
                "区县".into(),
                "项目数（个）".into(),
                "年度计划（万元）".into(),
                "累计完成（万元）".into(),
                "完成率".into(),
                "进度".into(),
            ],
            rows,
            total: Some(vec![
                "合计".into(),
                whole.projects.to_string(),
                wan(whole.planned),
                wan(whole.completed),
                rate_text(figures.rate),
                whole.light().map_or("—", |l| l.label()).to_string(),
            ]),
            widths: vec![3, 2, 3, 3, 2, 2],
            numeric: vec![false, true, true, true, true, false],
        }));
    }
    Ok(Some(Part {
        heading: "重大项目投资进度",
        headline: words::investment_clause(figures.rate),
        blocks,
    }))
}

/// Projects named in the lagging paragraph and table.
const LAGGING_SHOWN: i64 = 10;

async fn lagging(c: &Context<'_>) -> Result<Option<Part>, StoreError> {
    let r = c.request;
    let whole = c.investment().await?;
    let worst = r
        .store
        .lagging_projects(r.viewer, &r.filter, r.period, LAGGING_SHOWN)
        .await?;
    let named: Vec<(String, String, Option<hezuo_domain::Ratio>)> = worst
        .iter()
        .take(3)
        .map(|p| {
            (
                p.name.clone(),
                p.district_name.clone(),
                completion_rate(Yuan(p.completed), Yuan(p.planned)),
            )
        })
        .collect();
    // Blocking factors as they stood at the period's end (or today, for the current period):
    // raised by then and not resolved by then; ages run to that day.
    let as_of = r.period.as_of(r.today);
    let open = r.store.blockers_open_on(r.viewer, &r.filter, as_of).await?;
    let by_kind: Vec<(String, i64)> = BlockerKind::ALL
        .iter()
        .map(|k| {
            (
                k.label().to_string(),
                open.iter().filter(|b| b.kind == k.code()).count() as i64,
            )
        })
        .collect();
    let oldest = open
        .iter()
        .filter_map(|b| chrono::NaiveDate::parse_from_str(&b.opened_on, "%Y-%m-%d").ok())
        .map(|d| (as_of - d).num_days())
        .max();
    let sentences: Vec<String> = [
        words::lagging(whole.lights.behind, &named),
        words::blockers(&by_kind, oldest),
    ]
    .into_iter()
    .flatten()
    .collect();
    if sentences.is_empty() {
        return Ok(None);
    }
    let mut blocks: Vec<Block> = sentences.iter().cloned().map(Block::Paragraph).collect();
    if !worst.is_empty() {
        blocks.push(Block::Table(DocTable {
            caption: format!("进度滞后项目（完成率最低的{}个）", worst.len()),
            header: vec![
                "序号".into(),
                "项目名称".into(),
                "区县".into(),
                "年度计划（万元）".into(),
                "累计完成（万元）".into(),
                "完成率".into(),
            ],
            rows: worst
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    vec![
                        (i + 1).to_string(),
                        p.name.clone(),
                        p.district_name.clone(),
                        wan(p.planned),
                        wan(p.completed),
                        rate_text(completion_rate(Yuan(p.completed), Yuan(p.planned))),
                    ]
                })
                .collect(),
            total: Some({
                let (planned, done) = worst
                    .iter()
                    .fold((0, 0), |(p, d), x| (p + x.planned, d + x.completed));
                vec![
                    "合计".into(),
                    format!("{}个", worst.len()),
                    String::new(),
                    wan(planned),
                    wan(done),
                    rate_text(completion_rate(Yuan(done), Yuan(planned))),
                ]
            }),
            widths: vec![3, 12, 4, 5, 5, 3],
            numeric: vec![true, false, false, true, true, true],
        }));
    }
    Ok(Some(Part {
        heading: "滞后项目与要素制约",
        headline: words::lagging_clause(whole.lights.behind),
        blocks,
    }))
}

/// 重点事项推进: the year's key items by status as they stood at the period's end, the lagging
/// ones by name, the agreements carried out, and a table by lead unit. The items are the city's
/// work plan, so a district's, platform's or list's bulletin leaves the section out.
async fn key_items(c: &Context<'_>) -> Result<Option<Part>, StoreError> {
    use hezuo_domain::ItemStatus;
    use hezuo_store::key_item::{KeyItemFilter, KeyItemRow};
    let r = c.request;
    let f = &r.filter;
    if f.district.is_some() || f.platform.is_some() || f.list.is_some() {
        return Ok(None);
    }
    let as_of = r.period.as_of(r.today);
    let year = i64::from(r.period.year);
    let mut filter = KeyItemFilter {
        year: Some(year),
        per_page: Some(1000),
        ..Default::default()
    };
    let mut items: Vec<KeyItemRow> = Vec::new();
    let counts = loop {
        let page = r.store.list_key_items(r.viewer, &filter, as_of).await?;
        let last = page.items.len() < 1000;
        items.extend(page.items);
        if last {
            break page.counts;
        }
        filter.page = Some(filter.page.unwrap_or(1) + 1);
    };
    if items.is_empty() {
        return Ok(None);
    }
    let plans: Vec<String> = r
        .store
        .work_plans(r.viewer, Some(year))
        .await?
        .into_iter()
        .filter(|p| p.items > 0)
        .map(|p| p.name)
        .collect();
    let order = [
        ItemStatus::Done,
        ItemStatus::InProgress,
        ItemStatus::Lagging,
        ItemStatus::NotStarted,
    ];
    let by_status = order.map(|s| (s.label(), counts.get(s)));
    let lagging: Vec<(String, String)> = items
        .iter()
        .filter(|i| i.status == ItemStatus::Lagging.code())
        .map(|i| (i.title.clone(), i.lead_unit_name.clone()))
        .collect();
    let agreements = r
        .store
        .list_agreements(r.viewer, &Default::default(), as_of)
        .await?;
    let sum = |f: fn(&hezuo_domain::agreement::Fulfilment) -> u32| -> i64 {
        agreements
            .items
            .iter()
            .map(|a| i64::from(f(&a.fulfilment)))
            .sum()
    };
    let sentences: Vec<String> = [
        words::key_items(&plans, by_status, counts.done),
        words::lagging_items(&lagging),
        words::agreements(
            agreements.total,
            sum(|f| f.clauses),
            sum(|f| f.broken_down),
            sum(|f| f.carried_out),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut units: Vec<&str> = items.iter().map(|i| i.lead_unit_name.as_str()).collect();
    units.sort_unstable();
    units.dedup();
    let count = |unit: Option<&str>, s: Option<ItemStatus>| {
        items
            .iter()
            .filter(|i| unit.is_none_or(|u| i.lead_unit_name == u))
            .filter(|i| s.is_none_or(|s| i.status == s.code()))
            .count()
            .to_string()
    };
    let row = |unit: Option<&str>| {
        let mut cells = vec![unit.unwrap_or("合计").to_string(), count(unit, None)];
        cells.extend(order.iter().map(|s| count(unit, Some(*s))));
        cells
    };
    let mut blocks: Vec<Block> = sentences.into_iter().map(Block::Paragraph).collect();
    blocks.push(Block::Table(DocTable {
        caption: "重点事项推进情况（按牵头单位）".into(),
        header: ["牵头单位", "事项", "已完成", "推进中", "滞后", "未启动"]
            .map(String::from)
            .to_vec(),
        rows: units.iter().map(|u| row(Some(u))).collect(),
        total: Some(row(None)),
        widths: vec![10, 3, 3, 3, 3, 3],
        numeric: vec![false, true, true, true, true, true],
    }));
    Ok(Some(Part {
        heading: "重点事项推进",
        headline: words::key_items_clause(counts.total(), counts.done),
        blocks,
    }))
}

/// 对口工作: each programme of the period's year in the office's words, its standing read at
/// the period's month, and a table of programmes with their funds. A district's, platform's or
/// list's bulletin leaves it out: the programmes are the city's.
async fn assistance(c: &Context<'_>) -> Result<Option<Part>, StoreError> {
    use hezuo_domain::assistance::{IndicatorStatus, ProgrammeKind};
    use hezuo_store::assistance::ProgrammeFilter;
    let r = c.request;
    let f = &r.filter;
    if f.district.is_some() || f.platform.is_some() || f.list.is_some() {
        return Ok(None);
    }
    let month = hezuo_domain::Month::new(r.period.year, r.period.month).expect("a valid period");
    let filter = ProgrammeFilter {
        year: Some(i64::from(r.period.year)),
        month: Some(month.to_string()),
        ..Default::default()
    };
    let page = r.store.programmes(r.viewer, &filter, month).await?;
    if page.items.is_empty() {
        return Ok(None);
    }
    let status_of = |code: &str| IndicatorStatus::parse(code).unwrap_or(IndicatorStatus::Lagging);
    let mut blocks: Vec<Block> = Vec::new();
    for p in &page.items {
        let short = ProgrammeKind::parse(&p.kind).map_or("对口工作", ProgrammeKind::short);
        let figures: Vec<words::AidFigure<'_>> = p
            .indicators
            .iter()
            .map(|i| words::AidFigure {
                name: &i.name,
                unit: &i.unit,
                target_x100: i.target_x100,
                actual_x100: i.actual_x100,
                status: status_of(&i.status),
            })
            .collect();
        if let Some(sentence) = words::assistance(short, &figures) {
            blocks.push(Block::Paragraph(sentence));
        }
    }
    let met = page
        .items
        .iter()
        .filter(|p| {
            p.status
                .as_deref()
                .is_some_and(|s| status_of(s) >= IndicatorStatus::Completed)
        })
        .count() as i64;
    let (allocated, disbursed) = page.items.iter().fold((0, 0), |(a, d), p| {
        (a + p.funds_allocated, d + p.funds_disbursed)
    });
    blocks.push(Block::Table(DocTable {
        caption: "对口工作推进情况".into(),
        header: [
            "类型",
            "结对地区",
            "安排资金（万元）",
            "已拨付（万元）",
            "总体",
        ]
        .map(String::from)
        .to_vec(),
        rows: page
            .items
            .iter()
            .map(|p| {
                vec![
                    p.kind_label.clone(),
                    p.partner_region.clone(),
                    wan(p.funds_allocated),
                    wan(p.funds_disbursed),
                    p.status_label.clone().unwrap_or_else(|| "未设指标".into()),
                ]
            })
            .collect(),
        total: Some(vec![
            "合计".into(),
            format!("{}项", page.items.len()),
            wan(allocated),
            wan(disbursed),
            format!("{met}项完成"),
        ]),
        widths: vec![5, 8, 4, 4, 4],
        numeric: vec![false, false, true, true, false],
    }));
    Ok(Some(Part {
        heading: "对口工作",
        headline: words::assistance_clause(page.items.len() as i64, met),
        blocks,
    }))
}

/// 合作平台与飞地: each platform's figures for the period, 同比 where last year's exist, and an
/// enclave's tax due to its partner against what arrived. Left out of a district's, platform's
/// or list's bulletin (the platforms are reported for the city).
async fn platforms(c: &Context<'_>) -> Result<Option<Part>, StoreError> {
    use hezuo_domain::figures::year_on_year;
    use hezuo_store::coop_platform::PlatformFilter;
    let r = c.request;
    let f = &r.filter;
    if f.district.is_some() || f.platform.is_some() || f.list.is_some() {
        return Ok(None);
    }
    let filter = PlatformFilter {
        year: Some(i64::from(r.period.year)),
        month: Some(i64::from(r.period.month)),
        kind: None,
    };
    let now = hezuo_domain::Month::new(r.period.year, r.period.month).expect("a valid period");
    let page = r.store.coop_platforms(r.viewer, &filter, now).await?;
    let sentences: Vec<String> = page
        .items
        .iter()
        .filter_map(|p| {
            let cur = p.current.as_ref()?.figures;
            let last = p.last_year.as_ref().map(|l| l.figures);
            Some(words::platform(&words::PlatformFigure {
                name: &p.name,
                fixed_asset_investment: Yuan(cur.fixed_asset_investment),
                fai_yoy: last.and_then(|l| {
                    year_on_year(cur.fixed_asset_investment, l.fixed_asset_investment)
                }),
                industrial_output: Yuan(cur.industrial_output),
                output_yoy: last
                    .and_then(|l| year_on_year(cur.industrial_output, l.industrial_output)),
                projects: cur.projects,
                projects_investment: Yuan(cur.projects_investment),
                tax_share: p
                    .tax_settlement
                    .map(|s| (p.partner_region.as_str(), Yuan(s.agreed), Yuan(s.arrived))),
            }))
        })
        .collect();
    if sentences.is_empty() {
        return Ok(None);
    }
    Ok(Some(Part {
        heading: "合作平台与飞地",
        headline: None,
        blocks: sentences.into_iter().map(Block::Paragraph).collect(),
    }))
}

/// 亩均效益评价: the latest evaluation published by the period's year — classes, movement since
/// the year before, and the improvement list with the land and floor it has freed. A platform's
/// or list's bulletin leaves it out; a district's states its own enterprises.
async fn mujun(c: &Context<'_>) -> Result<Option<Part>, StoreError> {
    use hezuo_domain::mujun_report::{Stage, distribution};
    let r = c.request;
    let f = &r.filter;
    if f.platform.is_some() || f.list.is_some() {
        return Ok(None);
    }
    let mut found = None;
    for year in r.store.mujun_years().await? {
        if year > r.period.year {
            continue;
        }
        let y = r.store.mujun_year(r.viewer, year).await?;
        if y.stage == Some(Stage::Final) {
            found = Some(y);
            break;
        }
    }
    let Some(mut y) = found else {
        return Ok(None);
    };
    let district = f.district.clone();
    let mine = |code: &str| district.as_deref().is_none_or(|d| d == code);
    y.rows.retain(|row| mine(&row.enterprise.district_code));
    if y.rows.is_empty() {
        return Ok(None);
    }
    let classes = y.classes();
    let counts = distribution(&classes, y.rows.iter().map(|row| ("", &row.result))).total;
    let last = r.store.mujun_year(r.viewer, y.year - 1).await?;
    let moved = (last.stage == Some(Stage::Final)).then(|| {
        let m = y.movement_since(&last);
        (m.up, m.down)
    });
    let ids: std::collections::HashSet<i64> = y.rows.iter().map(|row| row.enterprise.id).collect();
    let mut list = r.store.mujun_improvements(r.viewer, y.year, None).await?;
    list.items.retain(|i| ids.contains(&i.enterprise_id));
    let named: Vec<(String, usize)> = classes
        .iter()
        .cloned()
        .zip(counts.counts.iter().copied())
        .collect();
    let text = words::mujun(&words::MujunFigures {
        year: y.year,
        classes: &named,
        exempt: counts.exempt,
        moved,
        listed: list.items.len(),
        done: list.items.iter().filter(|i| i.status == "done").count(),
        vacate: list.items.iter().filter(|i| i.kind == "vacate").count(),
        land_x100: list.items.iter().map(|i| i.land_reclaimed_x100).sum(),
        floor_x100: list.items.iter().map(|i| i.floor_vacated_x100).sum(),
    });
    Ok(Some(Part {
        heading: "亩均效益评价",
        headline: None,
        blocks: vec![Block::Paragraph(text)],
    }))
}

// ---- Pages: the preview and the download ----

use crate::auth::{Chrome, CurrentUser};
use crate::error::AppError;
use crate::views::{Lookups, Opt, html};
use crate::{AppState, form::parse_query};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Deserialize;

/// The bulletin's choices: the month reported to ("2024-06") and a district or list.
#[derive(Debug, Default, Deserialize)]
pub struct BulletinParams {
    /// "summary" for the year-end summary (the period's whole year).
    pub kind: Option<String>,
    pub period: Option<String>,
    pub district: Option<String>,
    pub platform: Option<i64>,
    pub list: Option<i64>,
}

impl BulletinParams {
    /// The period asked for, else the latest month with reports in the viewer's scope.
    async fn period(&self, state: &AppState, viewer: &Viewer) -> Result<Period, AppError> {
        match self.period.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => {
                let period = Period::parse(p)?;
                // A year-end summary covers the whole year whatever month was chosen.
                Ok(if self.kind() == Kind::YearSummary {
                    Period::new(period.year, Some(12))?
                } else {
                    period
                })
            }
            None => {
                let latest = state
                    .store
                    .latest_report_month(viewer)
                    .await?
                    .unwrap_or_else(crate::progress::last_month);
                Ok(Period::new(latest.year, Some(latest.month))?)
            }
        }
    }

    /// The bulletin these choices ask for, in the user's scope.
    async fn request<'a>(
        &self,
        state: &'a AppState,
        user: &'a CurrentUser,
    ) -> Result<Request<'a>, AppError> {
        Ok(Request {
            store: &state.store,
            viewer: &user.viewer,
            filter: self.filter(),
            period: self.period(state, &user.viewer).await?,
            tiers: &state.config.tiers,
            city: &state.config.city_name,
            today: crate::export::beijing_today(),
            kind: self.kind(),
        })
    }

    fn kind(&self) -> Kind {
        if self.kind.as_deref() == Some("summary") {
            Kind::YearSummary
        } else {
            Kind::Bulletin
        }
    }

    fn filter(&self) -> ProjectFilter {
        ProjectFilter {
            district: self.district.clone().filter(|d| !d.is_empty()),
            platform: self.platform,
            list: self.list,
            ..ProjectFilter::default()
        }
    }

    /// The query string of the download link for the same choices.
    fn query(&self, period: Period) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if self.kind() == Kind::YearSummary {
            q.append_pair("kind", "summary");
        }
        q.append_pair("period", &format!("{}-{:02}", period.year, period.month));
        if let Some(d) = self.district.as_deref().filter(|d| !d.is_empty()) {
            q.append_pair("district", d);
        }
        if let Some(p) = self.platform {
            q.append_pair("platform", &p.to_string());
        }
        if let Some(l) = self.list {
            q.append_pair("list", &l.to_string());
        }
        q.finish()
    }
}

#[derive(Template)]
#[template(path = "reports/bulletin.html")]
struct BulletinPage {
    chrome: Chrome,
    doc: Document,
    summary: bool,
    period: String,
    district: String,
    platform: String,
    list: String,
    districts: Vec<Opt>,
    platforms: Vec<Opt>,
    lists: Vec<Opt>,
    download: String,
}

/// `/reports/bulletin`: the bulletin for the chosen scope and period, as it will read.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params: BulletinParams = parse_query(raw.as_deref())?;
    let request = params.request(&state, &user).await?;
    let period = request.period;
    let doc = compose(&request).await?;
    let lookups = Lookups::load(&state, &user.viewer).await?;
    let page = BulletinPage {
        chrome: Chrome::new(&state, &user, "reports"),
        doc,
        summary: params.kind() == Kind::YearSummary,
        period: format!("{}-{:02}", period.year, period.month),
        district: params.district.clone().unwrap_or_default(),
        platform: params.platform.map(|p| p.to_string()).unwrap_or_default(),
        list: params.list.map(|l| l.to_string()).unwrap_or_default(),
        districts: lookups.districts,
        platforms: lookups.platforms,
        lists: lookups.lists,
        download: params.query(period),
    };
    Ok(html(&page))
}

/// `/reports/bulletin.docx`: the same bulletin as a Word document.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params: BulletinParams = parse_query(raw.as_deref())?;
    let request = params.request(&state, &user).await?;
    let period = request.period;
    let bytes = write(&request).await.map_err(|e| match e {
        BulletinError::Store(s) => AppError::from(s),
        other => AppError::Internal(other.to_string()),
    })?;
    let (name, ascii) = match params.kind() {
        Kind::Bulletin => {
            let stamp = format!("{}{:02}", period.year, period.month);
            (
                format!("工作简报-{stamp}.docx"),
                format!("bulletin-{stamp}.docx"),
            )
        }
        Kind::YearSummary => (
            format!("{}年度工作总结（数据部分）.docx", period.year),
            format!("summary-{}.docx", period.year),
        ),
    };
    Ok(crate::export::file_download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &name,
        &ascii,
    ))
}
