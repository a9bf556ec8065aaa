#!/usr/bin/env node
// meshctl, compiled to JavaScript by `npm run build` (no TypeScript loader at run time).
import './dist/main.js';
