//! Key items (重点事项) from the lists offices keep in Excel: one row an item, with its
//! category, lead unit, partners, target and its milestones written as phrases ("6月底前完成
//! 园区规划；12月底前引进项目5个") or a single 完成时限. The plan is a column, or — as usual —
//! the sheet's title ("2024年湖州市推进长三角一体化发展重点合作事项清单"), its year a column or
//! the title's.

use super::records::{period_in, read_all};
use super::vocab::{Dict, Vocab};
use super::{Field, Remembered, SheetResult};
use crate::book::Book;
use hezuo_domain::cells::half_width;
use hezuo_domain::key_item::{ItemRecord, Milestone, deadline_in, milestones_in, split_names};

macro_rules! field {
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?]) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: false }
    };
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?], required) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: true }
    };
}

/// The columns of a key-item list.
pub const KEY_ITEM_FIELDS: &[Field] = &[
    field!("plan", "所属计划", ["所属计划", "计划名称", "清单名称"]),
    field!("year", "年度", ["计划年度", "年度", "年份"]),
    field!(
        "category",
        "任务类别",
        [
            "任务类别",
            "任务分类",
            "工作领域",
            "类别",
            "分类",
            "领域",
            "板块"
        ],
        required
    ),
    field!(
        "title",
        "事项名称",
        [
            "事项名称",
            "重点事项",
            "任务名称",
            "工作任务",
            "事项",
            "任务",
            "名称"
        ],
        required
    ),
    field!(
        "lead_unit",
        "牵头单位",
        ["牵头单位", "牵头部门", "主要责任单位", "责任单位"],
        required
    ),
    field!(
        "partner_units",
        "配合单位",
        ["配合单位", "配合部门", "协同单位", "参与单位"]
    ),
    field!(
        "partner_regions",
        "合作地区",
        ["合作地区", "合作城市", "对接地区", "合作方"]
    ),
    field!(
        "target",
        "目标任务",
        [
            "目标任务",
            "工作目标",
            "年度目标",
            "主要内容",
            "工作内容",
            "具体内容"
        ]
    ),
    field!(
        "milestones",
        "节点安排",
        [
            "节点安排",
            "时间节点",
            "进度安排",
            "推进节点",
            "节点计划",
            "阶段目标"
        ]
    ),
    field!(
        "deadline",
        "完成时限",
        ["完成时限", "完成时间", "截止时间", "时限"]
    ),
];

/// Reads every key-item table in the book.
pub fn read_key_items(
    book: &Book,
    vocab: &Vocab,
    remembered: &Remembered,
) -> SheetResult<ItemRecord> {
    read_all(
        book,
        KEY_ITEM_FIELDS,
        vocab,
        remembered,
        |_| None,
        |sheet, table, r, (title_year, _), names, bad| {
            let text = |key: &str| {
                table
                    .mapping
                    .get(key)
                    .map_or(String::new(), |c| sheet.cell(r, *c).trim().to_string())
            };
            let title_text = table
                .above
                .iter()
                .map(|t| t.trim())
                .find(|t| !t.is_empty() && !t.contains("单位："))
                .unwrap_or("")
                .to_string();
            let plan_name = match text("plan") {
                p if p.is_empty() => title_text.clone(),
                p => p,
            };
            if plan_name.is_empty() {
                bad.push((
                    "plan".into(),
                    String::new(),
                    "没有所属计划：请加一列“所属计划”，或在表格标题中写明，如“2024年重点合作事项清单”".into(),
                ));
            }
            let year = match half_width(&text("year")) {
                y if y.is_empty() => title_year.or_else(|| period_in(&[plan_name.as_str()]).0),
                y => y
                    .trim_end_matches("年度")
                    .trim_end_matches('年')
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (2000..=2100).contains(y)),
            };
            let Some(year) = year else {
                bad.push((
                    "year".into(),
                    text("year"),
                    "没有年度：请加一列“年度”，或在标题中写明，如“2024年重点合作事项清单”".into(),
                ));
                return None;
            };
            let title = text("title");
            if title.is_empty() {
                bad.push(("title".into(), String::new(), "请填写事项名称".into()));
            } else if title.chars().count() > 200 {
                bad.push((
                    "title".into(),
                    title.clone(),
                    "事项名称不能超过200字".into(),
                ));
            }
            let category = text("category");
            if category.is_empty() {
                bad.push(("category".into(), String::new(), "请填写任务类别".into()));
            }
            let unit_text = text("lead_unit");
            // The first unit named leads; any others are partners ("市发改委、市交通运输局").
            let mut units = split_names(&unit_text);
            let lead = if units.is_empty() {
                bad.push(("lead_unit".into(), String::new(), "请填写牵头单位".into()));
                None
            } else {
                let first = units.remove(0);
                match names.find(Dict::Unit, &first) {
                    Some((id, _)) => id.parse::<i64>().ok(),
                    None => {
                        bad.push((
                            "lead_unit".into(),
                            unit_text.clone(),
                            format!("系统中没有“{first}”这个单位，请先在系统管理中添加"),
                        ));
                        None
                    }
                }
            };
            let mut milestones: Vec<Milestone> = match milestones_in(&text("milestones"), year) {
                Ok(ms) => ms,
                Err(e) => {
                    bad.push(("milestones".into(), text("milestones"), e));
                    Vec::new()
                }
            };
            let deadline = text("deadline");
            if !deadline.is_empty() {
                match deadline_in(&deadline, year) {
                    Some(due) if !milestones.iter().any(|m| m.due == due) => {
                        milestones.push(Milestone {
                            title: "完成全部目标任务".into(),
                            due,
                        })
                    }
                    Some(_) => {}
                    None => bad.push((
                        "deadline".into(),
                        deadline.clone(),
                        "看不出完成时限，请写成 2024-12-31 或“12月底前”".into(),
                    )),
                }
            }
            let mut partners = units;
            partners.extend(split_names(&text("partner_units")));
            Some(ItemRecord {
                plan_name,
                plan_year: year,
                category,
                title,
                lead_unit_id: lead?,
                partner_units: partners,
                partner_regions: split_names(&text("partner_regions")),
                target: text("target"),
                milestones,
            })
        },
    )
}

/// The import template: the columns in order, an example row, and what each column takes.
pub fn key_item_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let example: Vec<&str> = KEY_ITEM_FIELDS
        .iter()
        .map(|f| match f.key {
            "plan" => "2024年重点合作事项清单",
            "year" => "2024",
            "category" => "产业协同",
            "title" => "共建G60科创走廊湖州产业合作园",
            "lead_unit" => "市经信局",
            "partner_units" => "市发改委、市商务局",
            "partner_regions" => "上海市松江区",
            "target" => "完成园区规划并引进项目5个",
            "milestones" => "6月底前完成园区规划；12月底前引进项目5个",
            "deadline" => "2024-12-31",
            _ => "",
        })
        .collect();
    super::template(
        "重点事项导入模板（第3行为示例，请替换；带 * 的列必填）",
        KEY_ITEM_FIELDS,
        &example,
        &[
            (
                "所属计划",
                "不填时取表格标题（如“2024年湖州市推进长三角一体化发展工作要点”）；系统中没有的计划将新建",
            ),
            ("年度", "如 2024；不填时取标题中的年份"),
            (
                "任务类别*",
                "已有计划须为其类别之一；新计划以表中出现的类别为准",
            ),
            (
                "事项名称*",
                "同一计划内按事项名称匹配：再次导入同名事项将更新，不会重复",
            ),
            (
                "牵头单位*",
                "须为系统中的单位；写了多个单位时第一个为牵头单位，其余计为配合单位",
            ),
            (
                "节点安排",
                "每个节点一句，用分号或换行分隔，须写明时限，如“6月底前完成园区规划”",
            ),
            ("完成时限", "如 2024-12-31 或“年底前”；与节点安排都可填"),
        ],
    )
}
