import type { Ref } from "react";
import { useTranslation } from "react-i18next";
import type { BackupWindow, CustomerView } from "../ipc";
import { StatusDot } from "./StatusDot";
import { CopyQuestion } from "./CopyQuestion";
import { customerCounts, neverBackedUp, questionFor, staleDuration, startedWhen } from "../i18n/backupWords";
import { dateTime } from "../i18n/format";

type Props = {
  customer: CustomerView;
  /** Its place in the list, for the ids that tie the disclosure to its panel. */
  index: number;
  window: BackupWindow;
  staleHours: number;
  open: boolean;
  onToggle: () => void;
  /** The disclosure button (to focus the customer the tray asked for). */
  ref?: Ref<HTMLButtonElement>;
};

/** One customer: its verdict (a word and a coloured mark), its counts and a question for
 * Claude; it expands (a disclosure button) to the backups that did not work and the
 * computers not backed up for too long. */
export function CustomerRow({ customer, index, window, staleHours, open, onToggle, ref }: Props) {
  const { t, i18n } = useTranslation();
  const panel = `customer-panel-${index}`;
  const nameId = `customer-name-${index}`;
  return (
    <li className={`customer customer-${customer.verdict}`}>
      <h3 className="customer-head">
        <button
          type="button"
          ref={ref}
          className="disclosure"
          aria-expanded={open}
          aria-controls={panel}
          onClick={onToggle}
        >
          <span className="disclosure-mark" aria-hidden="true">
            {open ? "▾" : "▸"}
          </span>
          <StatusDot state={customer.verdict} />
          <span className="customer-name" id={nameId}>
            {customer.name}
          </span>
          <span className={`verdict verdict-${customer.verdict}`}>{t(`backupsTab.verdict.${customer.verdict}`)}</span>
        </button>
      </h3>
      <p className="customer-counts">
        <span className="customer-server">{t("backupsTab.onServer", { server: customer.serverLabel })}</span>
        {" · "}
        {customerCounts(t, customer)}
      </p>
      <CopyQuestion describedBy={nameId} question={() => questionFor(t, i18n.language, customer, window)} />
      <div id={panel} className="customer-panel" hidden={!open}>
        {open && <CustomerDetails customer={customer} staleHours={staleHours} />}
      </div>
    </li>
  );
}

function CustomerDetails({ customer, staleHours }: { customer: CustomerView; staleHours: number }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const nothing = customer.failingRuns.length === 0 && customer.staleComputers.length === 0;
  if (nothing) return <p className="hint">{customerCounts(t, customer)}</p>;
  return (
    <>
      {customer.failingRuns.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>{t("backupsTab.runs.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("backupsTab.runs.computer")}</th>
                <th scope="col">{t("backupsTab.runs.job")}</th>
                <th scope="col">{t("backupsTab.runs.when")}</th>
                <th scope="col">{t("backupsTab.runs.outcome")}</th>
                <th scope="col">{t("backupsTab.runs.firstError")}</th>
              </tr>
            </thead>
            <tbody>
              {customer.failingRuns.map((run, i) => (
                <tr key={i}>
                  <td className="nowrap">{run.computer}</td>
                  <td>{run.job ?? t("backupsTab.notKnown")}</td>
                  <td className="nowrap">{startedWhen(t, language, run)}</td>
                  <td className={`outcome outcome-${run.outcome}`}>{t(`backupsTab.runs.outcomeWord.${run.outcome}`)}</td>
                  <td className="first-error">{run.firstError ?? t("backupsTab.notKnown")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {customer.failingRunsTotal > customer.failingRuns.length && (
            <p className="hint">
              {t("backupsTab.runs.newest", { shown: customer.failingRuns.length, total: customer.failingRunsTotal })}
            </p>
          )}
        </div>
      )}
      {customer.staleComputers.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>{t("backupsTab.stale.title", { count: staleHours })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("backupsTab.stale.computer")}</th>
                <th scope="col">{t("backupsTab.stale.lastSuccess")}</th>
                <th scope="col">{t("backupsTab.stale.since")}</th>
              </tr>
            </thead>
            <tbody>
              {customer.staleComputers.map((stale, i) => (
                <tr key={i}>
                  <td className="nowrap">{stale.computer}</td>
                  <td>
                    {stale.lastSuccess
                      ? dateTime(language, stale.lastSuccess)
                      : stale.lastSuccessChecked
                        ? t("backupsTab.stale.never")
                        : t("backupsTab.notKnown")}
                  </td>
                  <td>
                    {neverBackedUp(stale)
                      ? t("backupsTab.stale.noSuccessYet")
                      : (staleDuration(t, stale) ?? t("backupsTab.notKnown"))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
