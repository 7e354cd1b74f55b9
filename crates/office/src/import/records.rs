//! Annual plans (年度投资计划) and monthly progress (月度进展) from the sheets offices pass
//! round: each row names a project already in the library (by code, else by name and
//! district), and is validated by the same rules as the plan and report forms
//! ([`PlanInput::validate`], [`ProgressInput::validate`]).
//!
//! The year or month is a column, or — as often — only in the title ("2024年度重大项目投资
//! 计划表", "2024年1-3月重点项目进展情况") or the sheet's name ("3月").

use super::vocab::{Dict, Names, Vocab, money_unit, read_money};
use super::{
    CellError, Field, Remembered, SheetResult, Table, find_tables, normalize, push_row_errors,
};
use crate::book::{Book, Sheet};
use hezuo_domain::cells::{Sourced, half_width, parse_date};
use hezuo_domain::money::Currency;
use hezuo_domain::progress::{
    BlockerKind, Month, PlanInput, PlanRecord, ProgressInput, ProgressRecord, ProjectRef,
};

macro_rules! field {
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?]) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: false }
    };
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?], required) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: true }
    };
}

/// The columns naming the project a row is about.
macro_rules! project_fields {
    () => {
        [
            field!("name", "项目名称", ["项目名称", "项目", "名称"], required),
            field!(
                "project_code",
                "项目代码",
                ["项目代码", "国家项目代码", "统一项目代码", "赋码"]
            ),
            field!(
                "district_code",
                "所属区县",
                ["所属区县", "区县", "县区", "属地", "所在地", "地区"]
            ),
        ]
    };
}

/// The columns of an annual-plan sheet.
pub const PLAN_FIELDS: &[Field] = &{
    let [name, code, district] = project_fields!();
    [
        name,
        code,
        district,
        field!("year", "计划年度", ["计划年度", "年度", "年份"]),
        field!(
            "planned_wan",
            "年度计划投资（万元）",
            [
                "年度计划投资",
                "年度投资计划",
                "本年计划投资",
                "计划完成投资",
                "年度计划",
                "计划投资"
            ],
            required
        ),
        field!(
            "planned_start",
            "计划开工",
            ["计划开工时间", "计划开工日期", "计划开工", "开工时间"]
        ),
        field!(
            "planned_completion",
            "计划竣工",
            [
                "计划竣工时间",
                "计划竣工日期",
                "计划竣工",
                "计划完工",
                "竣工时间"
            ]
        ),
    ]
};

/// The columns of a monthly-progress sheet.
pub const PROGRESS_FIELDS: &[Field] = &{
    let [name, code, district] = project_fields!();
    [
        name,
        code,
        district,
        field!(
            "month",
            "填报月份",
            ["填报月份", "报送月份", "统计月份", "所属月份", "月份"]
        ),
        field!(
            "invested_wan",
            "本月完成投资（万元）",
            [
                "本月完成投资",
                "当月完成投资",
                "月度完成投资",
                "本月完成",
                "当月完成",
                "本月"
            ]
        ),
        field!(
            "ytd_wan",
            "本年累计完成投资（万元）",
            [
                "本年累计完成投资",
                "累计完成投资",
                "累计完成",
                "累计投资",
                "累计"
            ]
        ),
        field!(
            "image_progress",
            "形象进度",
            [
                "形象进度",
                "工程形象进度",
                "进展情况",
                "项目进展",
                "工程进度"
            ]
        ),
        field!(
            "blocker_kind",
            "要素制约类型",
            ["要素制约类型", "制约类型", "问题类型", "制约因素类型"]
        ),
        field!(
            "blocker_note",
            "要素制约情况",
            [
                "要素制约情况",
                "要素制约",
                "制约因素",
                "存在问题",
                "存在困难",
                "困难问题"
            ]
        ),
        field!(
            "coordination",
            "需协调事项",
            [
                "需协调事项",
                "需协调解决的问题",
                "需协调解决事项",
                "需协调问题",
                "协调事项"
            ]
        ),
    ]
};

/// The year and month a sheet's title or name states: "2024年1-3月…" is 2024 and March,
/// "2024年度…" is 2024 without a month, a sheet named "3月" is March.
pub fn period_in(texts: &[&str]) -> (Option<i32>, Option<u32>) {
    let (mut year, mut month) = (None, None);
    for text in texts {
        let t = half_width(text);
        let chars: Vec<char> = t.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let n: u32 = digits.parse().unwrap_or(0);
            match chars.get(i) {
                Some('年') if digits.len() == 4 && (2000..=2100).contains(&n) && year.is_none() => {
                    year = Some(n as i32)
                }
                Some('月') if (1..=12).contains(&n) && digits.len() <= 2 => month = Some(n),
                _ => {}
            }
        }
        if year.is_some() && month.is_some() {
            break;
        }
    }
    (year, month)
}

/// The sheet's title texts and name, where a period is stated when no column holds it.
fn period_of(sheet: &Sheet, table: &Table) -> (Option<i32>, Option<u32>) {
    let mut texts: Vec<&str> = table.above.iter().map(String::as_str).collect();
    texts.push(&sheet.name);
    period_in(&texts)
}

/// Words that mean "nothing to report" in a free-text column.
fn says_nothing(text: &str) -> bool {
    let t = normalize(text);
    matches!(
        t.as_str(),
        "" | "无" | "暂无" | "没有" | "/" | "-" | "—" | "——" | "无问题" | "无需协调"
    )
}

/// A 要素制约 type as written ("土地", "用地要素", "资金问题"), else guessed from the
/// description, else 其他.
fn blocker_kind(kind: &str, note: &str) -> Option<BlockerKind> {
    let words: [(BlockerKind, &[&str]); 6] = [
        (BlockerKind::Land, &["用地", "土地", "供地", "指标"]),
        (BlockerKind::Funding, &["资金", "融资", "贷款"]),
        (
            BlockerKind::Approval,
            &["审批", "手续", "许可", "备案", "核准", "规划"],
        ),
        (BlockerKind::Energy, &["能耗", "用能", "用电", "电力"]),
        (BlockerKind::Environment, &["环评", "环保", "排放"]),
        (BlockerKind::Demolition, &["拆迁", "征迁", "征收", "腾退"]),
    ];
    let find = |t: &str| {
        BlockerKind::parse(t).or_else(|| {
            words
                .iter()
                .find(|(_, ws)| ws.iter().any(|w| t.contains(w)))
                .map(|(k, _)| *k)
        })
    };
    let k = normalize(kind);
    if !k.is_empty() {
        return find(&k).or_else(|| k.contains("其他").then_some(BlockerKind::Other));
    }
    Some(find(&normalize(note)).unwrap_or(BlockerKind::Other))
}

/// The project a row names, or the problems with how it names it.
fn project_ref(
    sheet: &Sheet,
    table: &Table,
    r: usize,
    names: &mut Names<'_>,
    bad: &mut Vec<(String, String, String)>,
) -> ProjectRef {
    let cell = |key: &str| {
        table
            .mapping
            .get(key)
            .map_or(String::new(), |c| sheet.cell(r, *c).trim().to_string())
    };
    let name = cell("name");
    let code = half_width(&cell("project_code"));
    let district = half_width(&cell("district_code"));
    if name.is_empty() && code.is_empty() {
        bad.push(("name".into(), String::new(), "请填写项目名称".into()));
    }
    let district_code = if district.is_empty() {
        None
    } else {
        match names.find(Dict::District, &district) {
            Some((c, _)) => Some(c),
            None => {
                bad.push((
                    "district_code".into(),
                    district.clone(),
                    "系统中没有这个区县".into(),
                ));
                None
            }
        }
    };
    ProjectRef {
        code: (!code.is_empty()).then_some(code),
        name,
        district_code,
    }
}

/// An amount in 万元 text for the forms, read as the column and the cell state it.
fn money_wan(
    sheet: &Sheet,
    table: &Table,
    r: usize,
    key: &str,
    bad: &mut Vec<(String, String, String)>,
) -> Option<String> {
    let c = *table.mapping.get(key)?;
    let t = half_width(sheet.cell(r, c));
    if t.is_empty() {
        return None;
    }
    match read_money(&t, money_unit(table, c)) {
        Ok((Currency::Cny, v)) => Some(v.wan_text()),
        Ok(_) => {
            bad.push((key.into(), t, "请以人民币填写".into()));
            Some(String::new())
        }
        Err(e) => {
            bad.push((key.into(), t, e));
            Some(String::new())
        }
    }
}

/// Reads every table of `fields` in the book with `read_row` (which gets the table's stated
/// period), collecting the rows and problems. A table `check` finds wanting as a whole is
/// reported once, under its header, and its rows are not read.
pub(crate) fn read_all<T>(
    book: &Book,
    fields: &[Field],
    vocab: &Vocab,
    remembered: &Remembered,
    check: impl Fn(&Table) -> Option<String>,
    mut read_row: impl FnMut(
        &Sheet,
        &Table,
        usize,
        (Option<i32>, Option<u32>),
        &mut Names<'_>,
        &mut Vec<(String, String, String)>,
    ) -> Option<T>,
) -> SheetResult<T> {
    let (tables, mut errors) = find_tables(book, fields, remembered);
    let mut rows = Vec::new();
    let mut names = Names::new(vocab);
    for table in &tables {
        let Some(sheet) = book.sheets.iter().find(|s| s.name == table.sheet) else {
            continue;
        };
        if let Some(message) = check(table) {
            errors.push(CellError {
                sheet: table.sheet.clone(),
                row: table.header_rows.last().map_or(0, |r| r + 1),
                column: String::new(),
                value: String::new(),
                message,
            });
            continue;
        }
        let period = period_of(sheet, table);
        let columns: Vec<&'static str> = fields
            .iter()
            .filter(|f| table.mapping.contains_key(f.key))
            .map(|f| f.key)
            .collect();
        for &r in &table.rows {
            let mut bad = Vec::new();
            let value = read_row(sheet, table, r, period, &mut names, &mut bad);
            match value {
                Some(value) if bad.is_empty() => rows.push(Sourced {
                    sheet: table.sheet.clone(),
                    row: r + 1,
                    value,
                    columns: columns.clone(),
                }),
                _ => push_row_errors(table, fields, r, bad, &mut errors),
            }
        }
    }
    SheetResult {
        rows,
        errors,
        tables,
    }
}

/// A month column's cell: "2024.3", "2024年3月", an Excel date, or "3月" / "3" in the year the
/// title states.
fn month_cell(text: &str, year: Option<i32>) -> Result<Month, String> {
    let t = half_width(text);
    let t = t.trim_end_matches('份');
    if let Ok(n) = t.trim_end_matches('月').parse::<u32>()
        && n <= 12
    {
        return year
            .and_then(|y| Month::new(y, n))
            .ok_or_else(|| "只写了月份，标题中也没有年份，请写成 2024-03".to_string());
    }
    parse_date(t).map(|d| d.month())
}

/// Reads every annual-plan table in the book.
pub fn read_plans(book: &Book, vocab: &Vocab, remembered: &Remembered) -> SheetResult<PlanRecord> {
    read_all(
        book,
        PLAN_FIELDS,
        vocab,
        remembered,
        |_| None,
        |sheet, table, r, (title_year, _), names, bad| {
            let project = project_ref(sheet, table, r, names, bad);
            let text = |key: &str| {
                table
                    .mapping
                    .get(key)
                    .map_or(String::new(), |c| half_width(sheet.cell(r, *c)))
            };
            let year = match text("year") {
                t if t.is_empty() => title_year.map(|y| y.to_string()).unwrap_or_default(),
                t => t
                    .trim_end_matches("年度")
                    .trim_end_matches('年')
                    .to_string(),
            };
            if year.is_empty() {
                bad.push((
                    "year".into(),
                    String::new(),
                    "没有计划年度：请加一列“计划年度”，或在标题中写明，如“2024年度投资计划”".into(),
                ));
                return None;
            }
            let mut input = PlanInput {
                year,
                planned_wan: money_wan(sheet, table, r, "planned_wan", bad).unwrap_or_default(),
                ..PlanInput::default()
            };
            for (key, target) in [
                ("planned_start", &mut input.planned_start),
                ("planned_completion", &mut input.planned_completion),
            ] {
                let t = text(key);
                // A project already under way has no start to plan: "续建", "已开工".
                if t.is_empty()
                    || !t.chars().any(|c| c.is_ascii_digit()) && t.contains('建')
                    || t.starts_with("已")
                {
                    continue;
                }
                match parse_date(&t) {
                    Ok(d) => *target = d.month().to_string(),
                    Err(e) => bad.push((key.into(), t, e)),
                }
            }
            match input.validate() {
                Ok(plan) => Some(PlanRecord { project, plan }),
                Err(field_errors) => {
                    for fe in field_errors {
                        if bad.iter().any(|(k, _, _)| *k == fe.field) {
                            continue;
                        }
                        let value = text(&fe.field);
                        bad.push((fe.field, value, fe.message));
                    }
                    None
                }
            }
        },
    )
}

/// Reads every monthly-progress table in the book. `current` is this month: a report for a
/// later month is refused, as on the form.
pub fn read_progress(
    book: &Book,
    vocab: &Vocab,
    remembered: &Remembered,
    current: Month,
) -> SheetResult<ProgressRecord> {
    read_all(
        book,
        PROGRESS_FIELDS,
        vocab,
        remembered,
        |t| {
            (!t.mapping.contains_key("invested_wan") && !t.mapping.contains_key("ytd_wan")).then(
                || {
                    "缺少完成投资列：请加一列“本月完成投资（万元）”或“本年累计完成投资（万元）”"
                        .to_string()
                },
            )
        },
        |sheet, table, r, (title_year, title_month), names, bad| {
            let project = project_ref(sheet, table, r, names, bad);
            let cell = |key: &str| {
                table
                    .mapping
                    .get(key)
                    .map_or(String::new(), |c| sheet.cell(r, *c).trim().to_string())
            };
            let month = match half_width(&cell("month")) {
                t if t.is_empty() => match (title_year, title_month) {
                    (Some(y), Some(m)) => Month::new(y, m).map(|m| m.to_string()),
                    _ => None,
                },
                t => match month_cell(&t, title_year) {
                    Ok(m) => Some(m.to_string()),
                    Err(e) => {
                        bad.push(("month".into(), t, e));
                        return None;
                    }
                },
            };
            let Some(month) = month else {
                bad.push((
                    "month".into(),
                    String::new(),
                    "没有填报月份：请加一列“填报月份”，或在标题中写明，如“2024年3月”".into(),
                ));
                return None;
            };
            // The month's own figure, else the year's total to the month.
            let (invested_key, year_to_date) = if table.mapping.contains_key("invested_wan") {
                ("invested_wan", false)
            } else {
                ("ytd_wan", true)
            };
            let invested = money_wan(sheet, table, r, invested_key, bad);
            if invested.is_none() && bad.iter().all(|(k, _, _)| k != invested_key) {
                bad.push((
                    invested_key.into(),
                    String::new(),
                    "请填写完成投资（没有投资填 0）".into(),
                ));
            }
            let note = cell("blocker_note");
            let kind = cell("blocker_kind");
            let mut input = ProgressInput {
                month,
                invested_wan: invested.unwrap_or_default(),
                image_progress: cell("image_progress"),
                coordination: if says_nothing(&cell("coordination")) {
                    String::new()
                } else {
                    cell("coordination")
                },
                ..ProgressInput::default()
            };
            if !says_nothing(&note) {
                match blocker_kind(&kind, &note) {
                    Some(k) => {
                        input.blocker_kinds.push(k.code().into());
                        input.blocker_notes.push(note.clone());
                    }
                    None => bad.push((
                        "blocker_kind".into(),
                        kind.clone(),
                        format!(
                            "未知的要素制约类型，应为{}之一",
                            super::vocab::labels(BlockerKind::ALL.iter().map(|k| k.label()))
                        ),
                    )),
                }
            }
            match input.validate(current) {
                Ok(progress) if bad.is_empty() => Some(ProgressRecord {
                    project,
                    progress,
                    year_to_date,
                }),
                Ok(_) => None,
                Err(field_errors) => {
                    for fe in field_errors {
                        let key = match fe.field.as_str() {
                            "invested_wan" => invested_key,
                            "blocker_kinds" => "blocker_kind",
                            "blocker_notes" => "blocker_note",
                            other => other,
                        };
                        if bad.iter().any(|(k, _, _)| k == key) {
                            continue;
                        }
                        let value = cell(key);
                        bad.push((key.to_string(), value, fe.message));
                    }
                    None
                }
            }
        },
    )
}

/// The annual-plan import template.
pub fn plan_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let example: Vec<&str> = PLAN_FIELDS
        .iter()
        .map(|f| match f.key {
            "name" => "年产10万套新能源汽车电驱系统项目",
            "district_code" => "吴兴区",
            "year" => "2024",
            "planned_wan" => "15000",
            "planned_start" => "2024.3",
            "planned_completion" => "2025.12",
            _ => "",
        })
        .collect();
    super::template(
        "年度投资计划导入模板（第3行为示例，请替换；带 * 的列必填）",
        PLAN_FIELDS,
        &example,
        &[
            (
                "项目名称*",
                "须为项目库中已有的项目；同名项目在多个区县时请填写所属区县，或填项目代码",
            ),
            ("项目代码", "国家项目代码；填写后按代码匹配项目"),
            (
                "计划年度",
                "如 2024；不填时取标题中的年份（“2024年度重大项目投资计划表”）",
            ),
            (
                "年度计划投资*",
                "默认万元；列名或单元格可注明单位（亿元、万元、元）",
            ),
            (
                "计划开工、计划竣工",
                "年月即可：2024.3、2024年3月、2024-03；已开工的续建项目可写“续建”或留空",
            ),
            ("合计、小计、空行、备注", "会被识别并跳过，可以保留"),
        ],
    )
}

/// The monthly-progress import template.
pub fn progress_template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let example: Vec<&str> = PROGRESS_FIELDS
        .iter()
        .map(|f| match f.key {
            "name" => "年产10万套新能源汽车电驱系统项目",
            "district_code" => "吴兴区",
            "month" => "2024.3",
            "invested_wan" => "1200",
            "image_progress" => "主体结构施工，完成进度60%",
            "blocker_kind" => "用地",
            "blocker_note" => "二期用地指标尚未落实",
            "coordination" => "请市自然资源和规划局协调用地指标",
            _ => "",
        })
        .collect();
    super::template(
        "月度进展导入模板（第3行为示例，请替换；带 * 的列必填）",
        PROGRESS_FIELDS,
        &example,
        &[
            (
                "项目名称*",
                "须为项目库中已有的项目；同名项目在多个区县时请填写所属区县，或填项目代码",
            ),
            (
                "填报月份",
                "2024.3、2024年3月、2024-03；不填时取标题中的年月（“2024年1-3月进展情况”）",
            ),
            ("本月完成投资", "当月完成的投资，默认万元；没有投资填 0"),
            (
                "本年累计完成投资",
                "只有累计数时可只填此列（删去“本月完成投资”列），系统按此前各月已报数推算当月数",
            ),
            (
                "要素制约类型",
                "用地、资金、审批、能耗、环评、拆迁、其他；不填时按情况说明推断，“无”表示没有",
            ),
            (
                "导入后",
                "导入的月报为“已报送”状态，由合作办在月报审核中确认或退回；已确认的月报不能再导入修改",
            ),
            ("合计、小计、空行、备注", "会被识别并跳过，可以保留"),
        ],
    )
}

#[cfg(test)]
mod tests;
