// Runs PGlite (embedded PostgreSQL, WebAssembly) on a worker thread for drivers/pglite.ts.
//
// Plain CommonJS so Node runs it as it is. On a worker PGlite's Emscripten start-up can use
// `import()`, which Jest's module sandbox refuses, and its queries (synchronous WebAssembly)
// do not hold up the main thread's event loop.
const { Blob, Buffer } = require('node:buffer');
const { randomBytes } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { parentPort } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');

let pglite = null;

// A fresh PGlite runs initdb (a second WebAssembly instance) before it can start: seconds on
// every `memory://` database, and the tests open hundreds. PGlite's own initdb ends by dumping
// that instance's data directory and loading the tarball into the new one; this keeps such a
// freshly initialised data directory in node_modules/.cache (per PGlite version, so an upgrade
// never loads an old cluster) and loads it instead. Every database still starts empty. Any
// trouble with the cache falls back to initdb: it only saves time.
const PGLITE_MAIN = require.resolve('@electric-sql/pglite');
const NODE_MODULES = PGLITE_MAIN.slice(0, PGLITE_MAIN.lastIndexOf('node_modules') + 12);
const PGLITE_VERSION = JSON.parse(
  readFileSync(join(NODE_MODULES, '@electric-sql', 'pglite', 'package.json'), 'utf8'),
).version;
const TEMPLATE = join(
  NODE_MODULES,
  '.cache',
  'cla-graph',
  `pglite-${PGLITE_VERSION}-initdb.tar.gz`,
);

function readTemplate() {
  try {
    return readFileSync(TEMPLATE);
  } catch {
    return null;
  }
}

async function saveTemplate(instance) {
  try {
    const dump = Buffer.from(await (await instance.dumpDataDir('gzip')).arrayBuffer());
    mkdirSync(dirname(TEMPLATE), { recursive: true });
    // Written aside and renamed, so a process reading it never sees half a file.
    const partial = `${TEMPLATE}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, dump);
    renameSync(partial, TEMPLATE);
  } catch {
    // Read-only node_modules, full disk: the next database runs initdb again.
  }
}

async function openInMemory(dataDir) {
  const template = readTemplate();
  if (template) {
    try {
      const instance = new PGlite(dataDir, { loadDataDir: new Blob([template]) });
      await instance.waitReady;
      return instance;
    } catch {
      rmSync(TEMPLATE, { force: true });
    }
  }
  const instance = new PGlite(dataDir);
  await instance.waitReady;
  // Before any statement: the template is exactly what initdb left.
  await saveTemplate(instance);
  return instance;
}

async function handle(request) {
  switch (request.op) {
    case 'open':
      pglite = request.dataDir.startsWith('memory://')
        ? await openInMemory(request.dataDir)
        : new PGlite(request.dataDir);
      await pglite.waitReady;
      return { rows: [], rowCount: 0 };
    case 'query': {
      const result = await pglite.query(request.sql, request.params);
      return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
    }
    case 'exec':
      await pglite.exec(request.sql);
      return { rows: [], rowCount: 0 };
    case 'close':
      if (pglite) await pglite.close();
      pglite = null;
      return { rows: [], rowCount: 0 };
    default:
      throw new Error(`unknown PGlite worker request: ${request.op}`);
  }
}

parentPort.on('message', (request) => {
  handle(request).then(
    (result) => parentPort.postMessage({ id: request.id, ok: true, ...result }),
    // Message and SQLSTATE only: a PostgreSQL error's detail can quote row values.
    (error) =>
      parentPort.postMessage({
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        code: typeof error?.code === 'string' ? error.code : undefined,
      }),
  );
});
