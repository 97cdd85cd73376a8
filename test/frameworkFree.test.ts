import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('packages/core', () => {
  it('never imports react or zustand', () => {
    const offenders = sourceFiles(join(__dirname, '../packages/core/src')).filter((file) =>
      /from\s+['"](react|react-dom|zustand)(\/[^'"]*)?['"]|import\(\s*['"](react|zustand)/.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('declares neither as a dependency', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../packages/core/package.json'), 'utf8'));
    const deps = { ...pkg.dependencies, ...pkg.peerDependencies };
    expect(Object.keys(deps).filter((d) => /^(react|react-dom|zustand)$/.test(d))).toEqual([]);
  });
});
