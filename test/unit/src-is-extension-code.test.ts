// src/ is what the extension ships: a module there that imports Node (node:fs, a bare `fs`) or sharp
// builds for Node only and breaks the bundle. Node-only code lives in scripts/ (the training CLI in
// scripts/train/); tests may use Node freely.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');
const isTest = (file: string) => /\.test\.tsx?$/.test(file);

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return /\.(m|c)?(t|j)sx?$/.test(entry.name) && !isTest(entry.name) ? [path] : [];
  });
}

/** Every module specifier a source file names: static and type imports, re-exports, import(), require(). */
function importedSpecifiers(source: string): string[] {
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1] as string));
}

const NODE_BUILTINS = new Set(builtinModules);

/** Why an extension module may not import this specifier, or null when it may. */
function forbidden(specifier: string): string | null {
  if (specifier.startsWith('node:')) return 'a Node built-in';
  if (NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0] as string)) return 'a Node built-in';
  if (specifier === 'sharp' || specifier.startsWith('sharp/')) return 'sharp, Node-only';
  return null;
}

describe('the import check', () => {
  it.each([
    ["import { readFile } from 'node:fs/promises';", ['node:fs/promises']],
    ["import sharp from 'sharp';", ['sharp']],
    ["import * as path from 'path';", ['path']],
    ["import type { Stats } from 'fs';", ['fs']],
    ["import 'node:process';", ['node:process']],
    ["import {\n  a,\n  b,\n} from 'node:os';", ['node:os']],
    ["export { join } from 'node:path';", ['node:path']],
    ["export * from 'fs/promises';", ['fs/promises']],
    ["const m = await import('sharp');", ['sharp']],
    ["const fs = require('fs');", ['fs']],
  ])('finds the forbidden import in %j', (source, found) => {
    const specifiers = importedSpecifiers(source);
    expect(specifiers).toEqual(found);
    expect(specifiers.every((s) => forbidden(s) !== null)).toBe(true);
  });

  it.each(['@tensorflow/tfjs', 'fflate', 'wxt/browser', '../util/checks', './path', 'preact/hooks', 'sharpen'])(
    'lets %s through',
    (specifier) => expect(forbidden(specifier)).toBeNull(),
  );
});

describe('src/ is extension code', () => {
  it('no module under src/ (tests aside) imports Node built-ins or sharp', () => {
    const files = modules(SRC);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) =>
      importedSpecifiers(readFileSync(file, 'utf8')).flatMap((specifier) => {
        const why = forbidden(specifier);
        return why === null ? [] : [`${relative(SRC, file)} imports '${specifier}' (${why}); move it to scripts/ or test/`];
      }),
    );
    expect(offenders).toEqual([]);
  });
});
