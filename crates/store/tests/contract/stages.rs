//! Stage changes: forward one step at a time, dated, never in the future nor before the last
//! change, 终止 with a reason and final; a refused change leaves no trace.

use crate::support::*;
use hezuo_domain::{ProjectInput, Stage};
use hezuo_store::project::ProjectRow;
use hezuo_store::{Actor, Store, StoreError};

contract!(
    legal_stage_changes_move_one_step_at_a_time_and_append_dated_history,
    reaching_signed_records_the_signing_date_and_clears_the_maturity,
    terminating_needs_a_reason_and_ends_the_projects_life,
    illegal_stage_changes_are_invalid_and_change_nothing,
    a_stage_change_against_a_stale_version_is_a_conflict_and_changes_nothing,
);

async fn step(
    store: &Store,
    actor: &Actor,
    row: &ProjectRow,
    to: Stage,
    on: &str,
    reason: Option<&str>,
) -> ProjectRow {
    store
        .transition_project(
            &admin(),
            actor,
            row.id,
            row.version,
            to,
            date(on),
            reason,
            today(),
        )
        .await
        .unwrap_or_else(|e| panic!("{} → {to:?} on {on}: {e:?}", row.stage))
}

/// What must hold after a refused change: the row, its history and its audit trail as before.
struct Snapshot {
    row: ProjectRow,
    history: usize,
    audits: usize,
}

async fn snapshot(store: &Store, id: i64) -> Snapshot {
    Snapshot {
        row: store.get_project(&admin(), id).await.unwrap(),
        history: store.stage_history(&admin(), id).await.unwrap().len(),
        audits: audit_count(store, id).await,
    }
}

async fn unchanged(store: &Store, before: &Snapshot, what: &str) {
    let now = snapshot(store, before.row.id).await;
    assert_eq!(now.row, before.row, "{what}: the project is unchanged");
    assert_eq!(
        now.history, before.history,
        "{what}: no stage history added"
    );
    assert_eq!(now.audits, before.audits, "{what}: no audit row added");
}

async fn legal_stage_changes_move_one_step_at_a_time_and_append_dated_history(store: Store) {
    World::build(&store).await;
    let user = store
        .create_user(
            &actor(),
            &hezuo_store::auth::UserInput {
                username: "office1".into(),
                display_name: "合作办一号".into(),
                role: "office".into(),
                ..Default::default()
            },
            "Secret2024",
        )
        .await
        .unwrap();
    let office = Actor {
        user_id: Some(user.id),
        username: user.username.clone(),
        ip: "192.0.2.7".into(),
    };
    let mut row = create(&store, input("全周期项目")).await;
    assert_eq!(
        (
            row.stage.as_str(),
            row.stage_date.as_str(),
            row.signed_on.as_deref()
        ),
        ("lead", "2024-01-10", None)
    );

    let path = [
        (Stage::Negotiating, "2024-02-01"),
        (Stage::Signed, "2024-03-05"),
        (Stage::Started, "2024-04-01"),
        (Stage::Completed, "2024-06-30"),
        (Stage::Producing, "2024-06-30"), // the same day as the last change is allowed
        (Stage::FullProduction, "2024-12-31"), // today is allowed
    ];
    for (i, (to, on)) in path.into_iter().enumerate() {
        let before = row.clone();
        row = step(&store, &office, &row, to, on, None).await;
        assert_eq!(
            (row.stage.as_str(), row.stage_date.as_str()),
            (to.code(), on)
        );
        assert_eq!(row.version, before.version + 1);
        assert_eq!(row.name, before.name);
        assert_eq!(row.investment_cny, before.investment_cny);
        assert_eq!(store.get_project(&admin(), row.id).await.unwrap(), row);
        let history = store.stage_history(&admin(), row.id).await.unwrap();
        assert_eq!(history.len(), i + 2);
        let last = history.last().unwrap();
        assert_eq!(last.from_stage.as_deref(), Some(before.stage.as_str()));
        assert_eq!(
            (
                last.to_stage.as_str(),
                last.changed_on.as_str(),
                last.reason.as_deref()
            ),
            (to.code(), on, None)
        );
        assert_eq!(last.username.as_deref(), Some("office1"));
        let signed = if to >= Stage::Signed {
            Some("2024-03-05")
        } else {
            None
        };
        assert_eq!(
            row.signed_on.as_deref(),
            signed,
            "signed_on after reaching {to:?}"
        );
    }

    let history = store.stage_history(&admin(), row.id).await.unwrap();
    let trail: Vec<(Option<&str>, &str, &str)> = history
        .iter()
        .map(|h| {
            (
                h.from_stage.as_deref(),
                h.to_stage.as_str(),
                h.changed_on.as_str(),
            )
        })
        .collect();
    assert_eq!(
        trail,
        vec![
            (None, "lead", "2024-01-10"),
            (Some("lead"), "negotiating", "2024-02-01"),
            (Some("negotiating"), "signed", "2024-03-05"),
            (Some("signed"), "started", "2024-04-01"),
            (Some("started"), "completed", "2024-06-30"),
            (Some("completed"), "producing", "2024-06-30"),
            (Some("producing"), "full_production", "2024-12-31"),
        ]
    );
    assert_eq!(history[0].username, None, "created by the system actor");

    // 达产 is final.
    let done = snapshot(&store, row.id).await;
    let r = store
        .transition_project(
            &admin(),
            &office,
            row.id,
            row.version,
            Stage::Terminated,
            today(),
            Some("搬迁"),
            today(),
        )
        .await;
    expect_invalid(r);
    unchanged(&store, &done, "terminating after 达产").await;
}

async fn reaching_signed_records_the_signing_date_and_clears_the_maturity(store: Store) {
    World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            stage: "negotiating".into(),
            maturity: "awaiting_signature".into(),
            stage_date: "2024-04-01".into(),
            ..input("协议待签项目")
        },
    )
    .await;
    assert_eq!(
        (p.maturity.as_deref(), p.signed_on.as_deref()),
        (Some("awaiting_signature"), None)
    );
    let signed = step(&store, &actor(), &p, Stage::Signed, "2024-05-20", None).await;
    assert_eq!(signed.signed_on.as_deref(), Some("2024-05-20"));
    assert_eq!(signed.stage_date, "2024-05-20");
    assert_eq!(
        signed.maturity, None,
        "maturity only describes projects in negotiation"
    );
    let started = step(
        &store,
        &actor(),
        &signed,
        Stage::Started,
        "2024-08-08",
        None,
    )
    .await;
    assert_eq!(
        started.signed_on.as_deref(),
        Some("2024-05-20"),
        "later stages keep the signing date"
    );

    // A lead moving into negotiation is not signed.
    let lead = create(&store, input("线索项目")).await;
    let talking = step(
        &store,
        &actor(),
        &lead,
        Stage::Negotiating,
        "2024-02-02",
        None,
    )
    .await;
    assert_eq!(talking.signed_on, None);
}

async fn terminating_needs_a_reason_and_ends_the_projects_life(store: Store) {
    World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            stage: "negotiating".into(),
            ..input("将终止项目")
        },
    )
    .await;
    let before = snapshot(&store, p.id).await;
    for reason in [None, Some(""), Some("   ")] {
        let r = store
            .transition_project(
                &admin(),
                &actor(),
                p.id,
                1,
                Stage::Terminated,
                date("2024-06-01"),
                reason,
                today(),
            )
            .await;
        expect_invalid(r);
        unchanged(
            &store,
            &before,
            &format!("terminating with reason {reason:?}"),
        )
        .await;
    }

    let ended = step(
        &store,
        &actor(),
        &p,
        Stage::Terminated,
        "2024-06-01",
        Some("  投资方撤回  "),
    )
    .await;
    assert_eq!(
        (
            ended.stage.as_str(),
            ended.stage_date.as_str(),
            ended.signed_on
        ),
        ("terminated", "2024-06-01", None)
    );
    let history = store.stage_history(&admin(), p.id).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.from_stage.as_deref(), last.to_stage.as_str()),
        (Some("negotiating"), "terminated")
    );
    assert_eq!(
        last.reason.as_deref(),
        Some("投资方撤回"),
        "the reason is kept, trimmed"
    );

    let after = snapshot(&store, p.id).await;
    for to in Stage::ALL {
        let r = store
            .transition_project(
                &admin(),
                &actor(),
                p.id,
                ended.version,
                to,
                today(),
                Some("重启"),
                today(),
            )
            .await;
        expect_invalid(r);
    }
    unchanged(&store, &after, "any change after 终止").await;

    // A signed project keeps its signing date when it is terminated.
    let signed = create(
        &store,
        ProjectInput {
            stage: "signed".into(),
            stage_date: "2024-03-05".into(),
            ..input("已签约项目")
        },
    )
    .await;
    let ended = step(
        &store,
        &actor(),
        &signed,
        Stage::Terminated,
        "2024-09-09",
        Some("用地未落实"),
    )
    .await;
    assert_eq!(ended.signed_on.as_deref(), Some("2024-03-05"));
}

async fn illegal_stage_changes_are_invalid_and_change_nothing(store: Store) {
    World::build(&store).await;
    let p = create(
        &store,
        ProjectInput {
            stage: "signed".into(),
            stage_date: "2024-03-05".into(),
            ..input("已签约项目")
        },
    )
    .await;
    let before = snapshot(&store, p.id).await;
    let attempts: [(&str, Stage, &str); 8] = [
        ("skipping 开工", Stage::Completed, "2024-06-01"),
        ("skipping to 达产", Stage::FullProduction, "2024-06-01"),
        ("going back to 在谈", Stage::Negotiating, "2024-06-01"),
        ("going back to 线索", Stage::Lead, "2024-06-01"),
        ("staying at 签约", Stage::Signed, "2024-06-01"),
        (
            "dating before the last change",
            Stage::Started,
            "2024-03-04",
        ),
        ("dating tomorrow", Stage::Started, "2025-01-01"),
        ("dating next year", Stage::Started, "2025-12-31"),
    ];
    for (what, to, on) in attempts {
        let r = store
            .transition_project(
                &admin(),
                &actor(),
                p.id,
                p.version,
                to,
                date(on),
                None,
                today(),
            )
            .await;
        expect_invalid(r);
        unchanged(&store, &before, what).await;
    }
    let r = store
        .transition_project(
            &admin(),
            &actor(),
            p.id,
            p.version,
            Stage::Terminated,
            date("2025-01-01"),
            Some("x"),
            today(),
        )
        .await;
    expect_invalid(r);
    unchanged(&store, &before, "terminating tomorrow").await;

    let lead = create(&store, input("线索项目")).await;
    let lead_before = snapshot(&store, lead.id).await;
    let r = store
        .transition_project(
            &admin(),
            &actor(),
            lead.id,
            1,
            Stage::Signed,
            date("2024-06-01"),
            None,
            today(),
        )
        .await;
    expect_invalid(r);
    unchanged(&store, &lead_before, "a lead skipping 在谈").await;
    expect_not_found(
        store
            .transition_project(
                &admin(),
                &actor(),
                lead.id + 1000,
                1,
                Stage::Negotiating,
                today(),
                None,
                today(),
            )
            .await,
    );

    // The legal change is still possible afterwards.
    let started = step(&store, &actor(), &p, Stage::Started, "2024-03-05", None).await;
    assert_eq!(started.stage, "started");
}

async fn a_stage_change_against_a_stale_version_is_a_conflict_and_changes_nothing(store: Store) {
    World::build(&store).await;
    let p = create(&store, input("并发变更项目")).await;
    let current = store
        .update_project(&admin(), &actor(), p.id, 1, &draft(input("已被他人修改")))
        .await
        .unwrap();
    let before = snapshot(&store, p.id).await;
    let r = store
        .transition_project(
            &admin(),
            &actor(),
            p.id,
            1,
            Stage::Negotiating,
            date("2024-02-01"),
            None,
            today(),
        )
        .await;
    assert!(matches!(r, Err(StoreError::Conflict(_))), "{r:?}");
    unchanged(&store, &before, "a stale stage change").await;
    assert_eq!(before.row, current);
}
