#!/usr/bin/env node
// meshctl is written in TypeScript and runs without a build step: tsx compiles it on load.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
