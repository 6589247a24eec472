import { Identity } from './reached.js';
import { Resource } from './resource-rows.js';

/*
 * The JSON text of blast radii, byte for byte what `JSON.stringify(value, null, 2)` writes, made
 * faster: see writeReachedJson.
 */

/**
 * Writes the text of `JSON.stringify(value, null, 2)` to `write`, in chunks of about 32 KB, faster
 * for blast radii: the reached resources and identities in it (at any depth of plain objects and
 * arrays) write their `path` and `chain` from their chain links, whose text is made once per link
 * and shared by everything reached through it, instead of copying each chain into arrays of step
 * objects first (a 3,400-resource result behind 60-hop role chains is 36 MB of JSON, 0.3-0.8 s
 * the plain way). Other values go through JSON.stringify (their `toJSON` gets '' as key).
 *
 * @example writeReachedJson({ ...br, invokers }, (s) => process.stdout.write(s));
 */
export function writeReachedJson(value: unknown, write: (chunk: string) => void): void {
  const out = new Chunks(write);
  emit(value, '', out);
  out.end();
}

/**
 * The text of `JSON.stringify(value, null, 2)`, made as {@link writeReachedJson} makes it
 * (undefined where JSON.stringify gives undefined).
 */
export function reachedJson(value: unknown): string | undefined {
  const parts: string[] = [];
  const out = new Chunks((s) => parts.push(s));
  const some = emit(value, '', out);
  out.end();
  return some ? parts.join('') : undefined;
}

/**
 * Collects text and hands it on in chunks of about 32 KB. Small on purpose: a chunk is a tree of
 * concatenations that the writer copies into one string, and a string of more than about 128 KB
 * gets fresh pages of its own each time (V8's large-object space), which on the 2-core VM cost
 * 24 µs each: 36 MB in 1 MB chunks took 200 ms to write to /dev/null, in 32 KB chunks 25 ms.
 */
const CHUNK = 1 << 15;

class Chunks {
  #text = '';
  constructor(private readonly write: (chunk: string) => void) {}
  add(s: string): void {
    this.#text += s;
    if (this.#text.length >= CHUNK) this.end();
  }
  end(): void {
    if (this.#text !== '') this.write(this.#text);
    this.#text = '';
  }
}

/** Writes v's JSON text at indentation `ind`; false (nothing written) when JSON.stringify writes nothing. */
function emit(v: unknown, ind: string, out: Chunks): boolean {
  if (v instanceof Resource || v instanceof Identity) {
    out.add(v.jsonText(ind));
    return true;
  }
  if (!isObject(v) || !holdsReached(v)) {
    const text = JSON.stringify(v, null, 2) as string | undefined;
    if (text === undefined) return false;
    out.add(ind === '' ? text : text.replaceAll('\n', '\n' + ind));
    return true;
  }
  const i2 = ind + '  ';
  let n = 0;
  if (Array.isArray(v)) {
    out.add('[');
    for (const x of v) {
      out.add((n++ ? ',\n' : '\n') + i2);
      if (!emit(x, i2, out)) out.add('null');
    }
    out.add(n ? '\n' + ind + ']' : ']');
    return true;
  }
  out.add('{');
  for (const [k, x] of Object.entries(v)) {
    const streamed = x instanceof Resource || x instanceof Identity || (isObject(x) && holdsReached(x));
    // A member JSON.stringify leaves out (undefined, a function, a toJSON that gives nothing).
    const text = streamed ? '' : (JSON.stringify(x, null, 2) as string | undefined);
    if (text === undefined) continue;
    out.add((n++ ? ',\n' : '\n') + i2 + JSON.stringify(k) + ': ');
    if (streamed) emit(x, i2, out);
    else out.add(text.replaceAll('\n', '\n' + i2));
  }
  out.add(n ? '\n' + ind + '}' : '}');
  return true;
}

/**
 * A plain object or array (no toJSON) that holds a reached resource or identity, at any depth
 * (up to 32 levels: deeper or cyclic values are left to JSON.stringify, which throws on a cycle).
 */
function holdsReached(v: object, depth = 0): boolean {
  if (depth > 32) return false;
  const inner = (x: unknown) => isObject(x) && holdsReached(x, depth + 1);
  if (Array.isArray(v)) {
    for (const x of v) if (x instanceof Resource || x instanceof Identity) return true;
    return v.some(inner);
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v) return false;
  return Object.values(v).some((x) => x instanceof Resource || x instanceof Identity || inner(x));
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}
