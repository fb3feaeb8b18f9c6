import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { renderConfigReference } from './render-config-reference';

/** Writes docs/configuration.md from the config schema and cdk.json's defaults. */
const root = path.join(__dirname, '..', '..');
const context = JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')).context;
const target = path.join(root, 'docs', 'configuration.md');
writeFileSync(target, renderConfigReference(context));
console.log(`wrote ${path.relative(root, target)}`);
