/**
 * What the gateway records of each GraphQL request: the request metrics (by operation name and
 * error code, latency) and one log line. The operation name is the client's choice, so it is
 * reduced to a bounded label (`operationLabel`); error codes are ours or Apollo's, a fixed set.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { logger } from '../lib/logger';
import {
  gatewayErrors,
  gatewayRequestDuration,
  gatewayRequests,
  operationLabel,
  secondsSince,
} from '../lib/observability/metrics';
import type { GatewayContext } from './subgraph-data-source';

const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** The label of an error without a code of the expected shape (a metric label, not an ErrorCode). */
const UNRECOGNISED_LABEL = 'unrecognised';

function codeLabel(code: unknown): string {
  if (typeof code === 'string' && ERROR_CODE.test(code)) return code;
  return UNRECOGNISED_LABEL;
}

export function requestObservabilityPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      const startedAt = performance.now();
      return {
        async willSendResponse({ response, operationName }) {
          const operation = operationLabel(operationName ?? request.operationName);
          const seconds = secondsSince(startedAt);
          gatewayRequests.inc({ operation });
          gatewayRequestDuration.observe({ operation }, seconds);
          const errors =
            response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((error) => codeLabel(error.extensions?.code));
          for (const code of codes) gatewayErrors.inc({ operation, code });
          logger.info('request completed', {
            operation,
            status: response.http.status ?? 200,
            code: codes[0],
            durationMs: Math.round(seconds * 1000),
          });
        },
      };
    },
  };
}
