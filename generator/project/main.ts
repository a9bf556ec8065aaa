// `npm run generate [-- --check]`: regenerates (or with --check, drift-checks) everything this
// repository keeps generated. Users run `meshctl generate` on their own specs instead.

import { reportLines } from '../report-lines.js';
import { formatDiagnosticsAsText } from '../spec/format-diagnostics.js';
import { generateProject } from './generate-project.js';

const check = process.argv.includes('--check');
const result = await generateProject({ check });
if (result.diagnostics.length > 0) console.error(formatDiagnosticsAsText(result.diagnostics));
if (!result.report) {
  console.error('nothing generated: fix the errors above first');
  process.exit(1);
}
const summary = reportLines(result.report, { check, rerun: 'npm run generate' });
for (const line of summary.lines) (summary.failed ? console.error : console.log)(line);
process.exitCode = summary.failed ? 1 : 0;
