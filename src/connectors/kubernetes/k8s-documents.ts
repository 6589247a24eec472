import { isMap, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { WardenError } from '../../errors/index.js';
import type { SourceFile } from '../core/source-file.js';

/*
 * Kubernetes objects as teams hold them: manifests (multi-document YAML, `---` separated), and
 * `kubectl get ... -o json|yaml`, which wraps several objects in `{apiVersion: v1, kind: List, items}`
 * (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/ ; typed lists such as
 * `ServiceAccountList` come from the API directly: https://kubernetes.io/docs/reference/using-api/api-concepts/#collections).
 */

export type Json = Record<string, unknown>;
export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** One object of the file and where it is: `line N` (YAML) or a JSON pointer. */
export interface K8sObject {
  obj: Json;
  where: string;
}

const isList = (o: Json): boolean =>
  Array.isArray(o.items) && (o.kind === 'List' || (typeof o.kind === 'string' && o.kind.endsWith('List')));

function flattenJson(value: unknown, pointer: string, out: K8sObject[], bad: K8sObject[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => flattenJson(v, `${pointer}/${i}`, out, bad));
    return;
  }
  if (!isRecord(value)) {
    bad.push({ obj: {}, where: pointer || '/' });
    return;
  }
  if (isList(value)) {
    (value.items as unknown[]).forEach((v, i) => flattenJson(v, `${pointer}/items/${i}`, out, bad));
    return;
  }
  out.push({ obj: value, where: pointer || '/' });
}

/**
 * Every object of the file, Lists flattened. A YAML syntax error anywhere makes the file unusable
 * (its documents may be cut at the wrong place): it throws with the line and column.
 */
export async function readObjects(file: SourceFile): Promise<{ objects: K8sObject[]; bad: K8sObject[] }> {
  const objects: K8sObject[] = [];
  const bad: K8sObject[] = [];
  const c = file.firstChar();
  if (c === '{' || c === '[') {
    flattenJson(await file.json(), '', objects, bad);
    return { objects, bad };
  }
  const text = await file.text();
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  if (!Array.isArray(docs)) return { objects, bad };
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `${file.display}:${pos.line}:${pos.col}: YAML syntax error: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
        {
          details: { file: file.display, line: pos.line },
        },
      );
    }
  }
  for (const doc of docs) {
    const root = doc.contents as Node | null;
    if (!root) continue;
    const line = (n: Node | null | undefined): string =>
      `line ${n?.range ? lines.linePos(n.range[0]).line : 1}`;
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      bad.push({ obj: {}, where: line(root) });
      continue;
    }
    if (isList(value) && isMap(root)) {
      const seq = root.get('items', true);
      const nodes = isSeq(seq) ? (seq.items as Node[]) : [];
      (value.items as unknown[]).forEach((item, i) => {
        const where = line(nodes[i]);
        if (isRecord(item)) objects.push({ obj: item, where });
        else bad.push({ obj: {}, where });
      });
      continue;
    }
    objects.push({ obj: value, where: line(root) });
  }
  return { objects, bad };
}
