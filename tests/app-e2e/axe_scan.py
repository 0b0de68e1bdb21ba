"""axe-core scans of the app's real WebKit window: each screen, in each language and
theme the test shows it in. A serious or critical violation fails the run; every
finding, by impact, is written to output/axe-results.json and printed at the end.

axe-core comes from the UI's own packages (ui/node_modules/axe-core), so the version
is the one package-lock.json pins.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "ui" / "node_modules" / "axe-core" / "axe.min.js").read_text()
FAILING = ("serious", "critical")


class AxeLog:
    """Every scan of a run, and what it found."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        self.scans = []

    def scan(self, session, screen, language, theme):
        """Scans the page as it is now; fails on a serious or critical violation."""
        shown = session.script("return [document.documentElement.lang, matchMedia('(prefers-color-scheme: dark)').matches]")
        assert shown[0] == language, f"{screen}: the page says lang={shown[0]!r}, expected {language!r}"
        assert shown[1] == (theme == "dark"), f"{screen}: prefers-color-scheme dark is {shown[1]}, expected {theme}"
        session.script("if (!window.axe) { " + AXE_SOURCE + " } return typeof window.axe;")
        found = session._session(
            "POST",
            "/execute/async",
            {
                "script": (
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document).then("
                    "r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
                    " targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5), nodes: v.nodes.length})),"
                    " contrast: Object.fromEntries(['passes', 'incomplete', 'violations'].map(k =>"
                    " [k, (r[k].find(x => x.id === 'color-contrast') || {nodes: []}).nodes.length]))}),"
                    "e => done({violations: [{id: 'axe-error', impact: 'critical', targets: [String(e)], nodes: 1}],"
                    " contrast: {}}));"
                ),
                "args": [],
            },
        )
        violations, contrast = found["violations"], found["contrast"]
        by_impact = {}
        for violation in violations:
            by_impact[violation["impact"]] = by_impact.get(violation["impact"], 0) + violation["nodes"]
        self.scans.append(
            {
                "screen": screen,
                "language": language,
                "theme": theme,
                "by_impact": by_impact,
                "contrast": contrast,
                "violations": violations,
            }
        )
        self.save()
        failing = [v for v in violations if v["impact"] in FAILING]
        print(f"axe: {screen} [{language}, {theme}]: {by_impact or 'no violations'}; contrast {contrast}", flush=True)
        assert contrast.get("passes", 0) > 0, f"{screen}: axe checked the colour contrast of some text"
        assert not failing, f"{screen} [{language}, {theme}]: {json.dumps(failing, indent=2)}"

    def save(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.scans, indent=2))

    def table(self):
        """One line per scan: screen, language, theme, violations by impact."""
        return "\n".join(
            f"  {s['screen']:<34} {s['language']} {s['theme']:<5} {s['by_impact'] or 'none'}"
            f" (contrast: {s['contrast'].get('passes', 0)} passed, {s['contrast'].get('incomplete', 0)} not decidable)"
            for s in self.scans
        )
