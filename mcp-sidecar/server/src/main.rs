//! `novabackup-mcp`: with no arguments, serves MCP on stdio; subcommands manage the
//! saved Management Servers and the registration in MCP clients.

mod cli;
mod mcp;
mod settings;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let args = match cli::Cli::try_parse_from(&raw) {
        Ok(args) => args,
        Err(error) => {
            let code = cli::usage_error_code(&raw).filter(|_| error.use_stderr());
            let _ = error.print();
            return match code {
                Some(code) => ExitCode::from(code),
                None => ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2)),
            };
        }
    };
    match args.command {
        None => mcp::serve(),
        Some(command) => cli::run(command),
    }
}
