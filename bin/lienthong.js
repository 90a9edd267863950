#!/usr/bin/env node
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv.slice(2));
// An output error may already have set exit code 2; keep it.
if (!process.exitCode) process.exitCode = code;
