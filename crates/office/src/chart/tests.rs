use super::svg::contrast;
use super::*;

fn bar(label: &str, value: f64, color: Option<BarColor>, href: Option<&str>) -> Bar {
    Bar {
        label: label.to_string(),
        value,
        color,
        href: href.map(str::to_string),
    }
}

fn completion() -> BarChart {
    BarChart {
        title: "各区县年度投资完成率".to_string(),
        unit: "%".to_string(),
        bars: vec![
            bar(
                "吴兴区",
                96.25,
                Some(BarColor::Ahead),
                Some("/projects?area=吴兴区"),
            ),
            bar("南浔区", 90.0, Some(BarColor::Normal), None),
            bar("南太湖新区", 72.4, Some(BarColor::Behind), None),
        ],
        reference: Some((91.7, "时序进度 91.7%".to_string())),
    }
}

fn months() -> Vec<String> {
    (1..=12).map(|m| format!("{m}月")).collect()
}

/// Every chart kind, in one list, for the properties all of them share.
fn all_kinds() -> Vec<String> {
    vec![
        completion().to_svg(),
        LineChart {
            title: "投资进度".to_string(),
            unit: "亿元".to_string(),
            x_labels: months(),
            series: vec![Series {
                name: "完成累计".to_string(),
                values: vec![Some(1.0), None, Some(3.5)],
                dashed: false,
            }],
        }
        .to_svg(),
        GridMap {
            title: "完成率分布".to_string(),
            cells: vec![GridCell {
                label: "德清县".to_string(),
                row: 1,
                col: 1,
                value_text: "92.3%".to_string(),
                color: CellColor::Status(BarColor::Ahead),
                href: Some("/d".to_string()),
            }],
        }
        .to_svg(),
        TierBars {
            title: "项目档位分布".to_string(),
            items: vec![("10亿元以上".to_string(), 12, 356.2)],
        }
        .to_svg(),
        BarChart::default().to_svg(),
        LineChart::default().to_svg(),
        GridMap::default().to_svg(),
        TierBars::default().to_svg(),
    ]
}

#[test]
fn every_chart_is_a_self_contained_responsive_image() {
    for svg in all_kinds() {
        assert!(
            svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#" width="100%" viewBox="0 0 720 "#));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title>"));
        assert!(
            svg.contains("WenQuanYi Micro Hei, sans-serif")
                || svg.contains("'WenQuanYi Micro Hei', sans-serif")
        );
        for banned in [
            "style=", "<script", "onclick", "onload", " on", "url(", "<image", "@import", " id=",
        ] {
            assert!(!svg.contains(banned), "{banned} in {svg}");
        }
        // Balanced, as a cheap well-formedness check.
        assert_eq!(svg.matches("<a ").count(), svg.matches("</a>").count());
        assert_eq!(
            svg.matches("<g>").count() + svg.matches("<g ").count(),
            svg.matches("</g>").count()
        );
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    }
}

#[test]
fn a_small_bar_chart_draws_what_it_says() {
    let svg = completion().to_svg();
    assert!(svg.contains("<title>各区县年度投资完成率</title>"));
    assert!(svg.contains(r#"class="hz-chart hz-chart-bar""#));
    // Values as the office writes percentages, with one decimal.
    assert!(svg.contains(">96.3%</text>") && svg.contains(">90.0%</text>"));
    assert!(svg.contains(">72.4%</text>"));
    // Status arrows on the 超前 and 滞后 bars and their legend swatches, none on 正常.
    assert_eq!(svg.matches("<polygon").count(), 4);
    // Traffic-light fills, a legend, round ticks and the reference line.
    assert!(svg.contains(r##"fill="#237f4a"/>"##));
    assert!(svg.contains(r##"fill="#1d4f91"/>"##));
    assert!(
        svg.contains(">超前</text>")
            && svg.contains(">正常</text>")
            && svg.contains(">滞后</text>")
    );
    for tick in ["0%", "20%", "40%", "60%", "80%", "100%"] {
        assert!(svg.contains(&format!(">{tick}</text>")), "tick {tick}");
    }
    assert!(svg.contains(r#"stroke-dasharray="6 4""#));
    assert!(svg.contains(">时序进度</text>") && svg.contains(">91.7%</text>"));
    // Three wide slots: even the long name fits on one line.
    assert!(svg.contains(">南太湖新区</text>") && !svg.contains("rotate("));
    assert!(svg.contains("<title>吴兴区：96.3%（超前）</title>"));
    assert!(svg.contains("<desc>吴兴区 96.3%（超前）；南浔区 90.0%（正常）；南太湖新区 72.4%（滞后）；时序进度 91.7%</desc>"));
}

#[test]
fn the_same_chart_gives_the_same_string() {
    assert_eq!(completion().to_svg(), completion().to_svg());
    assert_eq!(all_kinds(), all_kinds());
}

#[test]
fn bars_with_a_link_are_wrapped_in_an_anchor() {
    let svg = completion().to_svg();
    let at = svg
        .find(r#"<a href="/projects?area=吴兴区" xlink:href="/projects?area=吴兴区">"#)
        .expect("link");
    let end = at + svg[at..].find("</a>").unwrap();
    let inside = &svg[at..end];
    assert!(inside.contains("<title>吴兴区："));
    assert!(
        inside.contains(r##"fill="#237f4a"/>"##),
        "the bar itself is inside the link"
    );
    assert!(inside.contains(">吴兴区</text>"), "so is its label");
    assert_eq!(
        svg.matches("<a ").count(),
        1,
        "bars without href have no link"
    );

    let mut evil = completion();
    evil.bars[1].href = Some("javascript:alert(1)".to_string());
    assert!(!evil.to_svg().contains("javascript"));
}

#[test]
fn user_text_is_escaped_everywhere() {
    let nasty = r#"<script>alert("x")</script> & 'q'"#;
    let svgs = [
        BarChart {
            title: nasty.to_string(),
            unit: nasty.to_string(),
            bars: vec![bar(nasty, 1.0, None, Some(r#"/p?a=1&b="><script>"#))],
            reference: Some((0.5, nasty.to_string())),
        }
        .to_svg(),
        LineChart {
            title: nasty.to_string(),
            unit: nasty.to_string(),
            x_labels: vec![nasty.to_string()],
            series: vec![Series {
                name: nasty.to_string(),
                values: vec![Some(1.0)],
                dashed: true,
            }],
        }
        .to_svg(),
        GridMap {
            title: nasty.to_string(),
            cells: vec![GridCell {
                label: nasty.to_string(),
                row: 0,
                col: 0,
                value_text: nasty.to_string(),
                color: CellColor::Shade(0.5),
                href: Some(nasty.to_string()),
            }],
        }
        .to_svg(),
        TierBars {
            title: nasty.to_string(),
            items: vec![(nasty.to_string(), 1, 1.0)],
        }
        .to_svg(),
        BarChart {
            title: nasty.to_string(),
            ..Default::default()
        }
        .to_svg(),
    ];
    for svg in svgs {
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains(r#"("x")"#));
        assert!(!svg.contains("'q'"));
        assert!(!svg.contains("& "));
        assert!(
            svg.contains("&lt;script&gt;") || svg.contains("&lt;scr"),
            "{svg}"
        );
    }
}

#[test]
fn empty_charts_say_no_data() {
    let empties = [
        BarChart {
            title: "完成率".to_string(),
            ..Default::default()
        }
        .to_svg(),
        BarChart {
            title: "完成率".to_string(),
            bars: vec![bar("吴兴区", f64::NAN, None, None)],
            ..Default::default()
        }
        .to_svg(),
        LineChart {
            title: "进度".to_string(),
            x_labels: months(),
            ..Default::default()
        }
        .to_svg(),
        LineChart {
            x_labels: months(),
            series: vec![Series {
                name: "完成".to_string(),
                values: vec![None, Some(f64::INFINITY)],
                dashed: false,
            }],
            ..Default::default()
        }
        .to_svg(),
        GridMap::default().to_svg(),
        TierBars::default().to_svg(),
    ];
    for svg in empties {
        assert!(svg.contains(">暂无数据</text>"), "{svg}");
        assert!(svg.contains("<title>"));
    }
}

#[test]
fn nan_and_infinity_never_reach_the_drawing() {
    let odd = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        1e-300,
        -0.0,
        0.0,
    ];
    let bars = BarChart {
        title: "异常值".to_string(),
        unit: "亿元".to_string(),
        bars: odd
            .iter()
            .enumerate()
            .map(|(i, v)| bar(&format!("区{i}"), *v, None, None))
            .collect(),
        reference: Some((f64::NAN, "参考".to_string())),
    };
    let lines = LineChart {
        title: "异常值".to_string(),
        unit: "%".to_string(),
        x_labels: (0..odd.len()).map(|i| format!("{i}月")).collect(),
        series: vec![Series {
            name: "甲".to_string(),
            values: odd.iter().map(|v| Some(*v)).collect(),
            dashed: false,
        }],
    };
    let grid = GridMap {
        title: "异常值".to_string(),
        cells: vec![GridCell {
            label: "区".to_string(),
            row: 0,
            col: 0,
            value_text: "—".to_string(),
            color: CellColor::Shade(f64::NAN),
            href: None,
        }],
    };
    let tiers = TierBars {
        title: "异常值".to_string(),
        items: odd
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("档{i}"), i as u64, *v))
            .collect(),
    };
    let zeros = BarChart {
        bars: vec![bar("甲", 0.0, None, None)],
        ..Default::default()
    };
    for svg in [
        bars.to_svg(),
        lines.to_svg(),
        grid.to_svg(),
        tiers.to_svg(),
        zeros.to_svg(),
    ] {
        for bad in ["NaN", "inf", "-0\"", "-0 ", "-0,"] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
    }
}

#[test]
fn gaps_break_the_line_and_dashed_series_are_dashed() {
    let svg = LineChart {
        title: "年度投资进度".to_string(),
        unit: "亿元".to_string(),
        x_labels: months(),
        series: vec![
            Series {
                name: "计划累计".to_string(),
                values: (1..=12).map(|m| Some(f64::from(m) * 10.0)).collect(),
                dashed: true,
            },
            Series {
                name: "完成累计".to_string(),
                values: vec![Some(8.0), Some(19.0), None, Some(41.0), Some(52.0)],
                dashed: false,
            },
        ],
    }
    .to_svg();
    assert_eq!(
        svg.matches("<polyline").count(),
        3,
        "plan in one piece, completion in two"
    );
    assert!(svg.contains(r#"stroke-dasharray="7 4""#));
    assert!(svg.contains(">计划累计</text>") && svg.contains(">完成累计</text>"));
    assert!(svg.contains(">单位：亿元</text>"));
    assert!(svg.contains(">1月</text>") && svg.contains(">12月</text>"));
    assert!(svg.contains("<title>完成累计 5月：52亿元</title>"));
    assert!(
        svg.contains(">120</text>"),
        "latest plan value is written at its end"
    );
}

#[test]
fn crowded_labels_turn_instead_of_overlapping() {
    let many = BarChart {
        title: "各乡镇".to_string(),
        unit: "%".to_string(),
        bars: (0..30)
            .map(|i| bar(&format!("第{i}号乡镇街道"), 50.0 + f64::from(i), None, None))
            .collect(),
        reference: None,
    };
    let svg = many.to_svg();
    assert!(svg.contains("rotate(-45") || svg.contains("rotate(-90"));
    assert!(
        svg.contains("transform=\"rotate(-90"),
        "crowded values stand upright"
    );
}

#[test]
fn the_palette_is_readable_on_white() {
    for c in BarColor::ALL {
        assert!(contrast(c.hex(), "#ffffff") >= 4.5, "{c:?}");
    }
    for c in SERIES_COLORS {
        assert!(contrast(c, "#ffffff") >= 4.5, "{c}");
    }
    assert!(contrast(REFERENCE_COLOR, "#ffffff") >= 4.5);
}

#[test]
fn grid_maps_are_labelled_as_schematic() {
    let svg = GridMap {
        title: "各区县完成率".to_string(),
        cells: vec![
            GridCell {
                label: "吴兴区".to_string(),
                row: 0,
                col: 1,
                value_text: "92.3%".to_string(),
                color: BarColor::Normal.into(),
                href: Some("/areas/wuxing".to_string()),
            },
            GridCell {
                label: "安吉县".to_string(),
                row: 1,
                col: 0,
                value_text: "—".to_string(),
                color: CellColor::NoData,
                href: None,
            },
        ],
    }
    .to_svg();
    assert!(svg.contains("示意图"));
    assert!(svg.contains(
        r#"<a href="/areas/wuxing" xlink:href="/areas/wuxing"><title>吴兴区：92.3%（正常）</title>"#
    ));
    assert!(svg.contains(">无数据</text>"), "legend explains grey");
    assert!(
        svg.contains(r##"fill="#ffffff">吴兴区</text>"##),
        "white on the dark blue tile"
    );
}

/// One character drawn alone, as the charts draw text.
fn glyph(c: char) -> Png {
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 40" width="100%" font-family="{}"><text x="8" y="32" font-size="28">{c}</text></svg>"#,
        super::svg::FONT_STACK
    );
    svg_to_png(&svg, 1.0).unwrap()
}

#[test]
fn a_chart_becomes_a_picture_with_its_chinese_text_drawn() {
    assert!(
        has_cjk_font(),
        "no font with Chinese glyphs: install fonts-wqy-microhei (scripts/setup does)"
    );
    let png = svg_to_png(&completion().to_svg(), 2.0).unwrap();
    assert_eq!(
        png.width, 1440,
        "twice the viewBox, whatever the page width says"
    );
    assert!(png.bytes.starts_with(b"\x89PNG"));
    // Two characters drawn differently: real glyphs, not two identical missing-glyph boxes.
    let (a, b, blank) = (glyph('签'), glyph('约'), glyph(' '));
    assert_ne!(a.bytes, b.bytes);
    assert_ne!(a.bytes, blank.bytes, "something is drawn");
}
