//! The tray's answer at a glance: the worst of a server that cannot be reached, a
//! customer whose backups failed (or a computer not backed up for too long),
//! warnings only, all well, not set up; the sentence that says it ("2 customers need
//! attention: Acme — 3 failed; Contoso — 1 computer not backed up for 3 days") and a
//! line for each customer that needs attention. Worded from the catalogue; every
//! count and verdict is the digest's.

use serde::Serialize;
use specta::Type;

use super::view::{BackupsState, BackupsView, CustomerView, VerdictView};
use crate::i18n::{self, Language};
use crate::views::{OverallLevel, Overview};

/// Customers named in the tray's menu before "and N more".
pub const MENU_CUSTOMERS: usize = 8;
/// Customers named in the sentence before "and N more".
const SENTENCE_CUSTOMERS: usize = 2;

/// The tray icon's state: the worst thing known, each with its own icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Glance {
    /// A Management Server cannot be reached or logged in to.
    ServerDown,
    /// A customer's backup failed, or a computer is not backed up for too long.
    BackupsFailing,
    /// Warnings (or cancelled runs) only.
    Warnings,
    /// Servers and backups not known yet.
    Checking,
    /// Every server answers and every backup worked.
    AllWell,
    /// No server is saved.
    NotSetUp,
}

/// One customer that needs attention, as the tray's menu lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attention {
    /// The customer's key in the Backups view.
    pub key: String,
    /// "✕ Acme — 3 failed, 1 computer not backed up for 3 days".
    pub line: String,
}

/// The glance as the window's header shows it: the tray's state and sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GlanceView {
    /// The state (the tray icon's).
    pub state: Glance,
    /// The sentence (the tray's tooltip and its menu's first line).
    pub sentence: String,
}

/// What the tray shows of the servers and the backups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayGlance {
    /// The state.
    pub glance: Glance,
    /// The sentence: the tooltip and the menu's first line.
    pub sentence: String,
    /// The customers that need attention, worst first, at most [`MENU_CUSTOMERS`].
    pub attention: Vec<Attention>,
    /// How many more need attention than are listed.
    pub more: usize,
}

impl TrayGlance {
    /// The state and sentence, for the window.
    pub fn view(&self) -> GlanceView {
        GlanceView {
            state: self.glance,
            sentence: self.sentence.clone(),
        }
    }
}

/// The glance over the servers' `overview` and the `backups` view, in `language`.
pub fn glance(overview: &Overview, backups: &BackupsView, language: Language) -> TrayGlance {
    let needing: Vec<&CustomerView> = backups
        .customers
        .iter()
        .filter(|c| c.verdict != VerdictView::Ok)
        .collect();
    let glance = match overview.overall {
        OverallLevel::NotSetUp => Glance::NotSetUp,
        OverallLevel::SomeFailing | OverallLevel::AllFailing => Glance::ServerDown,
        _ if needing.iter().any(|c| c.verdict == VerdictView::Failing) => Glance::BackupsFailing,
        _ if !needing.is_empty() => Glance::Warnings,
        OverallLevel::AllHealthy if backups.state == BackupsState::Ready => Glance::AllWell,
        _ => Glance::Checking,
    };
    let sentence = match glance {
        Glance::NotSetUp | Glance::ServerDown => overview.summary.clone(),
        Glance::Checking if overview.overall == OverallLevel::Checking => overview.summary.clone(),
        Glance::Checking => i18n::text(language, "backups.summary.checking", &[]),
        Glance::AllWell => i18n::counted(
            language,
            "backups.summary.allWell",
            backups.customers.len(),
            &[],
        ),
        Glance::BackupsFailing | Glance::Warnings => needs_attention(&needing, language),
    };
    let attention = needing
        .iter()
        .take(MENU_CUSTOMERS)
        .map(|c| Attention {
            key: c.key.clone(),
            line: i18n::text(
                language,
                "backups.menuLine",
                &[
                    (
                        "mark",
                        if c.verdict == VerdictView::Failing {
                            "✕"
                        } else {
                            "!"
                        },
                    ),
                    ("name", &c.name),
                    ("problems", &problems(c, language)),
                ],
            ),
        })
        .collect();
    TrayGlance {
        glance,
        sentence,
        attention,
        more: needing.len().saturating_sub(MENU_CUSTOMERS),
    }
}

/// "2 customers need attention: Acme — 3 failed; Contoso — 1 computer not backed up
/// for 3 days" (two named, then "and N more").
fn needs_attention(needing: &[&CustomerView], language: Language) -> String {
    let mut named: Vec<String> = needing
        .iter()
        .take(SENTENCE_CUSTOMERS)
        .map(|c| {
            i18n::text(
                language,
                "backups.named",
                &[("name", &c.name), ("problems", &problems(c, language))],
            )
        })
        .collect();
    if needing.len() > SENTENCE_CUSTOMERS {
        named.push(i18n::counted(
            language,
            "summary.more",
            needing.len() - SENTENCE_CUSTOMERS,
            &[],
        ));
    }
    i18n::counted(
        language,
        "backups.summary.attention",
        needing.len(),
        &[("customers", &named.join("; "))],
    )
}

/// What is wrong at one customer: "3 failed, 1 warning, 2 computers not backed up for
/// 3 days".
pub fn problems(customer: &CustomerView, language: Language) -> String {
    let mut parts = Vec::new();
    let runs = customer.runs;
    for (count, key) in [
        (runs.failed, "backups.problem.failed"),
        (runs.warnings, "backups.problem.warnings"),
        (runs.cancelled, "backups.problem.cancelled"),
    ] {
        if count > 0 {
            parts.push(i18n::counted(language, key, count as usize, &[]));
        }
    }
    let stale = &customer.stale_computers;
    if !stale.is_empty() {
        // The longest known gap, in whole days (at least one).
        let days = stale
            .iter()
            .filter_map(|s| s.hours_since_success)
            .max()
            .map(|hours| (hours / 24).max(1));
        parts.push(match days {
            Some(days) => i18n::counted(
                language,
                "backups.problem.staleFor",
                stale.len(),
                &[(
                    "duration",
                    &i18n::counted(language, "backups.days", days as usize, &[]),
                )],
            ),
            None => i18n::counted(language, "backups.problem.stale", stale.len(), &[]),
        });
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backups::view::{BackupWindow, RunCounts, StaleView};

    fn customer(
        name: &str,
        verdict: VerdictView,
        failed: u32,
        stale_hours: &[u32],
    ) -> CustomerView {
        CustomerView {
            key: format!("ms/{name}"),
            server_id: "ms".into(),
            server_label: "MS".into(),
            tenant_id: Some(name.into()),
            name: name.into(),
            verdict,
            computers: 4,
            computers_connected: 4,
            runs: RunCounts {
                failed,
                warnings: u32::from(verdict == VerdictView::Warning),
                ..RunCounts::default()
            },
            failing_runs_total: failed,
            failing_runs: Vec::new(),
            stale_computers: stale_hours
                .iter()
                .map(|&h| StaleView {
                    computer: "PC".into(),
                    last_success: None,
                    last_success_checked: true,
                    hours_since_success: Some(h),
                })
                .collect(),
        }
    }

    fn backups(customers: Vec<CustomerView>) -> BackupsView {
        BackupsView {
            customers,
            ..BackupsView::empty(BackupsState::Ready, BackupWindow::Day)
        }
    }

    fn overview(overall: OverallLevel) -> Overview {
        Overview {
            servers: Vec::new(),
            overall,
            summary: "server summary".into(),
        }
    }

    #[test]
    fn the_sentence_names_the_customers_that_need_attention() {
        let view = backups(vec![
            customer("Acme", VerdictView::Failing, 3, &[]),
            customer("Contoso", VerdictView::Failing, 0, &[80]),
            customer("Fabrikam", VerdictView::Ok, 0, &[]),
        ]);
        let seen = glance(
            &overview(OverallLevel::AllHealthy),
            &view,
            Language::English,
        );
        assert_eq!(seen.glance, Glance::BackupsFailing);
        assert_eq!(
            seen.sentence,
            "2 customers need attention: Acme — 3 failed; Contoso — 1 computer not backed up for 3 days"
        );
        assert_eq!(
            seen.attention.len(),
            2,
            "the customer that is well is not listed"
        );
        assert_eq!(seen.attention[0].key, "ms/Acme");
        let german = glance(&overview(OverallLevel::AllHealthy), &view, Language::German);
        assert!(
            german
                .sentence
                .starts_with("2 Kunden brauchen Aufmerksamkeit"),
            "{}",
            german.sentence
        );
    }

    #[test]
    fn the_worst_thing_known_wins() {
        let failing = backups(vec![customer("Acme", VerdictView::Failing, 1, &[])]);
        let warning = backups(vec![customer("Acme", VerdictView::Warning, 0, &[])]);
        let well = backups(vec![customer("Acme", VerdictView::Ok, 0, &[])]);
        let en = Language::English;
        let at = |o, b: &BackupsView| glance(&overview(o), b, en).glance;
        assert_eq!(at(OverallLevel::SomeFailing, &well), Glance::ServerDown);
        assert_eq!(
            at(OverallLevel::AllHealthy, &failing),
            Glance::BackupsFailing
        );
        assert_eq!(at(OverallLevel::AllHealthy, &warning), Glance::Warnings);
        assert_eq!(at(OverallLevel::AllHealthy, &well), Glance::AllWell);
        assert_eq!(at(OverallLevel::NotSetUp, &well), Glance::NotSetUp);
        let waiting = BackupsView::empty(BackupsState::Checking, BackupWindow::Day);
        assert_eq!(at(OverallLevel::AllHealthy, &waiting), Glance::Checking);
        assert_eq!(
            glance(&overview(OverallLevel::SomeFailing), &well, en).sentence,
            "server summary",
            "a server that is down is said first"
        );
        assert_eq!(
            glance(&overview(OverallLevel::AllHealthy), &well, en).sentence,
            "All backups worked at 1 customer"
        );
    }

    #[test]
    fn the_menu_lists_at_most_eight_then_says_how_many_more() {
        let many = (0..11)
            .map(|n| customer(&format!("C{n}"), VerdictView::Failing, 1, &[]))
            .collect();
        let seen = glance(
            &overview(OverallLevel::AllHealthy),
            &backups(many),
            Language::English,
        );
        assert_eq!(seen.attention.len(), MENU_CUSTOMERS);
        assert_eq!(seen.more, 3);
        assert_eq!(seen.attention[0].line, "✕ C0 — 1 failed");
        assert!(seen.sentence.contains("9 more"), "{}", seen.sentence);
    }
}
