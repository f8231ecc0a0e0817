"""Merges coverlet's cobertura reports from every test project and prints one assembly's line coverage.

A line counts as covered when any test project covered it, so the figure is the union over the whole suite.
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
    for pkg in ET.parse(report).getroot().iter("package"):
        if pkg.get("name") != package:
            continue
        for cls in pkg.iter("class"):
            filename = cls.get("filename", "")
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
