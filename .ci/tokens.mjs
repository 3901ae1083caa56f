// Counts the tokens of the seven common tasks in this crate, Descope's Python SDK and its Node
// SDK (generated-client/tests/tokens.rs, tokens/tasks.py, tokens/tasks.mjs) and prints the
// BENCHMARKS.md table. A task is the text between a `task: <name>` comment and an `end` one,
// each line without its indentation (so nesting costs nothing), blank lines dropped. The
// tokenizer is OpenAI's o200k_base (gpt-tokenizer). With --check, exits 1 unless BENCHMARKS.md
// holds the table as printed, so the published figures are those of the code in the repository.
// Usage: node tokens.mjs ROOT [--check]; `.ci/tokens` installs gpt-tokenizer and runs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';

const root = process.argv[2];
if (!root) throw new Error('usage: node tokens.mjs ROOT [--check]');
const sources = {
  Rust: ['generated-client/tests/tokens.rs', '//'],
  Python: ['generated-client/tests/tokens/tasks.py', '#'],
  Node: ['generated-client/tests/tokens/tasks.mjs', '//'],
};

function tasks(file, comment) {
  const found = new Map();
  let name = null;
  let lines = [];
  for (const raw of readFileSync(join(root, file), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith(`${comment} task: `)) {
      if (name !== null) throw new Error(`${file}: task ${name} has no end`);
      name = line.slice(`${comment} task: `.length);
      lines = [];
    } else if (line === `${comment} end`) {
      if (name === null) throw new Error(`${file}: an end without a task`);
      found.set(name, lines.join('\n'));
      name = null;
    } else if (name !== null && line !== '') {
      lines.push(line);
    }
  }
  if (name !== null) throw new Error(`${file}: task ${name} has no end`);
  return found;
}

const counted = Object.fromEntries(
  Object.entries(sources).map(([language, [file, comment]]) => [language, tasks(file, comment)]),
);
const names = [...counted.Rust.keys()];
for (const [language, found] of Object.entries(counted)) {
  const missing = names.filter((name) => !found.has(name));
  const extra = [...found.keys()].filter((name) => !counted.Rust.has(name));
  if (missing.length || extra.length || found.size !== 7) {
    throw new Error(`${language}: tasks differ from Rust's (missing ${missing}, extra ${extra})`);
  }
}

const count = (language, name) => encode(counted[language].get(name)).length;
const table = [
  '| task | Rust (this crate) | Python SDK | Node SDK | Rust / Node |',
  '| --- | ---: | ---: | ---: | ---: |',
];
const totals = { Rust: 0, Python: 0, Node: 0 };
for (const name of names) {
  const [rust, python, node] = ['Rust', 'Python', 'Node'].map((language) => count(language, name));
  totals.Rust += rust;
  totals.Python += python;
  totals.Node += node;
  table.push(`| ${name} | ${rust} | ${python} | ${node} | ${(rust / node).toFixed(2)} |`);
}
table.push(
  `| **all seven** | ${totals.Rust} | ${totals.Python} | ${totals.Node} | ${(totals.Rust / totals.Node).toFixed(2)} |`,
);
const printed = table.join('\n');
console.log(printed);
if (process.argv.includes('--check')) {
  const benchmarks = readFileSync(join(root, 'BENCHMARKS.md'), 'utf8');
  if (!benchmarks.includes(`${printed}\n`)) {
    console.error('BENCHMARKS.md does not hold this table: copy it there (`.ci/tokens` prints it)');
    process.exit(1);
  }
}
