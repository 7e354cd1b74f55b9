//! The project list: every filter, sorting both ways, pagination, and totals over all pages.

use crate::support::*;
use hezuo_domain::ProjectInput;
use hezuo_store::Store;
use hezuo_store::project::{ProjectFilter, ProjectRow};

contract!(
    filtering_by_stage_keeps_only_that_stage,
    filtering_by_district_or_platform_keeps_only_that_place,
    filtering_by_tier_counts_from_exactly_n_yi_upwards_in_yuan,
    filtering_by_industry_or_chain_keeps_only_that_industry_or_chain,
    filtering_by_list_and_year_counts_each_project_once,
    filtering_by_leader_keeps_only_that_leaders_projects,
    filtering_by_origin_keeps_only_that_origin,
    filtering_by_flag_matches_whole_flags_only,
    filtering_by_kind_keeps_only_that_kind,
    a_keyword_matches_name_investor_or_project_code,
    filters_combine,
    sorting_by_name_investment_or_stage_runs_both_ways,
    pages_split_the_sorted_list_and_totals_cover_every_page,
);

/// Six projects across two districts; names are chosen so byte order is the same everywhere
/// (ASCII first, then the CJK characters by code point: 丁 丙 乙 戊 甲).
pub struct Library {
    pub w: World,
    pub rows: Vec<ProjectRow>,
}

impl Library {
    pub async fn seed(store: &Store) -> Library {
        let w = World::build(store).await;
        let inputs = vec![
            ProjectInput {
                stage: "signed".into(),
                stage_date: "2024-03-05".into(),
                investment_wan: "50000".into(),
                platform_id: id(&w.platform_a),
                industry_id: id(&w.industry_1),
                chain_id: id(&w.chain_1),
                lists: vec![on_list(&w.list_1, 2024), on_list(&w.list_1, 2025)],
                leader_id: id(&w.leader_1),
                unit_id: id(&w.unit_1),
                flags: vec!["chain_leader".into(), "global500".into()],
                investor: "上海电驱科技有限公司".into(),
                project_code: "2024-330502-04-01-000001".into(),
                ..input("甲电驱系统项目")
            },
            ProjectInput {
                stage: "negotiating".into(),
                investment_wan: "49999.9999".into(),
                origin: "jiangsu".into(),
                platform_id: id(&w.platform_a2),
                industry_id: id(&w.industry_1),
                chain_id: id(&w.chain_2),
                lists: vec![on_list(&w.list_2, 2024)],
                leader_id: id(&w.leader_2),
                unit_id: id(&w.unit_2),
                flags: vec!["china500".into()],
                investor: "江苏装备集团".into(),
                ..input("乙智能装备项目")
            },
            ProjectInput {
                kind: "culture_tourism".into(),
                investment_wan: "100000".into(),
                origin: "local".into(),
                industry_id: id(&w.industry_2),
                lists: vec![on_list(&w.list_1, 2025)],
                investor: "本地文旅公司".into(),
                ..input("丙文旅综合体")
            },
            ProjectInput {
                kind: "research".into(),
                stage: "signed".into(),
                stage_date: "2024-05-20".into(),
                currency: "USD".into(),
                investment_wan: "8000".into(),
                usd_rate: "7.1884".into(),
                rate_date: "2024-05-01".into(),
                origin: "abroad".into(),
                origin_detail: "日本".into(),
                district_code: B.into(),
                platform_id: id(&w.platform_b),
                lists: vec![on_list(&w.list_2, 2025)],
                leader_id: id(&w.leader_1),
                unit_id: id(&w.unit_1),
                flags: vec!["global500".into()],
                investor: "日本研发株式会社".into(),
                ..input("丁外资研发中心")
            },
            ProjectInput {
                kind: "infrastructure".into(),
                stage: "started".into(),
                stage_date: "2024-04-01".into(),
                signed_on: "2024-02-01".into(),
                investment_wan: "3000".into(),
                origin: "anhui".into(),
                district_code: B.into(),
                industry_id: id(&w.industry_2),
                investor: "安徽物流".into(),
                ..input("戊物流园")
            },
            ProjectInput {
                investment_wan: "20000".into(),
                origin: "domestic".into(),
                ..input("ABC机器人项目")
            },
        ];
        let mut rows = Vec::new();
        for i in inputs {
            rows.push(create(store, i).await);
        }
        Library { w, rows }
    }

    pub fn row(&self, name: &str) -> &ProjectRow {
        self.rows
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no project {name}"))
    }
}

/// Lists with the filter and checks the matching names (in any order) and both totals.
async fn expect(store: &Store, lib: &Library, filter: ProjectFilter, want: &[&str]) {
    let page = list(
        store,
        &admin(),
        &ProjectFilter {
            per_page: Some(200),
            ..filter.clone()
        },
    )
    .await;
    let mut got = names(&page);
    got.sort();
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "{filter:?}");
    assert_eq!(page.total, want.len() as i64, "total for {filter:?}");
    let sum: i64 = want.iter().map(|n| lib.row(n).investment_cny).sum();
    assert_eq!(
        page.total_investment_cny, sum,
        "investment total for {filter:?}"
    );
}

fn f() -> ProjectFilter {
    ProjectFilter::default()
}

async fn filtering_by_stage_keeps_only_that_stage(store: Store) {
    let lib = Library::seed(&store).await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            stage: Some("signed".into()),
            ..f()
        },
        &["甲电驱系统项目", "丁外资研发中心"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            stage: Some("lead".into()),
            ..f()
        },
        &["丙文旅综合体", "ABC机器人项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            stage: Some("started".into()),
            ..f()
        },
        &["戊物流园"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            stage: Some("terminated".into()),
            ..f()
        },
        &[],
    )
    .await;
    let all = [
        "甲电驱系统项目",
        "乙智能装备项目",
        "丙文旅综合体",
        "丁外资研发中心",
        "戊物流园",
        "ABC机器人项目",
    ];
    expect(
        &store,
        &lib,
        ProjectFilter {
            stage: Some("  ".into()),
            ..f()
        },
        &all,
    )
    .await;
    expect(&store, &lib, f(), &all).await;
}

async fn filtering_by_district_or_platform_keeps_only_that_place(store: Store) {
    let lib = Library::seed(&store).await;
    let w = &lib.w;
    let in_a = [
        "甲电驱系统项目",
        "乙智能装备项目",
        "丙文旅综合体",
        "ABC机器人项目",
    ];
    expect(
        &store,
        &lib,
        ProjectFilter {
            district: Some(A.into()),
            ..f()
        },
        &in_a,
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            district: Some(B.into()),
            ..f()
        },
        &["丁外资研发中心", "戊物流园"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            district: Some("330599".into()),
            ..f()
        },
        &[],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            platform: Some(w.platform_a.id),
            ..f()
        },
        &["甲电驱系统项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            platform: Some(w.platform_a2.id),
            ..f()
        },
        &["乙智能装备项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            platform: Some(w.platform_b.id),
            ..f()
        },
        &["丁外资研发中心"],
    )
    .await;
}

async fn filtering_by_tier_counts_from_exactly_n_yi_upwards_in_yuan(store: Store) {
    let lib = Library::seed(&store).await;
    assert_eq!(
        lib.row("甲电驱系统项目").investment_cny,
        500_000_000,
        "exactly 5亿"
    );
    assert_eq!(
        lib.row("乙智能装备项目").investment_cny,
        499_999_999,
        "one yuan short of 5亿"
    );
    assert_eq!(
        lib.row("丁外资研发中心").investment_orig,
        80_000_000,
        "US$0.8亿 …"
    );
    assert_eq!(
        lib.row("丁外资研发中心").investment_cny,
        575_072_000,
        "… is ¥5.75亿"
    );
    let five = ["甲电驱系统项目", "丙文旅综合体", "丁外资研发中心"];
    expect(
        &store,
        &lib,
        ProjectFilter {
            tier: Some(5),
            ..f()
        },
        &five,
    )
    .await;
    let page = list(
        &store,
        &admin(),
        &ProjectFilter {
            tier: Some(5),
            ..every()
        },
    )
    .await;
    assert_eq!(page.total_investment_cny, 2_075_072_000);
    expect(
        &store,
        &lib,
        ProjectFilter {
            tier: Some(10),
            ..f()
        },
        &["丙文旅综合体"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            tier: Some(11),
            ..f()
        },
        &[],
    )
    .await;
    let one = [
        "甲电驱系统项目",
        "乙智能装备项目",
        "丙文旅综合体",
        "丁外资研发中心",
        "ABC机器人项目",
    ];
    expect(
        &store,
        &lib,
        ProjectFilter {
            tier: Some(1),
            ..f()
        },
        &one,
    )
    .await;
}

async fn filtering_by_industry_or_chain_keeps_only_that_industry_or_chain(store: Store) {
    let lib = Library::seed(&store).await;
    let w = &lib.w;
    expect(
        &store,
        &lib,
        ProjectFilter {
            industry: Some(w.industry_1.id),
            ..f()
        },
        &["甲电驱系统项目", "乙智能装备项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            industry: Some(w.industry_2.id),
            ..f()
        },
        &["丙文旅综合体", "戊物流园"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            chain: Some(w.chain_1.id),
            ..f()
        },
        &["甲电驱系统项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            chain: Some(w.chain_2.id),
            ..f()
        },
        &["乙智能装备项目"],
    )
    .await;
}

async fn filtering_by_list_and_year_counts_each_project_once(store: Store) {
    let lib = Library::seed(&store).await;
    let w = &lib.w;
    let (l1, l2) = (Some(w.list_1.id), Some(w.list_2.id));
    // 甲 is on list 1 in both 2024 and 2025 and still counts once.
    expect(
        &store,
        &lib,
        ProjectFilter { list: l1, ..f() },
        &["甲电驱系统项目", "丙文旅综合体"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            list: l1,
            year: Some(2024),
            ..f()
        },
        &["甲电驱系统项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            list: l1,
            year: Some(2025),
            ..f()
        },
        &["甲电驱系统项目", "丙文旅综合体"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter { list: l2, ..f() },
        &["乙智能装备项目", "丁外资研发中心"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            list: l2,
            year: Some(2024),
            ..f()
        },
        &["乙智能装备项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            list: l2,
            year: Some(2023),
            ..f()
        },
        &[],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            year: Some(2024),
            ..f()
        },
        &["甲电驱系统项目", "乙智能装备项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            year: Some(2025),
            ..f()
        },
        &["甲电驱系统项目", "丙文旅综合体", "丁外资研发中心"],
    )
    .await;
}

async fn filtering_by_leader_keeps_only_that_leaders_projects(store: Store) {
    let lib = Library::seed(&store).await;
    let w = &lib.w;
    expect(
        &store,
        &lib,
        ProjectFilter {
            leader: Some(w.leader_1.id),
            ..f()
        },
        &["甲电驱系统项目", "丁外资研发中心"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            leader: Some(w.leader_2.id),
            ..f()
        },
        &["乙智能装备项目"],
    )
    .await;
}

async fn filtering_by_origin_keeps_only_that_origin(store: Store) {
    let lib = Library::seed(&store).await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            origin: Some("abroad".into()),
            ..f()
        },
        &["丁外资研发中心"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            origin: Some("shanghai".into()),
            ..f()
        },
        &["甲电驱系统项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            origin: Some("jiangsu".into()),
            ..f()
        },
        &["乙智能装备项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            origin: Some("province".into()),
            ..f()
        },
        &[],
    )
    .await;
}

async fn filtering_by_flag_matches_whole_flags_only(store: Store) {
    let lib = Library::seed(&store).await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            flag: Some("global500".into()),
            ..f()
        },
        &["甲电驱系统项目", "丁外资研发中心"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            flag: Some("chain_leader".into()),
            ..f()
        },
        &["甲电驱系统项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            flag: Some("china500".into()),
            ..f()
        },
        &["乙智能装备项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            flag: Some("500".into()),
            ..f()
        },
        &[],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            flag: Some("unicorn".into()),
            ..f()
        },
        &[],
    )
    .await;
    // A wildcard is not a flag: it matches nothing rather than everything.
    expect(
        &store,
        &lib,
        ProjectFilter {
            flag: Some("%".into()),
            ..f()
        },
        &[],
    )
    .await;
}

async fn filtering_by_kind_keeps_only_that_kind(store: Store) {
    let lib = Library::seed(&store).await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            kind: Some("industrial".into()),
            ..f()
        },
        &["甲电驱系统项目", "乙智能装备项目", "ABC机器人项目"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            kind: Some("research".into()),
            ..f()
        },
        &["丁外资研发中心"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            kind: Some("culture_tourism".into()),
            ..f()
        },
        &["丙文旅综合体"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            kind: Some("talent".into()),
            ..f()
        },
        &[],
    )
    .await;
}

async fn a_keyword_matches_name_investor_or_project_code(store: Store) {
    let lib = Library::seed(&store).await;
    let q = |s: &str| ProjectFilter {
        q: Some(s.into()),
        ..f()
    };
    expect(&store, &lib, q("物流园"), &["戊物流园"]).await;
    expect(&store, &lib, q("abc"), &["ABC机器人项目"]).await;
    expect(&store, &lib, q("机器人"), &["ABC机器人项目"]).await;
    expect(&store, &lib, q("江苏装备"), &["乙智能装备项目"]).await;
    expect(&store, &lib, q("电驱"), &["甲电驱系统项目"]).await;
    expect(&store, &lib, q("04-01-000001"), &["甲电驱系统项目"]).await;
    expect(
        &store,
        &lib,
        q(" 项目 "),
        &["甲电驱系统项目", "乙智能装备项目", "ABC机器人项目"],
    )
    .await;
    expect(&store, &lib, q("不存在的项目"), &[]).await;
}

async fn filters_combine(store: Store) {
    let lib = Library::seed(&store).await;
    let w = &lib.w;
    expect(
        &store,
        &lib,
        ProjectFilter {
            district: Some(A.into()),
            tier: Some(5),
            ..f()
        },
        &["甲电驱系统项目", "丙文旅综合体"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            flag: Some("global500".into()),
            district: Some(B.into()),
            ..f()
        },
        &["丁外资研发中心"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            leader: Some(w.leader_1.id),
            stage: Some("signed".into()),
            q: Some("研发".into()),
            ..f()
        },
        &["丁外资研发中心"],
    )
    .await;
    expect(
        &store,
        &lib,
        ProjectFilter {
            industry: Some(w.industry_2.id),
            kind: Some("industrial".into()),
            ..f()
        },
        &[],
    )
    .await;
}

async fn sorting_by_name_investment_or_stage_runs_both_ways(store: Store) {
    let lib = Library::seed(&store).await;
    let sorted = |sort: &str, dir: &str| ProjectFilter {
        sort: Some(sort.into()),
        dir: Some(dir.into()),
        ..every()
    };
    let by_name = [
        "ABC机器人项目",
        "丁外资研发中心",
        "丙文旅综合体",
        "乙智能装备项目",
        "戊物流园",
        "甲电驱系统项目",
    ];
    assert_eq!(
        names(&list(&store, &admin(), &sorted("name", "asc")).await),
        by_name
    );
    let mut reversed = by_name;
    reversed.reverse();
    assert_eq!(
        names(&list(&store, &admin(), &sorted("name", "desc")).await),
        reversed
    );

    let by_money = [
        "戊物流园",
        "ABC机器人项目",
        "乙智能装备项目",
        "甲电驱系统项目",
        "丁外资研发中心",
        "丙文旅综合体",
    ];
    let page = list(&store, &admin(), &sorted("investment", "asc")).await;
    assert_eq!(names(&page), by_money);
    assert!(
        page.items
            .windows(2)
            .all(|p| p[0].investment_cny < p[1].investment_cny)
    );
    let mut reversed = by_money;
    reversed.reverse();
    assert_eq!(
        names(&list(&store, &admin(), &sorted("investment", "desc")).await),
        reversed
    );

    // By the stage's place in the life cycle, not its spelling; ties by id.
    let by_stage = [
        "丙文旅综合体",
        "ABC机器人项目",
        "乙智能装备项目",
        "甲电驱系统项目",
        "丁外资研发中心",
        "戊物流园",
    ];
    assert_eq!(
        names(&list(&store, &admin(), &sorted("stage", "asc")).await),
        by_stage
    );

    // The default is most recently changed first; these were created in order.
    let newest_first: Vec<i64> = lib.rows.iter().rev().map(|r| r.id).collect();
    let page = list(&store, &admin(), &every()).await;
    assert_eq!(
        page.items.iter().map(|r| r.id).collect::<Vec<_>>(),
        newest_first
    );
}

async fn pages_split_the_sorted_list_and_totals_cover_every_page(store: Store) {
    let lib = Library::seed(&store).await;
    let all_money = 2_805_071_999;
    assert_eq!(
        lib.rows.iter().map(|r| r.investment_cny).sum::<i64>(),
        all_money
    );
    let page = |n: i64| ProjectFilter {
        sort: Some("investment".into()),
        dir: Some("asc".into()),
        page: Some(n),
        per_page: Some(2),
        ..f()
    };
    for (n, want) in [
        (1, vec!["戊物流园", "ABC机器人项目"]),
        (2, vec!["乙智能装备项目", "甲电驱系统项目"]),
        (3, vec!["丁外资研发中心", "丙文旅综合体"]),
        (4, vec![]),
    ] {
        let p = list(&store, &admin(), &page(n)).await;
        assert_eq!(names(&p), want, "page {n}");
        assert_eq!((p.page, p.per_page), (n, 2));
        assert_eq!(
            (p.total, p.total_investment_cny),
            (6, all_money),
            "totals on page {n} cover every page"
        );
    }

    // Totals follow the filter, not the page.
    let in_a = ProjectFilter {
        district: Some(A.into()),
        sort: Some("name".into()),
        dir: Some("asc".into()),
        ..page(2)
    };
    let p = list(&store, &admin(), &in_a).await;
    assert_eq!(names(&p), ["乙智能装备项目", "甲电驱系统项目"]);
    assert_eq!((p.total, p.total_investment_cny), (4, 2_199_999_999));

    // Out-of-range paging is brought back into range.
    let p = list(
        &store,
        &admin(),
        &ProjectFilter {
            page: Some(0),
            per_page: Some(0),
            ..f()
        },
    )
    .await;
    assert_eq!((p.page, p.per_page, p.items.len(), p.total), (1, 1, 1, 6));
    let p = list(
        &store,
        &admin(),
        &ProjectFilter {
            page: Some(-3),
            per_page: Some(100_000),
            ..f()
        },
    )
    .await;
    assert_eq!((p.page, p.per_page, p.items.len()), (1, 200, 6));
}

contract!(a_keyword_typed_exactly_as_a_name_is_written_finds_it);

async fn a_keyword_typed_exactly_as_a_name_is_written_finds_it(store: Store) {
    World::build(&store).await;
    let written = [
        "ＡＢＣ新材料项目",
        "Ärzte-Zentrum医疗项目",
        "路径\\测试项目",
        "持股50%_一期项目",
    ];
    for name in written {
        create(&store, input(name)).await;
    }
    for name in written {
        for q in [name.to_string(), name.chars().take(4).collect::<String>()] {
            let page = list(
                &store,
                &admin(),
                &ProjectFilter {
                    q: Some(q.clone()),
                    ..every()
                },
            )
            .await;
            assert_eq!(names(&page), [name], "searching for “{q}”");
        }
    }
}
