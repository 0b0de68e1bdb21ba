//! The MCP server on stdio: tools and prompts over the core.
//!
//! Start-up never waits for a Management Server: the handshake is answered at once
//! while saved servers log in in the background.

mod apps;
mod asking;
mod audit;
mod odata_args;
mod prompts;
mod server;
mod startup;
mod tools;

use std::process::ExitCode;

use anyhow::Context;
use rmcp::ServiceExt;

pub use server::NovaServer;

use crate::settings::Settings;

/// Serves MCP on standard input/output until the client goes away.
pub fn serve() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("novabackup-mcp cannot start: {error:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(&settings.log_level);
    // One thread serves the protocol and drives every request (the work is I/O);
    // two helper threads build clients and read the keychain. Fewer threads keep
    // fewer allocator arenas, so peak memory stays low.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("novabackup-mcp cannot start its runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("the MCP server stopped: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr only (stdout is the protocol), without colours.
fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::new(format!(
        "{level},audit=info,rmcp=warn,hyper=warn,reqwest=warn"
    ));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .try_init();
}

async fn run(settings: Settings) -> anyhow::Result<()> {
    let estate = startup::enrol_saved_servers(&settings);
    let server = NovaServer::new(estate, settings);
    let service = server
        .serve(rmcp::transport::stdio())
        .await
        .context("the MCP handshake on stdin/stdout failed")?;
    service
        .waiting()
        .await
        .context("the MCP session ended with an error")?;
    Ok(())
}
