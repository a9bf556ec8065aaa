// The MCP Mesh dashboard: plain browser JavaScript, no build step and no framework. It reads
// the registry's API (GET /agents, /dashboard/traffic, /traces), follows GET /watch (server-sent
// events) to redraw the moment the topology changes, and draws the graph as SVG. Text from the
// mesh is only ever set as textContent.

const svgNs = 'http://www.w3.org/2000/svg';
const state = {
  agents: [],
  traffic: [],
  /** Edges ever seen (consumer name → provider name, capability), so a lost one turns red. */
  edges: new Map(),
  /** Every agent name seen since the page opened. */
  known: new Set(),
  selected: undefined,
};

const byId = (id) => document.getElementById(id);

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

async function json(path) {
  const answer = await fetch(path, { headers: { accept: 'application/json' } });
  if (!answer.ok) throw new Error(`${path}: ${answer.status}`);
  return answer.json();
}

// Best status among an agent's replicas: one healthy replica keeps the capability served.
const rank = { healthy: 0, degraded: 1, unhealthy: 2, offline: 3 };
function groupStatus(replicas) {
  return replicas.map((agent) => agent.status).sort((a, b) => rank[a] - rank[b])[0] ?? 'offline';
}

function groups() {
  const byName = new Map();
  // An agent that left stays on the graph, offline, with its edges: what stopped is visible.
  for (const name of state.known) byName.set(name, { name, replicas: [] });
  for (const agent of state.agents) {
    const group = byName.get(agent.name) ?? { name: agent.name, replicas: [] };
    group.replicas.push(agent);
    byName.set(agent.name, group);
  }
  return byName;
}

function updateEdges(named) {
  const nameOf = new Map(state.agents.map((agent) => [agent.id, agent.name]));
  const current = new Set();
  for (const agent of state.agents) {
    for (const resolution of agent.dependency_resolutions ?? []) {
      const provider = resolution.provider_agent_id && nameOf.get(resolution.provider_agent_id);
      if (!provider) continue;
      const key = `${agent.name}\n${provider}\n${resolution.capability}`;
      current.add(key);
      state.edges.set(key, { from: agent.name, to: provider, capability: resolution.capability });
    }
  }
  for (const [key, edge] of state.edges) {
    const usable =
      current.has(key) &&
      ['healthy', 'degraded'].includes(groupStatus(named.get(edge.to)?.replicas ?? [])) &&
      named.has(edge.from);
    edge.health = usable ? 'healthy' : 'unhealthy';
  }
}

function edgeStats(edge) {
  const names = new Map(state.agents.map((agent) => [agent.id, agent.name]));
  const matching = state.traffic.filter(
    (entry) =>
      names.get(entry.caller) === edge.from &&
      names.get(entry.provider) === edge.to &&
      (entry.capability === '' || entry.capability === edge.capability),
  );
  const calls = matching.reduce((sum, entry) => sum + entry.calls, 0);
  const errors = matching.reduce((sum, entry) => sum + entry.errors, 0);
  const rate = matching.reduce((sum, entry) => sum + entry.rate, 0);
  const p50 = Math.max(0, ...matching.map((entry) => entry.p50_ms));
  const p99 = Math.max(0, ...matching.map((entry) => entry.p99_ms));
  return { calls, errors, rate, p50, p99 };
}

// Columns by dependency depth: consumers left, their providers to the right.
function layout(named) {
  const depth = new Map([...named.keys()].map((name) => [name, 0]));
  for (let round = 0; round < named.size; round++) {
    for (const edge of state.edges.values()) {
      if (
        depth.has(edge.from) &&
        depth.has(edge.to) &&
        depth.get(edge.to) <= depth.get(edge.from)
      ) {
        depth.set(edge.to, depth.get(edge.from) + 1);
      }
    }
  }
  const columns = new Map();
  for (const name of [...named.keys()].sort()) {
    const column = depth.get(name);
    columns.set(column, [...(columns.get(column) ?? []), name]);
  }
  const positions = new Map();
  for (const [column, names] of columns) {
    for (const [row, name] of names.entries()) {
      positions.set(name, { x: 30 + column * 400, y: 30 + row * 110 });
    }
  }
  return positions;
}

function drawGraph() {
  const named = groups();
  updateEdges(named);
  const positions = layout(named);
  const graph = byId('graph');
  graph.replaceChildren();
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto',
  });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#6b7380' }));
  defs.append(marker);
  graph.append(defs);
  const width = 170;
  const height = 54;
  for (const edge of state.edges.values()) {
    const from = positions.get(edge.from);
    const to = positions.get(edge.to);
    if (!from || !to) continue;
    const stats = edgeStats(edge);
    const group = svg('g', {
      class: `edge ${edge.health}`,
      'data-edge': `${edge.from}->${edge.to}`,
      'data-health': edge.health,
      'data-calls': stats.calls,
      'data-errors': stats.errors,
    });
    const x1 = from.x + width;
    const y1 = from.y + height / 2;
    const x2 = to.x;
    const y2 = to.y + height / 2;
    group.append(svg('path', { d: `M${x1},${y1} C${x1 + 60},${y1} ${x2 - 60},${y2} ${x2},${y2}` }));
    const errorRate = stats.calls === 0 ? 0 : (100 * stats.errors) / stats.calls;
    const label = `${edge.capability}: ${stats.calls} calls, ${errorRate.toFixed(0)}% err`;
    const timing = `${stats.rate.toFixed(2)}/s p50 ${stats.p50.toFixed(1)} ms p99 ${stats.p99.toFixed(1)} ms`;
    const mx = (x1 + x2) / 2;
    const my = (y1 + y2) / 2;
    group.append(
      svg('text', { x: mx, y: my - 14, 'text-anchor': 'middle', class: 'edge-label' }, label),
    );
    group.append(svg('text', { x: mx, y: my, 'text-anchor': 'middle' }, timing));
    graph.append(group);
  }
  for (const [name, group] of named) {
    const position = positions.get(name);
    const status = groupStatus(group.replicas);
    const node = svg('g', {
      class: `node ${status}`,
      'data-agent': name,
      'data-status': status,
      transform: `translate(${position.x},${position.y})`,
    });
    node.append(svg('rect', { width, height }));
    node.append(svg('text', { x: 10, y: 22 }, name));
    const healthy = group.replicas.filter((agent) => agent.status === 'healthy').length;
    node.append(
      svg(
        'text',
        { x: 10, y: 41, class: 'replicas' },
        `${healthy}/${group.replicas.length} replicas healthy · ${status}`,
      ),
    );
    node.addEventListener('click', () => {
      state.selected = name;
      void showDetail();
    });
    graph.append(node);
  }
  const agents = state.agents.length;
  byId('summary').textContent =
    `${named.size} agents (${agents} replicas), ${state.edges.size} edges`;
}

async function showDetail() {
  const panel = byId('detail');
  const group = groups().get(state.selected);
  panel.replaceChildren(element('h2', {}, `Agent ${state.selected}`));
  if (!group) {
    panel.append(element('p', { class: 'hint' }, 'no longer registered'));
    return;
  }
  for (const agent of group.replicas) {
    const list = element('dl', { 'data-replica': agent.id });
    for (const [key, value] of [
      ['id', agent.id],
      ['status', agent.status],
      ['endpoint', agent.endpoint],
      ['version', agent.version ?? ''],
      ['dependencies', `${agent.dependencies_resolved}/${agent.total_dependencies} resolved`],
    ]) {
      list.append(element('dt', {}, key), element('dd', {}, value));
    }
    panel.append(list);
    const [tools, dependencies] = await Promise.all([
      json(`/dashboard/agents/${encodeURIComponent(agent.id)}/tools`).catch(() => ({ tools: [] })),
      json(`/agents/${encodeURIComponent(agent.id)}/dependencies`).catch(() => ({
        dependencies: [],
      })),
    ]);
    panel.append(element('h2', {}, 'Tools'));
    for (const tool of tools.tools) {
      panel.append(
        element(
          'div',
          { class: 'tool' },
          `${tool.function_name} (${tool.capability} ${tool.version}) kwargs ${JSON.stringify(tool.kwargs)}`,
        ),
      );
    }
    if (dependencies.dependencies.length > 0)
      panel.append(element('h2', {}, 'Why each dependency resolved'));
    for (const dependency of dependencies.dependencies) {
      const [chosen, ...others] = dependency.candidates;
      const rejected = dependency.rejected.map((entry) => `${entry.agent_id}: ${entry.reason}`);
      panel.append(
        element(
          'div',
          { class: 'dependency' },
          `${dependency.function_name} → ${dependency.capability} ${dependency.version} [${dependency.tags.join(', ')}]: ${dependency.status}; chosen ${chosen?.agent_id ?? 'none'}${others.length > 0 ? `, then ${others.map((entry) => entry.agent_id).join(', ')}` : ''}${rejected.length > 0 ? `; rejected ${rejected.join('; ')}` : ''}`,
        ),
      );
    }
  }
}

function addEvent(text) {
  const list = byId('events');
  list.prepend(element('li', {}, `${new Date().toISOString().slice(11, 23)} ${text}`));
  while (list.children.length > 100) list.lastChild.remove();
}

async function refreshTopology() {
  const { agents } = await json('/agents');
  state.agents = agents;
  for (const agent of agents) state.known.add(agent.name);
  drawGraph();
  if (state.selected) void showDetail();
}

async function refreshTraffic() {
  const [{ edges }, { traces }] = await Promise.all([
    json('/dashboard/traffic'),
    json('/traces?limit=20'),
  ]);
  state.traffic = edges;
  drawGraph();
  const body = byId('traces').querySelector('tbody');
  body.replaceChildren();
  for (const trace of traces) {
    const row = element('tr', { 'data-trace': trace.trace_id });
    row.append(
      element('td', {}, trace.trace_id.slice(0, 12)),
      element('td', {}, `${trace.service}: ${trace.name}`),
      element('td', {}, String(trace.span_count)),
      element('td', {}, String(trace.error_count)),
      element('td', {}, `${trace.duration_ms.toFixed(1)} ms`),
    );
    row.addEventListener('click', () => void openTrace(trace.trace_id));
    body.append(row);
  }
}

async function openTrace(traceId) {
  const { spans } = await json(`/traces/${traceId}`);
  const start = Math.min(...spans.map((span) => span.start_ms));
  const end = Math.max(...spans.map((span) => span.start_ms + span.duration_ms));
  const total = Math.max(end - start, 0.001);
  const panel = byId('trace');
  panel.replaceChildren(element('h2', { 'data-open-trace': traceId }, `Trace ${traceId}`));
  for (const span of spans) {
    const row = element('div', {
      class: `row ${span.status === 'error' ? 'error' : ''}`,
      'data-span': span.name,
    });
    const name = element('div', {}, `${' '.repeat(span.depth * 2)}${span.name}`);
    name.style.paddingLeft = `${span.depth * 14}px`;
    const bar = element('div', { class: 'bar' });
    bar.style.marginLeft = `${(100 * (span.start_ms - start)) / total}%`;
    bar.style.width = `${(100 * span.duration_ms) / total}%`;
    const track = element('div');
    track.append(bar);
    row.append(
      name,
      element(
        'div',
        {},
        `${span.instance ?? span.service} · ${span.duration_ms.toFixed(1)} ms${span.status === 'error' ? ` · ${span.attributes['error.type'] ?? 'error'}` : ''}`,
      ),
      track,
    );
    panel.append(row);
    for (const event of span.events) {
      panel.append(
        element(
          'div',
          { class: 'events-line' },
          `${'  '.repeat(span.depth + 1)}${event.name} ${JSON.stringify(event.attributes)}`,
        ),
      );
    }
  }
}

function follow() {
  const stream = new EventSource('/watch');
  stream.addEventListener('open', () => {
    byId('connection').textContent = 'live';
    byId('connection').className = 'connection live';
  });
  stream.addEventListener('topology', (message) => {
    const change = JSON.parse(message.data);
    const { revision, ...rest } = change;
    addEvent(
      `revision ${revision} ${Object.entries(rest)
        .map(
          ([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`,
        )
        .join(' ')}`,
    );
    void refreshTopology();
  });
  stream.addEventListener('error', () => {
    byId('connection').textContent = 'reconnecting…';
    byId('connection').className = 'connection';
  });
}

await refreshTopology().catch((error) => addEvent(`failed to load agents: ${error.message}`));
follow();
setInterval(() => void refreshTraffic().catch(() => undefined), 1000);
void refreshTraffic();
