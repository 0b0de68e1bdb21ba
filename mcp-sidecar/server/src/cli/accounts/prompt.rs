//! Asking the person at the terminal, and reading a password piped on standard input.

use std::io::{self, BufRead, IsTerminal, Read, Write};

use anyhow::{Context as _, bail};
use secrecy::SecretString;
use secrecy::zeroize::Zeroize;

/// Asks `question` on standard error and reads one line from standard input; an empty
/// answer takes `default` when there is one, else asks again.
pub(super) fn ask(question: &str, default: Option<&str>) -> anyhow::Result<String> {
    let stdin = io::stdin();
    loop {
        match default {
            Some(value) if !value.is_empty() => eprint!("{question} [{value}]: "),
            _ => eprint!("{question}: "),
        }
        io::stderr().flush().ok();
        let mut line = String::new();
        let read = stdin
            .lock()
            .read_line(&mut line)
            .context("could not read the answer from standard input")?;
        if read == 0 {
            bail!(
                "standard input ended before \"{question}\" was answered. \
                 Run the command in a terminal, or pass every value as an option with --password-stdin"
            );
        }
        let answer = line.trim();
        if !answer.is_empty() {
            return Ok(answer.to_owned());
        }
        if let Some(value) = default.filter(|v| !v.is_empty()) {
            return Ok(value.to_owned());
        }
        eprintln!("A value is needed.");
    }
}

/// Asks for a password on the terminal without echoing it.
pub(super) fn ask_password(question: &str) -> anyhow::Result<SecretString> {
    let typed = rpassword::prompt_password(format!("{question}: ")).context(
        "could not read the password from the terminal. \
         Run the command in a terminal, or pipe the password in with --password-stdin",
    )?;
    let password = into_secret(typed);
    if password_is_empty(&password) {
        bail!("the password is empty: type the Management Server password of this user");
    }
    Ok(password)
}

/// Reads the whole of standard input as the password, less one trailing line break.
pub(super) fn read_password_stdin() -> anyhow::Result<SecretString> {
    if io::stdin().is_terminal() {
        // Nothing was piped in: read one hidden line rather than echo the password.
        let typed =
            rpassword::read_password().context("could not read the password from the terminal")?;
        return non_empty(into_secret(typed));
    }
    let mut input = String::new();
    io::stdin()
        .lock()
        .read_to_string(&mut input)
        .context("could not read the password from standard input")?;
    let password = SecretString::from(strip_line_break(&input));
    input.zeroize();
    non_empty(password)
}

/// Moves a typed password into a secret and wipes the plain copy.
fn into_secret(mut typed: String) -> SecretString {
    let password = SecretString::from(typed.as_str());
    typed.zeroize();
    password
}

fn non_empty(password: SecretString) -> anyhow::Result<SecretString> {
    if password_is_empty(&password) {
        bail!(
            "--password-stdin was given but standard input held no password. \
             Pipe it in, for example: printf '%s' \"$PASSWORD\" | novabackup-mcp login --password-stdin ..."
        );
    }
    Ok(password)
}

fn strip_line_break(text: &str) -> &str {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.strip_suffix('\r').unwrap_or(text)
}

fn password_is_empty(password: &SecretString) -> bool {
    use secrecy::ExposeSecret;
    password.expose_secret().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_trailing_line_break_is_removed() {
        assert_eq!(strip_line_break("pw\n"), "pw");
        assert_eq!(strip_line_break("pw\r\n"), "pw");
        assert_eq!(
            strip_line_break("pw \n\n"),
            "pw \n",
            "inner characters kept"
        );
        assert_eq!(strip_line_break("pw"), "pw");
    }
}
