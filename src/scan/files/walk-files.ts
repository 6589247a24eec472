import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { ScanNote } from '../leak-types.js';
import { globToRegExp } from './glob.js';

interface IgnoreRule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

interface IgnoreFile {
  /** Directory of the .gitignore, relative to the root ('' for the root), with a trailing slash. */
  base: string;
  rules: IgnoreRule[];
}

/** Parses one .gitignore (https://git-scm.com/docs/gitignore#_pattern_format). */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let raw of text.split(/\r?\n/)) {
    if (!raw || raw.startsWith('#')) continue;
    raw = raw.replace(/(?<!\\)\s+$/, '');
    if (!raw) continue;
    let negate = false;
    if (raw.startsWith('!')) {
      negate = true;
      raw = raw.slice(1);
    } else if (raw.startsWith('\\!') || raw.startsWith('\\#')) raw = raw.slice(1);
    const dirOnly = raw.endsWith('/');
    try {
      rules.push({ re: globToRegExp(raw), negate, dirOnly });
    } catch {
      // An unparsable line is ignored, as git does.
    }
  }
  return rules;
}

/** Directories of dependencies and generated code, skipped unless asked for. */
const VENDORED_DIRS = new Set([
  'node_modules',
  'vendor',
  'bower_components',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  'site-packages',
  '.yarn',
  'Pods',
  '.gradle',
  '.terraform',
]);
const ALWAYS_SKIPPED_DIRS = new Set(['.git', '.hg', '.svn']);
const MINIFIED = /\.min\.(?:js|css)$|\.map$/i;
/** Extensions that are never text (the NUL-byte sniff catches the rest). */
const BINARY_EXT =
  /\.(?:png|jpe?g|gif|bmp|ico|webp|tiff?|psd|mp[34]|mov|avi|mkv|webm|wav|flac|ogg|woff2?|ttf|otf|eot|zip|gz|tgz|bz2|xz|7z|rar|jar|war|class|so|dylib|dll|exe|o|a|pyc|pdf|docx?|xlsx?|pptx?|sqlite3?|db|wasm|bin|dat|parquet|avro|onnx|pt|safetensors|npy|pkl)$/i;

export interface WalkOptions {
  /** gitignore-style globs relative to the root. */
  exclude?: readonly string[];
  /** Scan node_modules, vendor/ and minified files too. */
  includeVendored?: boolean;
  /** Respect .gitignore files (default true). */
  gitignore?: boolean;
  /** Larger files are skipped with a note. */
  maxFileBytes?: number;
}

export interface WalkedFile {
  abs: string;
  /** Relative to the root, forward slashes. */
  rel: string;
  size: number;
}

/**
 * Lists the files to scan under `root`: nested .gitignore files with negation, `--exclude` globs,
 * vendored and binary files skipped; symbolic links to directories are not followed (so loops
 * cannot happen) and unreadable entries become notes.
 */
export function walkFiles(root: string, opts: WalkOptions = {}): { files: WalkedFile[]; notes: ScanNote[] } {
  const files: WalkedFile[] = [];
  const notes: ScanNote[] = [];
  const exclude = (opts.exclude ?? []).map((g) => ({ re: globToRegExp(g), dirOnly: g.endsWith('/') }));
  const useIgnore = opts.gitignore !== false;
  const max = opts.maxFileBytes ?? 256 * 1024 * 1024;

  const ignored = (rel: string, isDir: boolean, stack: IgnoreFile[]): boolean => {
    for (const e of exclude) if ((!e.dirOnly || isDir) && e.re.test(rel)) return true;
    let result = false;
    for (const f of stack) {
      if (!rel.startsWith(f.base)) continue;
      const local = rel.slice(f.base.length);
      for (const r of f.rules) {
        if (r.dirOnly && !isDir) continue;
        if (r.re.test(local)) result = !r.negate;
      }
    }
    return result;
  };

  const visit = (dirAbs: string, dirRel: string, stack: IgnoreFile[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (e) {
      notes.push({
        file: dirRel || '.',
        reason: `unreadable directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      });
      return;
    }
    let here = stack;
    if (useIgnore && entries.some((d) => d.name === '.gitignore' && !d.isDirectory())) {
      try {
        here = [
          ...stack,
          {
            base: dirRel ? `${dirRel}/` : '',
            rules: parseGitignore(readFileSync(path.join(dirAbs, '.gitignore'), 'utf8')),
          },
        ];
      } catch (e) {
        notes.push({
          file: `${dirRel ? dirRel + '/' : ''}.gitignore`,
          reason: `unreadable: ${(e as Error).message}`,
        });
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of entries) {
      const rel = dirRel ? `${dirRel}/${d.name}` : d.name;
      const abs = path.join(dirAbs, d.name);
      if (d.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(d.name)) continue;
        if (!opts.includeVendored && VENDORED_DIRS.has(d.name)) continue;
        if (ignored(rel, true, here)) continue;
        visit(abs, rel, here);
        continue;
      }
      if (d.isSymbolicLink()) {
        let st;
        try {
          st = statSync(abs);
        } catch (e) {
          notes.push({
            file: rel,
            reason: `broken or looping symbolic link: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          });
          continue;
        }
        if (st.isDirectory()) {
          notes.push({ file: rel, reason: 'symbolic link to a directory, not followed' });
          continue;
        }
        if (!st.isFile() || ignored(rel, false, here)) continue;
        if (st.size > max) notes.push({ file: rel, reason: `larger than ${max} bytes, skipped` });
        else files.push({ abs, rel, size: st.size });
        continue;
      }
      if (!d.isFile()) continue;
      if (BINARY_EXT.test(d.name)) continue;
      if (!opts.includeVendored && MINIFIED.test(d.name)) continue;
      if (ignored(rel, false, here)) continue;
      let size = 0;
      try {
        size = statSync(abs).size;
      } catch (e) {
        notes.push({
          file: rel,
          reason: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        });
        continue;
      }
      if (size > max) notes.push({ file: rel, reason: `larger than ${max} bytes, skipped` });
      else files.push({ abs, rel, size });
    }
  };
  visit(root, '', []);
  return { files, notes };
}
