import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BackupsView, CauseView } from "../ipc";
import { CustomerRow } from "../components/CustomerRow";
import { WindowSwitch } from "../components/WindowSwitch";
import { Details } from "../components/Details";
import { gapSentence, gapsToWord, headline, serversLeftOut } from "../i18n/backupWords";
import { dateTime } from "../i18n/format";

type Props = {
  /** The app's Backups view, or null while it is being read. */
  view: BackupsView | null;
  /** Why the view could not be read, when it could not. */
  failure: string | null;
  /** The customer (by key) the tray asked to show, until it is shown. */
  focus: string | null;
  /** Called once the customer asked for is open and focused. */
  onFocused: () => void;
  /** Opens the Servers tab at its add form. */
  onAddServer: () => void;
  /** Opens the Servers tab. */
  onShowServers: () => void;
};

/** The Backups tab: did my customers' backups work? Customers worst first, each with
 * its verdict and counts, expanding to what did not work; the causes; the period. */
export function Backups({ view, failure, focus, onFocused, onAddServer, onShowServers }: Props) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const buttons = useRef(new Map<string, HTMLButtonElement>());

  // The tray asked for a customer: open it, bring it into view and focus it. One no
  // longer in a finished round's view (its backups work again) is not waited for.
  useEffect(() => {
    if (!focus || !view) return;
    if (!view.customers.some((c) => c.key === focus)) {
      if (view.state === "ready") onFocused();
      return;
    }
    setOpen((keys) => new Set(keys).add(focus));
    const button = buttons.current.get(focus);
    button?.scrollIntoView?.({ block: "start", behavior: "smooth" });
    button?.focus();
    onFocused();
  }, [focus, view, onFocused]);

  const toggle = (key: string) =>
    setOpen((keys) => {
      const next = new Set(keys);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  const title = <h2 id="backups-title">{t("backupsTab.title")}</h2>;

  if (failure) {
    return (
      <section aria-labelledby="backups-title">
        {title}
        <div className="note note-error" role="alert">
          <p>{t("backupsTab.cannotRead")}</p>
          <Details text={failure} />
        </div>
      </section>
    );
  }
  if (!view) {
    return (
      <section aria-labelledby="backups-title">
        {title}
        <p role="status">{t("backupsTab.loading")}</p>
      </section>
    );
  }
  if (view.state === "notSetUp") {
    return (
      <section aria-labelledby="backups-title">
        {title}
        <div className="empty">
          <p>{t("servers.emptyTitle")}</p>
          <p>{t("servers.emptyText")}</p>
          <p>{t("backupsTab.emptyText")}</p>
          <button type="button" className="primary" onClick={onAddServer}>
            {t("servers.add")}
          </button>
        </div>
      </section>
    );
  }

  const gaps = gapsToWord(view);
  return (
    <section aria-labelledby="backups-title">
      <div className="section-head">
        {title}
        <WindowSwitch key={view.window} shown={view.window} />
      </div>
      {view.state === "checking" ? (
        <p className="note note-progress" role="status">
          <span className="spinner" aria-hidden="true" /> {t("backupsTab.checking")}
        </p>
      ) : (
        <p className="backups-headline" aria-live="polite">
          <strong>
            {view.customers.length > 0
              ? headline(t, view)
              : serversLeftOut(view)
                ? t("backupsTab.noneAnswered")
                : t("backupsTab.noCustomers")}
          </strong>
          {view.checkedAt && (
            <span className="hint"> · {t("backupsTab.checkedAt", { time: dateTime(i18n.language, view.checkedAt) })}</span>
          )}
        </p>
      )}
      {view.unanswered.length > 0 && (
        <div className="note note-error">
          {view.unanswered.map((label) => (
            <p key={label}>{t("backupsTab.unanswered", { label })}</p>
          ))}
          <button type="button" className="link" onClick={onShowServers}>
            {t("backupsTab.showServers")}
          </button>
        </div>
      )}
      {!view.complete && gaps.length > 0 && (
        <div className="note note-warning">
          <p>{t("backupsTab.incomplete")}</p>
          <ul>
            {gaps.map((gap, i) => (
              <li key={i}>{gapSentence(t, gap)}</li>
            ))}
          </ul>
          <Details text={gaps.map((gap) => gap.detail).join("\n")} />
        </div>
      )}
      {view.customers.length > 0 && (
        <ul className="customer-list" aria-label={t("backupsTab.customers")}>
          {view.customers.map((customer, index) => (
            <CustomerRow
              key={customer.key}
              ref={(button) => {
                if (button) buttons.current.set(customer.key, button);
                else buttons.current.delete(customer.key);
              }}
              customer={customer}
              index={index}
              window={view.window}
              staleHours={view.staleHours}
              open={open.has(customer.key)}
              onToggle={() => toggle(customer.key)}
            />
          ))}
        </ul>
      )}
      {view.causes.length > 0 && <Causes causes={view.causes} />}
    </section>
  );
}

function Causes({ causes }: { causes: CauseView[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="causes-title" className="causes">
      <h3 id="causes-title">{t("backupsTab.causes.title")}</h3>
      <p className="hint">{t("backupsTab.causes.hint")}</p>
      <ul>
        {causes.map((cause) => (
          <li key={cause.cause}>
            <code className="cause">{cause.example}</code>
            <div className="hint">
              {t("backupsTab.causes.spread", {
                runs: t("backupsTab.causes.runs", { count: cause.runs }),
                computers: t("backupsTab.causes.computers", { count: cause.computers }),
                customers: t("backupsTab.causes.customers", { count: cause.customers }),
              })}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
