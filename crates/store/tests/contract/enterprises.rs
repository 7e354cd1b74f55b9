//! Enterprises for 亩均效益评价: registered by credit code (re-registering updates), a year's
//! data with unreported fields kept as missing, the scheme checked before it is saved, and the
//! population scoped to the district — scored by the domain's function.

use crate::support::*;
use hezuo_domain::credit_code::CreditCode;
use hezuo_domain::mujun::{DataField, score};
use hezuo_domain::mujun_report::{ImprovementKind, Stage};
use hezuo_store::Store;
use hezuo_store::enterprise::{NewEnterprise, YearFigures};
use hezuo_store::mujun_results::ImprovementInput;

contract!(enterprises_are_registered_scored_and_scoped);
contract!(an_evaluation_goes_through_publicity_to_the_improvement_list);

const SCHEME: &str = r#"
year = 2024
[[indicators]]
name = "亩均税收"
numerator = "tax"
denominator = "land"
weight = 100
benchmark = { kind = "fixed", value = 100000 }
[[classes]]
class = "A"
upto_pct = 50
[[classes]]
class = "D"
upto_pct = 100
"#;

fn firm(code: &str, name: &str, district: &str) -> NewEnterprise {
    NewEnterprise {
        credit_code: CreditCode::parse(code).unwrap(),
        name: name.into(),
        district_code: district.into(),
        industry: "装备制造".into(),
        above_scale: true,
        land_owned_x100: 2000,
        land_leased_x100: 0,
        exempt: String::new(),
    }
}

async fn enterprises_are_registered_scored_and_scoped(store: Store) {
    World::build(&store).await;
    let a = store
        .upsert_enterprise(&admin(), &actor(), &firm("91350100M000100Y43", "甲公司", A))
        .await
        .unwrap();
    let b = store
        .upsert_enterprise(&admin(), &actor(), &firm("91110000600037341L", "乙公司", B))
        .await
        .unwrap();
    // Same code again: an update, not a second enterprise.
    let again = store
        .upsert_enterprise(
            &admin(),
            &actor(),
            &firm("91350100M000100Y43", "甲公司（更名）", A),
        )
        .await
        .unwrap();
    assert_eq!(again, a);
    expect_refused(
        store
            .upsert_enterprise(
                &district_viewer(A),
                &actor(),
                &firm("91440300708461136T", "丙", A),
            )
            .await,
    );
    let figures = |tax: Option<i64>| YearFigures {
        tax,
        employees: None,
        ..Default::default()
    };
    store
        .set_enterprise_year(&admin(), &actor(), a, 2024, &figures(Some(3_000_000)))
        .await
        .unwrap();
    store
        .set_enterprise_year(&admin(), &actor(), b, 2024, &figures(None))
        .await
        .unwrap();
    let bad = store
        .save_mujun_scheme(
            &admin(),
            &actor(),
            2024,
            &SCHEME.replace("weight = 100", "weight = -1"),
            None,
        )
        .await;
    expect_invalid(bad);
    expect_invalid(
        store
            .save_mujun_scheme(&admin(), &actor(), 2023, SCHEME, None)
            .await,
    );
    store
        .save_mujun_scheme(&admin(), &actor(), 2024, SCHEME, None)
        .await
        .unwrap();
    let scheme =
        hezuo_domain::mujun::Scheme::from_toml(&store.mujun_scheme(2024).await.unwrap().unwrap())
            .unwrap();

    let population = store.mujun_population(&admin(), 2024).await.unwrap();
    assert_eq!(population.len(), 2);
    let (row_a, ent_a) = &population[0];
    assert_eq!(row_a.name, "甲公司（更名）");
    assert_eq!(ent_a.data.get(DataField::Land), Some(20.0));
    assert_eq!(
        population[1].1.data.get(DataField::Tax),
        None,
        "unreported stays missing"
    );
    let enterprises: Vec<_> = population.iter().map(|(_, e)| e.clone()).collect();
    let results = score(&scheme, &enterprises);
    // 3,000,000 ÷ 20亩 = 150,000 → 1.5 × 100; 乙 has no tax: 0 with a note.
    assert_eq!(results[0].score, Some(150.0));
    assert_eq!(results[0].class.as_deref(), Some("A"));
    assert!(
        results[1].indicators[0]
            .note
            .as_deref()
            .unwrap()
            .contains("税收")
    );
    assert_eq!(results[1].class.as_deref(), Some("D"));

    let mine = store
        .mujun_population(&district_viewer(A), 2024)
        .await
        .unwrap();
    assert_eq!(
        mine.iter()
            .map(|(r, _)| r.name.as_str())
            .collect::<Vec<_>>(),
        ["甲公司（更名）"]
    );
    assert!(
        store
            .mujun_population(&unit_viewer(None), 2024)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Four firms, two per district, taxed 4, 3, 2 and 1 million on 20 亩: under SCHEME (A the top
/// half, D the rest) 甲 and 乙 are A, 丙 and 丁 D.
async fn four_firms(store: &Store) -> Vec<i64> {
    let mut ids = Vec::new();
    for (n, (code, name, district)) in [
        ("91350100M000100Y43", "甲", A),
        ("91110000600037341L", "乙", B),
        ("91440300708461136T", "丙", A),
        ("91310000MA1FL4B24G", "丁", B),
    ]
    .into_iter()
    .enumerate()
    {
        let id = store
            .upsert_enterprise(&admin(), &actor(), &firm(code, name, district))
            .await
            .unwrap();
        let tax = Some(4_000_000 - 1_000_000 * n as i64);
        store
            .set_enterprise_year(
                &admin(),
                &actor(),
                id,
                2024,
                &YearFigures {
                    tax,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

async fn an_evaluation_goes_through_publicity_to_the_improvement_list(store: Store) {
    World::build(&store).await;
    let ids = four_firms(&store).await;
    let none = store.mujun_year(&admin(), 2024).await.unwrap();
    assert_eq!((none.stage, none.rows.len()), (None, 0));
    store
        .save_mujun_scheme(&admin(), &actor(), 2024, SCHEME, None)
        .await
        .unwrap();

    // A draft is a trial over the whole city; a district sees its own firms with the city's ranks.
    let draft = store.mujun_year(&admin(), 2024).await.unwrap();
    assert_eq!(draft.stage, Some(Stage::Draft));
    let classes: Vec<_> = draft
        .rows
        .iter()
        .map(|r| {
            (
                r.enterprise.name.as_str(),
                r.result.class.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        classes,
        [("甲", "A"), ("乙", "A"), ("丙", "D"), ("丁", "D")]
    );
    let mine = store.mujun_year(&district_viewer(B), 2024).await.unwrap();
    let ranks: Vec<_> = mine
        .rows
        .iter()
        .map(|r| (r.enterprise.name.as_str(), r.result.rank))
        .collect();
    assert_eq!(ranks, [("乙", Some(2)), ("丁", Some(4))]);
    assert!(
        store
            .mujun_year(&unit_viewer(None), 2024)
            .await
            .unwrap()
            .rows
            .is_empty()
    );

    // Objections only during 公示; only the office publicizes; a stale version is a conflict.
    expect_invalid(
        store
            .file_mujun_objection(&admin(), &actor(), 2024, ids[2], "数据有误")
            .await,
    );
    expect_refused(
        store
            .publicize_mujun(
                &district_viewer(A),
                &actor(),
                2024,
                "2025-03-31",
                draft.version,
            )
            .await,
    );
    expect_invalid(
        store
            .publicize_mujun(&admin(), &actor(), 2024, "三月底", draft.version)
            .await,
    );
    expect_conflict(
        store
            .publicize_mujun(&admin(), &actor(), 2024, "2025-03-31", draft.version + 7)
            .await,
    );
    assert_eq!(
        store
            .publicize_mujun(&admin(), &actor(), 2024, "2025-03-31", draft.version)
            .await
            .unwrap(),
        4
    );
    expect_invalid(
        store
            .save_mujun_scheme(&admin(), &actor(), 2024, SCHEME, None)
            .await,
    );

    // The frozen results do not move when data change, until frozen again.
    store
        .set_enterprise_year(
            &admin(),
            &actor(),
            ids[3],
            2024,
            &YearFigures {
                tax: Some(9_000_000),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let frozen = store.mujun_year(&admin(), 2024).await.unwrap();
    assert_eq!(frozen.stage, Some(Stage::Publicized));
    assert_eq!(frozen.publicity_until, "2025-03-31");
    assert_eq!(frozen.rows[3].enterprise.name, "丁");

    // 丙's district objects; the other district cannot; a unit cannot.
    let objection = store
        .file_mujun_objection(
            &district_viewer(A),
            &actor(),
            2024,
            ids[2],
            "企业用地含代征道路，应予扣除",
        )
        .await
        .unwrap();
    expect_refused(
        store
            .file_mujun_objection(&district_viewer(B), &actor(), 2024, ids[2], "x")
            .await,
    );
    expect_refused(
        store
            .file_mujun_objection(&unit_viewer(None), &actor(), 2024, ids[2], "x")
            .await,
    );
    expect_invalid(
        store
            .file_mujun_objection(&admin(), &actor(), 2024, ids[2], "  ")
            .await,
    );
    assert_eq!(
        store
            .mujun_objections(&district_viewer(B), 2024, None)
            .await
            .unwrap()
            .len(),
        0
    );
    let open = store
        .mujun_objections(&district_viewer(A), 2024, None)
        .await
        .unwrap();
    assert_eq!((open.len(), open[0].status.as_str()), (1, "open"));

    // Publishing waits for every objection; resolving is the office's and versioned.
    expect_invalid(
        store
            .finalize_mujun(&admin(), &actor(), 2024, frozen.version)
            .await,
    );
    expect_refused(
        store
            .resolve_mujun_objection(
                &district_viewer(A),
                &actor(),
                objection,
                false,
                "不予采纳",
                1,
            )
            .await,
    );
    expect_conflict(
        store
            .resolve_mujun_objection(&admin(), &actor(), objection, false, "不予采纳", 9)
            .await,
    );
    store
        .resolve_mujun_objection(
            &admin(),
            &actor(),
            objection,
            true,
            "经核实采纳，已更正数据",
            1,
        )
        .await
        .unwrap();
    // Frozen again with the corrected data: 丁 (now 9 million) moves to the top.
    store
        .publicize_mujun(&admin(), &actor(), 2024, "2025-04-10", frozen.version)
        .await
        .unwrap();
    let again = store.mujun_year(&admin(), 2024).await.unwrap();
    assert_eq!(again.rows[0].enterprise.name, "丁");
    assert_eq!(again.rows[0].result.score, Some(450.0));
    let listed = store
        .finalize_mujun(&admin(), &actor(), 2024, again.version)
        .await
        .unwrap();
    assert_eq!(listed, 2, "the D class goes on the improvement list");
    assert_eq!(
        store.mujun_year(&admin(), 2024).await.unwrap().stage,
        Some(Stage::Final)
    );
    expect_invalid(
        store
            .publicize_mujun(&admin(), &actor(), 2024, "2025-05-01", again.version + 1)
            .await,
    );

    // The improvement list: scoped, and its actions versioned and bounded by the land used.
    let all = store
        .mujun_improvements(&admin(), 2024, None)
        .await
        .unwrap();
    let names: Vec<_> = all
        .items
        .iter()
        .map(|i| i.enterprise_name.as_str())
        .collect();
    assert_eq!(names, ["丙", "乙"]);
    let mine = store
        .mujun_improvements(&district_viewer(A), 2024, None)
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 1);
    let item = &mine.items[0];
    let vacate = ImprovementInput {
        kind: ImprovementKind::Vacate,
        measures: "整体收回，引进高端装备项目".into(),
        deadline: "2025-06-30".into(),
        done: true,
        land_reclaimed_x100: 2000,
        floor_vacated_x100: 1_250_000,
    };
    expect_invalid(
        store
            .update_mujun_improvement(
                &district_viewer(A),
                &actor(),
                item.id,
                &ImprovementInput {
                    land_reclaimed_x100: 2001,
                    ..vacate.clone()
                },
                item.version,
            )
            .await,
    );
    expect_refused(
        store
            .update_mujun_improvement(
                &district_viewer(B),
                &actor(),
                item.id,
                &vacate,
                item.version,
            )
            .await,
    );
    store
        .update_mujun_improvement(
            &district_viewer(A),
            &actor(),
            item.id,
            &vacate,
            item.version,
        )
        .await
        .unwrap();
    expect_conflict(
        store
            .update_mujun_improvement(&admin(), &actor(), item.id, &vacate, item.version)
            .await,
    );
    let after = store
        .mujun_improvements(&admin(), 2024, None)
        .await
        .unwrap();
    assert_eq!(
        (
            after.done,
            after.vacate,
            after.land_reclaimed_x100,
            after.floor_vacated_x100
        ),
        (1, 1, 2000, 1_250_000)
    );
}
