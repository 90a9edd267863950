/**
 * A CPU profile of one benchmark phase, taken in-process with the V8
 * sampling profiler and summed up: self time by module, and inclusive time
 * of the engine's main steps. Shares of samples hold up on a busy machine
 * better than stage timings do, since both sides of a share lose the same
 * stolen time.
 */
import { Session } from 'node:inspector';

/** The engine steps whose inclusive time is reported, by function and file. */
const STEPS = [
  ['parseEvent', '/events/schema.js'],
  ['step', '/engine/engine.js'],
  ['nextRecord', '/engine/engine.js'],
  ['sendIfChanged', '/engine/views.js'],
  ['routeEvent', '/engine/route.js'],
  ['facts', '/engine/engine.js'],
  ['load', '/engine/engine.js'],
  ['putRecord', '/store/sqlite.js'],
  ['putEvent', '/store/sqlite.js'],
  ['enqueue', '/store/sqlite.js'],
  ['hasEvent', '/store/sqlite.js'],
  ['getRecord', '/store/sqlite.js'],
  ['takeParked', '/store/sqlite.js'],
  ['resolveState', '/xstate/'],
  ['getPersistedSnapshot', '/xstate/'],
];

function post(session, method, params = {}) {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/** The module a script URL belongs to: a package, or a file of dist/. */
function moduleOf(url, functionName) {
  if (url === '') return `native ${functionName || '(anonymous)'}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/(.+)$/.exec(url);
  if (own) return own[1];
  if (url.startsWith('node:')) return 'node';

  return url.replace(/^.*\//, '');
}

/**
 * Runs `fn` under the profiler (sampling every `intervalUs` µs) and returns
 * shares of the samples taken while it ran.
 *
 * @example
 * const { value, profile } = await profiled(() => engine.run(inputs));
 */
export async function profiled(fn, intervalUs = 250) {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', {
      interval: intervalUs,
    });
    await post(session, 'Profiler.start');
    const value = await fn();
    const { profile } = await post(session, 'Profiler.stop');

    return { value, profile: summarise(profile) };
  } finally {
    session.disconnect();
  }
}

function summarise(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }

  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);

  const selfByModule = {};
  const selfByFunction = {};
  const inclusive = Object.fromEntries(STEPS.map(([name]) => [name, 0]));
  let total = 0;
  let gc = 0;
  for (const [id, count] of counts) {
    const frame = nodes.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;

    total += count;
    if (frame.functionName === '(garbage collector)') {
      gc += count;
      continue;
    }
    const module = frame.functionName.startsWith('(')
      ? frame.functionName
      : moduleOf(frame.url, frame.functionName);
    selfByModule[module] = (selfByModule[module] ?? 0) + count;
    const fn = `${frame.functionName || '(anonymous)'} ${module}`;
    selfByFunction[fn] = (selfByFunction[fn] ?? 0) + count;

    // Each step counts once per sample, however deep its recursion.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url } = nodes.get(at).callFrame;
      for (const [name, file] of STEPS) {
        if (functionName === name && url.includes(file) && !seen.has(name)) {
          seen.add(name);
          inclusive[name] += count;
        }
      }
    }
  }

  const share = (count) =>
    Math.round((count / Math.max(total, 1)) * 1000) / 1000;
  const sorted = (entries) =>
    Object.fromEntries(
      entries
        .filter(([, count]) => count > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, count]) => [name, share(count)]),
    );

  return {
    samples: total,
    garbageCollection: share(gc),
    selfByModule: sorted(Object.entries(selfByModule)),
    topSelfFunctions: Object.fromEntries(
      Object.entries(sorted(Object.entries(selfByFunction))).slice(0, 15),
    ),
    inclusiveByStep: sorted(Object.entries(inclusive)),
  };
}
