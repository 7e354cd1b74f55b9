//! The audit trail: each project write leaves exactly one row, with the record before and after.

use crate::support::*;
use hezuo_domain::{ProjectInput, Stage};
use hezuo_store::project::ProjectRow;
use hezuo_store::{AuditEntry, Store};

contract!(every_project_write_leaves_exactly_one_audit_row_with_the_record_before_and_after);

fn parse(json: Option<&String>, what: &str) -> ProjectRow {
    let json = json.unwrap_or_else(|| panic!("{what} is recorded"));
    serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{what} is a project as JSON ({e}): {json}"))
}

fn newest(rows: &[AuditEntry]) -> &AuditEntry {
    rows.first().expect("an audit row")
}

async fn every_project_write_leaves_exactly_one_audit_row_with_the_record_before_and_after(
    store: Store,
) {
    let w = World::build(&store).await;
    let who = actor();

    let created = create(
        &store,
        ProjectInput {
            lists: vec![on_list(&w.list_1, 2024)],
            ..input("审计项目")
        },
    )
    .await;
    let rows = store.audit_for("project", created.id).await.unwrap();
    assert_eq!(rows.len(), 1, "create");
    let row = newest(&rows);
    assert_eq!(
        (row.action.as_str(), row.entity.as_str(), row.entity_id),
        ("create", "project", Some(created.id))
    );
    assert_eq!(
        (row.user_id, row.username.as_str(), row.ip.as_str()),
        (who.user_id, who.username.as_str(), who.ip.as_str())
    );
    assert!(!row.at.is_empty());
    assert_eq!(row.before_json, None, "nothing before a creation");
    assert_eq!(parse(row.after_json.as_ref(), "after"), created);

    let edit = draft(ProjectInput {
        investment_wan: "12345.6789".into(),
        ..input("审计项目（改）")
    });
    let updated = store
        .update_project(&admin(), &who, created.id, 1, &edit)
        .await
        .unwrap();
    let rows = store.audit_for("project", created.id).await.unwrap();
    assert_eq!(rows.len(), 2, "create + update");
    let row = newest(&rows);
    assert_eq!(row.action, "update");
    assert_eq!(parse(row.before_json.as_ref(), "before"), created);
    let after = parse(row.after_json.as_ref(), "after");
    assert_eq!(after, updated);
    assert_eq!((after.version, after.investment_cny), (2, 123_456_789));

    let moved = store
        .transition_project(
            &admin(),
            &who,
            created.id,
            2,
            Stage::Negotiating,
            date("2024-02-01"),
            None,
            today(),
        )
        .await
        .unwrap();
    let rows = store.audit_for("project", created.id).await.unwrap();
    assert_eq!(rows.len(), 3, "create + update + transition");
    let row = newest(&rows);
    assert_eq!(row.action, "transition");
    let (before, after) = (
        parse(row.before_json.as_ref(), "before"),
        parse(row.after_json.as_ref(), "after"),
    );
    assert_eq!(before, updated);
    assert_eq!(after, moved);
    assert_eq!(
        (before.stage.as_str(), after.stage.as_str()),
        ("lead", "negotiating")
    );
    assert_eq!(
        rows.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        ["transition", "update", "create"]
    );

    // Refused writes leave nothing behind.
    expect_conflict(
        store
            .update_project(&admin(), &who, created.id, 1, &edit)
            .await,
    );
    expect_invalid(
        store
            .transition_project(
                &admin(),
                &who,
                created.id,
                3,
                Stage::Started,
                today(),
                None,
                today(),
            )
            .await,
    );
    let b = draft(ProjectInput {
        district_code: B.into(),
        ..input("越界")
    });
    expect_invalid(
        store
            .update_project(&district_viewer(A), &who, created.id, 3, &b)
            .await,
    );
    assert_eq!(
        store.audit_for("project", created.id).await.unwrap().len(),
        3
    );

    // Another project's trail is its own.
    let other = create(&store, input("另一个项目")).await;
    assert_eq!(store.audit_for("project", other.id).await.unwrap().len(), 1);
    assert_eq!(
        store.audit_for("project", created.id).await.unwrap().len(),
        3
    );
}
