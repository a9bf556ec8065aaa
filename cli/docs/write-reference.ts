// `npm run docs`: rewrites docs/meshctl.md from the CLI's help.
import { writeFileSync } from 'node:fs';
import { buildProgram } from '../program.js';
import { renderReference } from './render-reference.js';

writeFileSync(new URL('../../docs/meshctl.md', import.meta.url), renderReference(buildProgram()));
