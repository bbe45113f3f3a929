// `npm run docs`: rewrites every generated section of README.md and docs/*.md from docs/bench/*.json
// (scripts/docs-tables.ts says how). Run it after `npm run bench` and commit the JSON with the docs.
//
//   npm run docs              rewrite every generated section
//   npm run docs -- --check   exit 1 (and name the files) if a generated section is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docFiles, fillGenerated, generatedSources, renderSource, ROOT } from './docs-tables';

function main(argv: readonly string[]): void {
  const check = argv.includes('--check');
  const stale: string[] = [];
  for (const file of docFiles()) {
    const path = join(ROOT, file);
    const text = readFileSync(path, 'utf8');
    if (generatedSources(text).length === 0) continue;
    const filled = fillGenerated(text, (source) => renderSource(source));
    if (filled === text) continue;
    if (check) stale.push(file);
    else {
      writeFileSync(path, filled);
      console.log(`updated ${file}`);
    }
  }
  if (stale.length > 0) {
    console.error(`out of date (run npm run docs): ${stale.join(', ')}`);
    process.exit(1);
  }
}

main(process.argv.slice(2));
