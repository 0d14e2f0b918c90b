// Runs PGlite (embedded PostgreSQL, WebAssembly) on a worker thread for drivers/pglite.ts.
//
// Plain CommonJS so Node runs it as it is. On a worker PGlite's Emscripten start-up can use
// `import()`, which Jest's module sandbox refuses, and its queries (synchronous WebAssembly)
// do not hold up the main thread's event loop.
const { parentPort } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');

let pglite = null;

async function handle(request) {
  switch (request.op) {
    case 'open':
      pglite = new PGlite(request.dataDir);
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
