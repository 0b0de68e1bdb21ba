import js from "@eslint/js";
import globals from "globals";
import i18next from "eslint-plugin-i18next";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "src/bindings.ts"] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ["**/*.{ts,tsx}"],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    // Every text the app shows comes from the catalogue (src/locales/*.json): a string
    // literal in the app's code that reads as words fails the lint. Codes, ids, CSS
    // classes and ARIA tokens are not words; tests may say what they expect.
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/tests/**", "src/test/**"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "all",
          "should-validate-template": true,
          words: {
            // One token starting lower-case (codes, ids, CSS classes, catalogue keys,
            // field names), or only symbols and digits: not words a person reads.
            exclude: ["^[a-z][A-Za-z0-9_.:/#@-]*$", "^[^A-Za-zÀ-ÿ]*$", "^\\p{Emoji}+$"],
          },
          "jsx-attributes": {
            exclude: ["className", "id", "type", "key", "role", "htmlFor", "i18nKey", "lang", "value", "autoComplete", "aria-live"],
          },
          callees: { exclude: ["t", "i18n(ext)?", "require", "createContext", "includes", "setAttribute", "on", "querySelector", "getElementById"] },
        },
      ],
    },
  },
);
