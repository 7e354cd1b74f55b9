//! 亩均 enterprise data imports: all or nothing, a dry run stores nothing, the statistics
//! bureau's and the tax bureau's files merge field by field (a column a file lacks keeps what
//! is stored, an empty cell stores "not reported"), re-importing the same file changes nothing,
//! an unknown enterprise needs its name and district, a code repeated in a year is refused, and
//! only the office imports.

use crate::support::*;
use hezuo_domain::cells::Sourced;
use hezuo_domain::credit_code::CreditCode;
use hezuo_domain::enterprise::EnterpriseRecord;
use hezuo_domain::mujun::DataField;
use hezuo_store::Store;
use hezuo_store::import::{ImportFile, ImportOutcome};

contract!(
    the_bureaus_files_merge_field_by_field_and_a_reimport_changes_nothing,
    a_new_enterprise_needs_its_name_and_district_and_one_problem_stores_nothing,
);

const X: &str = "91330502MA2B00001R";
const Y: &str = "91330503MA2B00002B";
const Z: &str = "91330502MA2B000043";

fn rec(code: &str, year: Option<i32>) -> EnterpriseRecord {
    EnterpriseRecord {
        credit_code: CreditCode::parse(code).unwrap(),
        year,
        name: None,
        district_code: None,
        industry: None,
        above_scale: None,
        land_owned_x100: None,
        land_leased_x100: None,
        exempt: None,
        figures: vec![],
        flags: None,
    }
}

fn row(n: usize, value: EnterpriseRecord) -> Sourced<EnterpriseRecord> {
    Sourced {
        sheet: "数据".into(),
        row: n,
        value,
        columns: vec![],
    }
}

async fn import(
    store: &Store,
    viewer: &hezuo_domain::Viewer,
    rows: &[Sourced<EnterpriseRecord>],
    dry: bool,
) -> ImportOutcome {
    let file = ImportFile {
        name: "2024年亩均数据.xlsx".into(),
        sha256: "ef".repeat(32),
    };
    store
        .import_enterprise_data(viewer, &actor(), rows, &file, dry)
        .await
        .expect("import runs")
}

/// (credit code, name, district, land owned, exempt, version) of every enterprise.
async fn enterprises(store: &Store) -> Vec<(String, String, String, i64, String, i64)> {
    sqlx::query_as(
        "SELECT credit_code, name, district_code, land_owned_x100, exempt, version FROM enterprises ORDER BY credit_code",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

/// (tax, value added, energy, employees, flags, version) of an enterprise's 2024.
async fn year_of(
    store: &Store,
    code: &str,
) -> (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    i64,
) {
    sqlx::query_as(
        "SELECT y.tax, y.value_added, y.energy_x100, y.employees, y.flags, y.version FROM enterprise_years y \
         JOIN enterprises e ON e.id = y.enterprise_id WHERE e.credit_code = $1 AND y.year = 2024",
    )
    .bind(code.to_string())
    .fetch_one(store.pool())
    .await
    .unwrap()
}

async fn import_audits(store: &Store) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT after_json FROM audit_log WHERE action = 'import' AND entity = 'enterprise_data' ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

async fn the_bureaus_files_merge_field_by_field_and_a_reimport_changes_nothing(store: Store) {
    World::build(&store).await;
    // The statistics bureau: who the enterprises are and their value added, energy, employees.
    let statistics = vec![
        row(
            4,
            EnterpriseRecord {
                name: Some("湖州甲精密机械有限公司".into()),
                district_code: Some(A.into()),
                land_owned_x100: Some(4550),
                exempt: Some(String::new()),
                figures: vec![
                    (DataField::ValueAdded, Some(52_000_000)),
                    (DataField::Energy, Some(135_057)),
                    (DataField::Employees, Some(186)),
                ],
                flags: Some(vec!["省级以上研发机构".into()]),
                ..rec(X, Some(2024))
            },
        ),
        row(
            5,
            EnterpriseRecord {
                name: Some("湖州乙新材料有限公司".into()),
                district_code: Some(B.into()),
                exempt: Some("在建".into()),
                figures: vec![
                    (DataField::ValueAdded, Some(35_000_000)),
                    (DataField::Energy, None),
                    (DataField::Employees, Some(40)),
                ],
                flags: Some(vec![]),
                ..rec(Y, Some(2024))
            },
        ),
    ];
    let dry = import(&store, &admin(), &statistics, true).await;
    assert!(dry.problems.is_empty(), "{:?}", dry.problems);
    assert_eq!((dry.inserted, dry.updated), (2, 0));
    assert!(
        enterprises(&store).await.is_empty(),
        "a dry run stores nothing"
    );
    assert!(import_audits(&store).await.is_empty());

    let first = import(&store, &office(), &statistics, false).await;
    assert_eq!((first.inserted, first.updated), (2, 0));
    let stored = enterprises(&store).await;
    assert_eq!(
        stored[0],
        (
            X.to_string(),
            "湖州甲精密机械有限公司".to_string(),
            A.to_string(),
            4550,
            String::new(),
            1
        )
    );
    assert_eq!(stored[1].4, "在建");
    assert_eq!(
        year_of(&store, X).await,
        (
            None,
            Some(52_000_000),
            Some(135_057),
            Some(186),
            "省级以上研发机构".into(),
            1
        )
    );
    assert_eq!(
        year_of(&store, Y).await.2,
        None,
        "not reported stays missing"
    );

    // The same file again: matched, and nothing rewritten.
    let again = import(&store, &office(), &statistics, false).await;
    assert_eq!((again.inserted, again.updated), (0, 2));
    assert_eq!(enterprises(&store).await, stored);
    assert_eq!(
        year_of(&store, X).await.5,
        1,
        "an unchanged year is not rewritten"
    );

    // The tax bureau: code, name and tax only. The statistics figures stay; Y's empty cell is
    // "not reported"; a name given updates the registration.
    let tax = vec![
        row(
            2,
            EnterpriseRecord {
                name: Some("湖州甲精密机械股份有限公司".into()),
                figures: vec![(DataField::Tax, Some(1_234_568))],
                ..rec(X, Some(2024))
            },
        ),
        row(
            3,
            EnterpriseRecord {
                figures: vec![(DataField::Tax, None)],
                ..rec(Y, Some(2024))
            },
        ),
    ];
    let merged = import(&store, &office(), &tax, false).await;
    assert_eq!((merged.inserted, merged.updated), (0, 2));
    let x = year_of(&store, X).await;
    assert_eq!(
        (x.0, x.1, x.2, x.3),
        (Some(1_234_568), Some(52_000_000), Some(135_057), Some(186))
    );
    assert_eq!(
        x.4, "省级以上研发机构",
        "no 加减分项 column: the flags stay"
    );
    assert_eq!(x.5, 2);
    assert_eq!(year_of(&store, Y).await.5, 1, "Y's tax was already missing");
    let after = enterprises(&store).await;
    assert_eq!(after[0].1, "湖州甲精密机械股份有限公司");
    assert_eq!((after[0].2.as_str(), after[0].3, after[0].5), (A, 4550, 2));
    assert_eq!(after[1], stored[1], "nothing changed for Y's registration");

    // A later statistics file with an empty energy cell stores it as not reported.
    let cleared = vec![row(
        2,
        EnterpriseRecord {
            figures: vec![(DataField::Energy, None)],
            ..rec(X, Some(2024))
        },
    )];
    import(&store, &office(), &cleared, false).await;
    assert_eq!(year_of(&store, X).await.2, None);
    assert_eq!(year_of(&store, X).await.0, Some(1_234_568));

    // One audit row per stored import, with the file's hash and the counts.
    let audits = import_audits(&store).await;
    assert_eq!(audits.len(), 4);
    let json: serde_json::Value = serde_json::from_str(&audits[0]).unwrap();
    assert_eq!(json["file"]["sha256"], "ef".repeat(32));
    assert_eq!(
        (json["rows"].clone(), json["inserted"].clone()),
        (2.into(), 2.into())
    );
}

async fn a_new_enterprise_needs_its_name_and_district_and_one_problem_stores_nothing(store: Store) {
    World::build(&store).await;
    let named = |code: &str, year: Option<i32>| EnterpriseRecord {
        name: Some("新企业".into()),
        district_code: Some(A.into()),
        figures: vec![(DataField::Tax, Some(100))],
        ..rec(code, year)
    };
    let rows = vec![
        row(3, named(X, Some(2024))),
        // Unknown, without a district.
        row(
            4,
            EnterpriseRecord {
                district_code: None,
                ..named(Z, Some(2024))
            },
        ),
        row(5, named(X, Some(2024))),
    ];
    let out = import(&store, &office(), &rows, false).await;
    assert_eq!((out.inserted, out.updated), (0, 0));
    let at: Vec<(usize, &str)> = out
        .problems
        .iter()
        .map(|p| (p.row, p.field.as_str()))
        .collect();
    assert_eq!(at, vec![(4, "district_code"), (5, "credit_code")]);
    assert!(out.problems[0].message.contains("新登记须填写所在区县"));
    assert!(out.problems[1].message.contains("与第3行"));
    assert!(enterprises(&store).await.is_empty(), "nothing stored");

    // An enterprise new in the file is known to its later rows (another year, no name).
    let rows = vec![
        row(3, named(X, Some(2023))),
        row(4, rec(X, None)),
        row(
            5,
            EnterpriseRecord {
                figures: vec![(DataField::Tax, Some(200))],
                ..rec(X, Some(2024))
            },
        ),
    ];
    let out = import(&store, &office(), &rows, false).await;
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!((out.inserted, out.updated), (2, 1));
    assert_eq!(enterprises(&store).await.len(), 1);

    // Only the office imports.
    let refused = import(
        &store,
        &district_viewer(A),
        &[row(3, named(Y, Some(2024)))],
        false,
    )
    .await;
    assert!(refused.problems[0].message.contains("只有合作办"));
    assert_eq!(enterprises(&store).await.len(), 1);
}
