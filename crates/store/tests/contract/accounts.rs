//! Accounts and credentials: users, passwords, sessions, throttling, API tokens, area accounts.

use crate::support::*;
use hezuo_domain::{ProjectInput, ProjectScope, Role};
use hezuo_store::Store;
use hezuo_store::auth::{LoginError, LoginErrorOr, MAX_FAILURES, Session, User, UserInput};

contract!(
    an_account_is_created_and_its_username_is_taken_only_once,
    a_weak_password_is_refused_and_creates_nothing,
    the_right_password_opens_a_session_that_can_be_looked_up,
    a_wrong_password_or_unknown_user_is_refused_without_a_session,
    five_failed_logins_refuse_even_the_right_password,
    a_successful_login_clears_earlier_failures,
    disabling_an_account_ends_its_sessions_and_its_tokens,
    a_new_password_ends_every_session,
    an_api_token_identifies_its_user,
    an_area_account_named_by_a_platform_code_is_scoped_to_that_platform,
    unit_and_leader_accounts_need_their_unit_or_leader,
);

const PASSWORD: &str = "Secret2024";
const IP: &str = "192.0.2.10";

fn account(username: &str, role: &str) -> UserInput {
    UserInput {
        username: username.into(),
        display_name: format!("{username}的名字"),
        role: role.into(),
        ..Default::default()
    }
}

async fn user(store: &Store, username: &str) -> User {
    store
        .create_user(&actor(), &account(username, "office"), PASSWORD)
        .await
        .expect("a user")
}

async fn login(store: &Store, username: &str, password: &str) -> Result<Session, LoginError> {
    match store.login(username, password, IP).await {
        Ok(s) => Ok(s),
        Err(LoginErrorOr::Login(e)) => Err(e),
        Err(LoginErrorOr::Store(e)) => panic!("the store failed during login: {e:?}"),
    }
}

async fn live(store: &Store, token: &str) -> bool {
    store
        .session(token)
        .await
        .expect("session lookup")
        .is_some()
}

async fn an_account_is_created_and_its_username_is_taken_only_once(store: Store) {
    let created = store
        .create_user(&actor(), &account(" chen.li ", "admin"), PASSWORD)
        .await
        .unwrap();
    assert_eq!(
        (created.username.as_str(), created.display_name.as_str()),
        ("chen.li", " chen.li 的名字".trim())
    );
    assert_eq!(
        (created.role.as_str(), created.role()),
        ("admin", Some(Role::Admin))
    );
    assert_eq!(
        (
            created.district_code.as_deref(),
            created.platform_id,
            created.unit_id,
            created.leader_id
        ),
        (None, None, None, None)
    );
    assert_eq!((created.disabled, created.version), (0, 1));
    assert_eq!(store.user_by_name("chen.li").await.unwrap(), created);
    assert_eq!(store.user_by_id(created.id).await.unwrap(), created);
    assert_eq!(created.viewer().project_scope(), ProjectScope::City);
    let audit = store.audit_for("user", created.id).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert!(
        !audit[0]
            .after_json
            .as_deref()
            .unwrap_or("")
            .contains(PASSWORD),
        "no password in the audit"
    );

    expect_conflict(
        store
            .create_user(&actor(), &account("chen.li", "office"), "Other2024x")
            .await,
    );
    expect_conflict(
        store
            .create_user(&actor(), &account(" chen.li", "office"), "Other2024x")
            .await,
    );
    let other = user(&store, "wang").await;
    let renamed = UserInput {
        username: "chen.li".into(),
        ..account("wang", "office")
    };
    expect_conflict(store.update_user(&actor(), other.id, 1, &renamed).await);
    assert_eq!(
        store.list_users().await.unwrap(),
        vec![created, other.clone()]
    );
    assert_eq!(store.user_by_id(other.id).await.unwrap(), other);
    expect_invalid(
        store
            .create_user(&actor(), &account("有 空格", "office"), PASSWORD)
            .await,
    );
    expect_invalid(
        store
            .create_user(&actor(), &account("nobody", "superuser"), PASSWORD)
            .await,
    );
    expect_not_found(store.user_by_name("nobody").await);
}

async fn a_weak_password_is_refused_and_creates_nothing(store: Store) {
    for weak in ["", "abc123", "abcdefgh", "12345678", "密码密码密码密码"] {
        expect_invalid(
            store
                .create_user(&actor(), &account("weak", "office"), weak)
                .await,
        );
    }
    expect_not_found(store.user_by_name("weak").await);
    assert!(store.list_users().await.unwrap().is_empty());
    user(&store, "strong").await;
    expect_invalid(store.set_password(&actor(), "strong", "short1").await);
    assert!(
        login(&store, "strong", PASSWORD).await.is_ok(),
        "the old password still works"
    );
}

async fn the_right_password_opens_a_session_that_can_be_looked_up(store: Store) {
    let u = user(&store, "zhao").await;
    let s = login(&store, "zhao", PASSWORD).await.expect("logged in");
    assert_eq!(s.user, u);
    assert_eq!((s.token.len(), s.csrf.len()), (64, 64));
    assert_ne!(s.token, s.csrf);
    let found = store
        .session(&s.token)
        .await
        .unwrap()
        .expect("the session is live");
    assert_eq!(
        (found.token.as_str(), found.csrf.as_str(), &found.user),
        (s.token.as_str(), s.csrf.as_str(), &u)
    );

    let second = login(&store, " zhao ", PASSWORD)
        .await
        .expect("a second device");
    assert_ne!(second.token, s.token);
    assert!(live(&store, &second.token).await);
    assert!(!live(&store, "not-a-session").await);
    assert!(
        !live(&store, &s.csrf).await,
        "the CSRF token is not a session"
    );

    store.logout(&s.token, &actor()).await.unwrap();
    assert!(!live(&store, &s.token).await, "logged out");
    assert!(
        live(&store, &second.token).await,
        "the other device stays logged in"
    );
}

async fn a_wrong_password_or_unknown_user_is_refused_without_a_session(store: Store) {
    user(&store, "qian").await;
    assert_eq!(
        login(&store, "qian", "Wrong2024").await.err(),
        Some(LoginError::Invalid)
    );
    assert_eq!(
        login(&store, "qian", "").await.err(),
        Some(LoginError::Invalid)
    );
    assert_eq!(
        login(&store, "nobody", PASSWORD).await.err(),
        Some(LoginError::Invalid)
    );
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

async fn five_failed_logins_refuse_even_the_right_password(store: Store) {
    assert_eq!(MAX_FAILURES, 5);
    user(&store, "sun").await;
    user(&store, "li").await;
    for i in 0..5 {
        assert_eq!(
            login(&store, "sun", "Wrong2024").await.err(),
            Some(LoginError::Invalid),
            "failure {}",
            i + 1
        );
    }
    assert_eq!(
        login(&store, "sun", PASSWORD).await.err(),
        Some(LoginError::Throttled)
    );
    assert_eq!(
        login(&store, "SUN", PASSWORD).await.err(),
        Some(LoginError::Throttled),
        "the name is counted case-blind"
    );
    assert_eq!(
        login(&store, "sun", "Wrong2024").await.err(),
        Some(LoginError::Throttled)
    );
    assert!(
        login(&store, "li", PASSWORD).await.is_ok(),
        "another account from the same address is not locked"
    );
}

async fn a_successful_login_clears_earlier_failures(store: Store) {
    user(&store, "zhou").await;
    for _ in 0..4 {
        assert_eq!(
            login(&store, "zhou", "Wrong2024").await.err(),
            Some(LoginError::Invalid)
        );
    }
    assert!(login(&store, "zhou", PASSWORD).await.is_ok());
    for _ in 0..4 {
        assert_eq!(
            login(&store, "zhou", "Wrong2024").await.err(),
            Some(LoginError::Invalid)
        );
    }
    assert!(
        login(&store, "zhou", PASSWORD).await.is_ok(),
        "four failures since the last success are not five"
    );
}

async fn disabling_an_account_ends_its_sessions_and_its_tokens(store: Store) {
    let u = user(&store, "wu").await;
    let keep = user(&store, "zheng").await;
    let s = login(&store, "wu", PASSWORD).await.unwrap();
    let other = login(&store, "zheng", PASSWORD).await.unwrap();
    let token = store
        .create_token(&actor(), "wu", "报表脚本")
        .await
        .unwrap();
    assert_eq!(
        store.token_user(&token).await.unwrap().map(|u| u.id),
        Some(u.id)
    );

    store.set_disabled(&actor(), "wu", true).await.unwrap();
    assert_eq!(store.user_by_id(u.id).await.unwrap().disabled, 1);
    assert!(!live(&store, &s.token).await, "the session is gone");
    assert_eq!(
        store.token_user(&token).await.unwrap(),
        None,
        "the token no longer works"
    );
    assert_eq!(
        login(&store, "wu", PASSWORD).await.err(),
        Some(LoginError::Invalid)
    );
    assert!(
        live(&store, &other.token).await,
        "other accounts keep their sessions"
    );
    assert_eq!(store.user_by_id(keep.id).await.unwrap(), keep);

    store.set_disabled(&actor(), "wu", false).await.unwrap();
    let again = login(&store, "wu", PASSWORD).await.expect("re-enabled");
    assert!(live(&store, &again.token).await);
    assert_eq!(
        store.token_user(&token).await.unwrap(),
        None,
        "a revoked token stays revoked"
    );
}

async fn a_new_password_ends_every_session(store: Store) {
    user(&store, "feng").await;
    let one = login(&store, "feng", PASSWORD).await.unwrap();
    let two = login(&store, "feng", PASSWORD).await.unwrap();
    store
        .set_password(&actor(), "feng", "Changed2025")
        .await
        .unwrap();
    assert!(!live(&store, &one.token).await);
    assert!(!live(&store, &two.token).await);
    assert_eq!(
        login(&store, "feng", PASSWORD).await.err(),
        Some(LoginError::Invalid),
        "the old password is gone"
    );
    let three = login(&store, "feng", "Changed2025")
        .await
        .expect("the new password works");
    assert!(live(&store, &three.token).await);
    expect_not_found(store.set_password(&actor(), "nobody", "Changed2025").await);
}

async fn an_api_token_identifies_its_user(store: Store) {
    let u = user(&store, "chu").await;
    let other = user(&store, "wei").await;
    let token = store
        .create_token(&actor(), "chu", "数据同步")
        .await
        .unwrap();
    assert!(token.starts_with("hz_"), "{token}");
    let second = store.create_token(&actor(), "chu", "备用").await.unwrap();
    assert_ne!(token, second);
    let theirs = store.create_token(&actor(), "wei", "其他").await.unwrap();
    assert_eq!(store.token_user(&token).await.unwrap(), Some(u.clone()));
    assert_eq!(store.token_user(&second).await.unwrap(), Some(u));
    assert_eq!(store.token_user(&theirs).await.unwrap(), Some(other));
    assert_eq!(store.token_user("hz_0000").await.unwrap(), None);
    assert_eq!(store.token_user(&token[3..]).await.unwrap(), None);
    assert!(
        !live(&store, &token).await,
        "a token is not a browser session"
    );
    expect_not_found(store.create_token(&actor(), "nobody", "x").await);
}

async fn an_area_account_named_by_a_platform_code_is_scoped_to_that_platform(store: Store) {
    let w = World::build(&store).await;
    let on_platform = store
        .create_user(
            &actor(),
            &UserInput {
                area: "WXKF".into(),
                ..account("kaifaqu", "area")
            },
            PASSWORD,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            on_platform.platform_id,
            on_platform.district_code.as_deref()
        ),
        (Some(w.platform_a.id), Some(A))
    );
    assert_eq!(
        on_platform.viewer().project_scope(),
        ProjectScope::Platform(w.platform_a.id)
    );
    let by_name = store
        .create_user(
            &actor(),
            &UserInput {
                area: "南浔经济开发区".into(),
                ..account("nxkf", "area")
            },
            PASSWORD,
        )
        .await
        .unwrap();
    assert_eq!(
        (by_name.platform_id, by_name.district_code.as_deref()),
        (Some(w.platform_b.id), Some(B))
    );

    let by_code = store
        .create_user(
            &actor(),
            &UserInput {
                area: A.into(),
                ..account("wuxing", "area")
            },
            PASSWORD,
        )
        .await
        .unwrap();
    assert_eq!(
        (by_code.platform_id, by_code.district_code.as_deref()),
        (None, Some(A))
    );
    assert_eq!(
        by_code.viewer().project_scope(),
        ProjectScope::District(A.into())
    );
    let by_district_name = store
        .create_user(
            &actor(),
            &UserInput {
                area: B_NAME.into(),
                ..account("nanxun", "area")
            },
            PASSWORD,
        )
        .await
        .unwrap();
    assert_eq!(
        (
            by_district_name.platform_id,
            by_district_name.district_code.as_deref()
        ),
        (None, Some(B))
    );

    expect_invalid(
        store
            .create_user(
                &actor(),
                &UserInput {
                    area: "NOWHERE".into(),
                    ..account("x1", "area")
                },
                PASSWORD,
            )
            .await,
    );
    expect_invalid(
        store
            .create_user(&actor(), &account("x2", "area"), PASSWORD)
            .await,
    );
    let office = store
        .create_user(
            &actor(),
            &UserInput {
                area: "WXKF".into(),
                ..account("x3", "office")
            },
            PASSWORD,
        )
        .await
        .unwrap();
    assert_eq!(
        (office.platform_id, office.district_code),
        (None, None),
        "only area accounts carry an area"
    );

    // The account's viewer sees only its platform's projects.
    let mine = create(
        &store,
        ProjectInput {
            platform_id: id(&w.platform_a),
            ..input("开发区项目")
        },
    )
    .await;
    create(
        &store,
        ProjectInput {
            platform_id: id(&w.platform_a2),
            ..input("科创园项目")
        },
    )
    .await;
    create(&store, input("区直项目")).await;
    let page = list(&store, &on_platform.viewer(), &every()).await;
    assert_eq!((names(&page), page.total), (vec![mine.name.clone()], 1));
    let session = store
        .login("kaifaqu", PASSWORD, IP)
        .await
        .map_err(|_| "login")
        .unwrap();
    let page = list(&store, &session.user.viewer(), &every()).await;
    assert_eq!(page.items, vec![mine], "the same scope through a session");
    assert_eq!(list(&store, &by_code.viewer(), &every()).await.total, 3);
    assert_eq!(list(&store, &by_name.viewer(), &every()).await.total, 0);
}

async fn unit_and_leader_accounts_need_their_unit_or_leader(store: Store) {
    let w = World::build(&store).await;
    expect_invalid(
        store
            .create_user(&actor(), &account("unit0", "unit"), PASSWORD)
            .await,
    );
    expect_invalid(
        store
            .create_user(&actor(), &account("leader0", "leader"), PASSWORD)
            .await,
    );
    let unit = store
        .create_user(
            &actor(),
            &UserInput {
                unit_id: Some(w.unit_1.id),
                leader_id: Some(w.leader_1.id),
                ..account("jxj", "unit")
            },
            PASSWORD,
        )
        .await
        .unwrap();
    assert_eq!((unit.unit_id, unit.leader_id), (Some(w.unit_1.id), None));
    assert_eq!(
        unit.viewer().project_scope(),
        ProjectScope::Unit(w.unit_1.id)
    );
    let leader = store
        .create_user(
            &actor(),
            &UserInput {
                leader_id: Some(w.leader_1.id),
                ..account("mayor", "leader")
            },
            PASSWORD,
        )
        .await
        .unwrap();
    assert_eq!(
        (leader.unit_id, leader.leader_id, leader.role()),
        (None, Some(w.leader_1.id), Some(Role::Leader))
    );
    expect_invalid(
        store
            .create_user(
                &actor(),
                &UserInput {
                    unit_id: Some(w.unit_1.id + 1000),
                    ..account("ghost", "unit")
                },
                PASSWORD,
            )
            .await,
    );

    let theirs = create(
        &store,
        ProjectInput {
            unit_id: id(&w.unit_1),
            ..input("经信局项目")
        },
    )
    .await;
    create(
        &store,
        ProjectInput {
            unit_id: id(&w.unit_2),
            ..input("商务局项目")
        },
    )
    .await;
    let page = list(&store, &unit.viewer(), &every()).await;
    assert_eq!(page.items, vec![theirs]);
    assert_eq!(list(&store, &leader.viewer(), &every()).await.total, 2);
}

contract!(concurrent_failed_logins_are_all_counted);

async fn concurrent_failed_logins_are_all_counted(store: Store) {
    user(&store, "han").await;
    let mut tasks = Vec::new();
    // Exactly the limit, so a single lost count would leave the account open.
    for _ in 0..MAX_FAILURES {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            match store.login("han", "Wrong2024", IP).await {
                Err(LoginErrorOr::Login(e)) => e,
                Ok(_) => panic!("a wrong password opened a session"),
                Err(LoginErrorOr::Store(e)) => panic!("a failed login is a store error: {e:?}"),
            }
        }));
    }
    for task in tasks {
        let e = task.await.expect("the task ran");
        assert!(
            matches!(e, LoginError::Invalid | LoginError::Throttled),
            "{e:?}"
        );
    }
    assert_eq!(
        login(&store, "han", PASSWORD).await.err(),
        Some(LoginError::Throttled),
        "five failures, however close together, lock the account"
    );
}

contract!(a_burst_of_parallel_guesses_gets_no_more_password_checks_than_the_limit);

async fn a_burst_of_parallel_guesses_gets_no_more_password_checks_than_the_limit(store: Store) {
    user(&store, "zhou").await;
    let mut tasks = Vec::new();
    for _ in 0..(3 * MAX_FAILURES) {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            match store.login("zhou", "Wrong2024", IP).await {
                Err(LoginErrorOr::Login(e)) => e,
                Ok(_) => panic!("a wrong password opened a session"),
                Err(LoginErrorOr::Store(e)) => panic!("a failed login is a store error: {e:?}"),
            }
        }));
    }
    let mut checked = 0;
    for task in tasks {
        if task.await.expect("the task ran") == LoginError::Invalid {
            checked += 1;
        }
    }
    assert_eq!(
        checked, MAX_FAILURES,
        "only the first attempts reach the password check; the rest are refused unchecked"
    );
}
