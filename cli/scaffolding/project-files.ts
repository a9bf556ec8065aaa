/**
 * The files `meshctl init` writes beside the spec: a package depending on the runtime, a strict
 * tsconfig, and a README of the commands that matter. Each is a function of the project's name
 * and the toolchain's version, so a new project always matches the meshctl that made it.
 */

/** The TypeScript and Node types a new project compiles with (both run on Node 20). */
const typescriptRange = '^5.9.3';
const nodeTypesRange = '^20.19.0';

export function packageJson(name: string, meshVersion: string): string {
  const range = `^${meshVersion}`;
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      start: 'meshctl start .',
      generate: 'meshctl generate',
      validate: 'meshctl validate',
      typecheck: 'tsc --noEmit',
      build: 'tsc',
    },
    dependencies: { '@mcp-mesh/runtime': range },
    devDependencies: {
      '@mcp-mesh/cli': range,
      '@types/node': nodeTypesRange,
      typescript: typescriptRange,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

// The strictest settings users commonly run, so generated code and the runtime's types are
// proven against them; `npm run build` writes dist/, which plain `node` runs.
export const tsconfigJson = `{
  "compilerOptions": {
    "target": "ES2023",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "noImplicitOverride": true,
    "verbatimModuleSyntax": true,
    "isolatedModules": true,
    "skipLibCheck": false,
    "outDir": "dist",
    "rootDir": "."
  },
  "include": ["handlers", "generated"]
}
`;

export const gitignore = `node_modules/
dist/
.mesh-state/
`;

export function readme(name: string, firstTool: string): string {
  return `# ${name}

An [MCP Mesh](https://www.npmjs.com/package/@mcp-mesh/cli) project: agents declared in
\`mesh.yaml\`, their typed code generated into \`generated/\`, their bodies in \`handlers/\`.

\`\`\`sh
npm install
npm start                                        # a local registry and every agent of mesh.yaml
npx meshctl call ${firstTool} '{"name": "Ada"}'            # in another terminal: call a tool
\`\`\`

The loop: edit \`mesh.yaml\` (or \`npx meshctl scaffold <agent> --depends-on <capability>\`), run
\`npx meshctl generate\`, fill in the handler bodies, \`npm run typecheck\`. Put
\`npx meshctl validate\` and \`npx meshctl generate --check\` in CI.

In production, compile and run with plain Node, one process per agent:

\`\`\`sh
npm run build
MCP_MESH_REGISTRY_URL=http://registry:8000 npx mcp-mesh-agent dist/handlers/<agent>.js
\`\`\`

or in containers, one agent each: \`docker build -t ${name} .\` (see \`Dockerfile\`), then
\`docker run ${name} dist/handlers/<agent>.js\`.
`;
}

/**
 * The image of the project's agents, one agent per container: compiled JavaScript on Node's slim
 * image with production dependencies only, as user 1000, node itself as PID 1 (SIGTERM reaches
 * it: it unregisters and drains), healthy by `/ready`. CMD names `agentModule`; another agent of
 * the project runs by naming its module (`docker run <image> dist/handlers/<agent>.js`).
 */
export function dockerfile(name: string, agentModule: string): string {
  return `# syntax=docker/dockerfile:1
# The image of this project's agents (one agent per container). package-lock.json must exist
# (\`npm install\` writes it):
#   docker build -t ${name} .
#   docker run -e MCP_MESH_REGISTRY_URL=http://registry:8000 ${name}
#   docker run -e MCP_MESH_REGISTRY_URL=http://registry:8000 ${name} dist/handlers/<agent>.js
# In Kubernetes: the mcp-mesh Helm chart, with this image and each agent's module.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 MCP_MESH_HTTP_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules/
COPY --from=build /app/dist dist/
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.MCP_MESH_HTTP_PORT+'/ready').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "node_modules/@mcp-mesh/runtime/dist/agent-main.js"]
CMD ["${agentModule}"]
`;
}

/** What `docker build` leaves out of the context: installs, builds, local state. */
export const dockerignore = `node_modules
dist
.mesh-state
.git
*.log
`;
