/**
 * Reads a scenario file (YAML, or JSON, which is YAML too) into plain data, keeping
 * where each value was written so errors can say "ci-smoke.yaml:7". Knows nothing of
 * what the fields mean.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import { UsageError, errorMessage } from '../errors/errors.js';

export type PathPart = string | number;

export interface ScenarioSource {
  /** The path as the user gave it. */
  readonly file: string;
  readonly data: unknown;
  /** "file:line" for a value, or just "file" when the position is unknown. */
  where(path: readonly PathPart[]): string;
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

export function readScenarioFile(file: string): ScenarioSource {
  if (!EXTENSIONS.some((ext) => file.toLowerCase().endsWith(ext))) {
    throw new UsageError(`${file}: a scenario file is .yaml, .yml or .json`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the scenario file: ${errorMessage(error)}`);
  }
  // Binary content would be echoed raw into the error line (and the terminal).
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this check looks for
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) {
    throw new UsageError(`${file}: not a text file (it holds binary data); a scenario file is YAML or JSON text`);
  }
  return parseScenarioText(file, text);
}

export function parseScenarioText(file: string, text: string): ScenarioSource {
  const lines = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    // Every error, each on its own line with its line number (main prefixes each "kbench: ").
    const lines = doc.errors.map((error) => {
      const at = error.linePos?.[0];
      // The first line, without the position and code frame the yaml package adds.
      const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
      return `${file}${at ? `:${at.line}` : ''}: not valid YAML/JSON: ${message}`;
    });
    throw new UsageError(lines.join('\nkbench: '));
  }
  let data: unknown;
  try {
    // Aliases are expanded here: a file of aliases of aliases (an "alias bomb") is refused by the yaml package's limit.
    data = doc.toJS();
  } catch (error) {
    throw new UsageError(
      `${file}: not a usable scenario: ${errorMessage(error).split('\n')[0]} (too many YAML aliases or anchors)`,
    );
  }
  return {
    file,
    data,
    where(path) {
      const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
      if (isNode(node) && node.range) return `${file}:${lines.linePos(node.range[0]).line}`;
      return file;
    },
  };
}
