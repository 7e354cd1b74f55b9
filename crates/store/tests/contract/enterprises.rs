//! Enterprises for 亩均效益评价: registered by credit code (re-registering updates), a year's
//! data with unreported fields kept as missing, the scheme checked before it is saved, and the
//! population scoped to the district — scored by the domain's function.

use crate::support::*;
use hezuo_domain::credit_code::CreditCode;
use hezuo_domain::mujun::{DataField, score};
use hezuo_store::Store;
use hezuo_store::enterprise::{NewEnterprise, YearFigures};

contract!(enterprises_are_registered_scored_and_scoped);

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
        )
        .await;
    expect_invalid(bad);
    expect_invalid(
        store
            .save_mujun_scheme(&admin(), &actor(), 2023, SCHEME)
            .await,
    );
    store
        .save_mujun_scheme(&admin(), &actor(), 2024, SCHEME)
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
