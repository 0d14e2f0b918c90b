/**
 * Operation safelist (optional, SAFELIST_FILE): only operations registered ahead of time run.
 * The file is a JSON array of GraphQL documents, as the clients send them; a request runs when
 * its document is one of them, compared without ignored characters (whitespace, commas,
 * comments), so formatting does not matter but every field, argument and alias does.
 * Anything else is a 400 OPERATION_NOT_ALLOWED before any subgraph is called.
 *
 * The other limits still apply to registered operations; the safelist closes the graph to
 * ad hoc queries (a stolen token can then only run what our own clients run).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, parse, stripIgnoredCharacters } from 'graphql';
import { ErrorCode, defaultMessage } from '../../lib/errors';

const fingerprint = (document: string): string =>
  createHash('sha256').update(stripIgnoredCharacters(document)).digest('hex');

/** Reads and checks the file at start: a bad safelist stops the gateway, it never opens it. */
export function loadSafelist(file: string): Set<string> {
  let documents: unknown;
  try {
    documents = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`SAFELIST_FILE: ${file} is not a readable JSON file`);
  }
  if (!Array.isArray(documents) || documents.some((item) => typeof item !== 'string')) {
    throw new Error('SAFELIST_FILE: must hold a JSON array of GraphQL documents');
  }
  const allowed = new Set<string>();
  for (const [index, document] of (documents as string[]).entries()) {
    try {
      parse(document);
    } catch {
      throw new Error(`SAFELIST_FILE: document ${index} is not valid GraphQL`);
    }
    allowed.add(fingerprint(document));
  }
  return allowed;
}

export function safelistPlugin(allowed: Set<string>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source }) {
          if (allowed.has(fingerprint(source))) return;
          throw new GraphQLError(defaultMessage(ErrorCode.OPERATION_NOT_ALLOWED), {
            extensions: { code: ErrorCode.OPERATION_NOT_ALLOWED, http: { status: 400 } },
          });
        },
      };
    },
  };
}
