import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ZodError } from 'zod';
import { InvalidScenarioError } from '../errors/invalid-scenario.error.js';
import { scenarioSchema, type Scenario } from './scenario.schema.js';

/** `events.2.door.open: expected boolean, received string` — one line per problem, path first. */
export function describeZodIssues(error: ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Validates an already-parsed scenario document; `source` names it in errors. */
export function parseScenario(doc: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(doc);
  if (!result.success) throw new InvalidScenarioError(source, describeZodIssues(result.error));
  return result.data;
}

/** Reads a scenario file (`.yaml`, `.yml` or `.json`) and validates it. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidScenarioError(path, [`cannot read the file: ${(err as Error).message}`], err);
  }
  let doc: unknown;
  try {
    doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const where =
      err instanceof YAMLParseError && err.linePos
        ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}`
        : '';
    throw new InvalidScenarioError(
      path,
      [
        `not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}${where}: ${(err as Error).message.split('\n')[0]}`,
      ],
      err,
    );
  }
  return parseScenario(doc, path);
}
