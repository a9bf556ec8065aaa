#!/usr/bin/env node
// The registry as a command (`npx @mcp-mesh/registry`), configured from the environment.
import './dist/registry/main.js';
