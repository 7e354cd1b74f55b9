//! Projects from an office's workbook: each row becomes the [`ProjectInput`] a person would
//! have typed into the form, names resolved to the city's dictionaries, and is validated by
//! the same rules as the form ([`ProjectInput::validate`]), so a row is stored only if the
//! form would have stored it.

use super::{CellError, Field, Remembered, Table, find_tables, normalize};
use crate::book::{Book, Sheet};
use chrono::NaiveDate;
use hezuo_domain::cells::{Sourced, half_width, parse_date, unit_in_header};
use hezuo_domain::money::{Currency, MoneyUnit};
use hezuo_domain::project::{Flag, Kind, Origin, ProjectDraft, ProjectInput};
use hezuo_domain::{Stage, Yuan};
use std::collections::HashMap;

macro_rules! field {
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?]) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: false }
    };
    ($key:literal, $label:literal, [$($syn:literal),+ $(,)?], required) => {
        Field { key: $key, label: $label, synonyms: &[$($syn),+], required: true }
    };
}

/// The columns a project workbook may have. Keys are [`ProjectInput`]'s field names, so the
/// form's validation errors land on the right column.
pub const FIELDS: &[Field] = &[
    field!("name", "项目名称", ["项目名称", "项目", "名称"], required),
    field!(
        "project_code",
        "项目代码",
        ["项目代码", "国家项目代码", "统一项目代码", "赋码"]
    ),
    field!("kind", "项目类型", ["项目类型", "项目类别", "类型"]),
    field!(
        "stage",
        "项目阶段",
        [
            "项目阶段",
            "推进阶段",
            "阶段",
            "项目状态",
            "进展状态",
            "状态"
        ]
    ),
    field!("stage_date", "阶段日期", ["阶段日期", "状态日期"]),
    field!("signed_on", "签约日期", ["签约日期", "签约时间"]),
    field!(
        "investor",
        "投资方",
        [
            "投资方",
            "投资主体",
            "投资企业",
            "签约企业",
            "签约主体",
            "投资者",
            "企业名称"
        ]
    ),
    field!(
        "investment_wan",
        "协议投资（万元）",
        [
            "协议投资",
            "协议总投资",
            "计划总投资",
            "总投资",
            "投资总额",
            "签约金额",
            "签约额",
            "投资额"
        ]
    ),
    field!("usd_rate", "美元汇率", ["美元汇率", "汇率"]),
    field!("rate_date", "汇率日期", ["汇率日期"]),
    field!(
        "arrived_wan",
        "实际到位（万元）",
        ["实际到位资金", "实际到位", "到位资金", "已到位资金", "到资"]
    ),
    field!(
        "origin",
        "来源地",
        [
            "来源地",
            "资金来源地",
            "投资来源地",
            "投资来源",
            "项目来源",
            "来源"
        ]
    ),
    field!(
        "origin_detail",
        "来源地详情",
        ["来源地详情", "具体来源地", "来源城市", "国别"]
    ),
    field!(
        "industry_id",
        "产业",
        ["所属行业", "所属产业", "产业类别", "行业", "产业"]
    ),
    field!("chain_id", "产业链", ["所属产业链", "产业链"]),
    field!("flags", "企业标签", ["企业标签", "标签"]),
    field!(
        "district_code",
        "所属区县",
        ["所属区县", "区县", "县区", "属地", "所在地", "地区"]
    ),
    field!(
        "platform_id",
        "所在平台",
        ["所在平台", "所属平台", "平台", "园区"]
    ),
    field!(
        "land_mu",
        "用地（亩）",
        ["用地面积", "占地面积", "用地", "土地"]
    ),
    field!(
        "leader_id",
        "联系领导",
        ["联系领导", "联系市领导", "包联领导", "市领导"]
    ),
    field!(
        "unit_id",
        "责任单位",
        ["责任单位", "牵头单位", "主要责任单位"]
    ),
    field!("promoter", "招商人员", ["招商人员", "招商人"]),
    field!("commissioner", "服务专员", ["服务专员", "项目专员"]),
    field!(
        "summary",
        "建设内容",
        ["主要建设内容", "建设内容", "项目简介", "项目概况", "简介"]
    ),
];

/// The city's dictionaries, to turn the names a sheet uses into ids and codes.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    /// (code, name)
    pub districts: Vec<(String, String)>,
    /// (id, name, code, district code)
    pub platforms: Vec<(i64, String, String, String)>,
    pub industries: Vec<(i64, String)>,
    pub chains: Vec<(i64, String)>,
    pub leaders: Vec<(i64, String)>,
    pub units: Vec<(i64, String)>,
}

/// A district named with or without 区/县/市: "吴兴" or "吴兴区" is 吴兴区.
fn district_code(vocab: &Vocab, text: &str) -> Option<String> {
    let strip = |s: &str| {
        let n = normalize(s);
        n.trim_end_matches(['区', '县', '市']).to_string()
    };
    let t = strip(text);
    vocab
        .districts
        .iter()
        .find(|(code, name)| *code == text.trim() || strip(name) == t)
        .map(|(code, _)| code.clone())
}

/// An id by name (exact after normalising, else a name containing the text or contained in it,
/// when only one does).
fn id_by_name(items: &[(i64, String)], text: &str) -> Option<i64> {
    let t = normalize(text);
    if let Some((id, _)) = items.iter().find(|(_, n)| normalize(n) == t) {
        return Some(*id);
    }
    let near: Vec<i64> = items
        .iter()
        .filter(|(_, n)| {
            let n = normalize(n);
            n.contains(&t) || t.contains(&n)
        })
        .map(|(id, _)| *id)
        .collect();
    (near.len() == 1).then(|| near[0])
}

/// The dictionaries a name can be looked up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Dict {
    District,
    Platform,
    Industry,
    Chain,
    Leader,
    Unit,
}

/// Names resolved against the vocabulary, each distinct text once (a sheet repeats its few
/// districts and industries on every row).
struct Names<'a> {
    vocab: &'a Vocab,
    memo: HashMap<(Dict, String), Option<(String, String)>>,
}

impl Names<'_> {
    /// (id or code, the platform's district) for a name as written.
    fn find(&mut self, dict: Dict, text: &str) -> Option<(String, String)> {
        let key = (dict, text.to_string());
        if let Some(found) = self.memo.get(&key) {
            return found.clone();
        }
        let v = self.vocab;
        let id = |items: &[(i64, String)]| {
            id_by_name(items, text).map(|id| (id.to_string(), String::new()))
        };
        let found = match dict {
            Dict::District => district_code(v, text).map(|c| (c, String::new())),
            Dict::Platform => {
                let p = normalize(text);
                v.platforms
                    .iter()
                    .find(|(_, name, code, _)| {
                        normalize(name) == p || normalize(code) == p || normalize(name).contains(&p)
                    })
                    .map(|(id, _, _, d)| (id.to_string(), d.clone()))
            }
            Dict::Industry => id(&v.industries),
            Dict::Chain => id(&v.chains),
            Dict::Leader => id(&v.leaders),
            Dict::Unit => id(&v.units),
        };
        self.memo.insert(key, found.clone());
        found
    }
}

/// What reading a project workbook gave: the valid rows and every problem found. An import is
/// committed only when `errors` is empty.
#[derive(Debug, Clone, Default)]
pub struct ProjectSheetResult {
    pub rows: Vec<Sourced<ProjectDraft>>,
    pub errors: Vec<CellError>,
    /// The tables found (for showing and adjusting the mapping).
    pub tables: Vec<Table>,
}

/// Reads every project table in the book. `today` bounds dates, as in the form.
pub fn read_projects(
    book: &Book,
    vocab: &Vocab,
    today: NaiveDate,
    remembered: &Remembered,
) -> ProjectSheetResult {
    let (tables, mut errors) = find_tables(book, FIELDS, remembered);
    let mut rows = Vec::new();
    let mut names = Names {
        vocab,
        memo: HashMap::new(),
    };
    for table in &tables {
        let Some(sheet) = book.sheets.iter().find(|s| s.name == table.sheet) else {
            continue;
        };
        read_table(sheet, table, &mut names, today, &mut rows, &mut errors);
    }
    ProjectSheetResult {
        rows,
        errors,
        tables,
    }
}

/// The unit of a money column: stated in its header, else in a note above the table
/// ("单位：万元"), else 万元 (the unit of the form).
fn money_unit(table: &Table, col: usize) -> (Currency, MoneyUnit) {
    unit_in_header(&table.headers[col])
        .or_else(|| {
            table
                .above
                .iter()
                .filter(|t| t.contains("单位"))
                .find_map(|t| unit_in_header(&format!("({})", half_width(t).replace(' ', ""))))
        })
        .unwrap_or((Currency::Cny, MoneyUnit::Wan))
}

/// An amount as typed in a cell, in the column's currency and unit unless the cell states its
/// own ("8000万元", "1.2亿美元"); thousands separators and spaces are ignored.
fn read_money(text: &str, column: (Currency, MoneyUnit)) -> Result<(Currency, Yuan), String> {
    let t = text.replace([',', ' '], "");
    let (currency, t) = match t.strip_suffix("美元") {
        Some(rest) => (Currency::Usd, format!("{rest}元")),
        None => (column.0, t),
    };
    Yuan::parse(&t, column.1)
        .map(|v| (currency, v))
        .map_err(|e| e.to_string())
}

fn read_table(
    sheet: &Sheet,
    table: &Table,
    names: &mut Names<'_>,
    today: NaiveDate,
    rows: &mut Vec<Sourced<ProjectDraft>>,
    errors: &mut Vec<CellError>,
) {
    let col = |key: &str| table.mapping.get(key).copied();
    let columns: Vec<&'static str> = FIELDS
        .iter()
        .filter(|f| table.mapping.contains_key(f.key))
        .map(|f| f.key)
        .collect();
    for &r in &table.rows {
        // Numbers, dates, codes and dictionary words are read in half-width forms; free text
        // (names, the investor, contents) is kept as typed, full-width brackets and all.
        let text = |key: &str| -> String {
            col(key).map_or(String::new(), |c| half_width(sheet.cell(r, c)))
        };
        let typed = |key: &str| -> String {
            col(key).map_or(String::new(), |c| sheet.cell(r, c).trim().to_string())
        };
        let mut row_errors: Vec<(String, String, String)> = Vec::new();
        let mut bad = |key: &str, value: &str, message: String| {
            row_errors.push((key.to_string(), value.to_string(), message));
        };
        let mut input = ProjectInput {
            name: typed("name"),
            project_code: text("project_code"),
            investor: typed("investor"),
            summary: typed("summary"),
            promoter: typed("promoter"),
            commissioner: typed("commissioner"),
            origin_detail: typed("origin_detail"),
            usd_rate: text("usd_rate"),
            ..ProjectInput::default()
        };
        // Vocabularies: the words offices use.
        let kind = text("kind");
        input.kind = if kind.is_empty() {
            Kind::Industrial.code().into()
        } else {
            match Kind::parse(&kind).or_else(|| {
                Kind::ALL
                    .iter()
                    .copied()
                    .find(|k| normalize(k.label()).starts_with(&normalize(&kind)))
            }) {
                Some(k) => k.code().into(),
                None => {
                    bad(
                        "kind",
                        &kind,
                        format!(
                            "未知的项目类型，应为{}之一",
                            labels(Kind::ALL.iter().map(|k| k.label()))
                        ),
                    );
                    String::new()
                }
            }
        };
        let stage = text("stage");
        if !stage.is_empty() {
            match Stage::parse(&stage) {
                Some(s) => input.stage = s.code().into(),
                None => bad(
                    "stage",
                    &stage,
                    "未知的项目阶段，应为线索、在谈、签约、开工、竣工、投产、达产或终止".into(),
                ),
            }
        }
        let origin = text("origin");
        if !origin.is_empty() {
            match origin_of(&origin) {
                Some(o) => input.origin = o.code().into(),
                None => bad(
                    "origin",
                    &origin,
                    format!(
                        "未知的来源地，应为{}之一",
                        labels(Origin::ALL.iter().map(|o| o.label()))
                    ),
                ),
            }
        }
        let flags = text("flags");
        for f in flags
            .split(['、', ',', '，', ';', '；', ' ', '/'])
            .filter(|f| !f.is_empty())
        {
            match Flag::parse(f) {
                Some(flag) => input.flags.push(flag.code().into()),
                None => bad(
                    "flags",
                    f,
                    format!(
                        "未知的企业标签，应为{}",
                        labels(Flag::ALL.iter().map(|f| f.label()))
                    ),
                ),
            }
        }
        for (key, target) in [
            ("stage_date", &mut input.stage_date),
            ("signed_on", &mut input.signed_on),
            ("rate_date", &mut input.rate_date),
        ] {
            let t = text(key);
            if t.is_empty() {
                continue;
            }
            match parse_date(&t) {
                Ok(d) => *target = d.first_day().to_string(),
                Err(e) => bad(key, &t, e),
            }
        }
        // Money: the cell's own unit wins over the column's.
        input.currency = Currency::Cny.code().into();
        let money = |key: &str| {
            let c = col(key)?;
            let t = text(key);
            (!t.is_empty()).then(|| (read_money(&t, money_unit(table, c)), t))
        };
        match money("investment_wan") {
            Some((Ok((currency, v)), _)) => {
                input.currency = currency.code().into();
                input.investment_wan = v.wan_text();
            }
            Some((Err(e), t)) => bad("investment_wan", &t, e),
            None => {}
        }
        match money("arrived_wan") {
            Some((Ok((Currency::Cny, v)), _)) => input.arrived_wan = v.wan_text(),
            Some((Ok(_), t)) => bad("arrived_wan", &t, "实际到位资金请以人民币填写".into()),
            Some((Err(e), t)) => bad("arrived_wan", &t, e),
            None => {}
        }
        let land = text("land_mu");
        input.land_mu = land.trim_end_matches('亩').to_string();
        // Names to ids.
        let district = text("district_code");
        let platform = text("platform_id");
        let platform_row = (!platform.is_empty())
            .then(|| names.find(Dict::Platform, &platform))
            .flatten();
        if !platform.is_empty() {
            match &platform_row {
                Some((id, _)) => input.platform_id = id.clone(),
                None => bad("platform_id", &platform, "系统中没有这个平台".into()),
            }
        }
        if !district.is_empty() {
            match names.find(Dict::District, &district) {
                Some((code, _)) => input.district_code = code,
                None => bad(
                    "district_code",
                    &district,
                    format!(
                        "系统中没有这个区县，应为{}之一",
                        labels(names.vocab.districts.iter().map(|(_, n)| n.as_str()))
                    ),
                ),
            }
        } else if let Some((_, d)) = platform_row {
            // A platform lies in one district.
            input.district_code = d;
        }
        for (key, dict, what, target) in [
            (
                "industry_id",
                Dict::Industry,
                "产业",
                &mut input.industry_id,
            ),
            ("chain_id", Dict::Chain, "产业链", &mut input.chain_id),
            ("leader_id", Dict::Leader, "联系领导", &mut input.leader_id),
            ("unit_id", Dict::Unit, "责任单位", &mut input.unit_id),
        ] {
            let t = text(key);
            if t.is_empty() {
                continue;
            }
            match names.find(dict, &t) {
                Some((id, _)) => *target = id,
                None => bad(key, &t, format!("系统中没有这个{what}")),
            }
        }
        // The form's own rules, for what the row says.
        match input.validate(today) {
            Ok(draft) if row_errors.is_empty() => rows.push(Sourced {
                sheet: table.sheet.clone(),
                row: r + 1,
                value: draft,
                columns: columns.clone(),
            }),
            Ok(_) => {}
            Err(field_errors) => {
                for fe in field_errors {
                    // A field already reported (its text could not be read) is not reported twice.
                    let key = input_field_key(&fe.field);
                    if row_errors.iter().any(|(k, _, _)| k == key) {
                        continue;
                    }
                    let value = text(key);
                    row_errors.push((key.to_string(), value, fe.message));
                }
            }
        }
        for (key, value, message) in row_errors {
            errors.push(CellError {
                sheet: table.sheet.clone(),
                row: r + 1,
                column: match col(&key) {
                    Some(c) => table.column_name(c),
                    None => format!("（缺少“{}”列）", field_label(&key)),
                },
                value,
                message,
            });
        }
    }
}

/// The import field a validation error is about (the form names land by its text field).
fn input_field_key(field: &str) -> &str {
    match field {
        "land_mu_x100" => "land_mu",
        "currency" | "investment_orig" => "investment_wan",
        other => other,
    }
}

fn field_label(key: &str) -> &'static str {
    FIELDS.iter().find(|f| f.key == key).map_or("", |f| f.label)
}

fn labels<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|l| format!("“{l}”"))
        .collect::<Vec<_>>()
        .join("、")
}

/// 来源地 as offices write it: "上海" or "上海市" or "沪"; "浙江省内" …
fn origin_of(text: &str) -> Option<Origin> {
    if let Some(o) = Origin::parse(text) {
        return Some(o);
    }
    let t = normalize(text);
    let t = t.as_str();
    Some(match t {
        _ if t.starts_with("上海") || t == "沪" || t == "沪资" => Origin::Shanghai,
        _ if t.starts_with("江苏") || t == "苏" => Origin::Jiangsu,
        _ if t.starts_with("安徽") || t == "皖" => Origin::Anhui,
        _ if t.starts_with("省内") || t == "浙江" || t == "浙江省" => Origin::Province,
        _ if t.starts_with("市内") || t == "本市" || t == "本地" => Origin::Local,
        _ if t.starts_with("国内") || t == "其他" => Origin::Domestic,
        _ if t.starts_with("境外") || t.starts_with("国外") || t == "外资" => Origin::Abroad,
        _ => return None,
    })
}

/// The project import template (its example row reads back as one valid project).
pub fn template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let example: Vec<&str> = FIELDS
        .iter()
        .map(|f| match f.key {
            "name" => "年产10万套新能源汽车电驱系统项目",
            "kind" => "产业项目",
            "stage" => "签约",
            "stage_date" => "2024-03-05",
            "signed_on" => "2024-03-05",
            "investor" => "上海某某科技有限公司",
            "investment_wan" => "52000",
            "origin" => "上海",
            "origin_detail" => "上海市闵行区",
            "district_code" => "吴兴区",
            "summary" => "新建电驱总成生产线",
            _ => "",
        })
        .collect();
    super::template(
        "项目导入模板（第3行为示例，请替换；带 * 的列必填）",
        FIELDS,
        &example,
        &[
            (
                "项目名称*",
                "项目全称，100字以内；同一区县内不重名。再次导入同名项目会更新它，不会重复新增",
            ),
            (
                "项目代码",
                "国家项目代码，如 2024-330502-04-01-123456；填写后按代码匹配已有项目",
            ),
            (
                "项目类型",
                "产业项目、基础设施、文旅、社会民生、科研机构、人才项目；不填为产业项目",
            ),
            (
                "项目阶段",
                "线索、在谈、签约、开工（在建）、竣工、投产、达产、终止；已有项目只能向后变更",
            ),
            (
                "日期",
                "2024-03-05、2024.3.5、2024/3/5、2024年3月5日 或 Excel 日期均可；只写到月（2024.3）按当月1日",
            ),
            (
                "金额",
                "默认万元；列名可注明单位，如“协议投资（亿元）”“（万美元）”；单元格内写明单位（8000万元、1.2亿元）时以单元格为准",
            ),
            (
                "来源地",
                "上海、江苏、安徽、省内市外、市内、国内其他、境外；境外项目请在“来源地详情”写国家或地区",
            ),
            (
                "所属区县",
                "区县名称，带不带“区/县”均可（吴兴 = 吴兴区）；填了平台可不填区县",
            ),
            (
                "产业、产业链、联系领导、责任单位",
                "须为系统字典中已有的名称",
            ),
            ("合计、小计、空行、备注", "会被识别并跳过，可以保留"),
        ],
    )
}
