// The npm packages the app's UI ships: all under an allowed licence, and the check
// refuses one that is not.

import { test } from "node:test";
import assert from "node:assert/strict";

import { ALLOWED, productionLicenses } from "../checks/npm-licenses.mjs";

test("the UI ships only production dependencies under an allowed licence", async () => {
  const shipped = await productionLicenses("ui");
  const names = shipped.map((d) => d.name);
  assert.ok(names.includes("react"), names.join(", "));
  assert.ok(!names.includes("vite") && !names.includes("typescript"), "build tools do not ship");
  assert.deepEqual(shipped.filter((d) => !d.approved), [], `allowed: ${ALLOWED.join(", ")}`);
});

test("a licence outside the list is refused", async () => {
  const shipped = await productionLicenses("ui", ["ISC"]);
  const react = shipped.find((d) => d.name === "react");
  assert.equal(react.license, "MIT");
  assert.equal(react.approved, false);
});
