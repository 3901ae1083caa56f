//! User search through the generated client: every filter, test users only when asked, the
//! sort, and the paging (`limit` 0 is 100, `page` from 0, a positive `offset` wins, negative
//! values refused) with `total` counting every match; and `LoadUsers`.

use descope_client::types;
use reqwest::Method;
use serde_json::json;

use crate::support::*;

/// The first login ids of a search's users, and its total.
async fn found(search: descope_client::builder::SearchUsers<'_>) -> (Vec<String>, i32) {
    let answer = search.send().await.unwrap().into_inner();
    let logins = answer
        .users
        .iter()
        .map(|u| u.login_ids[0].clone())
        .collect();
    (logins, answer.total.unwrap())
}

#[tokio::test]
async fn search_filters_sorts_and_pages_with_the_total_of_every_match() {
    let Setup { emulator, client } = managed().await;
    client
        .create_user_custom_attributes(vec![typed::<types::UserCustomAttributeDefinition>(
            json!({"name": "plan", "type": 1}),
        )])
        .send()
        .await
        .unwrap();
    client.create_tenant("Acme").id("T1").send().await.unwrap();
    client.create_role("admin").send().await.unwrap();
    client
        .create_user("a@example.com")
        .email("a@example.com")
        .role_names(["admin".to_owned()])
        .custom_attributes(map(json!({"plan": "pro"})))
        .display_name("Alice Zed")
        .send()
        .await
        .unwrap();
    client
        .create_user("+14155550104")
        .phone("+14155550104")
        .user_tenants([typed::<types::AssociatedTenant>(
            json!({"tenantId": "T1", "roleNames": []}),
        )])
        .send()
        .await
        .unwrap();
    client
        .create_test_user("tester@example.com")
        .send()
        .await
        .unwrap();
    let filler: Vec<types::BatchUser> = (0..102)
        .map(|n| typed(json!({"loginId": format!("u{n:03}@example.com"), "email": format!("u{n:03}@example.com")})))
        .collect();
    let created = client
        .create_users(filler)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(created.created_users.len(), 102);

    let logins = |answer: &types::UsersResponse| -> Vec<String> {
        answer
            .users
            .iter()
            .map(|u| u.login_ids[0].clone())
            .collect()
    };
    let all = client.search_users().send().await.unwrap().into_inner();
    assert_eq!(
        (all.users.len(), all.total),
        (100, Some(104)),
        "limit 0 is 100; no test users"
    );
    assert_eq!(
        logins(&all)[..3],
        ["a@example.com", "+14155550104", "u000@example.com"]
    );
    let second = client
        .search_users()
        .page(1)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((second.users.len(), second.total), (4, Some(104)));
    let page = client
        .search_users()
        .limit(10)
        .page(2)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(logins(&page)[0], "u018@example.com");
    let offset = client
        .search_users()
        .limit(10)
        .page(5)
        .offset(101)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        logins(&offset),
        ["u099@example.com", "u100@example.com", "u101@example.com"]
    );
    let negative = client.search_users().limit(-1).send().await;
    assert_eq!(refusal(negative), (400, "E011003".to_owned()));

    // Python's search sends zeros and empty lists, which restrict nothing.
    let (status, python) = call_managed(
        &emulator,
        Method::POST,
        "/v2/mgmt/user/search",
        Some(
            json!({"tenantIds": [], "roleNames": [], "limit": 0, "page": 0,
                    "testUsersOnly": false, "withTestUser": false}),
        ),
    )
    .await;
    assert_eq!((status, &python["total"]), (200, &json!(104)));

    client
        .update_user_status("+14155550104", types::UserStatus::Disabled)
        .send()
        .await
        .unwrap();
    let a = (vec!["a@example.com".to_owned()], 1);
    let phone = (vec!["+14155550104".to_owned()], 1);
    assert_eq!(found(client.search_users().role_names(["admin"])).await, a);
    assert_eq!(found(client.search_users().tenant_ids(["T1"])).await, phone);
    assert_eq!(
        found(
            client
                .search_users()
                .statuses([types::UserStatus::Disabled])
        )
        .await,
        phone
    );
    assert_eq!(
        found(client.search_users().emails(["a@example.com"])).await,
        a
    );
    assert_eq!(
        found(client.search_users().phones(["+14155550104"])).await,
        phone
    );
    assert_eq!(found(client.search_users().text("alice")).await, a);
    assert_eq!(
        found(
            client
                .search_users()
                .custom_attributes(map(json!({"plan": "pro"})))
        )
        .await,
        a
    );
    assert_eq!(
        found(client.search_users().login_ids(["a@example.com"])).await,
        a
    );
    assert_eq!(found(client.search_users().text("u10")).await.1, 2);
    assert_eq!(
        found(client.search_users().from_created_time(i64::MAX / 2))
            .await
            .1,
        0
    );
    assert_eq!(found(client.search_users().to_created_time(0)).await.1, 0);
    let tester = (vec!["tester@example.com".to_owned()], 1);
    assert_eq!(
        found(client.search_users().test_users_only(true)).await,
        tester
    );
    assert_eq!(
        found(client.search_users().with_test_user(true)).await.1,
        105
    );
    let tests = client
        .search_test_users()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((logins(&tests), tests.total), (tester.0, Some(1)));

    let sorted = client
        .search_users()
        .emails(["a@example.com", "u001@example.com", "u000@example.com"])
        .sort([typed::<types::UserSearchSort>(
            json!({"field": "email", "desc": true}),
        )])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        logins(&sorted),
        ["u001@example.com", "u000@example.com", "a@example.com"]
    );

    let many = client
        .load_users(vec![
            created.created_users[1].user_id.clone().unwrap(),
            "U-none".to_owned(),
        ])
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        (logins(&many), many.total),
        (vec!["u001@example.com".to_owned()], Some(1))
    );
    let empty = client.load_users(Vec::<String>::new()).send().await;
    assert_eq!(refusal(empty), (400, "E011002".to_owned()));
}
