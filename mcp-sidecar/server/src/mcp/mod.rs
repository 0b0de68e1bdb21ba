//! The MCP server on stdio: tools and prompts over the core.

use std::process::ExitCode;

/// Serves MCP on standard input/output until the client goes away.
pub fn serve() -> ExitCode {
    eprintln!("the MCP server is being built");
    ExitCode::FAILURE
}
