"""Sums the per-project summaries that `dotnet test` prints into one `N passed, N failed[, N skipped]` line."""
import re
import sys

summary = re.compile(
    r"(?:Passed|Failed)!\s*-\s*Failed:\s*(\d+),\s*Passed:\s*(\d+),\s*Skipped:\s*(\d+),\s*Total:\s*(\d+)")
passed = failed = skipped = 0
projects = 0
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for line in log:
        match = summary.search(line)
        if match:
            projects += 1
            failed += int(match.group(1))
            passed += int(match.group(2))
            skipped += int(match.group(3))

print(f"({projects} test projects reported)")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
