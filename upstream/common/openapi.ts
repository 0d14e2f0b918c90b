/**
 * Reading the council systems' OpenAPI files (`schema/openapi/<system>.yaml`) enough to check
 * code against them: the operations, a schema's properties (through `$ref` and `allOf`), an
 * operation's parameters, request body and 200 response. Our files only, indented by two
 * spaces: not a YAML parser. Used by the contract tests and the simulators' route tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One mapping key (or list item, key "-") with what is indented under it. */
export interface YamlNode {
  key: string;
  value: string;
  children: YamlNode[];
}

const KEY = /^(\s*)(- )?(['"]?)([^'"\s#][^'":]*?)\3:(?:\s+(.*))?$/;
const ITEM = /^(\s*)- (.*)$/;
const BLOCK_SCALAR = /^[>|][-+]?$/;

/** The key tree of a YAML document in our files' style (flow collections and prose skipped). */
export function parseYamlKeys(yaml: string): YamlNode {
  const root: YamlNode = { key: '', value: '', children: [] };
  const stack: Array<{ indent: number; node: YamlNode }> = [{ indent: -1, node: root }];
  let skipDeeperThan: number | null = null;
  const add = (indent: number, node: YamlNode) => {
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    stack[stack.length - 1]!.node.children.push(node);
    stack.push({ indent, node });
  };
  for (const line of yaml.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (skipDeeperThan !== null) {
      if (indent > skipDeeperThan) continue;
      skipDeeperThan = null;
    }
    const key = KEY.exec(line);
    if (key) {
      let at = indent;
      if (key[2]) {
        // "- name: x": a list item whose first key is `name`.
        add(at, { key: '-', value: '', children: [] });
        at += 2;
      }
      const value = (key[5] ?? '').trim();
      add(at, { key: key[4]!, value: value.replace(/^['"]|['"]$/g, ''), children: [] });
      if (BLOCK_SCALAR.test(value)) skipDeeperThan = at;
      continue;
    }
    const item = ITEM.exec(line);
    if (item) add(indent, { key: '-', value: item[2]!.trim(), children: [] });
  }
  return root;
}

export function child(node: YamlNode | undefined, ...path: string[]): YamlNode | undefined {
  let at = node;
  for (const key of path) at = at?.children.find((candidate) => candidate.key === key);
  return at;
}

/** An OpenAPI document of ours, and the questions the tests ask of it. */
export class OpenApiDocument {
  constructor(readonly root: YamlNode) {}

  /** `schema/openapi/<file>` from the repository's root. */
  static read(file: string): OpenApiDocument {
    const path = join(__dirname, '..', '..', 'schema', 'openapi', file);
    return new OpenApiDocument(parseYamlKeys(readFileSync(path, 'utf8')));
  }

  /** Every operation, as "GET /v1/schools/{urn}". */
  operations(): string[] {
    return (child(this.root, 'paths')?.children ?? []).flatMap((path) =>
      path.children
        .filter((method) => /^(get|put|post|delete|patch|head|options)$/.test(method.key))
        .map((method) => `${method.key.toUpperCase()} ${path.key}`),
    );
  }

  /** The property names of a named schema (through `allOf` and `$ref`), sorted. */
  schemaProperties(name: string): string[] {
    const schema = child(this.root, 'components', 'schemas', name);
    if (!schema) throw new Error(`no schema ${name}`);
    return this.properties(schema);
  }

  /** The values of a named string schema's `enum` (a block list or a flow list), in order. */
  enumValues(name: string): string[] {
    const values = child(this.root, 'components', 'schemas', name, 'enum');
    if (!values) throw new Error(`no enum ${name}`);
    if (values.children.length > 0) return values.children.map((item) => item.value);
    return values.value
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value.length > 0);
  }

  /** The names of an operation's parameters (through `$ref`), sorted. */
  parameters(method: string, path: string): string[] {
    const parameters = child(this.operation(method, path), 'parameters')?.children ?? [];
    return parameters
      .map((item) => {
        const ref = child(item, '$ref')?.value;
        const declared = ref ? this.resolve(ref) : item;
        return child(declared, 'name')?.value ?? '';
      })
      .sort();
  }

  /** The property names of an operation's JSON request body (inline or `$ref`), sorted. */
  requestBodyProperties(method: string, path: string): string[] {
    const schema = child(
      this.operation(method, path),
      'requestBody',
      'content',
      'application/json',
      'schema',
    );
    if (!schema) throw new Error(`${method} ${path} has no JSON body`);
    return this.properties(schema);
  }

  /** The schema named by the 200 response (`$ref`), or null when written inline. */
  responseSchema(method: string, path: string): string | null {
    const schema = child(
      this.operation(method, path),
      'responses',
      '200',
      'content',
      'application/json',
      'schema',
    );
    const ref = child(schema, '$ref')?.value;
    return ref ? ref.split('/').pop()! : null;
  }

  private operation(method: string, path: string): YamlNode {
    const operation = child(this.root, 'paths', path, method.toLowerCase());
    if (!operation) throw new Error(`no operation ${method} ${path}`);
    return operation;
  }

  private resolve(ref: string): YamlNode {
    const node = child(this.root, ...ref.replace(/^#\//, '').split('/'));
    if (!node) throw new Error(`unresolved ${ref}`);
    return node;
  }

  private properties(schema: YamlNode): string[] {
    const names = new Set<string>();
    const visit = (node: YamlNode) => {
      const ref = child(node, '$ref')?.value;
      if (ref) visit(this.resolve(ref));
      for (const property of child(node, 'properties')?.children ?? []) names.add(property.key);
      for (const part of child(node, 'allOf')?.children ?? []) visit(part);
    };
    visit(schema);
    return [...names].sort();
  }
}

/**
 * Every key of `T`, spelled out and checked by the compiler (a missing or unknown key fails
 * `npm run typecheck`), so a test can compare a contract type with its OpenAPI schema.
 */
export function fieldsOf<T>(fields: Record<keyof T, true>): string[] {
  return Object.keys(fields).sort();
}
