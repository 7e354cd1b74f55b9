//! Plan and progress sheets laid out the way district offices send them in.

use super::*;
use crate::book::read_book;
use hezuo_domain::Yuan;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

fn vocab() -> Vocab {
    Vocab {
        districts: vec![
            ("330502".into(), "吴兴区".into()),
            ("330503".into(), "南浔区".into()),
        ],
        ..Vocab::default()
    }
}

fn write_rows(ws: &mut Worksheet, from: u32, rows: &[&[&str]]) {
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write(from + i as u32, c as u16, *v).unwrap();
            }
        }
    }
}

fn now() -> Month {
    Month::new(2024, 12).unwrap()
}

#[test]
fn the_period_is_read_from_titles_and_sheet_names() {
    assert_eq!(
        period_in(&["2024年1-3月重点项目进展情况表"]),
        (Some(2024), Some(3))
    );
    assert_eq!(
        period_in(&["２０２４年度重大项目投资计划"]),
        (Some(2024), None)
    );
    assert_eq!(period_in(&["填报单位：吴兴区", "6月"]), (None, Some(6)));
    assert_eq!(period_in(&["2024年12月"]), (Some(2024), Some(12)));
    assert_eq!(period_in(&["共13个项目", "单位：万元"]), (None, None));
}

/// A 2024 plan sheet: the year only in the title, amounts in 亿元 by a note, a project under
/// way marked 续建, a total row; then two bad rows.
fn plan_workbook(bad_rows: bool) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("计划").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        6,
        "2024年度市重大产业项目投资计划表",
        &Format::new(),
    )
    .unwrap();
    ws.write(1, 5, "单位：亿元").unwrap();
    let mut rows: Vec<&[&str]> = vec![
        &[
            "序号",
            "项目名称",
            "所属区县",
            "总投资",
            "年度计划投资",
            "计划开工时间",
            "计划竣工时间",
        ],
        &[
            "1",
            "新能源汽车电机项目",
            "吴兴",
            "12",
            "3.5",
            "2024.3",
            "2025年6月",
        ],
        &[
            "2",
            "智能装备产业园",
            "南浔区",
            "8",
            "8000万元",
            "续建",
            "2024.12",
        ],
        &["", "合计", "", "20", "4.3", "", ""],
    ];
    if bad_rows {
        rows.push(&["3", "坏项目", "西湖区", "1", "很多", "2024.13", ""]);
        rows.push(&["4", "倒排项目", "吴兴区", "1", "1", "2025.6", "2024.6"]);
    }
    write_rows(ws, 2, &rows);
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_plan_sheet_takes_its_year_from_the_title_and_units_from_the_note() {
    let book = read_book(&plan_workbook(false)).unwrap();
    let read = read_plans(&book, &vocab(), &Remembered::new());
    assert!(read.errors.is_empty(), "{:#?}", read.errors);
    assert_eq!(read.rows.len(), 2, "the total row is skipped");
    let first = &read.rows[0].value;
    assert_eq!(first.project.name, "新能源汽车电机项目");
    assert_eq!(first.project.district_code.as_deref(), Some("330502"));
    assert_eq!(first.plan.year, 2024);
    assert_eq!(first.plan.planned, Yuan::from_wan(35_000));
    assert_eq!(first.plan.planned_start, Month::new(2024, 3));
    assert_eq!(first.plan.planned_completion, Month::new(2025, 6));
    let second = &read.rows[1].value;
    assert_eq!(
        second.plan.planned,
        Yuan::from_wan(8_000),
        "the cell's unit wins"
    );
    assert_eq!(second.plan.planned_start, None, "续建 has no planned start");
    assert_eq!(read.rows[1].row, 5);
}

#[test]
fn a_plan_sheet_reports_every_bad_cell() {
    let book = read_book(&plan_workbook(true)).unwrap();
    let read = read_plans(&book, &vocab(), &Remembered::new());
    let found: Vec<(usize, &str, &str)> = read
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (7, "C（所属区县）", "西湖区"),
            (7, "E（年度计划投资）", "很多"),
            (7, "F（计划开工时间）", "2024.13"),
            (8, "G（计划竣工时间）", "2024.6"),
        ],
        "{:#?}",
        read.errors
    );
    assert!(read.errors[3].message.contains("计划竣工不能早于计划开工"));
}

#[test]
fn a_plan_sheet_without_a_year_anywhere_says_where_to_put_it() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_rows(
        ws,
        0,
        &[&["项目名称", "年度计划投资（万元）"], &["甲项目", "100"]],
    );
    let book = read_book(&wb.save_to_buffer().unwrap()).unwrap();
    let read = read_plans(&book, &vocab(), &Remembered::new());
    assert_eq!(read.errors.len(), 1);
    assert_eq!(read.errors[0].column, "（缺少“计划年度”列）");
    assert!(read.errors[0].message.contains("2024年度"));
}

/// A quarter's progress sheet: the month in the title only, a two-row header grouping 本月 and
/// 1-3月累计 under 完成投资, "无" for no problem, a problem with no type stated.
fn progress_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("填报说明").unwrap();
    notes.write(0, 0, "每月5日前报送").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("吴兴区").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 7, "2024年1-3月重点项目推进情况表", &f)
        .unwrap();
    for (c, h) in [
        (0, "序号"),
        (1, "项目名称"),
        (2, "区县"),
        (5, "形象进度"),
        (6, "存在问题"),
        (7, "需协调事项"),
    ] {
        ws.merge_range(1, c, 2, c, h, &f).unwrap();
    }
    ws.merge_range(1, 3, 1, 4, "完成投资（万元）", &f).unwrap();
    ws.write(2, 3, "本月").unwrap();
    ws.write(2, 4, "1-3月累计").unwrap();
    write_rows(
        ws,
        3,
        &[
            &[
                "1",
                "新能源汽车电机项目",
                "吴兴",
                "1200",
                "3000",
                "主体结构封顶",
                "无",
                "无",
            ],
            &[
                "2",
                "智能装备产业园",
                "吴兴",
                "0.05亿元",
                "900",
                "桩基施工",
                "二期用地指标尚未落实",
                "请市资源规划局协调",
            ],
            &["3", "未开工项目", "吴兴", "", "", "前期手续办理中", "/", ""],
        ],
    );
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_progress_sheet_reads_the_month_figure_from_a_grouped_header() {
    let book = read_book(&progress_workbook()).unwrap();
    let read = read_progress(&book, &vocab(), &Remembered::new(), now());
    let t = &read.tables[0];
    assert_eq!(t.mapping["invested_wan"], 3);
    assert_eq!(t.mapping["ytd_wan"], 4);
    assert_eq!(t.mapping["blocker_note"], 6);
    // Row 3 left 本月 empty: the one problem.
    assert_eq!(read.errors.len(), 1, "{:#?}", read.errors);
    assert_eq!(read.errors[0].row, 6);
    assert_eq!(read.errors[0].column, "D（完成投资（万元） 本月）");
    assert!(read.errors[0].message.contains("没有投资填 0"));
    assert_eq!(read.rows.len(), 2);
    let a = &read.rows[0].value;
    assert_eq!(a.progress.month, Month::new(2024, 3).unwrap());
    assert_eq!(a.progress.invested, Yuan::from_wan(1_200));
    assert!(!a.year_to_date);
    assert!(a.progress.blockers.is_empty(), "无 is no blocker");
    assert_eq!(a.progress.coordination, "");
    let b = &read.rows[1].value;
    assert_eq!(b.progress.invested, Yuan::from_wan(500));
    assert_eq!(
        b.progress.blockers,
        vec![(BlockerKind::Land, "二期用地指标尚未落实".to_string())],
        "the type is told by the description"
    );
    assert_eq!(b.progress.coordination, "请市资源规划局协调");
}

#[test]
fn a_progress_sheet_with_only_the_years_total_and_a_month_column() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_rows(
        ws,
        0,
        &[
            &[
                "项目名称",
                "填报月份",
                "本年累计完成投资（亿元）",
                "要素制约类型",
                "要素制约情况",
            ],
            &[
                "新能源汽车电机项目",
                "2024年2月",
                "0.3",
                "审批",
                "施工许可未办结",
            ],
            &["智能装备产业园", "2025.1", "0.1", "", ""],
            &["新能源汽车电机项目", "2024.3", "0.2", "天气", "连续降雨"],
        ],
    );
    let book = read_book(&wb.save_to_buffer().unwrap()).unwrap();
    let read = read_progress(&book, &vocab(), &Remembered::new(), now());
    let a = &read.rows[0].value;
    assert!(a.year_to_date);
    assert_eq!(a.progress.invested, Yuan::from_wan(3_000));
    assert_eq!(a.progress.month, Month::new(2024, 2).unwrap());
    assert_eq!(a.progress.blockers[0].0, BlockerKind::Approval);
    let problems: Vec<(usize, &str)> = read
        .errors
        .iter()
        .map(|e| (e.row, e.message.as_str()))
        .collect();
    assert_eq!(read.rows.len(), 1, "{problems:?}");
    assert_eq!(problems[0], (3, "不能填报未来月份"));
    assert_eq!(problems[1].0, 4);
    assert!(problems[1].1.contains("未知的要素制约类型"));
}

#[test]
fn a_progress_sheet_without_an_investment_column_is_reported_once() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write_rows(
        ws,
        0,
        &[
            &["项目名称", "填报月份", "形象进度"],
            &["甲", "2024.3", "开工"],
            &["乙", "2024.3", "开工"],
        ],
    );
    let book = read_book(&wb.save_to_buffer().unwrap()).unwrap();
    let read = read_progress(&book, &vocab(), &Remembered::new(), now());
    assert!(read.rows.is_empty());
    assert_eq!(read.errors.len(), 1, "{:#?}", read.errors);
    assert_eq!(read.errors[0].row, 1);
    assert!(read.errors[0].message.contains("本月完成投资"));
}

#[test]
fn the_templates_read_back_as_one_valid_row_each() {
    let book = read_book(&plan_template().unwrap()).unwrap();
    let read = read_plans(&book, &vocab(), &Remembered::new());
    assert!(read.errors.is_empty(), "{:#?}", read.errors);
    assert_eq!(read.rows.len(), 1);
    let book = read_book(&progress_template().unwrap()).unwrap();
    let read = read_progress(&book, &vocab(), &Remembered::new(), now());
    assert!(read.errors.is_empty(), "{:#?}", read.errors);
    assert_eq!(read.rows.len(), 1);
    assert_eq!(read.rows[0].value.progress.blockers.len(), 1);
}
