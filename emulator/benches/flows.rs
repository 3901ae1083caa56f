//! Throughput of the emulator: one full OTP flow (sign-up, read the outbox, verify and receive
//! signed JWTs) through the generated client over loopback, next to a baseline of two calls the
//! emulator refuses at once (sign-in of an unknown user: validation and a lookup, no code, no
//! signature) in the same run. The ratio is what the flow's own work (codes, hashing, two RS256
//! signatures, state) costs on top of two HTTP round trips; flows per second is 1 / flow time.

use std::sync::atomic::{AtomicU64, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};
use descope_client::{Client, RetryPolicy};
use descope_emulator::{EmulatorConfig, start};

fn flows(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let emulator = runtime.block_on(start(EmulatorConfig::default()));
    let client = Client::builder(emulator.project_id())
        .base_url(emulator.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a loopback base URL is valid");
    // Every flow signs up a new user, so the state grows by one user per iteration.
    let next = AtomicU64::new(0);

    let mut group = c.benchmark_group("emulator");
    group.bench_function("sign-up + verify flow", |b| {
        b.to_async(&runtime).iter(|| async {
            let login_id = format!("user{}@example.com", next.fetch_add(1, Ordering::Relaxed));
            client
                .sign_up_otp_email(login_id.as_str())
                .send()
                .await
                .expect("sign-up succeeds");
            let code = emulator
                .last_message_for(&login_id)
                .and_then(|message| message.code().map(str::to_owned))
                .expect("the outbox holds the code");
            let signed_in = client
                .verify_otp_email(login_id.as_str(), code)
                .send()
                .await
                .expect("verify succeeds");
            assert!(signed_in.session_jwt.is_some());
        })
    });
    group.bench_function("baseline: two refused calls", |b| {
        b.to_async(&runtime).iter(|| async {
            for _ in 0..2 {
                let refused = client.sign_in_otp_email("nobody@example.com").send().await;
                assert!(refused.is_err(), "an unknown user cannot sign in");
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(std::time::Duration::from_secs(10));
    targets = flows
}
criterion_main!(benches);
