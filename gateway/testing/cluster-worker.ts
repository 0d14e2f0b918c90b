/**
 * A stand-in worker for `gateway/cluster.test.ts`: `runClustered` around a tiny HTTP server
 * (PORT) that answers with its process id (`/slow`: headers at once, the body 500 ms later). With FAIL_AT_START set the
 * worker fails before listening, as a gateway with bad settings does.
 */
import http from 'node:http';
import { gatewayWorkers, runClustered } from '../cluster';

runClustered(gatewayWorkers(), () => {
  if (process.env.FAIL_AT_START) process.exit(1);
  const server = http.createServer((req, res) => {
    const answer = () => res.end(String(process.pid));
    if (req.url !== '/slow') {
      answer();
      return;
    }
    // Headers at once (the request is in flight), the body later.
    res.writeHead(200).flushHeaders();
    setTimeout(answer, 500);
  });
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
});
