//! `Client::search_all_users`: every page asked for in turn, only when needed, with the total,
//! and an error that ends the stream.

use descope_client::{Client, Error, RetryPolicy, types};
use descope_shape_tests::{Behaviour, CannedResponse, RecordingServer};
use futures_util::StreamExt;
use serde_json::{Value, json};

fn page(ids: std::ops::Range<u32>, total: u32) -> Behaviour {
    let users: Vec<Value> = ids.map(|n| json!({"userId": format!("U{n}")})).collect();
    Behaviour::Answer(CannedResponse {
        status: 200,
        headers: Vec::new(),
        body: json!({"users": users, "total": total})
            .to_string()
            .into_bytes(),
    })
}

fn client(server: &RecordingServer) -> Client {
    Client::builder("P2Paging")
        .base_url(&server.base_url)
        .management_key("K2paging")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_page_is_asked_for_once_with_the_filters_kept() {
    let server = RecordingServer::start().await;
    server.script(vec![page(0..2, 5), page(2..4, 5), page(4..5, 5)]);
    let client = client(&server);
    let mut users = client
        .search_all_users(
            types::SearchUsersRequest::builder()
                .tenant_ids(vec!["T1".to_owned()])
                .page(7),
        )
        .page_size(2);
    assert_eq!(users.total(), None);
    let first = users.next().await.unwrap().unwrap();
    assert_eq!(first.user_id.as_deref(), Some("U0"));
    assert_eq!(users.total(), Some(5));
    // Nothing more is asked for until the first page is used up.
    assert_eq!(server.take().len(), 1);
    let rest: Vec<String> = users
        .map(|user| user.unwrap().user_id.unwrap())
        .collect()
        .await;
    assert_eq!(rest, ["U1", "U2", "U3", "U4"]);
    let bodies: Vec<Value> = server
        .take()
        .iter()
        .map(|request| serde_json::from_slice(&request.body).unwrap())
        .collect();
    assert_eq!(bodies.len(), 2, "the last page was short: no fourth call");
    for (n, body) in bodies.iter().enumerate() {
        assert_eq!(body["page"], json!(n + 1));
        assert_eq!(body["limit"], json!(2));
        assert_eq!(body["tenantIds"], json!(["T1"]));
    }
}

#[tokio::test]
async fn a_failing_page_is_the_last_item() {
    let server = RecordingServer::start().await;
    let failure = Behaviour::Answer(CannedResponse {
        status: 400,
        headers: Vec::new(),
        body: br#"{"errorCode":"E011003","errorDescription":"Request is invalid","errorMessage":"limit"}"#.to_vec(),
    });
    server.script(vec![page(0..2, 9), failure]);
    let client = client(&server);
    let items: Vec<Result<types::ResponseUser, Error>> = client
        .search_all_users(types::SearchUsersRequest::builder())
        .page_size(2)
        .collect()
        .await;
    assert_eq!(items.len(), 3);
    assert!(items[..2].iter().all(Result::is_ok));
    assert!(matches!(&items[2], Err(Error::Service(error)) if error.status == 400));
}

#[tokio::test]
async fn an_empty_search_ends_at_once() {
    let server = RecordingServer::start().await;
    server.script(vec![page(0..0, 0)]);
    let client = client(&server);
    let mut users = client.search_all_users(types::SearchUsersRequest::builder());
    assert!(users.next().await.is_none());
    assert_eq!(users.total(), Some(0));
    assert_eq!(server.take().len(), 1);
}
