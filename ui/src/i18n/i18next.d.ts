// Typed keys: `t("servers.add")` is checked against the English catalogue.
import "i18next";
import type en from "../locales/en.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
    returnNull: false;
  }
}
