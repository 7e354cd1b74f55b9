//! The sentences of the monthly bulletin (工作简报), in the office's own words, from figures
//! already computed. Pure: each function takes numbers and returns a sentence, or `None` when
//! the figure has nothing behind it — a bulletin never says "0个" of something not tracked,
//! and never "NaN". Wording rules are domain.md's: "亿元以上" is ≥ and tiers are cumulative;
//! money ≥ 1亿 as "X.X亿元" (no trailing zeros), else 万元; percentages to one decimal.

use crate::figures::{Ratio, tenths_text, versus_province};
use crate::money::Yuan;
use crate::tier::TierConfig;

/// The months a period covers, as the office writes them: "1—6月", or "1月" in January.
pub fn months_words(month: u32) -> String {
    if month <= 1 {
        "1月".to_string()
    } else {
        format!("1—{month}月")
    }
}

/// "亿元以上" for the 1亿 tier, else "5亿元以上".
fn tier_words(min_yi: i64) -> String {
    if min_yi == 1 {
        "亿元以上".to_string()
    } else {
        TierConfig::label(min_yi)
    }
}

/// 签约: "1—6月，全市已签约引资项目526个，协议总投资1234.5亿元，其中亿元以上项目431个、
/// 5亿元以上项目162个。" Tiers are `(min_yi, count)` ascending and cumulative; a tier nobody
/// reached is left out (and so are those above it). `None` when nothing was signed.
pub fn signing(
    months: &str,
    place: &str,
    count: i64,
    investment: Yuan,
    tiers: &[(i64, i64)],
) -> Option<String> {
    if count <= 0 {
        return None;
    }
    let mut s = format!("{months}，{place}已签约引资项目{count}个");
    if investment.0 > 0 {
        s.push_str(&format!("，协议总投资{investment}"));
    }
    let reached: Vec<String> = tiers
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{}项目{n}个", tier_words(*t)))
        .collect();
    if !reached.is_empty() {
        s.push_str("，其中");
        s.push_str(&reached.join("、"));
    }
    s.push('。');
    Some(s)
}

/// The opening paragraph (总体情况): "1—6月，全市签约引资项目104个、协议总投资1204.79亿元；重大
/// 项目年度计划投资完成率49.4%；进度滞后项目189个。" from each section's clause, in order.
/// `None` when no section had anything to say.
pub fn overview(months: &str, place: &str, clauses: &[String]) -> Option<String> {
    (!clauses.is_empty()).then(|| format!("{months}，{place}{}。", clauses.join("；")))
}

/// The signing clause of the overview: "签约引资项目104个、协议总投资1204.79亿元".
pub fn signing_clause(count: i64, investment: Yuan) -> Option<String> {
    (count > 0).then(|| {
        if investment.0 > 0 {
            format!("签约引资项目{count}个、协议总投资{investment}")
        } else {
            format!("签约引资项目{count}个")
        }
    })
}

/// The investment clause of the overview: "重大项目年度计划投资完成率49.4%".
pub fn investment_clause(rate: Option<Ratio>) -> Option<String> {
    rate.map(|r| format!("重大项目年度计划投资完成率{}", r.percent_text()))
}

/// The lagging clause of the overview: "进度滞后项目189个".
pub fn lagging_clause(count: i64) -> Option<String> {
    (count > 0).then(|| format!("进度滞后项目{count}个"))
}

/// How a rate stands against 时序进度: "高于时序进度8.0个百分点" / "低于…" / "与时序进度持平".
fn versus_time(rate: Ratio, time: Ratio) -> String {
    let diff = rate.permille() - time.permille();
    match diff {
        0 => "与时序进度持平".to_string(),
        d if d > 0 => format!("高于时序进度{}个百分点", tenths_text(d)),
        d => format!("低于时序进度{}个百分点", tenths_text(-d)),
    }
}

/// The investment figures of one scope and period, as the bulletin needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Investment {
    /// Projects with an annual plan for the year.
    pub projects: i64,
    pub planned: Yuan,
    pub completed: Yuan,
    pub rate: Option<Ratio>,
    pub time_progress: Ratio,
    /// The province's completion rate for the same period, in tenths of a percent, if entered.
    pub province_permille: Option<i64>,
    /// 同比 of the completed investment, when last year has data.
    pub year_on_year: Option<Ratio>,
}

/// 投资完成: "1—6月，全市89个重大项目完成年度投资241亿元，年度计划投资完成率达52.1%，高于时序
/// 进度2.1个百分点，快于全省3.0个百分点，同比增长12.5%。" `None` without planned projects.
pub fn investment(months: &str, place: &str, f: &Investment) -> Option<String> {
    let rate = f.rate.filter(|_| f.projects > 0)?;
    let mut s = format!(
        "{months}，{place}{}个重大项目完成年度投资{}，年度计划投资完成率达{}，{}",
        f.projects,
        f.completed,
        rate.percent_text(),
        versus_time(rate, f.time_progress)
    );
    if let Some(p) = f.province_permille {
        s.push('，');
        s.push_str(&versus_province(rate.permille(), p));
    }
    if let Some(y) = f.year_on_year {
        s.push('，');
        s.push_str(&yoy_words(y));
    }
    s.push('。');
    Some(s)
}

/// "同比增长12.5%", "同比下降3.0%", "与上年同期持平".
pub fn yoy_words(y: Ratio) -> String {
    match y.permille() {
        0 => "与上年同期持平".to_string(),
        p if p > 0 => format!("同比增长{}%", tenths_text(p)),
        p => format!("同比下降{}%", tenths_text(-p)),
    }
}

/// 开工 and 竣工: "计划年内开工项目40个，已开工32个，开工率80.0%；计划年内竣工项目12个，已竣工
/// 5个，竣工率41.7%。" Each half only when something was planned; `None` when neither.
pub fn starts_and_completions(
    planned_start: i64,
    started: i64,
    planned_completion: i64,
    completed: i64,
) -> Option<String> {
    let part = |planned: i64, done: i64, verb: &str| {
        Ratio::new(done, planned).map(|r| {
            format!(
                "计划年内{verb}项目{planned}个，已{verb}{done}个，{verb}率{}",
                r.percent_text()
            )
        })
    };
    let parts: Vec<String> = [
        part(planned_start, started, "开工"),
        part(planned_completion, completed, "竣工"),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("；") + "。")
}

/// 落地: "签约项目60个，已开工落地21个，落地率35.0%。" `None` when nothing was signed.
pub fn landing(signed: i64, landed: i64) -> Option<String> {
    Ratio::new(landed, signed).map(|r| {
        format!(
            "签约项目{signed}个，已开工落地{landed}个，落地率{}。",
            r.percent_text()
        )
    })
}

/// 滞后: "进度滞后项目18个，其中完成率最低的是：A（吴兴区，完成率12.0%）、B（…）。" `shown`
/// are (name, district, rate) of the worst few. `None` when nothing lags.
pub fn lagging(count: i64, shown: &[(String, String, Option<Ratio>)]) -> Option<String> {
    if count <= 0 {
        return None;
    }
    let mut s = format!("进度滞后项目{count}个");
    let names: Vec<String> = shown
        .iter()
        .map(|(name, district, rate)| match rate {
            Some(r) => format!("{name}（{district}，完成率{}）", r.percent_text()),
            None => format!("{name}（{district}）"),
        })
        .collect();
    if !names.is_empty() {
        s.push_str("，其中完成率最低的是：");
        s.push_str(&names.join("、"));
    }
    s.push('。');
    Some(s)
}

/// 要素制约: "尚未解决的要素制约9项，其中用地4项、资金3项、审批2项，最久的已持续126天。"
/// `by_kind` is (label, count) in the order to name them. `None` when none is open.
pub fn blockers(by_kind: &[(String, i64)], oldest_days: Option<i64>) -> Option<String> {
    let total: i64 = by_kind.iter().map(|(_, n)| n).sum();
    if total <= 0 {
        return None;
    }
    let kinds: Vec<String> = by_kind
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{k}{n}项"))
        .collect();
    let mut s = format!("尚未解决的要素制约{total}项，其中{}", kinds.join("、"));
    if let Some(d) = oldest_days.filter(|d| *d > 0) {
        s.push_str(&format!("，最久的已持续{d}天"));
    }
    s.push('。');
    Some(s)
}

/// The year's key items by status, as the lists name them:
/// "2024年“10+20+5”清单等重点事项22项，已完成17项、推进中3项、滞后2项，完成率77.3%。"
/// Statuses nobody is in are left out; `None` without items.
pub fn key_items(plans: &[String], counts: [(&str, i64); 4], done: i64) -> Option<String> {
    let total: i64 = counts.iter().map(|c| c.1).sum();
    if total <= 0 {
        return None;
    }
    let source = match plans {
        [] => String::new(),
        [one] => one.clone(),
        [first, ..] => format!("{first}等"),
    };
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(label, n)| format!("{label}{n}项"))
        .collect();
    let rate = Ratio::new(done, total)
        .map_or_else(String::new, |r| format!("，完成率{}", r.percent_text()));
    Some(format!(
        "{source}重点事项{total}项，{}{rate}。",
        parts.join("、")
    ))
}

pub fn key_items_clause(total: i64, done: i64) -> Option<String> {
    (total > 0).then(|| format!("重点事项{total}项、已完成{done}项"))
}

/// "滞后事项3项：省际断头路建设（市交通运输局）、……。"
pub fn lagging_items(items: &[(String, String)]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let names: Vec<String> = items.iter().map(|(t, u)| format!("{t}（{u}）")).collect();
    Some(format!("滞后事项{}项：{}。", items.len(), names.join("、")))
}

/// "已签订合作协议10份、条款40条，已分解落实17条，其中已全面落实15条。"
pub fn agreements(count: i64, clauses: i64, broken_down: i64, carried_out: i64) -> Option<String> {
    if count <= 0 {
        return None;
    }
    let mut s = format!("已签订合作协议{count}份");
    if clauses > 0 {
        s.push_str(&format!("、条款{clauses}条，已分解落实{broken_down}条"));
        if carried_out > 0 {
            s.push_str(&format!("，其中已全面落实{carried_out}条"));
        }
    }
    s.push('。');
    Some(s)
}

/// "对口工作5项、4项完成省定目标".
pub fn assistance_clause(total: i64, met: i64) -> Option<String> {
    (total > 0).then(|| format!("对口工作{total}项、{met}项完成省定目标"))
}

/// An indicator as the bulletin states it: name, unit, target and actual (hundredths), status.
pub struct AidFigure<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub target_x100: i64,
    pub actual_x100: i64,
    pub status: crate::assistance::IndicatorStatus,
}

/// One programme in the office's words: "援疆：投入援疆资金1.11亿元，安排援疆项目28个，选派干部
/// 人才97人次，各项指标均完成省定目标任务。" Money in 万元 reads as money ("1.11亿元"),
/// 资金 and 项目 take the programme's word ("援疆资金", "援疆项目"); an indicator behind states its
/// target ("考察签约企业4家（省定目标5家，进度滞后）"). `None` without indicators.
pub fn assistance(short: &str, figures: &[AidFigure<'_>]) -> Option<String> {
    use crate::assistance::{IndicatorStatus::*, amount_text};
    if figures.is_empty() {
        return None;
    }
    let parts: Vec<String> = figures
        .iter()
        .map(|f| {
            let stated = if f.unit == "万元" {
                let money = Yuan(f.actual_x100 * 100);
                let name = if f.name.contains("资金") && !f.name.contains(short) {
                    format!("{short}资金")
                } else {
                    f.name.to_string()
                };
                let verb = if f.name.contains("资金") {
                    "投入"
                } else {
                    ""
                };
                format!("{verb}{name}{money}")
            } else if f.name == "援助项目" {
                format!("安排{short}项目{}{}", amount_text(f.actual_x100), f.unit)
            } else {
                format!("{}{}{}", f.name, amount_text(f.actual_x100), f.unit)
            };
            if f.status == Lagging {
                format!(
                    "{stated}（省定目标{}{}，进度滞后）",
                    amount_text(f.target_x100),
                    f.unit
                )
            } else {
                stated
            }
        })
        .collect();
    let standing = match figures.iter().map(|f| f.status).min().unwrap_or(Lagging) {
        ExceededEarly => "，各项指标均提前超额完成省定目标任务",
        Exceeded => "，各项指标均超额完成省定目标任务",
        Completed => "，各项指标均完成省定目标任务",
        OnSchedule => "，各项指标均按序时推进",
        Lagging => "",
    };
    Some(format!("{short}：{}{standing}。", parts.join("，")))
}

/// A platform's or enclave's period as the bulletin states it.
pub struct PlatformFigure<'a> {
    pub name: &'a str,
    pub fixed_asset_investment: Yuan,
    pub fai_yoy: Option<Ratio>,
    pub industrial_output: Yuan,
    pub output_yoy: Option<Ratio>,
    pub projects: i64,
    pub projects_investment: Yuan,
    /// For an enclave: (partner, tax due to it, tax arrived).
    pub tax_share: Option<(&'a str, Yuan, Yuan)>,
}

/// "南庆产业飞地完成固定资产投资13.4亿元、同比增长31.4%，规上工业总产值22.2亿元、同比增长
/// 42.3%，引进项目6个、总投资109亿元；应分丽水市庆元县税收0.77亿元，实到0.7亿元。"
pub fn platform(f: &PlatformFigure<'_>) -> String {
    let with_yoy = |v: Yuan, y: Option<Ratio>| match y {
        Some(y) => format!("{v}、{}", yoy_words(y)),
        None => v.to_string(),
    };
    let mut s = format!(
        "{}完成固定资产投资{}，规上工业总产值{}",
        f.name,
        with_yoy(f.fixed_asset_investment, f.fai_yoy),
        with_yoy(f.industrial_output, f.output_yoy)
    );
    if f.projects > 0 {
        s.push_str(&format!(
            "，引进项目{}个、总投资{}",
            f.projects, f.projects_investment
        ));
    }
    if let Some((partner, due, arrived)) = f.tax_share {
        s.push_str(&format!("；应分{partner}税收{due}，实到{arrived}"));
    }
    s.push('。');
    s
}

/// A year's 亩均效益评价 as the bulletin states it.
pub struct MujunFigures<'a> {
    pub year: i32,
    /// Each class with its count, best first.
    pub classes: &'a [(String, usize)],
    pub exempt: usize,
    /// (moved up, moved down) against last year, when last year was evaluated.
    pub moved: Option<(usize, usize)>,
    /// The improvement list: enterprises on it, done, 腾笼换鸟, land (亩) and floor (m²) in hundredths.
    pub listed: usize,
    pub done: usize,
    pub vacate: usize,
    pub land_x100: i64,
    pub floor_x100: i64,
}

/// "2024年度亩均效益评价结果已发布，参评企业1130家，其中A类226家、……；与上年度相比，等级上升140家、
/// 下降136家。D类企业56家列入整治提升清单，已完成6家，其中腾笼换鸟17家；累计腾退土地548亩、
/// 腾出厂房45.56万平方米。"
pub fn mujun(f: &MujunFigures<'_>) -> String {
    let graded: usize = f.classes.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = f
        .classes
        .iter()
        .map(|(c, n)| format!("{c}类{n}家"))
        .collect();
    let mut s = format!(
        "{}年度亩均效益评价结果已发布，参评企业{graded}家，其中{}",
        f.year,
        parts.join("、")
    );
    if f.exempt > 0 {
        s.push_str(&format!("，另有免评企业{}家", f.exempt));
    }
    if let Some((up, down)) = f.moved {
        s.push_str(&format!("；与上年度相比，等级上升{up}家、下降{down}家"));
    }
    s.push('。');
    if f.listed > 0 {
        let hundredths = |x: i64| crate::assistance::amount_text(x);
        let floor = if f.floor_x100 >= 1_000_000 {
            format!("{}万平方米", hundredths((f.floor_x100 + 5_000) / 10_000))
        } else {
            format!("{}平方米", hundredths(f.floor_x100))
        };
        let bottom = f.classes.last().map_or("", |(c, _)| c.as_str());
        s.push_str(&format!(
            "{bottom}类企业{}家列入整治提升清单，已完成{}家，其中腾笼换鸟{}家；累计腾退土地{}亩、腾出厂房{floor}。",
            f.listed,
            f.done,
            f.vacate,
            hundredths(f.land_x100)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::time_progress;
    use crate::money::YI;

    #[test]
    fn mujun_states_the_classes_the_movement_and_the_improvement_list() {
        let classes = [
            ("A".to_string(), 226),
            ("B".to_string(), 452),
            ("C".to_string(), 396),
            ("D".to_string(), 56),
        ];
        let s = mujun(&MujunFigures {
            year: 2024,
            classes: &classes,
            exempt: 70,
            moved: Some((140, 136)),
            listed: 56,
            done: 6,
            vacate: 17,
            land_x100: 54_800,
            floor_x100: 45_558_000,
        });
        assert_eq!(
            s,
            "2024年度亩均效益评价结果已发布，参评企业1130家，其中A类226家、B类452家、C类396家、D类56家，另有免评企业70家；\
             与上年度相比，等级上升140家、下降136家。D类企业56家列入整治提升清单，已完成6家，其中腾笼换鸟17家；\
             累计腾退土地548亩、腾出厂房45.56万平方米。"
        );
    }

    #[test]
    fn signing_counts_tiers_cumulatively_and_leaves_out_the_empty_ones() {
        let s = signing(
            &months_words(12),
            "全市",
            526,
            Yuan(123_456_000_000),
            &[
                (1, 431),
                (3, 200),
                (5, 162),
                (10, 40),
                (20, 3),
                (50, 0),
                (100, 0),
            ],
        );
        assert_eq!(
            s.as_deref(),
            Some(
                "1—12月，全市已签约引资项目526个，协议总投资1234.56亿元，其中亿元以上项目431个、\
                 3亿元以上项目200个、5亿元以上项目162个、10亿元以上项目40个、20亿元以上项目3个。"
            )
        );
        assert_eq!(signing("1月", "全市", 0, Yuan(0), &[(1, 0)]), None);
        assert_eq!(
            signing("1月", "吴兴区", 2, Yuan(80_000_000), &[(1, 0)]).as_deref(),
            Some("1月，吴兴区已签约引资项目2个，协议总投资8000万元。")
        );
    }

    #[test]
    fn investment_reads_like_the_office_example() {
        let f = Investment {
            projects: 27,
            planned: Yuan(15_855_000_000),
            completed: Yuan(241 * YI),
            rate: Ratio::new(241 * YI, 15_855_000_000),
            time_progress: time_progress(12),
            province_permille: Some(1089),
            year_on_year: None,
        };
        assert_eq!(
            investment(&months_words(12), "全市", &f).as_deref(),
            Some(
                "1—12月，全市27个重大项目完成年度投资241亿元，年度计划投资完成率达152.0%，\
                 高于时序进度52.0个百分点，快于全省43.1个百分点。"
            )
        );
    }

    #[test]
    fn investment_says_nothing_without_a_plan_and_states_a_fall() {
        let none = Investment {
            projects: 0,
            planned: Yuan(0),
            completed: Yuan(0),
            rate: None,
            time_progress: time_progress(6),
            province_permille: None,
            year_on_year: None,
        };
        assert_eq!(investment("1—6月", "全市", &none), None);
        let f = Investment {
            projects: 3,
            planned: Yuan(10 * YI),
            completed: Yuan(5 * YI),
            rate: Ratio::new(5, 10),
            year_on_year: Ratio::new(-1, 8),
            ..none
        };
        assert_eq!(
            investment("1—6月", "吴兴区", &f).as_deref(),
            Some(
                "1—6月，吴兴区3个重大项目完成年度投资5亿元，年度计划投资完成率达50.0%，\
                 与时序进度持平，同比下降12.5%。"
            )
        );
    }

    #[test]
    fn rates_appear_only_where_something_was_planned() {
        assert_eq!(
            starts_and_completions(40, 32, 12, 5).as_deref(),
            Some(
                "计划年内开工项目40个，已开工32个，开工率80.0%；计划年内竣工项目12个，已竣工5个，竣工率41.7%。"
            )
        );
        assert_eq!(
            starts_and_completions(0, 0, 3, 3).as_deref(),
            Some("计划年内竣工项目3个，已竣工3个，竣工率100.0%。")
        );
        assert_eq!(starts_and_completions(0, 0, 0, 0), None);
        assert_eq!(landing(0, 0), None);
        assert_eq!(
            landing(60, 21).as_deref(),
            Some("签约项目60个，已开工落地21个，落地率35.0%。")
        );
    }

    #[test]
    fn lagging_and_blockers_name_the_worst_and_count_by_kind() {
        let shown = vec![
            (
                "甲项目".to_string(),
                "吴兴区".to_string(),
                Ratio::new(12, 100),
            ),
            ("乙项目".to_string(), "南浔区".to_string(), None),
        ];
        assert_eq!(
            lagging(18, &shown).as_deref(),
            Some(
                "进度滞后项目18个，其中完成率最低的是：甲项目（吴兴区，完成率12.0%）、乙项目（南浔区）。"
            )
        );
        assert_eq!(lagging(0, &[]), None);
        let kinds = vec![
            ("用地".to_string(), 4),
            ("资金".to_string(), 0),
            ("审批".to_string(), 2),
        ];
        assert_eq!(
            blockers(&kinds, Some(126)).as_deref(),
            Some("尚未解决的要素制约6项，其中用地4项、审批2项，最久的已持续126天。")
        );
        assert_eq!(blockers(&[("用地".to_string(), 0)], None), None);
    }

    #[test]
    fn the_overview_joins_the_sections_clauses() {
        let clauses: Vec<String> = [
            signing_clause(104, Yuan(120_479_000_000)),
            investment_clause(Ratio::new(494, 1000)),
            lagging_clause(0),
        ]
        .into_iter()
        .flatten()
        .collect();
        assert_eq!(
            overview("1—6月", "全市", &clauses).as_deref(),
            Some(
                "1—6月，全市签约引资项目104个、协议总投资1204.79亿元；重大项目年度计划投资完成率49.4%。"
            )
        );
        assert_eq!(overview("1—6月", "全市", &[]), None);
        assert_eq!(signing_clause(0, Yuan(0)), None);
    }

    #[test]
    fn months_are_written_as_a_range_from_january() {
        assert_eq!(months_words(1), "1月");
        assert_eq!(months_words(6), "1—6月");
    }

    #[test]
    fn key_item_sentences_leave_out_what_nobody_is_in() {
        let plans = vec![
            "2024年“10+20+5”清单".to_string(),
            "2024年工作要点".to_string(),
        ];
        let counts = [("已完成", 17), ("推进中", 3), ("滞后", 2), ("未启动", 0)];
        assert_eq!(
            key_items(&plans, counts, 17).unwrap(),
            "2024年“10+20+5”清单等重点事项22项，已完成17项、推进中3项、滞后2项，完成率77.3%。"
        );
        assert_eq!(
            key_items(
                &plans[..1],
                [("已完成", 1), ("推进中", 0), ("滞后", 0), ("未启动", 1)],
                1
            )
            .unwrap(),
            "2024年“10+20+5”清单重点事项2项，已完成1项、未启动1项，完成率50.0%。"
        );
        assert_eq!(
            key_items(
                &plans,
                [("已完成", 0), ("推进中", 0), ("滞后", 0), ("未启动", 0)],
                0
            ),
            None
        );
        assert_eq!(
            lagging_items(&[("省际断头路建设".into(), "市交通运输局".into())]).unwrap(),
            "滞后事项1项：省际断头路建设（市交通运输局）。"
        );
        assert_eq!(lagging_items(&[]), None);
        assert_eq!(
            agreements(10, 40, 17, 15).unwrap(),
            "已签订合作协议10份、条款40条，已分解落实17条，其中已全面落实15条。"
        );
        assert_eq!(agreements(2, 0, 0, 0).unwrap(), "已签订合作协议2份。");
        assert_eq!(agreements(0, 0, 0, 0), None);
    }

    #[test]
    fn assistance_reads_like_the_seed_report() {
        use crate::assistance::IndicatorStatus::*;
        let f = |name, unit, target: i64, actual: i64, status| AidFigure {
            name,
            unit,
            target_x100: target * 100,
            actual_x100: actual * 100,
            status,
        };
        assert_eq!(
            assistance(
                "援疆",
                &[
                    f("财政援助资金", "万元", 11000, 11080, Exceeded),
                    f("援助项目", "个", 28, 28, Completed),
                    f("选派干部人才", "人次", 90, 97, Exceeded),
                ]
            )
            .unwrap(),
            "援疆：投入援疆资金1.11亿元，安排援疆项目28个，选派干部人才97人次，各项指标均完成省定目标任务。"
        );
        assert_eq!(
            assistance(
                "山海协作",
                &[
                    f("财政援助资金", "万元", 1500, 1540, ExceededEarly),
                    f("消费帮扶", "万元", 3500, 3710, ExceededEarly),
                    f("劳动力培训", "人次", 2000, 2264, ExceededEarly),
                ]
            )
            .unwrap(),
            "山海协作：投入山海协作资金1540万元，消费帮扶3710万元，劳动力培训2264人次，各项指标均提前超额完成省定目标任务。"
        );
        assert_eq!(
            assistance("省际合作", &[f("考察签约企业", "家", 5, 4, Lagging)]).unwrap(),
            "省际合作：考察签约企业4家（省定目标5家，进度滞后）。"
        );
        assert_eq!(assistance("援青", &[]), None);
    }

    #[test]
    fn a_platform_reads_like_the_seed_report() {
        let yi = |tenths: i64| Yuan(tenths * 10_000_000);
        let f = PlatformFigure {
            name: "南庆产业飞地",
            fixed_asset_investment: yi(134),
            fai_yoy: Ratio::new(32, 100),
            industrial_output: yi(222),
            output_yoy: None,
            projects: 6,
            projects_investment: yi(1090),
            tax_share: Some(("丽水市庆元县", Yuan(77_000_000), Yuan(70_000_000))),
        };
        assert_eq!(
            platform(&f),
            "南庆产业飞地完成固定资产投资13.4亿元、同比增长32.0%，规上工业总产值22.2亿元，引进项目6个、总投资109亿元；应分丽水市庆元县税收7700万元，实到7000万元。"
        );
    }
}
