/**
 * Issue 9: no `eval`, `new Function` or string timers in app code. Such code would need
 * 'unsafe-eval' in the Content Security Policy (src/pwa/csp.ts forbids it), and turns any string an
 * attacker controls (a file name, an imported gallery) into code.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/shared.ts';

const SOURCE = /\.(ts|tsx|js|mjs|cjs|jsx)$/;

/** What counts as evaluating a string: eval(…), new Function(…) / Function('…'), setTimeout('…'). */
const EVALUATES = [
  /(^|[^\w.$])eval\s*\(/,
  /\bnew\s+Function\s*\(/,
  /(^|[^\w.$])Function\s*\(\s*['"`]/,
  /\bset(Timeout|Interval)\s*\(\s*['"`]/,
];

/** Comment lines may name these (this project's docs do); code may not. */
const isComment = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);

function findEvaluation(source: string): number[] {
  return source
    .split('\n')
    .flatMap((line, i) => (!isComment(line) && EVALUATES.some((re) => re.test(line)) ? [i + 1] : []));
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));
}

describe('no code from strings', () => {
  it('the check finds every form it forbids, and not look-alikes', () => {
    expect(findEvaluation('const x = eval("1 + 1");')).toEqual([1]);
    expect(findEvaluation('ok();\nconst f = new Function("a", "return a");')).toEqual([2]);
    expect(findEvaluation("const g = Function('return this')();")).toEqual([1]);
    expect(findEvaluation("setTimeout('alert(1)', 10);")).toEqual([1]);
    expect(findEvaluation('retrieval(x); model.evaluate(x); setTimeout(() => run(), 10);')).toEqual([]);
    expect(findEvaluation('// eval("x") would need unsafe-eval\n * new Function() too')).toEqual([]);
  });

  it('src/ has none', async () => {
    const files = await sourceFiles(join(projectRoot, 'src'));
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      for (const line of findEvaluation(await readFile(file, 'utf8')))
        found.push(`${relative(projectRoot, file)}:${line}`);
    }
    expect(found).toEqual([]);
  });
});
