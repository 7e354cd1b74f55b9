//! Dictionaries: districts, platforms, units, leaders, industries, chains, lists, signing events.

use crate::support::*;
use hezuo_store::Store;
use hezuo_store::dict::DictKind;

contract!(
    every_dictionary_kind_is_created_listed_read_and_updated,
    a_stale_dictionary_version_is_a_conflict_and_changes_nothing,
    a_duplicate_dictionary_name_or_code_is_a_conflict_and_changes_nothing,
    dictionary_values_are_checked_and_a_refused_entry_is_not_written,
);

async fn every_dictionary_kind_is_created_listed_read_and_updated(store: Store) {
    use DictKind::*;
    let a = actor();
    let district = store
        .dict_create(&a, District, "  吴兴区 ", &values([" 330502 "]))
        .await
        .unwrap();
    assert_eq!(
        (
            district.name.as_str(),
            district.values.clone(),
            district.version
        ),
        ("吴兴区", values(["330502"]), 1)
    );
    let district_b = dict(&store, District, B_NAME, values([B])).await;
    let platform = dict(&store, Platform, "吴兴经济开发区", values(["WXKF", A])).await;
    assert_eq!(platform.values, values(["WXKF", A]));
    assert_eq!(platform.value(Platform, "district_code"), A);
    let unit = dict(&store, Unit, "市经信局", values(["JXJ"])).await;
    let leader = dict(&store, Leader, "张市长", values(["市长"])).await;
    let untitled = dict(&store, Leader, "王主任", values([""])).await;
    assert_eq!(untitled.values, values([""]));
    let industry = dict(&store, Industry, "新能源汽车", vec![]).await;
    assert!(industry.values.is_empty());
    let chain = dict(&store, Chain, "电驱系统", values([&id(&industry)])).await;
    assert_eq!(chain.values, vec![id(&industry)]);
    let loose_chain = dict(&store, Chain, "低空经济", values([""])).await;
    assert_eq!(
        loose_chain.values,
        values([""]),
        "an empty reference reads back empty"
    );
    let list = dict(&store, List, "省重大产业项目", vec![]).await;
    let early = dict(
        &store,
        SigningEvent,
        "春季签约会",
        values(["2024-03-05", "上海"]),
    )
    .await;
    let late = dict(
        &store,
        SigningEvent,
        "秋季签约会",
        values(["2024/9/18", ""]),
    )
    .await;
    assert_eq!(
        late.values,
        values(["2024-09-18", ""]),
        "dates are stored in ISO form"
    );

    for item in [&district, &district_b] {
        assert_eq!(&store.dict_get(District, item.id).await.unwrap(), item);
    }
    for (kind, item) in [
        (Platform, &platform),
        (Unit, &unit),
        (Leader, &leader),
        (Industry, &industry),
        (Chain, &chain),
        (List, &list),
        (SigningEvent, &early),
    ] {
        assert_eq!(
            &store.dict_get(kind, item.id).await.unwrap(),
            item,
            "{kind:?}"
        );
    }

    assert_eq!(
        store.dict_list(District).await.unwrap(),
        vec![district.clone(), district_b.clone()],
        "by code"
    );
    assert_eq!(
        store.dict_list(Leader).await.unwrap(),
        vec![leader.clone(), untitled],
        "by id"
    );
    assert_eq!(
        store.dict_list(Chain).await.unwrap(),
        vec![chain.clone(), loose_chain]
    );
    assert_eq!(
        store.dict_list(SigningEvent).await.unwrap(),
        vec![late, early],
        "newest event first"
    );
    assert_eq!(
        store.dict_find(Unit, "市经信局").await.unwrap(),
        Some(unit.clone())
    );
    assert_eq!(store.dict_find(Unit, "市商务局").await.unwrap(), None);
    expect_not_found(store.dict_get(Unit, unit.id + 1000).await);

    let renamed = store
        .dict_update(&a, Leader, leader.id, 1, "张书记", &values(["市委书记"]))
        .await
        .unwrap();
    assert_eq!(
        (renamed.id, renamed.name.as_str(), renamed.version),
        (leader.id, "张书记", 2)
    );
    assert_eq!(renamed.values, values(["市委书记"]));
    assert_eq!(store.dict_get(Leader, leader.id).await.unwrap(), renamed);

    let moved = store
        .dict_update(
            &a,
            Platform,
            platform.id,
            1,
            "吴兴经济开发区",
            &values(["WXKF", B]),
        )
        .await
        .unwrap();
    assert_eq!(moved.value(Platform, "district_code"), B);
    assert_eq!(moved.version, 2);
    let again = store
        .dict_update(
            &a,
            Platform,
            platform.id,
            2,
            "吴兴开发区",
            &values(["WX", A]),
        )
        .await
        .unwrap();
    assert_eq!(
        (again.name.as_str(), again.values.clone(), again.version),
        ("吴兴开发区", values(["WX", A]), 3)
    );
    expect_not_found(
        store
            .dict_update(&a, Unit, unit.id + 1000, 1, "无", &values(["NONE"]))
            .await,
    );
}

async fn a_stale_dictionary_version_is_a_conflict_and_changes_nothing(store: Store) {
    let a = actor();
    let district = dict(&store, DictKind::District, A_NAME, values([A])).await;
    let current = store
        .dict_update(&a, DictKind::District, district.id, 1, "吴兴", &values([A]))
        .await
        .expect("current version");
    assert_eq!(current.version, 2);
    let audited = store
        .audit_for("districts", district.id)
        .await
        .unwrap()
        .len();

    expect_conflict(
        store
            .dict_update(
                &a,
                DictKind::District,
                district.id,
                1,
                "湖州吴兴",
                &values(["330599"]),
            )
            .await,
    );
    expect_conflict(
        store
            .dict_update(
                &a,
                DictKind::District,
                district.id,
                3,
                "湖州吴兴",
                &values(["330599"]),
            )
            .await,
    );

    assert_eq!(
        store
            .dict_get(DictKind::District, district.id)
            .await
            .unwrap(),
        current
    );
    assert_eq!(
        store
            .audit_for("districts", district.id)
            .await
            .unwrap()
            .len(),
        audited,
        "no audit for a refused edit"
    );
}

async fn a_duplicate_dictionary_name_or_code_is_a_conflict_and_changes_nothing(store: Store) {
    use DictKind::*;
    let a = actor();
    let wuxing = dict(&store, District, A_NAME, values([A])).await;
    expect_conflict(
        store
            .dict_create(&a, District, A_NAME, &values(["330599"]))
            .await,
    );
    expect_conflict(
        store
            .dict_create(&a, District, "另一个区", &values([A]))
            .await,
    );
    let nanxun = dict(&store, District, B_NAME, values([B])).await;
    expect_conflict(
        store
            .dict_update(&a, District, nanxun.id, 1, A_NAME, &values([B]))
            .await,
    );
    expect_conflict(
        store
            .dict_update(&a, District, nanxun.id, 1, B_NAME, &values([A]))
            .await,
    );
    assert_eq!(
        store.dict_list(District).await.unwrap(),
        vec![wuxing, nanxun.clone()]
    );
    assert_eq!(store.dict_get(District, nanxun.id).await.unwrap(), nanxun);

    let platform = dict(&store, Platform, "吴兴经济开发区", values(["WXKF", A])).await;
    expect_conflict(
        store
            .dict_create(&a, Platform, "另一个平台", &values(["WXKF", B]))
            .await,
    );
    expect_conflict(
        store
            .dict_create(&a, Platform, "吴兴经济开发区", &values(["WX2", B]))
            .await,
    );
    assert_eq!(store.dict_list(Platform).await.unwrap(), vec![platform]);

    dict(&store, Industry, "新能源汽车", vec![]).await;
    expect_conflict(store.dict_create(&a, Industry, "新能源汽车", &[]).await);
    dict(&store, List, "省重大产业项目", vec![]).await;
    expect_conflict(store.dict_create(&a, List, " 省重大产业项目 ", &[]).await);
    assert_eq!(store.dict_list(Industry).await.unwrap().len(), 1);
    assert_eq!(store.dict_list(List).await.unwrap().len(), 1);
}

async fn dictionary_values_are_checked_and_a_refused_entry_is_not_written(store: Store) {
    use DictKind::*;
    let a = actor();
    expect_invalid(store.dict_create(&a, District, "  ", &values([A])).await);
    expect_invalid(
        store
            .dict_create(&a, District, A_NAME, &values(["33050"]))
            .await,
    );
    expect_invalid(
        store
            .dict_create(&a, District, A_NAME, &values(["33050x"]))
            .await,
    );
    expect_invalid(store.dict_create(&a, District, A_NAME, &values([""])).await);
    expect_invalid(store.dict_create(&a, District, A_NAME, &[]).await);
    expect_invalid(
        store
            .dict_create(&a, District, &"区".repeat(101), &values([A]))
            .await,
    );
    expect_invalid(
        store
            .dict_create(&a, Platform, "无主平台", &values(["NOWHERE", "330599"]))
            .await,
    );
    expect_invalid(
        store
            .dict_create(&a, Chain, "无主产业链", &values(["987654"]))
            .await,
    );
    expect_invalid(
        store
            .dict_create(&a, Chain, "无主产业链", &values(["第一"]))
            .await,
    );
    expect_invalid(
        store
            .dict_create(&a, SigningEvent, "无期签约会", &values(["下周", "上海"]))
            .await,
    );
    expect_invalid(
        store
            .dict_create(&a, SigningEvent, "无期签约会", &values(["", "上海"]))
            .await,
    );
    for kind in DictKind::ALL {
        assert!(
            store.dict_list(kind).await.unwrap().is_empty(),
            "{kind:?} stays empty"
        );
    }

    let district = dict(&store, District, A_NAME, values([A])).await;
    expect_invalid(
        store
            .dict_update(&a, District, district.id, 1, A_NAME, &values(["abc"]))
            .await,
    );
    let platform = dict(&store, Platform, "吴兴经济开发区", values(["WXKF", A])).await;
    expect_invalid(
        store
            .dict_update(
                &a,
                Platform,
                platform.id,
                1,
                "吴兴经济开发区",
                &values(["WXKF", "330599"]),
            )
            .await,
    );
    assert_eq!(
        store.dict_get(District, district.id).await.unwrap(),
        district
    );
    assert_eq!(
        store.dict_get(Platform, platform.id).await.unwrap(),
        platform
    );
}
