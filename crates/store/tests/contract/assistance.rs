//! Paired assistance: indicators against targets read at a month, a programme standing where
//! its worst indicator stands, funds that never pay out more than they were given (also under
//! concurrent payments), and the on-site team's scope.

use crate::support::*;
use hezuo_domain::assistance::ProgrammeInput;
use hezuo_domain::{Month, Viewer, Yuan};
use hezuo_store::Store;
use hezuo_store::assistance::ProgrammeFilter;

contract!(
    indicators_are_read_against_time_elapsed_and_the_programme_takes_the_worst,
    a_fund_never_pays_out_more_than_it_was_given_even_concurrently,
    the_on_site_team_sees_and_reports_its_own_programme_only,
    people_and_sales_are_recorded_by_the_team_and_seen_in_scope,
    an_indicator_import_creates_programmes_and_updates_on_reimport,
);

async fn programme(store: &Store, kind: &str, region: &str, team: Option<i64>) -> i64 {
    let p = ProgrammeInput {
        year: "2024".into(),
        kind: kind.into(),
        partner_region: region.into(),
        name: String::new(),
        team_unit_id: team.map(|t| t.to_string()).unwrap_or_default(),
    }
    .validate()
    .unwrap();
    store
        .create_programme(&admin(), &actor(), &p)
        .await
        .unwrap()
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

fn at(m: &str) -> ProgrammeFilter {
    ProgrammeFilter {
        year: Some(2024),
        month: Some(m.into()),
        ..Default::default()
    }
}

async fn indicators_are_read_against_time_elapsed_and_the_programme_takes_the_worst(store: Store) {
    World::build(&store).await;
    let id = programme(&store, "mountain_sea", "丽水市云和县", None).await;
    let set = |name: &'static str, unit: &'static str, target: i64, actual: i64| {
        let store = store.clone();
        async move {
            store
                .set_indicator(
                    &admin(),
                    &actor(),
                    id,
                    (name, unit),
                    target * 100,
                    actual * 100,
                    month("2024-06"),
                    None,
                )
                .await
                .unwrap()
        }
    };
    set("财政援助资金", "万元", 1200, 600).await;
    set("消费帮扶", "万元", 3000, 3710).await;
    set("劳动力培训", "人次", 2000, 999).await;
    let page = store
        .programmes(&admin(), &at("2024-06"), month("2024-12"))
        .await
        .unwrap();
    let p = &page.items[0];
    let labels: Vec<&str> = p
        .indicators
        .iter()
        .map(|i| i.status_label.as_str())
        .collect();
    assert_eq!(labels, ["按序时推进", "提前超额完成", "滞后"]);
    assert_eq!(p.status_label.as_deref(), Some("滞后"));
    assert_eq!(p.indicators[1].rate, "123.7%");
    assert_eq!(p.name, "2024年山海协作（丽水市云和县）");

    // Training caught up and finished by December: the year over, the funds fall short.
    let training = &p.indicators[2];
    store
        .set_indicator(
            &admin(),
            &actor(),
            id,
            ("劳动力培训", "人次"),
            200000,
            226400,
            month("2024-12"),
            Some(training.version),
        )
        .await
        .unwrap();
    expect_conflict(
        store
            .set_indicator(
                &admin(),
                &actor(),
                id,
                ("劳动力培训", "人次"),
                200000,
                1,
                month("2024-12"),
                Some(training.version),
            )
            .await,
    );
    let page = store
        .programmes(&admin(), &at("2024-12"), month("2025-03"))
        .await
        .unwrap();
    let labels: Vec<&str> = page.items[0]
        .indicators
        .iter()
        .map(|i| i.status_label.as_str())
        .collect();
    assert_eq!(labels, ["滞后", "超额完成", "超额完成"]);
    assert!(
        store
            .programmes(&admin(), &at("2024-13"), month("2025-03"))
            .await
            .is_err()
    );
    assert_eq!(
        store
            .audit_for("assistance_indicator", page.items[0].indicators[2].id)
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn a_fund_never_pays_out_more_than_it_was_given_even_concurrently(store: Store) {
    World::build(&store).await;
    let id = programme(&store, "aid_xinjiang", "新疆阿克苏地区柯坪县", None).await;
    let wan = |w: i64| Yuan(w * 10_000);
    let fund = store
        .add_fund(
            &admin(),
            &actor(),
            id,
            "喀拉库提村（湖州新村）建设",
            wan(100),
        )
        .await
        .unwrap();
    expect_invalid(
        store
            .disburse(&admin(), &actor(), fund, wan(101), date("2024-03-01"), "")
            .await,
    );
    expect_invalid(
        store
            .disburse(&admin(), &actor(), fund, Yuan(0), date("2024-03-01"), "")
            .await,
    );

    // Twenty payments of 10万 at once against 100万: exactly ten go through.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .disburse(
                    &admin(),
                    &actor(),
                    fund,
                    wan(10),
                    date("2024-04-01"),
                    &format!("第{i}笔"),
                )
                .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(hezuo_store::StoreError::Conflict(_) | hezuo_store::StoreError::Invalid { .. }) => {
            }
            Err(e) => panic!("a refused payment is a conflict or invalid, not {e:?}"),
        }
    }
    assert_eq!(ok, 10);
    let f = store.fund(&admin(), fund).await.unwrap();
    assert_eq!((f.disbursed, f.balance()), (wan(100).0, 0));
    assert_eq!(
        f.disbursements.iter().map(|d| d.amount).sum::<i64>(),
        f.disbursed
    );
    assert_eq!(f.disbursements.len(), 10);
    let page = store
        .programmes(&admin(), &at("2024-06"), month("2024-06"))
        .await
        .unwrap();
    assert_eq!(
        (page.items[0].funds_allocated, page.items[0].funds_disbursed),
        (wan(100).0, wan(100).0)
    );
}

async fn the_on_site_team_sees_and_reports_its_own_programme_only(store: Store) {
    let w = World::build(&store).await;
    let mine = programme(&store, "aid_qinghai", "青海省海西州", Some(w.unit_1.id)).await;
    let theirs = programme(&store, "east_west", "四川省广安市", Some(w.unit_2.id)).await;
    store
        .set_indicator(
            &admin(),
            &actor(),
            mine,
            ("财政援助资金", "万元"),
            283800,
            0,
            month("2024-01"),
            None,
        )
        .await
        .unwrap();
    let fund = store
        .add_fund(&admin(), &actor(), theirs, "广安产业园", Yuan(1_000_000))
        .await
        .unwrap();
    let team = unit_viewer(Some(w.unit_1.id));
    let viewers: [(Viewer, &[i64]); 5] = [
        (admin(), &[mine, theirs]),
        (leader_viewer(w.leader_1.id), &[mine, theirs]),
        (team.clone(), &[mine]),
        (unit_viewer(None), &[]),
        (district_viewer(A), &[]),
    ];
    for (viewer, expected) in viewers {
        let page = store
            .programmes(&viewer, &at("2024-06"), month("2024-06"))
            .await
            .unwrap();
        let mut ids: Vec<i64> = page.items.iter().map(|p| p.id).collect();
        ids.sort();
        let mut want = expected.to_vec();
        want.sort();
        assert_eq!(ids, want, "{viewer:?}");
        assert_eq!(
            store.funds(&viewer, theirs).await.is_ok(),
            expected.contains(&theirs),
            "{viewer:?}"
        );
    }
    // The team reports actuals on its own programme, against the office's target only.
    store
        .set_indicator(
            &team,
            &actor(),
            mine,
            ("财政援助资金", "万元"),
            283800,
            100000,
            month("2024-06"),
            Some(1),
        )
        .await
        .unwrap();
    expect_refused(
        store
            .set_indicator(
                &team,
                &actor(),
                mine,
                ("财政援助资金", "万元"),
                100,
                100000,
                month("2024-06"),
                Some(2),
            )
            .await,
    );
    expect_refused(
        store
            .set_indicator(
                &team,
                &actor(),
                theirs,
                ("援助项目", "个"),
                1000,
                100,
                month("2024-06"),
                None,
            )
            .await,
    );
    expect_refused(
        store
            .disburse(&team, &actor(), fund, Yuan(10), date("2024-06-01"), "")
            .await,
    );
    expect_refused(
        store
            .disburse(
                &leader_viewer(w.leader_1.id),
                &actor(),
                fund,
                Yuan(10),
                date("2024-06-01"),
                "",
            )
            .await,
    );
}

async fn people_and_sales_are_recorded_by_the_team_and_seen_in_scope(store: Store) {
    let w = World::build(&store).await;
    let id = programme(&store, "east_west", "四川省广安市", Some(w.unit_1.id)).await;
    let team = unit_viewer(Some(w.unit_1.id));
    let person = hezuo_domain::assistance::PersonInput {
        name: "王援".into(),
        role: "挂职干部".into(),
        batch: "第十二批".into(),
        place: "广安市发改委".into(),
        start_on: "2024-03-01".into(),
        end_on: String::new(),
    }
    .validate()
    .unwrap();
    store
        .add_person(&team, &actor(), id, &person)
        .await
        .unwrap();
    let sale = hezuo_domain::assistance::SaleInput {
        product: "白叶一号茶叶".into(),
        region: "四川省广安市".into(),
        amount_wan: "12.5".into(),
        sold_on: "2024-05-20".into(),
    }
    .validate()
    .unwrap();
    store.add_sale(&team, &actor(), id, &sale).await.unwrap();
    let people = store.people(&admin(), id).await.unwrap();
    assert_eq!(
        (people[0].name.as_str(), people[0].end_on.as_deref()),
        ("王援", None)
    );
    assert_eq!(store.sales(&team, id).await.unwrap()[0].amount, 125_000);
    expect_refused(
        store
            .add_sale(&unit_viewer(Some(w.unit_2.id)), &actor(), id, &sale)
            .await,
    );
    expect_refused(store.people(&district_viewer(A), id).await);
    expect_refused(
        store
            .add_person(&leader_viewer(w.leader_1.id), &actor(), id, &person)
            .await,
    );
    assert_eq!(
        store.audit_for("assistance_sale", 1).await.unwrap().len(),
        1
    );
}

async fn an_indicator_import_creates_programmes_and_updates_on_reimport(store: Store) {
    use hezuo_domain::assistance::{IndicatorRecord, ProgrammeKind};
    use hezuo_domain::cells::Sourced;
    World::build(&store).await;
    let row = |n: usize, name: &str, actual: i64| Sourced {
        sheet: "指标".into(),
        row: n,
        value: IndicatorRecord {
            year: 2024,
            kind: ProgrammeKind::EastWest,
            partner_region: "四川省广安市".into(),
            name: name.into(),
            unit: "个".into(),
            target_x100: 4000,
            actual_x100: actual,
            as_of: month("2024-11"),
        },
        columns: vec![],
    };
    let file = hezuo_store::import::ImportFile {
        name: "指标.xlsx".into(),
        sha256: "00".into(),
    };
    let rows = vec![row(3, "援助项目", 4200), row(4, "结对帮扶村", 1000)];
    let refused = store
        .import_assistance(&unit_viewer(None), &actor(), &rows, &file, false)
        .await
        .unwrap();
    assert_eq!(refused.problems.len(), 1);
    let done = store
        .import_assistance(&admin(), &actor(), &rows, &file, false)
        .await
        .unwrap();
    assert_eq!((done.inserted, done.updated), (2, 0));
    let dup = store
        .import_assistance(
            &admin(),
            &actor(),
            &[row(3, "援助项目", 1), row(5, "援助项目", 2)],
            &file,
            false,
        )
        .await
        .unwrap();
    assert!(dup.problems[0].message.contains("第3行"));
    let again = store
        .import_assistance(
            &admin(),
            &actor(),
            &[row(3, "援助项目", 4300)],
            &file,
            false,
        )
        .await
        .unwrap();
    assert_eq!((again.inserted, again.updated), (0, 1));
    let page = store
        .programmes(&admin(), &at("2024-11"), month("2024-11"))
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].indicators[0].actual, "43");
}
