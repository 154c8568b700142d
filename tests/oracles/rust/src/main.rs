//! The Rust SDK oracle: aws-config's `DefaultCredentialsChain`, run offline on scenarios.
//!
//! Reads one JSON object per line on stdin, `{"dir": D, "env": {...}, "profile": P|null}`,
//! where D holds the scenario's files (D/home is HOME), env is the complete process
//! environment, and P the profile named in code (`DefaultCredentialsChain::builder()
//! .profile_name(P)`). Writes one JSON object per line on stdout:
//! `{"provider": <provider_name of the credentials>|null, "access_key": redacted|null,
//!   "error": <CredentialsError variant>|null, "message": ..., "calls": [...]}`.
//!
//! No request leaves the process: the HTTP client records each request (host, path and the
//! STS Action) in `calls` and fails it at once as an I/O error, with retries disabled.
//! `credential_process` runs `sh -c COMMAND` as the SDK does; scripts/setup-oracles.sh runs
//! this program with CREDLINT_ORACLE_FAKE_BIN naming a folder whose `sh` prints stand-in
//! credentials instead of running anything, and PATH is that folder in every scenario.

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};

use aws_config::default_provider::credentials::DefaultCredentialsChain;
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_smithy_async::rt::sleep::{SharedAsyncSleep, TokioSleep};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use serde_json::{json, Value};

#[derive(Debug, Clone, Default)]
struct Refuse(Arc<Mutex<Vec<String>>>);

impl HttpConnector for Refuse {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let uri = request.uri().to_string();
        let body = request
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        let action = body
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
            .map(|a| format!(" Action={a}"))
            .unwrap_or_default();
        let host_path = uri.split('?').next().unwrap_or("").to_string();
        self.0
            .lock()
            .expect("calls lock")
            .push(format!("{host_path}{action}"));
        HttpConnectorFuture::ready(Err(ConnectorError::io(
            "the credlint oracle refuses every connection".into(),
        )))
    }
}

impl HttpClient for Refuse {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

fn redact(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() >= 12 {
        let head: String = chars[..4].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    } else {
        "****".to_string()
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}

async fn run(scenario: &Value, fake_bin: &str) -> Value {
    let dir = scenario["dir"].as_str().unwrap_or(".");
    for (k, _) in std::env::vars_os() {
        std::env::remove_var(k);
    }
    if let Some(env) = scenario["env"].as_object() {
        for (k, v) in env {
            std::env::set_var(k, v.as_str().unwrap_or(""));
        }
    }
    // `sh` must be the recording stand-in, never /bin/sh (which std's search would find
    // without PATH): PATH is the stand-in's folder whatever the scenario says.
    std::env::set_var("PATH", fake_bin);
    if let Err(e) = std::env::set_current_dir(dir) {
        return json!({"error": "OracleSetup", "message": e.to_string()});
    }
    let calls = Refuse::default();
    let conf = ProviderConfig::empty()
        .with_http_client(calls.clone())
        .with_retry_config(RetryConfig::disabled())
        .with_sleep_impl(aws_smithy_async_sleep())
        .with_behavior_version(Some(aws_config::BehaviorVersion::latest()));
    let mut builder = DefaultCredentialsChain::builder()
        .configure(conf)
        .region(aws_config::Region::new("us-east-1"));
    if let Some(p) = scenario["profile"].as_str() {
        builder = builder.profile_name(p);
    }
    let chain = builder.build().await;
    let result = chain.provide_credentials().await;
    let calls: Vec<String> = calls.0.lock().expect("calls lock").clone();
    match result {
        Ok(creds) => {
            let debug = format!("{creds:?}");
            let provider = debug
                .split("provider_name: \"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("?")
                .to_string();
            // the stand-in `sh` answers this key id: a process won, its key is unknown
            let key = (creds.access_key_id() != "STANDINKEYNOTREAL0000")
                .then(|| redact(creds.access_key_id()));
            json!({"provider": provider, "access_key": key,
                   "error": null, "message": null, "calls": calls})
        }
        Err(e) => {
            let class = format!("{e:?}");
            let class = class
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("?")
                .to_string();
            json!({"provider": null, "access_key": null, "error": class,
                   "message": error_chain(&e), "calls": calls})
        }
    }
}

fn aws_smithy_async_sleep() -> SharedAsyncSleep {
    SharedAsyncSleep::new(TokioSleep::new())
}

fn main() {
    std::panic::set_hook(Box::new(|_| {})); // reported in the verdict instead
                                            // The folder of the `sh` stand-in (see scripts/setup-oracles.sh): required, so that no
                                            // command found in a scenario can ever run.
    let Ok(fake_bin) = std::env::var("CREDLINT_ORACLE_FAKE_BIN") else {
        let _ = writeln!(std::io::stderr(), "CREDLINT_ORACLE_FAKE_BIN is not set");
        std::process::exit(2);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let result = match serde_json::from_str::<Value>(&line) {
            // aws-config panics on some inputs (an unwrap on a header value): a verdict too
            Ok(s) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                runtime.block_on(run(&s, &fake_bin))
            }))
            .unwrap_or_else(|payload| {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_default();
                json!({"provider": null, "access_key": null, "error": "panic", "message": message, "calls": []})
            }),
            Err(e) => json!({"error": "OracleSetup", "message": e.to_string()}),
        };
        let _ = writeln!(out, "{result}");
        let _ = out.flush();
    }
}
