"""axe-core in the page under test: the vendored copy (tests/vendor/axe-core, nothing fetched at run
time) injected by Playwright, and its serious or critical violations as short readable lines."""
from __future__ import annotations

from tests.server_process import ROOT

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page, context: str = "document") -> list[str]:
    """Serious and critical axe violations on `page` (a Playwright page), one line per rule."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(f"""async () => {{
        const r = await axe.run({context}, {{ resultTypes: ['violations'] }});
        return r.violations.map(v => ({{ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ')) }}));
    }}""")
    return [f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'])}"
            for v in found if v["impact"] in BLOCKING]
