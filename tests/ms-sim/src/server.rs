//! A running simulator: binds, accepts connections (plain or TLS), serves them
//! with hyper, and stops every connection when dropped.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::{Extension, Router};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use rand::Rng;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use crate::auth::Signer;
use crate::config::SimConfig;
use crate::counters::Counters;
use crate::estate::SimEstate;
use crate::faults::Faults;
use crate::model::DemoUser;
use crate::options::Limits;
use crate::routes::{self, Hangup, Shared};
use crate::table::Tables;

/// The virtual directory the API lives under.
pub(crate) const VIRTUAL_DIRECTORY: &str = "/managementserver";

/// A running simulated Management Server on loopback. Dropping it stops the
/// listener and every open connection.
pub struct Sim {
    addr: SocketAddr,
    shared: Arc<Shared>,
    ca_pem: Option<String>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sim {
    /// Starts a server on `127.0.0.1` on a free port.
    pub async fn start(config: SimConfig) -> anyhow::Result<Sim> {
        Sim::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a server on `addr`.
    pub async fn start_on(addr: SocketAddr, config: SimConfig) -> anyhow::Result<Sim> {
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("could not listen on {addr}; is the port in use?"))?;
        let addr = listener.local_addr()?;
        let tls = if config.tls {
            Some(crate::tls::generate(config.certificate)?)
        } else {
            None
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let now = config.now.unwrap_or_else(chrono::Utc::now);
        let estate = SimEstate::build(&config, now);
        let tables = Tables::build(&estate);
        let shared = Arc::new(Shared {
            estate,
            tables,
            faults: Faults::new(config.latency, config.jitter, config.token_lifetime),
            counters: Counters::default(),
            signer: Signer::new(rand::rng().random()),
            limits: Limits {
                page_size: config.page_size.filter(|&p| p > 0),
                max_top: config.max_top,
            },
            base_url: format!("{scheme}://{addr}{VIRTUAL_DIRECTORY}"),
        });
        let router = Router::new()
            .fallback(routes::handle)
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel();
        let acceptor = tls.as_ref().map(|t| t.acceptor.clone());
        let task = tokio::spawn(accept_loop(listener, router, acceptor, stopped));
        Ok(Sim {
            addr,
            shared,
            ca_pem: tls.map(|t| t.ca_pem),
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT/managementserver` (`https` with TLS).
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The PEM of the CA that issued the server certificate (with TLS only).
    pub fn ca_certificate_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// The faults, switchable while it runs.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// What it has received.
    pub fn counters(&self) -> &Counters {
        &self.shared.counters
    }

    /// The rows it serves.
    pub fn estate(&self) -> &SimEstate {
        &self.shared.estate
    }

    /// The users who can log in.
    pub fn users(&self) -> &[DemoUser] {
        &self.shared.estate.demo_users
    }

    /// The administrator (sees every tenant).
    pub fn admin(&self) -> &DemoUser {
        &self.shared.estate.demo_users[0]
    }

    /// A demo user by name.
    pub fn user(&self, user_name: &str) -> Option<&DemoUser> {
        self.shared.estate.demo_user(user_name)
    }

    /// Stops listening and closes every connection, waiting until it is done.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("base_url", &self.shared.base_url)
            .finish()
    }
}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    acceptor: Option<TlsAcceptor>,
    mut stopped: oneshot::Receiver<()>,
) {
    // Dropping this set (when the loop ends or the task is aborted) aborts every
    // connection, including hung ones.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let hangup = Arc::new(Notify::new());
                let service = TowerToHyperService::new(
                    router.clone().layer(Extension(Hangup(hangup.clone()))),
                );
                let acceptor = acceptor.clone();
                connections.spawn(async move {
                    let builder = Builder::new(TokioExecutor::new());
                    // Returning drops the connection future, which closes the socket.
                    match acceptor {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                tokio::select! {
                                    _ = builder.serve_connection(TokioIo::new(stream), service) => {}
                                    _ = hangup.notified() => {}
                                }
                            }
                        }
                        None => {
                            tokio::select! {
                                _ = builder.serve_connection(TokioIo::new(stream), service) => {}
                                _ = hangup.notified() => {}
                            }
                        }
                    }
                });
            }
        }
    }
    connections.shutdown().await;
}
