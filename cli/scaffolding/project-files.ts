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
`;
}
