//! `novabackup-mcp`: with no arguments, serves MCP on stdio; subcommands manage the
//! saved Management Servers and the registration in MCP clients.

mod cli;
mod mcp;
mod settings;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match args.command {
        None => mcp::serve(),
        Some(command) => cli::run(command),
    }
}
