// Writes docs/machines.md from the built machines: `npm run docs`.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machinesMarkdown } from '../dist/src/diagram/docs.js';

const target = fileURLToPath(new URL('../docs/machines.md', import.meta.url));
fs.mkdirSync(fileURLToPath(new URL('../docs/', import.meta.url)), {
  recursive: true,
});
fs.writeFileSync(target, machinesMarkdown());
process.stdout.write(`wrote ${target}\n`);
