//! Platforms and enclaves: year-to-date figures with 同比 on the same months, an enclave's
//! agreed shares against what arrived, stale writes refused, and the district's scope.

use crate::support::*;
use hezuo_domain::platform::PlatformInput;
use hezuo_domain::{Month, Viewer};
use hezuo_store::Store;
use hezuo_store::coop_platform::{PlatformFigures, PlatformFilter};

contract!(
    figures_read_year_to_date_with_yoy_and_an_enclaves_settlement,
    a_district_sees_and_reports_the_platforms_in_it,
);

const YI: i64 = 100_000_000;

async fn enclave(store: &Store) -> i64 {
    let p = PlatformInput {
        name: "南庆产业飞地".into(),
        kind: "enclave".into(),
        district_code: A.into(),
        partner_region: "丽水市庆元县".into(),
        output_share_pct: "50".into(),
        tax_share_pct: "70".into(),
    }
    .validate()
    .unwrap();
    store
        .create_coop_platform(&admin(), &actor(), &p)
        .await
        .unwrap()
}

fn figures(fai_tenths_yi: i64, output_tenths_yi: i64, tax_arrived: i64) -> PlatformFigures {
    PlatformFigures {
        fixed_asset_investment: fai_tenths_yi * YI / 10,
        industrial_output: output_tenths_yi * YI / 10,
        projects: 3,
        projects_investment: 20 * YI,
        tax: YI,
        output_arrived: output_tenths_yi * YI / 20,
        tax_arrived,
    }
}

fn m(s: &str) -> Month {
    Month::parse(s).unwrap()
}

async fn figures_read_year_to_date_with_yoy_and_an_enclaves_settlement(store: Store) {
    World::build(&store).await;
    let id = enclave(&store).await;
    store
        .set_platform_figures(
            &admin(),
            &actor(),
            id,
            m("2023-11"),
            &figures(100, 200, 0),
            None,
        )
        .await
        .unwrap();
    store
        .set_platform_figures(
            &admin(),
            &actor(),
            id,
            m("2024-11"),
            &figures(134, 222, 60_000_000),
            None,
        )
        .await
        .unwrap();
    let filter = PlatformFilter {
        year: Some(2024),
        month: Some(12),
        kind: None,
    };
    let page = store
        .coop_platforms(&admin(), &filter, m("2025-03"))
        .await
        .unwrap();
    let p = &page.items[0];
    let current = p.current.as_ref().unwrap();
    assert_eq!(
        (current.month, current.figures.fixed_asset_investment),
        (11, 134 * YI / 10)
    );
    assert_eq!(p.last_year.as_ref().unwrap().month, 11);
    assert_eq!(p.yoy.fixed_asset_investment.as_deref(), Some("34.0%"));
    assert_eq!(p.yoy.industrial_output.as_deref(), Some("11.0%"));
    assert_eq!(p.yoy.projects.as_deref(), Some("0.0%"));
    let tax = p.tax_settlement.unwrap();
    assert_eq!(
        (tax.agreed, tax.arrived, tax.shortfall),
        (70_000_000, 60_000_000, 10_000_000)
    );
    assert_eq!(p.output_settlement.unwrap().shortfall, 0);
    // Before November there is nothing for 2024 yet.
    let early = PlatformFilter {
        year: Some(2024),
        month: Some(10),
        kind: None,
    };
    let none = store
        .coop_platforms(&admin(), &early, m("2025-03"))
        .await
        .unwrap();
    assert!(none.items[0].current.is_none() && none.items[0].tax_settlement.is_none());
    // A stale or blind rewrite of a month is refused.
    expect_conflict(
        store
            .set_platform_figures(
                &admin(),
                &actor(),
                id,
                m("2024-11"),
                &figures(1, 1, 0),
                None,
            )
            .await,
    );
    store
        .set_platform_figures(
            &admin(),
            &actor(),
            id,
            m("2024-11"),
            &figures(135, 222, 60_000_000),
            Some(1),
        )
        .await
        .unwrap();
    expect_conflict(
        store
            .set_platform_figures(
                &admin(),
                &actor(),
                id,
                m("2024-11"),
                &figures(1, 1, 0),
                Some(1),
            )
            .await,
    );
    assert_eq!(store.platform_history(&admin(), id).await.unwrap().len(), 2);
    assert!(
        store
            .coop_platforms(
                &admin(),
                &PlatformFilter {
                    month: Some(13),
                    ..filter
                },
                m("2025-03")
            )
            .await
            .is_err()
    );
}

async fn a_district_sees_and_reports_the_platforms_in_it(store: Store) {
    let w = World::build(&store).await;
    let id = enclave(&store).await;
    let viewers: [(Viewer, bool); 6] = [
        (admin(), true),
        (leader_viewer(w.leader_1.id), true),
        (district_viewer(A), true),
        (platform_viewer(w.platform_a.id), true),
        (district_viewer(B), false),
        (unit_viewer(Some(w.unit_1.id)), false),
    ];
    for (viewer, sees) in viewers {
        let page = store
            .coop_platforms(&viewer, &PlatformFilter::default(), m("2024-06"))
            .await
            .unwrap();
        assert_eq!(page.total, i64::from(sees), "{viewer:?}");
        assert_eq!(
            store.platform_history(&viewer, id).await.is_ok(),
            sees,
            "{viewer:?}"
        );
    }
    store
        .set_platform_figures(
            &district_viewer(A),
            &actor(),
            id,
            m("2024-06"),
            &figures(50, 80, 0),
            None,
        )
        .await
        .unwrap();
    expect_refused(
        store
            .set_platform_figures(
                &district_viewer(B),
                &actor(),
                id,
                m("2024-07"),
                &figures(50, 80, 0),
                None,
            )
            .await,
    );
    expect_refused(
        store
            .set_platform_figures(
                &leader_viewer(w.leader_1.id),
                &actor(),
                id,
                m("2024-07"),
                &figures(50, 80, 0),
                None,
            )
            .await,
    );
    let p = PlatformInput {
        name: "x".into(),
        kind: "platform".into(),
        district_code: A.into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    expect_refused(
        store
            .create_coop_platform(&district_viewer(A), &actor(), &p)
            .await,
    );
}
