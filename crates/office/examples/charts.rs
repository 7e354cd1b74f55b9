//! Writes sample charts with Huzhou figures to a folder (default `/tmp/charts`), each as
//! `name.svg` plus `name.html` wrapping it inline, ready for a headless-Chromium screenshot:
//!
//! ```sh
//! cargo run -p hezuo-office --example charts -- /tmp/charts
//! chromium --headless --no-sandbox --disable-gpu --screenshot=/tmp/charts/bar.png \
//!     --window-size=900,500 file:///tmp/charts/bar.html
//! ```

use hezuo_office::chart::{
    Bar, BarChart, BarColor, CellColor, GridCell, GridMap, LineChart, Series, TierBars,
};
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "/tmp/charts".to_string()),
    );
    std::fs::create_dir_all(&dir)?;
    for (name, svg) in samples() {
        std::fs::write(dir.join(format!("{name}.svg")), &svg)?;
        let html = format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{name}</title>\
             <style>body{{margin:16px;background:#f4f6fa}}div{{max-width:860px}}</style></head>\
             <body><div>{svg}</div></body></html>"
        );
        std::fs::write(dir.join(format!("{name}.html")), html)?;
        println!("{}", dir.join(format!("{name}.svg")).display());
    }
    Ok(())
}

const DISTRICTS: [&str; 6] = [
    "吴兴区",
    "南浔区",
    "德清县",
    "长兴县",
    "安吉县",
    "南太湖新区",
];

fn light(rate: f64, time: f64) -> BarColor {
    if rate > time * 1.05 {
        BarColor::Ahead
    } else if rate < time * 0.95 {
        BarColor::Behind
    } else {
        BarColor::Normal
    }
}

fn samples() -> Vec<(&'static str, String)> {
    let rates = [98.6, 90.2, 104.3, 93.5, 81.7, 86.9];
    let time = 91.7;
    let completion = BarChart {
        title: "2026年1—11月各区县年度投资完成率".to_string(),
        unit: "%".to_string(),
        bars: DISTRICTS
            .iter()
            .zip(rates)
            .map(|(d, r)| Bar {
                label: d.to_string(),
                value: r,
                color: Some(light(r, time)),
                href: Some(format!("/projects?area={d}")),
            })
            .collect(),
        reference: Some((time, "时序进度 91.7%".to_string())),
    };

    let investment = BarChart {
        title: "各区县签约项目总投资".to_string(),
        unit: "亿元".to_string(),
        bars: DISTRICTS
            .iter()
            .zip([312.5, 186.0, 241.8, 428.3, 205.6, 367.1])
            .map(|(d, v)| Bar {
                label: d.to_string(),
                value: v,
                color: None,
                href: None,
            })
            .collect(),
        reference: None,
    };

    let towns = [
        "织里镇",
        "八里店镇",
        "妙西镇",
        "埭溪镇",
        "东林镇",
        "道场乡",
        "南浔镇",
        "练市镇",
        "双林镇",
        "菱湖镇",
        "和孚镇",
        "善琏镇",
        "旧馆镇",
        "千金镇",
        "石淙镇",
        "武康街道",
        "新市镇",
        "乾元镇",
        "洛舍镇",
        "钟管镇",
        "雉城街道",
        "太湖街道",
        "煤山镇",
        "泗安镇",
        "递铺街道",
        "孝丰镇",
    ];
    let many = BarChart {
        title: "各乡镇（街道）项目开工率".to_string(),
        unit: "%".to_string(),
        bars: towns
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let v = 55.0 + ((i * 37) % 45) as f64 + 0.4;
                Bar {
                    label: t.to_string(),
                    value: v,
                    color: Some(light(v, 80.0)),
                    href: None,
                }
            })
            .collect(),
        reference: Some((80.0, "目标 80%".to_string())),
    };

    let months: Vec<String> = (1..=12).map(|m| format!("{m}月")).collect();
    let plan = [
        18.0, 42.0, 71.0, 98.0, 126.0, 158.6, 187.0, 214.0, 243.0, 270.0, 296.0, 320.0,
    ];
    let done = [
        15.2, 38.4, 66.9, 101.3, 131.0, 162.4, 183.9, 206.5, 238.1, 262.7, 281.3,
    ];
    let progress = LineChart {
        title: "全市年度投资计划与完成（累计）".to_string(),
        unit: "亿元".to_string(),
        x_labels: months.clone(),
        series: vec![
            Series {
                name: "计划累计".to_string(),
                values: plan.iter().map(|v| Some(*v)).collect(),
                dashed: true,
            },
            Series {
                name: "完成累计".to_string(),
                values: done.iter().map(|v| Some(*v)).chain([None]).collect(),
                dashed: false,
            },
        ],
    };
    let rates_by_month = LineChart {
        title: "重点区县投资完成率走势".to_string(),
        unit: "%".to_string(),
        x_labels: months,
        series: vec![
            Series {
                name: "吴兴区".to_string(),
                values: [
                    8.1, 17.5, 26.0, 35.2, 44.9, 53.6, 62.0, 70.8, 79.5, 89.1, 98.6,
                ]
                .iter()
                .map(|v| Some(*v))
                .chain([None])
                .collect(),
                dashed: false,
            },
            Series {
                name: "安吉县".to_string(),
                values: [
                    Some(6.0),
                    Some(13.2),
                    None,
                    Some(28.4),
                    Some(36.0),
                    Some(43.1),
                    Some(50.5),
                ]
                .into_iter()
                .chain([Some(57.0), Some(64.2), Some(72.8), Some(81.7), None])
                .collect(),
                dashed: false,
            },
            Series {
                name: "时序进度".to_string(),
                values: (1..=12)
                    .map(|m| Some((f64::from(m) / 12.0 * 1000.0).round() / 10.0))
                    .collect(),
                dashed: true,
            },
        ],
    };

    // A schematic layout: 长兴 north-west, 南太湖新区 on the lake shore, 南浔 east,
    // 吴兴 in the centre, 安吉 south-west, 德清 south-east.
    let places = [
        ("长兴县", 0, 0),
        ("南太湖新区", 0, 1),
        ("安吉县", 1, 0),
        ("吴兴区", 1, 1),
        ("南浔区", 1, 2),
        ("德清县", 2, 1),
    ];
    let rate_of = |d: &str| rates[DISTRICTS.iter().position(|x| *x == d).unwrap_or(0)];
    let grid = GridMap {
        title: "各区县年度投资完成率（示意图）".to_string(),
        cells: places
            .iter()
            .map(|(d, row, col)| GridCell {
                label: d.to_string(),
                row: *row,
                col: *col,
                value_text: format!("{:.1}%", rate_of(d)),
                color: CellColor::Status(light(rate_of(d), time)),
                href: Some(format!("/projects?area={d}")),
            })
            .collect(),
    };
    let shaded = GridMap {
        title: "各区县签约项目数".to_string(),
        cells: places
            .iter()
            .zip([31, 18, 22, 40, 12, 0])
            .map(|((d, row, col), count)| GridCell {
                label: d.to_string(),
                row: *row,
                col: *col,
                value_text: if count == 0 {
                    "—".to_string()
                } else {
                    format!("{count}个")
                },
                color: if count == 0 {
                    CellColor::NoData
                } else {
                    CellColor::Shade(f64::from(count) / 40.0)
                },
                href: None,
            })
            .collect(),
    };

    let tiers = TierBars {
        title: "签约项目按投资规模分布".to_string(),
        items: [
            ("100亿元以上", 2, 268.0),
            ("50亿元以上", 5, 471.5),
            ("20亿元以上", 14, 792.3),
            ("10亿元以上", 31, 1_036.8),
            ("5亿元以上", 58, 1_218.4),
            ("1亿元以上", 126, 1_402.9),
        ]
        .into_iter()
        .map(|(l, c, v)| (l.to_string(), c, v))
        .collect(),
    };

    let parks = [
        ("湖州经济技术开发区", 18.4),
        ("湖州高新区", -6.2),
        ("南浔经济开发区", 9.7),
        ("德清经济开发区", 23.5),
        ("长兴经济技术开发区", -12.8),
        ("安吉经济开发区", 4.1),
        ("莫干山高新区", 31.0),
        ("吴兴经济开发区", 0.0),
        ("太湖旅游度假区", -2.5),
    ];
    let growth = BarChart {
        title: "重点平台实际利用内资同比增长".to_string(),
        unit: "%".to_string(),
        bars: parks
            .iter()
            .map(|(p, v)| Bar {
                label: p.to_string(),
                value: *v,
                color: None,
                href: None,
            })
            .collect(),
        reference: Some((7.5, "全市平均 7.5%".to_string())),
    };
    let legend_heavy = LineChart {
        title: "各区县月度新签约项目数".to_string(),
        unit: "个".to_string(),
        x_labels: (1..=12).map(|m| format!("{m}月")).collect(),
        series: DISTRICTS
            .iter()
            .enumerate()
            .map(|(k, d)| Series {
                name: d.to_string(),
                values: (0..12)
                    .map(|m| Some(((m * 7 + k * 5) % 11 + 2) as f64))
                    .collect(),
                dashed: false,
            })
            .chain([Series {
                name: "全市平均（不含南太湖新区）".to_string(),
                values: vec![Some(6.5); 12],
                dashed: true,
            }])
            .collect(),
    };

    vec![
        ("bar", completion.to_svg()),
        ("bar-growth", growth.to_svg()),
        ("line-legend", legend_heavy.to_svg()),
        ("bar-investment", investment.to_svg()),
        ("bar-many", many.to_svg()),
        ("line", progress.to_svg()),
        ("line-rates", rates_by_month.to_svg()),
        ("grid", grid.to_svg()),
        ("grid-shaded", shaded.to_svg()),
        ("tiers", tiers.to_svg()),
        (
            "empty",
            BarChart {
                title: "各区县年度投资完成率".to_string(),
                ..Default::default()
            }
            .to_svg(),
        ),
    ]
}
