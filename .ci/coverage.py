"""Merges coverlet's cobertura reports from every test project and prints one assembly's line coverage.

A line counts as covered when any test project covered it, so the figure is the union over the whole suite. Each
report names its files relative to its own <source> root (coverlet picks the common root of what it instrumented, so
it differs between projects): lines are keyed by absolute path, or the same line would be counted once per root.
Source-generated files (under obj/) are left out: they are the generators' code, not ours.
Exits 1 when it is under the bar (COVERAGE_MIN, default 80) or when no report was found.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

package, root = sys.argv[1], sys.argv[2]
minimum = float(os.environ.get("COVERAGE_MIN", "80"))
lines: dict[tuple[str, int], bool] = {}
reports = glob.glob(os.path.join(root, "**", "coverage.cobertura.xml"), recursive=True)
for report in reports:
    root_element = ET.parse(report).getroot()
    sources = [s.text or "" for s in root_element.iter("source")]
    for pkg in root_element.iter("package"):
        if pkg.get("name") != package:
            continue
        for cls in pkg.iter("class"):
            filename = cls.get("filename", "")
            if not os.path.isabs(filename):
                candidates = [os.path.join(src, filename) for src in sources]
                filename = next((c for c in candidates if os.path.exists(c)), candidates[0] if candidates else filename)
            filename = os.path.normpath(filename)
            if f"{os.sep}obj{os.sep}" in filename:
                continue
            for line in cls.iter("line"):
                key = (filename, int(line.get("number", "0")))
                lines[key] = lines.get(key, False) or int(line.get("hits", "0")) > 0

if not lines:
    print(f"{package} line coverage: no coverage data found in {len(reports)} report(s)")
    sys.exit(1)
covered = sum(1 for hit in lines.values() if hit)
percent = 100.0 * covered / len(lines)
print(f"{package} line coverage: {percent:.1f}% ({covered}/{len(lines)} lines, merged over {len(reports)} report(s); bar {minimum:.0f}%)")
sys.exit(0 if percent >= minimum else 1)
