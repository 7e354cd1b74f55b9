//! Projects from an office's workbook: each row becomes the [`ProjectInput`] a person would
//! have typed into the form, names resolved to the city's dictionaries, and is validated by
//! the same rules as the form ([`ProjectInput::validate`]), so a row is stored only if the
//! form would have stored it.

pub use super::vocab::Vocab;
use super::vocab::{Dict, Names, labels, money_unit, read_money};
use super::{
    CellError, Field, HEADER_ROWS_NEEDED, Remembered, SheetResult, Table, data_rows, find_header,
    is_notes_sheet, no_table, normalize, push_row_errors,
};
use crate::book::{Book, Piece, Sheet, put_row};
use chrono::NaiveDate;
use hezuo_domain::Stage;
use hezuo_domain::cells::{Sourced, half_width, parse_date};
use hezuo_domain::money::{Currency, MoneyUnit};
use hezuo_domain::project::{Flag, Kind, Origin, ProjectDraft, ProjectInput};

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

/// What reading a project workbook gave.
pub type ProjectSheetResult = SheetResult<ProjectDraft>;

/// Reads every project table in the book. `today` bounds dates, as in the form.
pub fn read_projects(
    book: &Book,
    vocab: &Vocab,
    today: NaiveDate,
    remembered: &Remembered,
) -> ProjectSheetResult {
    read_in_pieces(book, vocab, today, remembered, usize::MAX)
}

/// [`read_projects`], each sheet's rows handed over `per_piece` at a time.
pub(crate) fn read_in_pieces(
    book: &Book,
    vocab: &Vocab,
    today: NaiveDate,
    remembered: &Remembered,
    per_piece: usize,
) -> ProjectSheetResult {
    let mut stream = ProjectStream::new(vocab, today, remembered);
    let mut rows = Vec::new();
    for sheet in &book.sheets {
        rows.extend(stream.piece(Piece::Sheet {
            name: sheet.name.clone(),
            declared_rows: sheet.rows.len(),
            merged: sheet.merged.clone(),
        }));
        let filled: Vec<(usize, Vec<String>)> = sheet
            .rows
            .iter()
            .enumerate()
            .filter(|(_, cells)| !cells.is_empty())
            .map(|(i, cells)| (i, cells.clone()))
            .collect();
        for part in filled.chunks(per_piece.max(1)) {
            rows.extend(stream.piece(Piece::Rows(part.to_vec())));
        }
        rows.extend(stream.piece(Piece::End));
    }
    let mut read = stream.finish();
    read.rows = rows;
    read
}

/// Reads the project tables of a book as its pieces arrive (from the parsing child, see
/// [`crate::book::Piece`]): a sheet's header is found from its first rows, then each piece's
/// rows are read and checked and handed back to be stored while the rest of the file is
/// still being parsed. Rows once read are let go, so memory stays with the piece.
pub struct ProjectStream<'a> {
    today: NaiveDate,
    remembered: &'a Remembered,
    names: Names<'a>,
    /// The sheet being read: its header rows and the rows not yet read.
    sheet: Option<Sheet>,
    /// Its table, once its header is found; `None` with `skip` for a sheet without one.
    table: Option<Table>,
    skip: bool,
    /// Rows before this one are read.
    read_to: usize,
    tables: Vec<Table>,
    errors: Vec<CellError>,
}

impl<'a> ProjectStream<'a> {
    pub fn new(vocab: &'a Vocab, today: NaiveDate, remembered: &'a Remembered) -> Self {
        ProjectStream {
            today,
            remembered,
            names: Names::new(vocab),
            sheet: None,
            table: None,
            skip: false,
            read_to: 0,
            tables: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Takes the next piece of the book; returns the valid rows it completed (their problems
    /// are kept for [`ProjectStream::finish`]).
    pub fn piece(&mut self, piece: Piece) -> Vec<Sourced<ProjectDraft>> {
        match piece {
            Piece::Sheet { name, merged, .. } => {
                self.skip = is_notes_sheet(&name);
                self.sheet = Some(Sheet {
                    name,
                    rows: Vec::new(),
                    merged,
                });
                self.table = None;
                self.read_to = 0;
                Vec::new()
            }
            Piece::Rows(rows) => {
                let Some(sheet) = self.sheet.as_mut().filter(|_| !self.skip) else {
                    return Vec::new();
                };
                for (index, cells) in rows {
                    // The parsing child gives rows in order; anything else is a broken file,
                    // reported (so nothing is stored), never a sheet silently left out.
                    if let Err(e) = put_row(&mut sheet.rows, index, cells) {
                        self.errors.push(CellError {
                            sheet: sheet.name.clone(),
                            row: index + 1,
                            column: String::new(),
                            value: String::new(),
                            message: e.to_string(),
                        });
                        self.skip = true;
                        return Vec::new();
                    }
                }
                self.advance(false)
            }
            Piece::End => {
                let read = if self.skip {
                    Vec::new()
                } else {
                    self.advance(true)
                };
                self.tables.extend(self.table.take());
                self.sheet = None;
                read
            }
            Piece::Done => Vec::new(),
        }
    }

    /// The problems found so far.
    pub fn errors(&self) -> &[CellError] {
        &self.errors
    }

    /// The tables found and every problem (a book without a table is one), once the whole book
    /// has been taken. Its rows are those [`ProjectStream::piece`] handed back.
    pub fn finish(mut self) -> ProjectSheetResult {
        if self.tables.is_empty() {
            self.errors.insert(0, no_table(FIELDS));
        }
        SheetResult {
            rows: Vec::new(),
            errors: self.errors,
            tables: self.tables,
        }
    }

    /// Reads the rows the sheet has been given since the last time, once its header is known
    /// (at the sheet's `last` piece at the latest).
    fn advance(&mut self, last: bool) -> Vec<Sourced<ProjectDraft>> {
        let Some(sheet) = self.sheet.as_mut() else {
            return Vec::new();
        };
        if self.table.is_none() {
            if sheet.rows.len() < HEADER_ROWS_NEEDED && !last {
                return Vec::new();
            }
            let Some(table) = find_header(sheet, FIELDS, self.remembered) else {
                self.skip = true;
                sheet.rows.clear();
                return Vec::new();
            };
            self.read_to = table.header_rows.last().map_or(0, |r| r + 1);
            self.table = Some(table);
        }
        let Some(table) = self.table.as_mut() else {
            return Vec::new();
        };
        let to = sheet.rows.len();
        let data = data_rows(sheet, self.read_to..to, &table.headers, &table.mapping);
        let mut rows = Vec::with_capacity(data.len());
        read_rows(
            sheet,
            table,
            &data,
            &mut self.names,
            self.today,
            &mut rows,
            &mut self.errors,
        );
        table.rows.extend(data);
        for row in &mut sheet.rows[self.read_to..to] {
            *row = Vec::new();
        }
        self.read_to = to;
        rows
    }
}

/// Reads the data rows `part` (0-based, in order) of `table`.
fn read_rows(
    sheet: &Sheet,
    table: &Table,
    part: &[usize],
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
    // The money columns' units, read from their headers once.
    let units: Vec<(&str, (Currency, MoneyUnit))> = ["investment_wan", "arrived_wan"]
        .into_iter()
        .filter_map(|key| Some((key, money_unit(table, col(key)?))))
        .collect();
    for &r in part {
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
            let unit = units.iter().find(|(k, _)| *k == key)?.1;
            let t = text(key);
            (!t.is_empty()).then(|| (read_money(&t, unit), t))
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
        push_row_errors(table, FIELDS, r, row_errors, errors);
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
